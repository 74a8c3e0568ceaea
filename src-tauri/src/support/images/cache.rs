//! What the fetcher remembers: images until evicted, failures for a minute, within bounds on
//! entries and bytes.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::policy::ImagePurpose;

/// Bounds on what is remembered: every chat author's avatar is asked for again and again.
const CACHE_ENTRIES: usize = 512;
const CACHE_BYTES: usize = 16 * 1024 * 1024;

pub type Cached = Result<Arc<str>, String>;

/// How long a refusal or failure is remembered: long enough that a hostile avatar is not asked for
/// once per message, short enough that a network blip does not hide an avatar for the session.
const FAILURE_KEPT: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct Cache {
    entries: HashMap<(String, ImagePurpose), (Cached, Instant)>,
    order: VecDeque<(String, ImagePurpose)>,
    bytes: usize,
}

impl Cache {
    pub fn insert(&mut self, key: (String, ImagePurpose), value: Cached, now: Instant) {
        self.bytes += value.as_ref().map_or(0, |data| data.len());
        match self.entries.insert(key.clone(), (value, now)) {
            Some((Ok(old), _)) => self.bytes -= old.len(),
            Some((Err(_), _)) => {}
            None => self.order.push_back(key),
        }
        while self.order.len() > CACHE_ENTRIES || self.bytes > CACHE_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some((Ok(data), _)) = self.entries.remove(&oldest) {
                self.bytes -= data.len();
            }
        }
    }

    /// What is remembered for `key`; a failure only for `FAILURE_KEPT`.
    pub fn get(&self, key: &(String, ImagePurpose), now: Instant) -> Option<Cached> {
        match self.entries.get(key)? {
            (Err(_), at) if now.duration_since(*at) >= FAILURE_KEPT => None,
            (value, _) => Some(value.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let mut cache = Cache::default();
        for i in 0..CACHE_ENTRIES + 10 {
            cache.insert(
                (format!("u{i}"), ImagePurpose::Avatar),
                Err("no".into()),
                Instant::now(),
            );
        }
        assert_eq!(cache.entries.len(), CACHE_ENTRIES);
        assert!(
            !cache
                .entries
                .contains_key(&("u0".to_owned(), ImagePurpose::Avatar))
        );
        let big: Arc<str> = Arc::from("x".repeat(CACHE_BYTES / 3 + 1));
        for i in 0..4 {
            cache.insert(
                (format!("big{i}"), ImagePurpose::Banner),
                Ok(big.clone()),
                Instant::now(),
            );
        }
        assert!(cache.bytes <= CACHE_BYTES);
        // Replacing an entry does not count its bytes twice.
        let key = ("big3".to_owned(), ImagePurpose::Banner);
        let before = cache.bytes;
        cache.insert(key, Ok(big.clone()), Instant::now());
        assert_eq!(cache.bytes, before);
    }

    #[test]
    fn a_failure_is_remembered_for_a_minute_and_an_image_until_evicted() {
        let mut cache = Cache::default();
        let at = Instant::now();
        let failed = (
            "https://static-cdn.jtvnw.net/a.png".to_owned(),
            ImagePurpose::Avatar,
        );
        let shown = (
            "https://static-cdn.jtvnw.net/b.png".to_owned(),
            ImagePurpose::Avatar,
        );
        cache.insert(failed.clone(), Err("the host did not answer".into()), at);
        cache.insert(shown.clone(), Ok(Arc::from("data:image/png;base64,AA")), at);
        assert!(matches!(
            cache.get(&failed, at + Duration::from_secs(59)),
            Some(Err(_))
        ));
        assert!(
            cache.get(&failed, at + FAILURE_KEPT).is_none(),
            "asked again after a minute"
        );
        assert!(matches!(
            cache.get(&shown, at + Duration::from_secs(3600)),
            Some(Ok(_))
        ));
    }
}
