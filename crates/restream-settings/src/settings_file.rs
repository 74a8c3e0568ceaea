//! The service settings a streamer chooses in the window, kept between runs: the non-secret ones
//! in `settings.json` in the app's config folder, the publishable key in the OS keychain. They are
//! read as the same names as the environment variables, so one set of rules (`service_config`)
//! judges both, and the environment, when set, wins.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use restream_client::SecretStore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::service_config::{
    ENV_API_BASE, ENV_OPERATOR_CLIENT_ID, ENV_OPERATOR_URL, ENV_ORIGIN, ENV_PUBLISHABLE_KEY, ENV_USER_ID,
};

/// The keychain entry of the saved publishable key.
pub const PUBLISHABLE_KEY_SECRET: &str = "publishable-key";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SettingsMode {
    /// The bundled sandbox.
    #[default]
    Demo,
    /// An operator's service with a publishable key and user id (trusted setups).
    PublishableKey,
    /// An operator's service, signing in with the operator.
    Token,
}

/// What the settings form holds. `publishable_key` travels only from the window to Rust: it is
/// never sent back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct SettingsDraft {
    pub mode: SettingsMode,
    pub api_base: String,
    pub user_id: String,
    pub origin: String,
    pub publishable_key: String,
    pub operator_client_id: String,
    pub operator_url: String,
}

impl SettingsDraft {
    /// The draft as the environment variables it stands for (demo mode: none).
    pub fn vars(&self) -> HashMap<String, String> {
        let mut vars = HashMap::new();
        let mut put = |name: &str, value: &str| {
            if !value.trim().is_empty() {
                vars.insert(name.to_owned(), value.trim().to_owned());
            }
        };
        match self.mode {
            SettingsMode::Demo => {}
            SettingsMode::PublishableKey => {
                put(ENV_API_BASE, &self.api_base);
                put(ENV_PUBLISHABLE_KEY, &self.publishable_key);
                put(ENV_USER_ID, &self.user_id);
                put(ENV_ORIGIN, &self.origin);
            }
            SettingsMode::Token => {
                put(ENV_API_BASE, &self.api_base);
                put(ENV_OPERATOR_CLIENT_ID, &self.operator_client_id);
                put(ENV_OPERATOR_URL, &self.operator_url);
            }
        }
        vars
    }
}

const SETTINGS_FILE: &str = "settings.json";

fn file(config_dir: &Path) -> PathBuf {
    config_dir.join(SETTINGS_FILE)
}

/// Reads `settings.json`'s text. The file is anyone's to edit, so this is the parser the fuzz
/// targets drive; [`load`] only adds the disk and the keychain around it.
pub fn parse(text: &str) -> Result<SettingsDraft, serde_json::Error> {
    serde_json::from_str(text)
}

/// The saved settings (key from the keychain), or `None` before the first save.
pub fn load(config_dir: &Path, secrets: &dyn SecretStore) -> Option<SettingsDraft> {
    let text = std::fs::read_to_string(file(config_dir)).ok()?;
    let mut draft = match parse(&text) {
        Ok(draft) => draft,
        Err(e) => {
            tracing::warn!(error = %e, "settings.json is unreadable; using defaults");
            return None;
        }
    };
    if draft.mode == SettingsMode::PublishableKey
        && let Ok(Some(key)) = secrets.load(PUBLISHABLE_KEY_SECRET)
    {
        draft.publishable_key = key.expose_secret().to_owned();
    }
    Some(draft)
}

/// Saves `draft`: the key to the keychain (or removes it), the rest to `settings.json`, written
/// whole.
pub fn save(config_dir: &Path, secrets: &dyn SecretStore, draft: &SettingsDraft) -> Result<(), String> {
    if draft.mode == SettingsMode::PublishableKey {
        secrets
            .save(
                PUBLISHABLE_KEY_SECRET,
                &SecretString::from(draft.publishable_key.trim().to_owned()),
            )
            .map_err(|e| e.0)?;
    } else {
        secrets.delete(PUBLISHABLE_KEY_SECRET).map_err(|e| e.0)?;
    }
    let on_disk = SettingsDraft {
        publishable_key: String::new(),
        ..draft.clone()
    };
    let text = serde_json::to_string_pretty(&on_disk).map_err(|e| e.to_string())?;
    crate::config_file::write_atomically(config_dir, SETTINGS_FILE, &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use restream_client::MemorySecretStore;

    #[test]
    fn the_key_goes_to_the_keychain_and_never_to_disk() {
        let dir = std::env::temp_dir().join(format!("settings-test-{}", std::process::id()));
        let secrets = MemorySecretStore::default();
        let draft = SettingsDraft {
            mode: SettingsMode::PublishableKey,
            api_base: "https://api.example.com".into(),
            user_id: "streamer".into(),
            publishable_key: "pk_canary_should_not_be_on_disk".into(),
            ..SettingsDraft::default()
        };
        save(&dir, &secrets, &draft).unwrap();
        let text = std::fs::read_to_string(dir.join("settings.json")).unwrap();
        assert!(!text.contains("canary"), "{text}");
        assert_eq!(load(&dir, &secrets), Some(draft));
        let demo = SettingsDraft::default();
        save(&dir, &secrets, &demo).unwrap();
        assert!(
            secrets.load(PUBLISHABLE_KEY_SECRET).unwrap().is_none(),
            "the key is wiped"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn parsing_fills_what_the_file_leaves_out_and_refuses_what_is_not_settings() {
        let draft = parse(r#"{"mode":"token","apiBase":"https://api.example.com"}"#).unwrap();
        assert_eq!(draft.mode, SettingsMode::Token);
        assert_eq!(draft.api_base, "https://api.example.com");
        assert_eq!(draft.operator_client_id, "");
        assert_eq!(parse("{}").unwrap(), SettingsDraft::default());
        assert!(parse(r#"{"mode":"other"}"#).is_err());
        assert!(parse("42").is_err());
        assert!(parse("").is_err());
    }
}
