use std::collections::BTreeMap;
use std::sync::Mutex;

use super::*;

/// A keychain like Windows' Credential Manager: it refuses an entry longer than `limit` UTF-16
/// units (at least a header's length: `HELD`), and (when `writes_left` is set) fails every write after that many, like a keychain
/// that goes away half-way through a save.
struct SmallEntries {
    limit: usize,
    entries: Mutex<BTreeMap<String, String>>,
    writes_left: Mutex<Option<usize>>,
}

impl SmallEntries {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            entries: Mutex::default(),
            writes_left: Mutex::default(),
        }
    }

    fn names(&self) -> Vec<String> {
        self.entries.lock().unwrap().keys().cloned().collect()
    }

    fn fail_after(&self, writes: usize) {
        *self.writes_left.lock().unwrap() = Some(writes);
    }

    fn write(&self) -> Result<(), SecretStoreError> {
        match &mut *self.writes_left.lock().unwrap() {
            Some(0) => Err(SecretStoreError("the keychain went away".into())),
            Some(n) => {
                *n -= 1;
                Ok(())
            }
            None => Ok(()),
        }
    }
}

/// The long-secret store borrows the test's keychain, so the test can look inside it.
impl SecretStore for &SmallEntries {
    fn load(&self, name: &str) -> Result<Option<SecretString>, SecretStoreError> {
        (**self).load(name)
    }

    fn save(&self, name: &str, secret: &SecretString) -> Result<(), SecretStoreError> {
        (**self).save(name, secret)
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        (**self).delete(name)
    }
}

impl SecretStore for SmallEntries {
    fn load(&self, name: &str) -> Result<Option<SecretString>, SecretStoreError> {
        Ok(self
            .entries
            .lock()
            .unwrap()
            .get(name)
            .cloned()
            .map(SecretString::from))
    }

    fn save(&self, name: &str, secret: &SecretString) -> Result<(), SecretStoreError> {
        let text = secret.expose_secret();
        if text.encode_utf16().count() > self.limit {
            return Err(SecretStoreError(format!("{name} is too long for an entry")));
        }
        self.write()?;
        self.entries
            .lock()
            .unwrap()
            .insert(name.to_owned(), text.to_owned());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        self.write()?;
        self.entries.lock().unwrap().remove(name);
        Ok(())
    }
}

/// Entries of the small test keychains: a header fits, as it does in 1,280 units.
const HELD: usize = 64;

fn secret(text: &str) -> SecretString {
    SecretString::from(text.to_owned())
}

fn loaded(store: &impl SecretStore, name: &str) -> Option<String> {
    store.load(name).unwrap().map(|s| s.expose_secret().to_owned())
}

#[test]
fn a_secret_longer_than_an_entry_is_kept_whole() {
    let keychain = SmallEntries::new(1_280);
    let store = LongSecrets::new(&keychain);
    // A refresh token three times what Windows holds in one entry.
    let token = "eyJ".repeat(1_300);
    store.save("refresh", &secret(&token)).unwrap();
    assert_eq!(loaded(&store, "refresh").as_deref(), Some(token.as_str()));
    assert_eq!(keychain.names().len(), 1 + 4, "{:?}", keychain.names());
    // Straight to the small keychain, the same token is refused: what the parts are for.
    assert!(keychain.save("direct", &secret(&token)).is_err());
}

#[test]
fn a_short_secret_is_one_entry_as_before() {
    let keychain = SmallEntries::new(1_280);
    let store = LongSecrets::new(&keychain);
    store.save("key", &secret("pk_live_123")).unwrap();
    assert_eq!(keychain.names(), ["key"]);
    assert_eq!(loaded(&keychain, "key").as_deref(), Some("pk_live_123"));
    assert_eq!(loaded(&store, "key").as_deref(), Some("pk_live_123"));
}

#[test]
fn parts_are_cut_between_characters_and_counted_in_utf16() {
    let keychain = SmallEntries::new(HELD);
    let store = LongSecrets::with_part_chars(&keychain, 5);
    // Each 😀 is two UTF-16 units: five units hold two of them and one letter.
    let text = "😀😀a😀😀b😀";
    store.save("emoji", &secret(text)).unwrap();
    assert_eq!(loaded(&store, "emoji").as_deref(), Some(text));
    assert_eq!(split_utf16(text, 5), ["😀😀a", "😀😀b", "😀"]);
    assert_eq!(split_utf16("abcde", 5), ["abcde"]);
    assert_eq!(split_utf16("abcdef", 5), ["abcde", "f"]);
}

#[test]
fn replacing_and_deleting_leave_no_part_behind() {
    let keychain = SmallEntries::new(HELD);
    let store = LongSecrets::with_part_chars(&keychain, 10);
    store.save("t", &secret(&"a".repeat(35))).unwrap();
    store.save("t", &secret(&"b".repeat(25))).unwrap();
    assert_eq!(loaded(&store, "t"), Some("b".repeat(25)));
    assert_eq!(keychain.names().len(), 1 + 3, "{:?}", keychain.names());
    store.save("t", &secret("short")).unwrap();
    assert_eq!(keychain.names(), ["t"]);
    store.save("t", &secret(&"c".repeat(11))).unwrap();
    store.delete("t").unwrap();
    assert!(keychain.names().is_empty(), "{:?}", keychain.names());
    assert_eq!(loaded(&store, "t"), None);
}

#[test]
fn a_save_cut_off_half_way_leaves_the_old_secret_whole() {
    let keychain = SmallEntries::new(HELD);
    let store = LongSecrets::with_part_chars(&keychain, 10);
    let old = "o".repeat(25);
    store.save("t", &secret(&old)).unwrap();
    for writes in 0..4 {
        keychain.fail_after(writes);
        assert!(store.save("t", &secret(&"n".repeat(35))).is_err());
        *keychain.writes_left.lock().unwrap() = None;
        assert_eq!(
            loaded(&store, "t"),
            Some(old.clone()),
            "cut after {writes} writes"
        );
    }
}

#[test]
fn a_secret_that_looks_like_a_header_is_not_taken_for_one() {
    let keychain = SmallEntries::new(1_280);
    let store = LongSecrets::new(&keychain);
    let tricky = format!("{HEADER}0 3");
    store.save("odd", &secret(&tricky)).unwrap();
    assert_eq!(loaded(&store, "odd"), Some(tricky));
}

#[test]
fn a_missing_part_is_an_error_that_says_to_sign_in_again() {
    let keychain = SmallEntries::new(HELD);
    let store = LongSecrets::with_part_chars(&keychain, 10);
    store.save("t", &secret(&"x".repeat(25))).unwrap();
    let part = keychain.names().into_iter().find(|n| n.ends_with(".1")).unwrap();
    keychain.entries.lock().unwrap().remove(&part);
    let error = store.load("t").unwrap_err().0;
    assert!(
        error.contains("part 2 of 3") && error.contains("sign in again"),
        "{error}"
    );
}

#[test]
fn a_secret_longer_than_the_studio_keeps_is_refused() {
    let keychain = SmallEntries::new(1_280);
    let store = LongSecrets::new(&keychain);
    assert!(store.save("t", &secret(&"x".repeat(LONGEST_SECRET))).is_ok());
    let error = store
        .save("t", &secret(&"x".repeat(LONGEST_SECRET + 1)))
        .unwrap_err()
        .0;
    assert!(error.contains("longer than"), "{error}");
}
