//! The secret in the overlay's address: what keeps other programs and web pages on this computer
//! from reading the streamer's chat feed or guessing where it is. Rotating it ends every page
//! opened with the old one.

use std::sync::RwLock;

use tokio::sync::watch;

/// The address's secret and its generation. Never printed: it has no `Debug`.
pub struct AddressSecret {
    current: RwLock<String>,
    generation: watch::Sender<()>,
}

impl AddressSecret {
    pub fn new(secret: String) -> Self {
        AddressSecret {
            current: RwLock::new(secret),
            generation: watch::Sender::new(()),
        }
    }

    /// Whether `candidate` is the secret, in time that does not depend on where they differ.
    pub fn matches(&self, candidate: &str) -> bool {
        let current = self.current.read().unwrap_or_else(|p| p.into_inner());
        !current.is_empty() && restream_client::same_secret(&current, candidate)
    }

    /// The secret, for the address the streamer copies into OBS.
    pub fn expose(&self) -> String {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// A new secret; pages opened with the old one are ended.
    pub fn replace(&self, secret: String) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = secret;
        self.end_pages();
    }

    /// Ends every page's feed (they reconnect by themselves, with whatever secret they have).
    pub fn end_pages(&self) {
        self.generation.send_replace(());
    }

    /// Changes whenever pages must be ended.
    pub fn watch(&self) -> watch::Receiver<()> {
        self.generation.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_whole_secret_matches() {
        let secret = AddressSecret::new("abcdef".into());
        assert!(secret.matches("abcdef"));
        for wrong in ["abcdeg", "abcde", "abcdefg", "", "ABCDEF"] {
            assert!(!secret.matches(wrong), "{wrong}");
        }
        assert!(
            !AddressSecret::new(String::new()).matches(""),
            "no secret matches nothing"
        );
        assert_eq!(secret.expose(), "abcdef");
        secret.replace("new".into());
        assert!(!secret.matches("abcdef") && secret.matches("new"));
        assert_eq!(secret.expose(), "new");
    }

    #[test]
    fn a_new_secret_ends_the_pages_of_the_old_one() {
        let secret = AddressSecret::new("a".into());
        let pages = secret.watch();
        assert!(!pages.has_changed().unwrap());
        secret.replace("b".into());
        assert!(pages.has_changed().unwrap());
    }
}
