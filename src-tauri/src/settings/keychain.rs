//! Secrets in the OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), behind a start-up self-test. Where no keychain works, secrets are kept for this session
//! only, and the window says so: never in plain text on disk.

use std::sync::Arc;

use restream_client::{MemorySecretStore, SecretStore, SecretStoreError};
use restream_settings::service_config::ServiceChoice;
use restream_settings::settings_file::{SettingsDraft, SettingsMode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::long_secrets::{self, LongSecrets};

/// Where the studio keeps secrets, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum SecretStorage {
    /// The OS keychain works.
    Keychain,
    /// No keychain: secrets last until the app quits.
    SessionOnly { reason: String },
}

/// The keychain's entries for this app, under its identifier.
pub struct Keychain {
    service: String,
}

impl Keychain {
    fn entry(&self, name: &str) -> Result<keyring::Entry, SecretStoreError> {
        keyring::Entry::new(&self.service, name).map_err(describe)
    }
}

fn describe(error: keyring::Error) -> SecretStoreError {
    SecretStoreError(format!("the keychain refused: {error}"))
}

impl SecretStore for Keychain {
    fn load(&self, name: &str) -> Result<Option<SecretString>, SecretStoreError> {
        match self.entry(name)?.get_password() {
            Ok(secret) => Ok(Some(SecretString::from(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(describe(e)),
        }
    }

    fn save(&self, name: &str, secret: &SecretString) -> Result<(), SecretStoreError> {
        self.entry(name)?
            .set_password(secret.expose_secret())
            .map_err(describe)
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe(e)),
        }
    }
}

/// Writes, reads back and deletes a probe as long as the longest entry the studio writes (a long
/// secret is kept in parts of that length, see `long_secrets`), so a keychain that takes short
/// secrets only fails here rather than at sign-in. Blocking (D-Bus on Linux): call it off the
/// async runtime.
fn self_test(keychain: &Keychain) -> Result<(), String> {
    let probe = probe_text(std::process::id(), long_secrets::PART_CHARS);
    keychain.save("self-test", &probe).map_err(|e| e.0)?;
    let read = keychain.load("self-test").map_err(|e| e.0)?;
    keychain.delete("self-test").map_err(|e| e.0)?;
    match read {
        Some(value) if value.expose_secret() == probe.expose_secret() => Ok(()),
        _ => Err("the keychain did not give back what was stored".to_owned()),
    }
}

/// `chars` characters of probe, naming the process that wrote it.
fn probe_text(pid: u32, chars: usize) -> SecretString {
    let mut text = format!("probe-{pid}-");
    let fill = chars.saturating_sub(text.len());
    text.extend(std::iter::repeat_n('x', fill));
    SecretString::from(text)
}

/// The keychain if it passes the self-test, else memory for this session, and which it is.
pub fn choose(service: &str) -> (Arc<dyn SecretStore>, SecretStorage) {
    let keychain = Keychain {
        service: service.to_owned(),
    };
    match self_test(&keychain) {
        Ok(()) => (Arc::new(LongSecrets::new(keychain)), SecretStorage::Keychain),
        Err(why) => {
            tracing::warn!(%why, "no usable keychain; secrets are kept for this session only");
            (
                Arc::new(MemorySecretStore::default()),
                SecretStorage::SessionOnly {
                    reason: format!(
                        "No keychain is available ({why}). Your sign-in lasts until you quit; \
                         unlock or install your system's keyring to keep it."
                    ),
                },
            )
        }
    }
}

/// The saved settings' `choice`, with why a publishable key is missing when the likely cause is
/// that no keychain kept it from an earlier run.
pub fn explain_lost_key(
    choice: ServiceChoice,
    storage: &SecretStorage,
    saved: &SettingsDraft,
) -> ServiceChoice {
    match choice {
        ServiceChoice::Invalid { cause, fix }
            if matches!(storage, SecretStorage::SessionOnly { .. })
                && saved.mode == SettingsMode::PublishableKey
                && saved.publishable_key.is_empty() =>
        {
            ServiceChoice::Invalid {
                cause,
                fix: format!(
                    "{fix} No keychain is available, so a key saved here lasts only until you quit; \
                     unlock or install your system's keyring to keep it."
                ),
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_is_as_long_as_the_longest_entry() {
        let probe = probe_text(4242, long_secrets::PART_CHARS);
        assert_eq!(
            probe.expose_secret().encode_utf16().count(),
            long_secrets::PART_CHARS
        );
        assert!(probe.expose_secret().starts_with("probe-4242-"));
    }

    #[test]
    fn a_key_lost_for_want_of_a_keychain_says_so() {
        let saved = SettingsDraft {
            mode: SettingsMode::PublishableKey,
            ..SettingsDraft::default()
        };
        let invalid = || ServiceChoice::Invalid {
            cause: "No publishable key".into(),
            fix: "Enter it.".into(),
        };
        let session_only = SecretStorage::SessionOnly {
            reason: "none".into(),
        };
        let fix = |choice| match choice {
            ServiceChoice::Invalid { fix, .. } => fix,
            other => panic!("{other:?}"),
        };
        assert!(
            fix(explain_lost_key(invalid(), &session_only, &saved)).contains("lasts only until you quit")
        );
        assert_eq!(
            fix(explain_lost_key(invalid(), &SecretStorage::Keychain, &saved)),
            "Enter it."
        );
        let token = SettingsDraft {
            mode: SettingsMode::Token,
            ..SettingsDraft::default()
        };
        assert_eq!(
            fix(explain_lost_key(invalid(), &session_only, &token)),
            "Enter it."
        );
    }
}
