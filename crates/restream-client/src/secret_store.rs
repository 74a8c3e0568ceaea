//! Where long-lived secrets (the operator refresh token) are kept. The app implements this with the
//! OS keychain; tests and headless tools use [`MemorySecretStore`].

use std::collections::HashMap;
use std::sync::Mutex;

use secrecy::SecretString;

/// A failure of the secret store, in words for the streamer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SecretStoreError(pub String);

/// Keeps secrets by name. Implementations must never write them anywhere in plain text.
pub trait SecretStore: Send + Sync {
    /// The secret kept under `name`, or `None` if there is none.
    fn load(&self, name: &str) -> Result<Option<SecretString>, SecretStoreError>;
    /// Keeps `secret` under `name`, replacing any earlier one.
    fn save(&self, name: &str, secret: &SecretString) -> Result<(), SecretStoreError>;
    /// Forgets the secret under `name`; not an error if there is none.
    fn delete(&self, name: &str) -> Result<(), SecretStoreError>;
}

/// Secrets for this process's lifetime only.
#[derive(Default)]
pub struct MemorySecretStore {
    secrets: Mutex<HashMap<String, SecretString>>,
}

impl MemorySecretStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, SecretString>> {
        self.secrets.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemorySecretStore {
    fn load(&self, name: &str) -> Result<Option<SecretString>, SecretStoreError> {
        Ok(self.lock().get(name).cloned())
    }

    fn save(&self, name: &str, secret: &SecretString) -> Result<(), SecretStoreError> {
        self.lock().insert(name.to_owned(), secret.clone());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        self.lock().remove(name);
        Ok(())
    }
}

impl std::fmt::Debug for MemorySecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MemorySecretStore({} secrets, [redacted])", self.lock().len())
    }
}
