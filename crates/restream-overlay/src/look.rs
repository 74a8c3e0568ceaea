//! What the page is told: how chat looks (from the settings, colours resolved from the theme) and
//! each message as it shows. The page only ever gets these, never a setting it could misread.

use std::time::Duration;

use restream_client::{Comment, Platform};
use restream_settings::overlay::{OverlaySettings, OverlayTheme};
use serde::Serialize;

/// How the page draws chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Look {
    pub font_size: u8,
    /// `#rrggbb`.
    pub text_color: String,
    /// `#rrggbb` or `#rrggbbaa`.
    pub row_color: String,
    pub badges: bool,
    /// 0: messages stay.
    pub fade_seconds: u16,
    pub max_lines: u8,
}

impl From<&OverlaySettings> for Look {
    fn from(settings: &OverlaySettings) -> Self {
        let (text, row) = match settings.theme {
            OverlayTheme::Dark => ("#ffffff", "#000000aa"),
            OverlayTheme::Light => ("#111111", "#ffffffdd"),
            OverlayTheme::Custom => (settings.text_color.as_str(), settings.row_color.as_str()),
        };
        Look {
            font_size: settings.font_size,
            text_color: text.to_owned(),
            row_color: row.to_owned(),
            badges: settings.badges,
            fade_seconds: settings.fade_seconds,
            max_lines: settings.max_lines,
        }
    }
}

/// Characters of a message the page gets at most: the platforms' own limits are 500, and a
/// screen of chat has no room for more.
pub const MAX_PAGE_CHARS: usize = 1_000;

/// One message as the page shows it: text only, with the author's picture as a `data:` URL the
/// studio fetched (the page makes no request of its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageComment {
    pub id: String,
    pub platform: Platform,
    pub platform_name: &'static str,
    pub author: String,
    pub message: String,
    pub avatar: Option<String>,
    /// When it was said, in the service's milliseconds since the epoch (kept on the row, where
    /// the figures read sender→screen latency).
    #[serde(rename = "saidAt")]
    pub said_at: i64,
    /// How long it has shown already (a page that connects again gets the lines still fading
    /// with this, so each fades when it would have).
    #[serde(rename = "shownMs")]
    pub shown_ms: u64,
}

impl PageComment {
    /// `comment` for the page, on screen for `shown` already; `avatar` is kept only if it is a
    /// `data:` image.
    pub fn new(comment: &Comment, avatar: Option<String>, shown: Duration) -> Self {
        PageComment {
            id: comment.id.clone(),
            platform: comment.platform,
            platform_name: comment.platform.display_name(),
            author: comment.author.clone(),
            message: shortened(&comment.message),
            avatar: avatar.filter(|a| a.starts_with("data:image/")),
            said_at: comment.timestamp,
            shown_ms: u64::try_from(shown.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// `message` cut to [`MAX_PAGE_CHARS`] characters, with an ellipsis where it was cut.
fn shortened(message: &str) -> String {
    match message.char_indices().nth(MAX_PAGE_CHARS) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_message_is_cut_at_a_character_with_an_ellipsis() {
        assert_eq!(shortened("short"), "short");
        let exact = "é".repeat(MAX_PAGE_CHARS);
        assert_eq!(shortened(&exact), exact);
        let long = "é".repeat(MAX_PAGE_CHARS + 1);
        assert_eq!(shortened(&long), format!("{}…", "é".repeat(MAX_PAGE_CHARS)));
    }

    #[test]
    fn the_theme_picks_the_colours_and_only_custom_uses_the_streamers() {
        let mine = OverlaySettings {
            text_color: "#123456".into(),
            row_color: "#abcdef80".into(),
            ..OverlaySettings::default()
        };
        assert_eq!(Look::from(&mine).text_color, "#ffffff");
        let light = Look::from(&OverlaySettings {
            theme: OverlayTheme::Light,
            ..mine.clone()
        });
        assert_eq!(
            (light.text_color.as_str(), light.row_color.as_str()),
            ("#111111", "#ffffffdd")
        );
        let custom = Look::from(&OverlaySettings {
            theme: OverlayTheme::Custom,
            ..mine
        });
        assert_eq!(
            (custom.text_color.as_str(), custom.row_color.as_str()),
            ("#123456", "#abcdef80")
        );
    }

    #[test]
    fn only_data_images_reach_the_page_as_avatars() {
        let comment = Comment {
            id: "c".into(),
            platform: Platform::Youtube,
            author: "a".into(),
            author_id: None,
            author_avatar: Some("https://example.com/a.png".into()),
            message: "m".into(),
            timestamp: 0,
            own: false,
        };
        assert_eq!(
            PageComment::new(&comment, Some("data:image/png;base64,AA".into()), Duration::ZERO)
                .avatar
                .as_deref(),
            Some("data:image/png;base64,AA")
        );
        assert_eq!(
            PageComment::new(&comment, Some("https://example.com/a.png".into()), Duration::ZERO).avatar,
            None
        );
        assert_eq!(
            PageComment::new(&comment, Some("data:text/html,<script>".into()), Duration::ZERO).avatar,
            None
        );
        assert_eq!(
            PageComment::new(&comment, None, Duration::ZERO).platform_name,
            "YouTube"
        );
    }
}
