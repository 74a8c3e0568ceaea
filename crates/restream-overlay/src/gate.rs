//! What may show on stream, and when. Pure: the caller passes the time, so every rule is tested on
//! a clock it sets.
//!
//! A message is held for the hold delay from when the studio received it (a catch-up message after
//! a reconnect counts its age from when it was said, so a long-past one is not held twice). While
//! it is held, deleting it, timing out or banning its author, or hiding it from the overlay drops
//! it: it is never released, so no page ever receives it. After it shows, the same removes it.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use restream_client::{Comment, Platform};
use restream_client::{ModerationAction, ModerationEvent};
use restream_settings::overlay::OverlaySettings;
use tokio::time::Instant;

/// Catch-up waits at least this long (within its hold), so a moderation read in the same catch-up
/// (a ban after the comment, say) is applied before the comment could show.
const CATCH_UP_SETTLE: Duration = Duration::from_secs(1);

/// Messages held at most: 2,000/s for a 2.5 s hold, or a whole 30 s hold at 160/s. Past it the
/// oldest held go unshown: a screen of a few lines scrolls them away unread at such a rate anyway.
const HELD_KEPT: usize = 5_000;
/// Text held at most, in bytes: a comment may be up to 64 KiB.
const HELD_BYTES: usize = 8 * 1024 * 1024;

/// Ids hidden from the overlay by hand, remembered so a replay cannot bring them back.
const HIDDEN_IDS_KEPT: usize = 2_000;

/// The settings the gate applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub hold: Duration,
    pub hide_commands: bool,
    /// Hidden names, trimmed and lower-cased.
    pub hidden_names: HashSet<String>,
    pub max_lines: usize,
}

impl From<&OverlaySettings> for Rules {
    fn from(settings: &OverlaySettings) -> Self {
        Rules {
            hold: Duration::from_secs(settings.hold_seconds.into()),
            hide_commands: settings.hide_commands,
            hidden_names: settings
                .hidden_users
                .iter()
                .map(|n| n.trim().to_lowercase())
                .collect(),
            max_lines: settings.max_lines.max(1).into(),
        }
    }
}

impl Rules {
    /// Whether `comment` is never shown under these rules.
    fn leaves_out(&self, comment: &Comment) -> bool {
        (self.hide_commands && comment.message.trim_start().starts_with('!'))
            || self.hidden_names.contains(&comment.author.trim().to_lowercase())
    }
}

struct Held {
    comment: Comment,
    /// When the studio received it, less its age if it came as catch-up.
    since: Instant,
    catch_up: bool,
}

/// The hold, the filters, and what shows now.
pub struct Gate {
    rules: Rules,
    /// Waiting out the hold, oldest `since` first.
    held: VecDeque<Held>,
    /// Bytes of text in `held`.
    held_bytes: usize,
    /// On screen, oldest first, at most `max_lines`.
    shown: VecDeque<Comment>,
    hidden_ids: VecDeque<String>,
    /// Whether chat has come since the studio started: before that, an empty screen says nothing
    /// (the studio has not read its chat yet), so a page keeps what it shows.
    chat_came: bool,
}

/// What a held comment weighs against [`HELD_BYTES`].
fn text_bytes(comment: &Comment) -> usize {
    comment.message.len() + comment.author.len()
}

fn same_author(comment: &Comment, platform: Platform, author_id: &str) -> bool {
    comment.platform == platform && comment.author_id.as_deref() == Some(author_id)
}

impl Gate {
    pub fn new(rules: Rules) -> Gate {
        Gate {
            rules,
            held: VecDeque::new(),
            held_bytes: 0,
            shown: VecDeque::new(),
            hidden_ids: VecDeque::new(),
            chat_came: false,
        }
    }

    fn knows(&self, id: &str) -> bool {
        self.held.iter().any(|h| h.comment.id == id)
            || self.shown.iter().any(|c| c.id == id)
            || self.hidden_ids.iter().any(|h| h == id)
    }

    /// Takes comments as the studio received them at `now`. `catch_up` comments (read again after
    /// a reconnect) are held only for what is left of the hold since they were said, `wall_ms`
    /// being this computer's clock in milliseconds since the epoch.
    pub fn admit(&mut self, comments: &[Comment], catch_up: bool, now: Instant, wall_ms: i64) {
        self.chat_came = true;
        for comment in comments {
            if self.rules.leaves_out(comment) || self.knows(&comment.id) {
                continue;
            }
            let age = if catch_up {
                Duration::from_millis(wall_ms.saturating_sub(comment.timestamp).max(0).unsigned_abs())
            } else {
                Duration::ZERO
            };
            let waits = self
                .rules
                .hold
                .saturating_sub(age)
                .max(CATCH_UP_SETTLE.min(self.rules.hold));
            let since = (now + waits).checked_sub(self.rules.hold).unwrap_or(now);
            // Catch-up may be older than what waits already: keep the queue in `since` order.
            let at = self.held.partition_point(|h| h.since <= since);
            self.held_bytes += text_bytes(comment);
            self.held.insert(
                at,
                Held {
                    comment: comment.clone(),
                    since,
                    catch_up,
                },
            );
        }
        while (self.held.len() > HELD_KEPT || self.held_bytes > HELD_BYTES) && self.held.len() > 1 {
            if let Some(dropped) = self.held.pop_front() {
                self.held_bytes -= text_bytes(&dropped.comment);
            }
        }
    }

    /// Drops what `gone` matches from the held messages and the screen; answers the ids taken off
    /// the screen.
    fn remove(&mut self, gone: impl Fn(&Comment) -> bool) -> Vec<String> {
        let held_bytes = &mut self.held_bytes;
        self.held.retain(|h| {
            let keep = !gone(&h.comment);
            if !keep {
                *held_bytes -= text_bytes(&h.comment);
            }
            keep
        });
        let mut removed = Vec::new();
        self.shown.retain(|c| {
            let keep = !gone(c);
            if !keep {
                removed.push(c.id.clone());
            }
            keep
        });
        removed
    }

    /// Applies a moderation event: a deleted comment, and every message of an author timed out or
    /// banned, leave (held or shown). An unban changes nothing already removed.
    pub fn moderate(&mut self, event: &ModerationEvent) -> Vec<String> {
        let outcome = &event.outcome;
        match (outcome.action, &outcome.comment_id, &outcome.author_id) {
            (ModerationAction::Delete, Some(id), _) => self.remove(|c| c.id == *id),
            (ModerationAction::Timeout | ModerationAction::Ban, _, Some(author)) => {
                self.remove(|c| same_author(c, outcome.platform, author))
            }
            _ => Vec::new(),
        }
    }

    /// Hides one comment from the overlay only (the platforms keep it).
    pub fn hide(&mut self, id: &str) -> Vec<String> {
        if !self.hidden_ids.iter().any(|h| h == id) {
            if self.hidden_ids.len() == HIDDEN_IDS_KEPT {
                self.hidden_ids.pop_front();
            }
            self.hidden_ids.push_back(id.to_owned());
        }
        self.remove(|c| c.id == id)
    }

    /// New rules: what they leave out leaves now, the screen shrinks to the new line count, and
    /// the held messages wait out the new hold from when they arrived.
    pub fn set_rules(&mut self, rules: Rules) -> Vec<String> {
        self.rules = rules;
        let rules = self.rules.clone();
        let mut removed = self.remove(|c| rules.leaves_out(c));
        while self.shown.len() > self.rules.max_lines {
            if let Some(old) = self.shown.pop_front() {
                removed.push(old.id);
            }
        }
        removed
    }

    /// Releases what has waited out the hold by `now`, oldest first. The page drops the oldest
    /// lines past `max_lines` itself; the gate keeps the same ones.
    pub fn release(&mut self, now: Instant) -> Vec<Comment> {
        let mut released = Vec::new();
        while let Some(front) = self.held.front() {
            if front.since + self.rules.hold > now {
                break;
            }
            if let Some(held) = self.held.pop_front() {
                self.held_bytes -= text_bytes(&held.comment);
                released.push(held.comment);
            }
        }
        for comment in &released {
            if self.shown.len() == self.rules.max_lines {
                self.shown.pop_front();
            }
            self.shown.push_back(comment.clone());
        }
        released
    }

    /// When the next held message is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.held.front().map(|h| h.since + self.rules.hold)
    }

    /// What is on screen now, oldest first.
    pub fn shown(&self) -> impl Iterator<Item = &Comment> {
        self.shown.iter()
    }

    /// Whether what shows is what should: chat has come since the studio started and its first
    /// catch-up is through the hold. Until then a page keeps the lines it has.
    pub fn settled(&self) -> bool {
        self.chat_came && !self.held.iter().any(|h| h.catch_up)
    }
}

#[cfg(test)]
#[path = "gate_tests.rs"]
mod tests;
