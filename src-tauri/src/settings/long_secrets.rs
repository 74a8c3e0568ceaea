//! Secrets longer than a keychain entry holds, kept across several entries. Windows' Credential
//! Manager holds at most 2,560 bytes per secret (1,280 UTF-16 characters), and an operator's
//! refresh token may be longer, so a long secret is split into parts of at most `PART_CHARS` and
//! its own entry holds a header naming them. The same on every OS, so Linux's tests and CI run
//! the code Windows needs.
//!
//! A save writes the new parts under a new generation before the header that points at them, and
//! removes the old parts only after: a save cut off half-way leaves the old secret whole.

use restream_client::{SecretStore, SecretStoreError};
use secrecy::{ExposeSecret, SecretString};

/// UTF-16 units per entry at most: Windows' 1,280, less a margin.
pub const PART_CHARS: usize = 1_200;
/// The longest secret kept: a JWT refresh token is a few KiB; nothing the studio keeps comes
/// near. (The keychain's self-test writes one entry of `PART_CHARS`, the longest entry written.)
pub const LONGEST_SECRET: usize = 16 * 1024;
/// Starts a header (printable: a keychain may keep a secret as a C string). A secret that starts
/// with it anyway is kept in parts too, so a header is never mistaken for a secret or the reverse.
const HEADER: &str = "restream-studio:parts:";

/// A keychain whose entries hold at most `part_chars` UTF-16 units each.
pub struct LongSecrets<S> {
    inner: S,
    part_chars: usize,
    /// One save or delete at a time: two saves of one name would both pick the next generation
    /// and could mix their parts.
    writing: std::sync::Mutex<()>,
}

impl<S: SecretStore> LongSecrets<S> {
    pub fn new(inner: S) -> Self {
        Self::with_part_chars(inner, PART_CHARS)
    }

    pub fn with_part_chars(inner: S, part_chars: usize) -> Self {
        Self {
            inner,
            part_chars,
            writing: std::sync::Mutex::new(()),
        }
    }

    /// The header under `name`, if that entry is one: (generation, parts).
    fn header(&self, name: &str) -> Result<Option<(u64, usize)>, SecretStoreError> {
        Ok(self
            .inner
            .load(name)?
            .and_then(|head| parse_header(head.expose_secret())))
    }

    fn delete_parts(&self, name: &str, generation: u64, parts: usize) -> Result<(), SecretStoreError> {
        for index in 0..parts {
            self.inner.delete(&part_name(name, generation, index))?;
        }
        Ok(())
    }
}

fn part_name(name: &str, generation: u64, index: usize) -> String {
    format!("{name}.part{generation}.{index}")
}

fn parse_header(text: &str) -> Option<(u64, usize)> {
    let (generation, parts) = text.strip_prefix(HEADER)?.split_once(' ')?;
    Some((generation.parse().ok()?, parts.parse().ok()?))
}

/// `text` cut into pieces of at most `limit` UTF-16 units, never inside a character.
fn split_utf16(text: &str, limit: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let (mut start, mut units) = (0, 0);
    for (at, c) in text.char_indices() {
        if units + c.len_utf16() > limit {
            pieces.push(&text[start..at]);
            (start, units) = (at, 0);
        }
        units += c.len_utf16();
    }
    pieces.push(&text[start..]);
    pieces
}

impl<S: SecretStore> SecretStore for LongSecrets<S> {
    fn load(&self, name: &str) -> Result<Option<SecretString>, SecretStoreError> {
        let Some(head) = self.inner.load(name)? else {
            return Ok(None);
        };
        let Some((generation, parts)) = parse_header(head.expose_secret()) else {
            return Ok(Some(head));
        };
        let mut whole = String::new();
        for index in 0..parts {
            let part = self.inner.load(&part_name(name, generation, index))?.ok_or_else(|| {
                SecretStoreError(format!(
                    "part {} of {parts} of the secret \"{name}\" is missing from the keychain: sign in again",
                    index + 1
                ))
            })?;
            whole.push_str(part.expose_secret());
        }
        Ok(Some(SecretString::from(whole)))
    }

    fn save(&self, name: &str, secret: &SecretString) -> Result<(), SecretStoreError> {
        let _writing = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let text = secret.expose_secret();
        if text.len() > LONGEST_SECRET {
            return Err(SecretStoreError(format!(
                "a secret of {} bytes is longer than the {LONGEST_SECRET} the studio keeps",
                text.len()
            )));
        }
        let old = self.header(name)?;
        let fits = text.encode_utf16().count() <= self.part_chars && !text.starts_with(HEADER);
        if fits {
            self.inner.save(name, secret)?;
        } else {
            let generation = old.map_or(0, |(g, _)| g.wrapping_add(1));
            let pieces = split_utf16(text, self.part_chars);
            for (index, piece) in pieces.iter().enumerate() {
                let part = SecretString::from(piece.to_string());
                self.inner.save(&part_name(name, generation, index), &part)?;
            }
            let header = SecretString::from(format!("{HEADER}{generation} {}", pieces.len()));
            self.inner.save(name, &header)?;
        }
        // A save cut off here leaves the old parts behind, unread: a few stray entries, no harm.
        if let Some((generation, parts)) = old {
            self.delete_parts(name, generation, parts)?;
        }
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretStoreError> {
        let _writing = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let old = self.header(name)?;
        self.inner.delete(name)?;
        if let Some((generation, parts)) = old {
            self.delete_parts(name, generation, parts)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "long_secrets_tests.rs"]
mod tests;
