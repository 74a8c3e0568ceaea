//! Random strings for the ids, keys, tokens and codes the sandbox hands out. A file of its own so
//! that the store (which mints tokens) and the demo seed (which makes keys and reads the clock from
//! the store) can both use it without reaching into each other.

use rand::Rng;
use rand::distr::Alphanumeric;

/// `len` characters of `[A-Za-z0-9]` from the OS-seeded generator (~5.95 bits each).
pub fn random_token(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
