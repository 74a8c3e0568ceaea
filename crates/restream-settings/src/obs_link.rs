//! The OBS link's settings: whether the studio links to OBS, where obs-websocket listens, and the
//! two automatic rules (go live everywhere when OBS starts streaming; stop when it stops), both
//! off until the streamer turns them on. Kept in `obs.json` in the app's config folder, read over
//! the defaults like the preferences; the password is a secret and lives in the keychain
//! ([`OBS_PASSWORD_SECRET`]), never in this file.

use serde::{Deserialize, Serialize};

const OBS_FILE: &str = "obs.json";

/// The keychain entry of obs-websocket's password.
pub const OBS_PASSWORD_SECRET: &str = "obs-websocket-password";

/// obs-websocket's default port.
pub const DEFAULT_PORT: u16 = 4455;

/// The longest host name DNS allows.
const MAX_HOST_CHARS: usize = 253;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ObsLinkSettings {
    /// Link to OBS at all.
    pub enabled: bool,
    /// Where obs-websocket listens: OBS on this computer by default.
    pub host: String,
    /// obs-websocket's port (OBS: Tools → WebSocket Server Settings).
    pub port: u16,
    /// Go live on the armed destinations when OBS starts streaming.
    pub go_live_when_obs_starts: bool,
    /// Stop the stream when OBS stops (for sessions the service's ingest does not end by itself).
    pub stop_when_obs_stops: bool,
    /// After OBS starts streaming, how long to wait for the service to see the ingest's session.
    pub session_wait_seconds: u16,
    /// How long OBS must stay stopped before a stream not from the ingest is stopped.
    pub stop_grace_seconds: u16,
}

/// The longest wait for the ingest's session, and for OBS to come back before stopping.
pub const MAX_WAIT_SECONDS: u16 = 600;

impl Default for ObsLinkSettings {
    fn default() -> Self {
        ObsLinkSettings {
            enabled: false,
            host: "127.0.0.1".to_owned(),
            port: DEFAULT_PORT,
            go_live_when_obs_starts: false,
            stop_when_obs_stops: false,
            session_wait_seconds: 30,
            stop_grace_seconds: 10,
        }
    }
}

impl ObsLinkSettings {
    /// Whether these can be saved; otherwise which field is wrong and how to fix it.
    pub fn check(&self) -> Result<(), String> {
        let host = self.host.trim();
        if host.is_empty() {
            return Err("OBS host: enter where OBS runs, e.g. 127.0.0.1 for this computer".to_owned());
        }
        if host.chars().count() > MAX_HOST_CHARS
            || host.contains("://")
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        {
            return Err(
                "OBS host: a host name or IP address alone, with no scheme, port or path (e.g. 127.0.0.1)"
                    .to_owned(),
            );
        }
        if self.port == 0 {
            return Err(format!(
                "OBS port: a number from 1 to 65535 (OBS's default is {DEFAULT_PORT})"
            ));
        }
        if !(1..=MAX_WAIT_SECONDS).contains(&self.session_wait_seconds) {
            return Err(format!(
                "Wait for the ingest's session: 1 to {MAX_WAIT_SECONDS} seconds (30 suits most encoders)"
            ));
        }
        if self.stop_grace_seconds > MAX_WAIT_SECONDS {
            return Err(format!(
                "Stop after OBS stays stopped for: 0 to {MAX_WAIT_SECONDS} seconds (10 by default)"
            ));
        }
        Ok(())
    }
}

/// The OBS link's settings in force, and where they are saved.
pub type ObsLinkState = crate::saved::Saved<ObsLinkSettings>;

impl crate::saved::SavedSettings for ObsLinkSettings {
    const FILE: &'static str = OBS_FILE;

    fn check(&self) -> Result<(), String> {
        ObsLinkSettings::check(self)
    }
}

/// Reads `obs.json`'s text over the defaults; settings that break [`ObsLinkSettings::check`]
/// (a hand-edited file) count as unreadable.
pub fn parse(text: &str) -> Result<ObsLinkSettings, String> {
    crate::saved::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_by_default_on_this_computer_at_obs_port() {
        let settings = ObsLinkSettings::default();
        assert!(!settings.enabled && !settings.go_live_when_obs_starts && !settings.stop_when_obs_stops);
        assert_eq!((settings.host.as_str(), settings.port), ("127.0.0.1", 4455));
        assert!(settings.check().is_ok());
    }

    #[test]
    fn a_file_from_an_older_version_keeps_its_choices_and_gains_the_defaults() {
        let settings = parse(r#"{"enabled": true, "port": 4460}"#).unwrap();
        assert!(settings.enabled);
        assert_eq!(settings.port, 4460);
        assert_eq!(settings.host, "127.0.0.1");
        assert!(!settings.go_live_when_obs_starts);
    }

    #[test]
    fn hosts_are_names_or_addresses_alone() {
        let with = |host: &str| ObsLinkSettings {
            host: host.to_owned(),
            ..ObsLinkSettings::default()
        };
        for good in [
            "127.0.0.1",
            "localhost",
            "obs-pc.local",
            "::1",
            "[::1]",
            "192.168.1.20",
        ] {
            assert!(with(good).check().is_ok(), "{good}");
        }
        for bad in [
            "",
            "  ",
            "ws://127.0.0.1",
            "127.0.0.1/obs",
            "obs pc",
            "<script>",
            &"a".repeat(254),
        ] {
            let error = with(bad).check().unwrap_err();
            assert!(error.starts_with("OBS host:"), "{bad}: {error}");
        }
        let zero = ObsLinkSettings {
            port: 0,
            ..ObsLinkSettings::default()
        };
        assert!(zero.check().unwrap_err().starts_with("OBS port:"));
        assert!(parse(r#"{"port": 70000}"#).is_err(), "not a port");
        assert!(parse(r#"{"host": "ws://x"}"#).is_err());
    }

    #[test]
    fn the_waits_have_bounds_that_name_the_field() {
        let with = |wait: u16, grace: u16| ObsLinkSettings {
            session_wait_seconds: wait,
            stop_grace_seconds: grace,
            ..ObsLinkSettings::default()
        };
        assert!(with(1, 0).check().is_ok());
        assert!(with(MAX_WAIT_SECONDS, MAX_WAIT_SECONDS).check().is_ok());
        assert!(
            with(0, 10)
                .check()
                .unwrap_err()
                .starts_with("Wait for the ingest's session:")
        );
        assert!(with(MAX_WAIT_SECONDS + 1, 10).check().is_err());
        assert!(
            with(30, MAX_WAIT_SECONDS + 1)
                .check()
                .unwrap_err()
                .starts_with("Stop after")
        );
        assert_eq!(parse("{}").unwrap().stop_grace_seconds, 10);
    }

    #[test]
    fn saved_settings_are_read_back_and_bad_ones_are_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let state = ObsLinkState::load(Some(dir.path().to_owned()));
        let mine = ObsLinkSettings {
            enabled: true,
            port: 4456,
            go_live_when_obs_starts: true,
            ..ObsLinkSettings::default()
        };
        state.save(mine.clone()).unwrap();
        assert_eq!(ObsLinkState::load(Some(dir.path().to_owned())).get(), mine);
        let bad = ObsLinkSettings {
            host: "ws://nope".to_owned(),
            ..mine.clone()
        };
        assert!(state.save(bad).is_err());
        assert_eq!(state.get(), mine, "a refused save changes nothing");
        assert!(
            !std::fs::read_to_string(dir.path().join(OBS_FILE))
                .unwrap()
                .contains("password")
        );
    }
}
