//! The list of pages the studio waits on in the system browser, one per [`BrowserPage`]: its one
//! owner. Entries come and go with the `WaitGuard` of the action that waits
//! (`browser_waits.rs`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio_util::sync::CancellationToken;
use url::Url;

use crate::browser_page::{BrowserPage, BrowserWait};

use super::state::lock;

struct Entry {
    id: u64,
    wait: BrowserWait,
    url: Url,
    /// Cancelled by the streamer, by a newer wait on the same page, or when the wait ends.
    cancel: CancellationToken,
}

#[derive(Default)]
pub(super) struct WaitList {
    entries: Mutex<Vec<Entry>>,
    next_id: AtomicU64,
}

impl WaitList {
    /// Lists `wait`, replacing (and cancelling) an earlier wait on the same page; returns its id.
    pub(super) fn add(&self, wait: BrowserWait, url: Url, cancel: CancellationToken) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut entries = lock(&self.entries);
        entries.retain(|e| {
            let older = e.wait.page == wait.page;
            if older {
                e.cancel.cancel();
            }
            !older
        });
        entries.push(Entry {
            id,
            wait,
            url,
            cancel,
        });
        id
    }

    pub(super) fn list(&self) -> Vec<BrowserWait> {
        lock(&self.entries).iter().map(|e| e.wait.clone()).collect()
    }

    /// Hands `say` the list as it is, under its lock, so what is said of it comes in the order of
    /// its changes and the last said is the list as it stands.
    pub(super) fn say(&self, say: impl FnOnce(Vec<BrowserWait>)) {
        let entries = lock(&self.entries);
        say(entries.iter().map(|e| e.wait.clone()).collect());
    }

    pub(super) fn url(&self, page: BrowserPage) -> Option<Url> {
        lock(&self.entries)
            .iter()
            .find(|e| e.wait.page == page)
            .map(|e| e.url.clone())
    }

    /// Whether a wait on `page` was there to cancel.
    pub(super) fn cancel(&self, page: BrowserPage) -> bool {
        let entries = lock(&self.entries);
        let found = entries.iter().find(|e| e.wait.page == page);
        if let Some(entry) = found {
            entry.cancel.cancel();
        }
        found.is_some()
    }

    /// Whether the entry was still there to change.
    pub(super) fn mark_slow(&self, id: u64) -> bool {
        let mut entries = lock(&self.entries);
        match entries.iter_mut().find(|e| e.id == id) {
            Some(entry) => {
                entry.wait.slow = true;
                true
            }
            None => false,
        }
    }

    /// Whether the entry was still there to remove.
    pub(super) fn remove(&self, id: u64) -> bool {
        let mut entries = lock(&self.entries);
        let before = entries.len();
        entries.retain(|e| e.id != id);
        entries.len() != before
    }
}
