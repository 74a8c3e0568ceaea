//! The chat overlay's settings: where the studio serves the page OBS's browser source shows, how
//! long a message is held back before it shows, what is never shown, and how it looks. Kept in
//! `overlay.json` in the app's config folder, not in the page's address, so the OBS source never
//! needs editing when they change. The address's secret lives in the keychain
//! ([`OVERLAY_SECRET`]), never in this file.

use serde::{Deserialize, Serialize};

const OVERLAY_FILE: &str = "overlay.json";

/// The keychain entry of the secret in the overlay's address.
pub const OVERLAY_SECRET: &str = "overlay-address-secret";

/// The port offered the first time, when it is free (otherwise the system picks one). Either way
/// it is saved, so the OBS source keeps working from one start to the next.
pub const FIRST_PORT: u16 = 47_651;
/// The longest hold: long enough to catch a message, short enough that chat still feels live.
pub const MAX_HOLD_SECONDS: u8 = 30;
/// Fading after at most this long (0 keeps messages until newer ones push them out).
pub const MAX_FADE_SECONDS: u16 = 600;
pub const MAX_LINES: u8 = 50;
pub const FONT_SIZES: std::ops::RangeInclusive<u8> = 10..=72;
/// Names on the hidden list, and the length of each.
pub const MAX_HIDDEN_USERS: usize = 200;
pub const MAX_NAME_CHARS: usize = 64;

/// Chat bots common on the platforms the studio serves: their messages (song requests, timers,
/// loyalty points) are rarely what a streamer wants on screen. The list is the streamer's to edit.
pub const COMMON_BOTS: &[&str] = &[
    "Nightbot",
    "StreamElements",
    "Streamlabs",
    "Moobot",
    "Fossabot",
    "Wizebot",
    "Botisimo",
    "Sery_Bot",
    "SoundAlerts",
    "Kofistreambot",
    "BotRix",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OverlayTheme {
    /// Light text on dark rows: reads over most games.
    #[default]
    Dark,
    /// Dark text on light rows.
    Light,
    /// The streamer's own colours.
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OverlaySettings {
    /// Serve the overlay at all.
    pub enabled: bool,
    /// The loopback port the page is served on; 0 until the studio first chooses one.
    pub port: u16,
    /// Seconds a message waits before it shows (0–30): time to delete it, or to time out or ban
    /// its author, before viewers can read it.
    pub hold_seconds: u8,
    /// Leave out messages that start with `!` (bot commands).
    pub hide_commands: bool,
    /// Names whose messages never show (bots, or anyone), compared without regard to case.
    pub hidden_users: Vec<String>,
    /// Seconds a message stays before fading out; 0 keeps it until newer ones push it out.
    pub fade_seconds: u16,
    /// Messages on screen at most.
    pub max_lines: u8,
    /// Text size in CSS pixels.
    pub font_size: u8,
    pub theme: OverlayTheme,
    /// With the custom theme: the text's colour, `#rrggbb`.
    pub text_color: String,
    /// With the custom theme: each message's background, `#rrggbb` or `#rrggbbaa`.
    pub row_color: String,
    /// Show which platform each message came from.
    pub badges: bool,
}

impl Default for OverlaySettings {
    fn default() -> Self {
        OverlaySettings {
            enabled: true,
            port: 0,
            hold_seconds: 0,
            hide_commands: true,
            hidden_users: COMMON_BOTS.iter().map(|&b| b.to_owned()).collect(),
            fade_seconds: 0,
            max_lines: 12,
            font_size: 20,
            theme: OverlayTheme::Dark,
            text_color: "#ffffff".to_owned(),
            row_color: "#000000aa".to_owned(),
            badges: true,
        }
    }
}

/// `#rrggbb`, or `#rrggbbaa` where `alpha` is allowed: nothing else reaches the page's styles.
fn is_hex_colour(text: &str, alpha: bool) -> bool {
    let Some(digits) = text.strip_prefix('#') else {
        return false;
    };
    (digits.len() == 6 || (alpha && digits.len() == 8)) && digits.chars().all(|c| c.is_ascii_hexdigit())
}

impl OverlaySettings {
    /// Whether these can be saved; otherwise which field is wrong and how to fix it.
    pub fn check(&self) -> Result<(), String> {
        if self.hold_seconds > MAX_HOLD_SECONDS {
            return Err(format!(
                "Hold messages for: 0 to {MAX_HOLD_SECONDS} seconds (0 shows them at once)"
            ));
        }
        if self.fade_seconds > MAX_FADE_SECONDS {
            return Err(format!(
                "Fade out after: 0 to {MAX_FADE_SECONDS} seconds (0 keeps messages on screen)"
            ));
        }
        if !(1..=MAX_LINES).contains(&self.max_lines) {
            return Err(format!("Messages on screen: 1 to {MAX_LINES}"));
        }
        if !FONT_SIZES.contains(&self.font_size) {
            return Err(format!(
                "Text size: {} to {} pixels",
                FONT_SIZES.start(),
                FONT_SIZES.end()
            ));
        }
        if !is_hex_colour(&self.text_color, false) {
            return Err("Text colour: a colour as #rrggbb, e.g. #ffffff for white".to_owned());
        }
        if !is_hex_colour(&self.row_color, true) {
            return Err(
                "Message background: a colour as #rrggbb, or #rrggbbaa with transparency (e.g. #000000aa)"
                    .to_owned(),
            );
        }
        if self.hidden_users.len() > MAX_HIDDEN_USERS {
            return Err(format!(
                "Hidden names: at most {MAX_HIDDEN_USERS}; remove some to add more"
            ));
        }
        if let Some(bad) = self
            .hidden_users
            .iter()
            .find(|n| n.trim().is_empty() || n.chars().count() > MAX_NAME_CHARS)
        {
            return Err(format!(
                "Hidden names: each a name of 1 to {MAX_NAME_CHARS} characters ({} is not)",
                if bad.trim().is_empty() {
                    "an empty line"
                } else {
                    "one"
                }
            ));
        }
        Ok(())
    }
}

/// The overlay's settings in force, and where they are saved.
pub type OverlayState = crate::saved::Saved<OverlaySettings>;

impl crate::saved::SavedSettings for OverlaySettings {
    const FILE: &'static str = OVERLAY_FILE;

    fn check(&self) -> Result<(), String> {
        OverlaySettings::check(self)
    }
}

/// Reads `overlay.json`'s text over the defaults.
pub fn parse(text: &str) -> Result<OverlaySettings, String> {
    crate::saved::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_hide_commands_and_common_bots_and_show_at_once() {
        let settings = OverlaySettings::default();
        assert!(settings.check().is_ok());
        assert_eq!((settings.hold_seconds, settings.port), (0, 0));
        assert!(settings.hide_commands && settings.badges);
        assert!(settings.hidden_users.iter().any(|n| n == "Nightbot"));
    }

    #[test]
    fn each_bound_names_its_field_and_the_edges_are_allowed() {
        let ok = |change: fn(&mut OverlaySettings)| {
            let mut s = OverlaySettings::default();
            change(&mut s);
            s.check()
        };
        assert!(ok(|s| s.hold_seconds = MAX_HOLD_SECONDS).is_ok());
        assert!(
            ok(|s| s.hold_seconds = MAX_HOLD_SECONDS + 1)
                .unwrap_err()
                .starts_with("Hold")
        );
        assert!(ok(|s| s.fade_seconds = MAX_FADE_SECONDS).is_ok());
        assert!(
            ok(|s| s.fade_seconds = MAX_FADE_SECONDS + 1)
                .unwrap_err()
                .starts_with("Fade")
        );
        assert!(ok(|s| s.max_lines = 1).is_ok());
        assert!(ok(|s| s.max_lines = MAX_LINES).is_ok());
        assert!(
            ok(|s| s.max_lines = 0)
                .unwrap_err()
                .starts_with("Messages on screen")
        );
        assert!(ok(|s| s.max_lines = MAX_LINES + 1).is_err());
        assert!(ok(|s| s.font_size = *FONT_SIZES.start()).is_ok());
        assert!(ok(|s| s.font_size = *FONT_SIZES.end()).is_ok());
        assert!(
            ok(|s| s.font_size = FONT_SIZES.start() - 1)
                .unwrap_err()
                .starts_with("Text size")
        );
        assert!(ok(|s| s.font_size = FONT_SIZES.end() + 1).is_err());
        assert!(ok(|s| s.hidden_users = vec!["x".repeat(MAX_NAME_CHARS)]).is_ok());
        assert!(ok(|s| s.hidden_users = vec!["x".repeat(MAX_NAME_CHARS + 1)]).is_err());
        assert!(
            ok(|s| s.hidden_users = vec![" ".into()])
                .unwrap_err()
                .contains("empty line")
        );
        assert!(ok(|s| s.hidden_users = vec!["a".into(); MAX_HIDDEN_USERS]).is_ok());
        assert!(ok(|s| s.hidden_users = vec!["a".into(); MAX_HIDDEN_USERS + 1]).is_err());
    }

    #[test]
    fn only_hex_colours_reach_the_page() {
        let with = |text: &str, row: &str| OverlaySettings {
            text_color: text.to_owned(),
            row_color: row.to_owned(),
            ..OverlaySettings::default()
        };
        assert!(with("#A0b1C2", "#00000080").check().is_ok());
        assert!(with("#000000", "#123456").check().is_ok());
        for bad_text in [
            "#0000007f",
            "red",
            "#12345",
            "#12345g",
            "000000",
            "#000000;}body{x:y",
        ] {
            assert!(
                with(bad_text, "#000000")
                    .check()
                    .unwrap_err()
                    .starts_with("Text colour"),
                "{bad_text}"
            );
        }
        for bad_row in ["url(x)", "#1234567", "#", ""] {
            assert!(
                with("#ffffff", bad_row)
                    .check()
                    .unwrap_err()
                    .starts_with("Message background")
            );
        }
    }

    #[test]
    fn saved_settings_are_read_back_and_a_broken_file_gives_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let state = OverlayState::load(Some(dir.path().to_owned()));
        let mine = OverlaySettings {
            port: 47_700,
            hold_seconds: 5,
            hidden_users: vec!["Spammer".into()],
            ..OverlaySettings::default()
        };
        state.save(mine.clone()).unwrap();
        assert_eq!(OverlayState::load(Some(dir.path().to_owned())).get(), mine);
        assert!(
            state
                .save(OverlaySettings {
                    hold_seconds: 99,
                    ..mine.clone()
                })
                .is_err()
        );
        assert_eq!(state.get(), mine, "a refused save changes nothing");
        std::fs::write(dir.path().join(OVERLAY_FILE), r#"{"holdSeconds": 99}"#).unwrap();
        assert_eq!(
            OverlayState::load(Some(dir.path().to_owned())).get(),
            OverlaySettings::default()
        );
        assert_eq!(
            parse(r#"{"holdSeconds": 3}"#).unwrap().hidden_users.len(),
            COMMON_BOTS.len()
        );
    }
}
