//! The messages waiting out the hold: in the order they are due, with their ids indexed (a busy
//! chat asks "is this one held?" for every message) and their text counted, both bounded.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use restream_client::Comment;
use tokio::time::Instant;

/// Messages held at most: 2,000/s for a 2.5 s hold, or a whole 30 s hold at 160/s. Past it the
/// oldest held go unshown: a screen of a few lines scrolls them away unread at such a rate anyway.
pub const HELD_KEPT: usize = 5_000;
/// Text held at most, in bytes: a comment may be up to 64 KiB.
pub const HELD_BYTES: usize = 8 * 1024 * 1024;

/// What a held comment weighs against [`HELD_BYTES`].
pub fn text_bytes(comment: &Comment) -> usize {
    comment.message.len() + comment.author.len()
}

pub struct Held {
    pub comment: Comment,
    /// When the studio received it, less its age if it came as catch-up.
    pub since: Instant,
    pub catch_up: bool,
    /// How long it would already have been on screen when its hold ends, had the studio read it
    /// live: a catch-up message said long ago (its fade counts from then).
    pub shown_before: Duration,
}

#[derive(Default)]
pub struct HeldQueue {
    /// Oldest `since` first.
    queue: VecDeque<Held>,
    ids: HashSet<String>,
    bytes: usize,
}

impl HeldQueue {
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Holds `held` in `since` order (catch-up may be older than what waits already), dropping
    /// the oldest past the bounds.
    pub fn hold(&mut self, held: Held) {
        let at = self.queue.partition_point(|h| h.since <= held.since);
        self.bytes += text_bytes(&held.comment);
        self.ids.insert(held.comment.id.clone());
        self.queue.insert(at, held);
        while (self.queue.len() > HELD_KEPT || self.bytes > HELD_BYTES) && self.queue.len() > 1 {
            self.pop();
        }
    }

    fn pop(&mut self) -> Option<Held> {
        let held = self.queue.pop_front()?;
        self.forget(&held.comment);
        Some(held)
    }

    fn forget(&mut self, comment: &Comment) {
        self.bytes -= text_bytes(comment);
        self.ids.remove(&comment.id);
    }

    /// The first held whose hold of `hold` has ended by `now`.
    pub fn pop_due(&mut self, hold: Duration, now: Instant) -> Option<Held> {
        if self.queue.front()?.since + hold > now {
            return None;
        }
        self.pop()
    }

    /// Drops every held comment `gone` matches.
    pub fn drop_where(&mut self, gone: impl Fn(&Comment) -> bool) {
        let mut dropped = Vec::new();
        self.queue.retain(|h| {
            let keep = !gone(&h.comment);
            if !keep {
                dropped.push(h.comment.clone());
            }
            keep
        });
        for comment in &dropped {
            self.forget(comment);
        }
    }

    /// When the first held began its hold.
    pub fn first_since(&self) -> Option<Instant> {
        self.queue.front().map(|h| h.since)
    }

    pub fn any_catch_up(&self) -> bool {
        self.queue.iter().any(|h| h.catch_up)
    }

    /// Bytes of text held.
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}
