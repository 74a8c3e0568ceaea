//! What may show on stream, and when. Pure: the caller passes the time, so every rule is tested on
//! a clock it sets.
//!
//! A message is held for the hold delay from when the studio received it (a catch-up message after
//! a reconnect counts its age from when it was said, so a long-past one is not held twice). While
//! it is held, deleting it, timing out or banning its author, or hiding it from the overlay drops
//! it: it is never released, so no page ever receives it. After it shows, the same removes it.
//!
//! With a fade set, a line leaves the screen that long after it showed, and the gate forgets it
//! then too: a page that connects again (OBS refreshes a source when its scene shows) is never
//! sent a line that already faded, and the lines still fading are sent with how long they have
//! shown, so they fade when they would have.

use std::collections::{HashSet, VecDeque};

use crate::held::{Held, HeldQueue};
use std::time::Duration;

use restream_client::{Comment, Platform};
use restream_client::{ModerationAction, ModerationEvent};
use restream_settings::overlay::OverlaySettings;
use restream_settings::overlay_hidden::HIDDEN_IDS_KEPT;
use tokio::time::Instant;

/// Catch-up waits at least this long, with no hold too, so a moderation read in the same catch-up
/// (a ban after the comment, say) is applied before the comment could show.
const CATCH_UP_SETTLE: Duration = Duration::from_secs(1);

/// The settings the gate applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub hold: Duration,
    pub hide_commands: bool,
    /// Hidden names, trimmed and lower-cased.
    pub hidden_names: HashSet<String>,
    pub max_lines: usize,
    /// How long a line shows; zero: it stays.
    pub fade: Duration,
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
            fade: Duration::from_secs(settings.fade_seconds.into()),
        }
    }
}

impl Rules {
    /// Whether a line that showed at `from` has faded by `now`.
    fn faded(&self, from: Instant, now: Instant) -> bool {
        !self.fade.is_zero() && from + self.fade <= now
    }

    /// Whether `comment` is never shown under these rules.
    fn leaves_out(&self, comment: &Comment) -> bool {
        (self.hide_commands && comment.message.trim_start().starts_with('!'))
            || self.hidden_names.contains(&comment.author.trim().to_lowercase())
    }
}

/// A line on screen, and when it showed there.
struct Line {
    comment: Comment,
    from: Instant,
}

/// The hold, the filters, and what shows now.
pub struct Gate {
    rules: Rules,
    /// Waiting out the hold.
    held: HeldQueue,
    /// When the newest catch-up held is due: live chat read after it waits for it, so older
    /// lines never show under newer ones.
    catch_up_due: Option<Instant>,
    /// On screen, oldest first, at most `max_lines`.
    shown: VecDeque<Line>,
    /// Hidden by hand, oldest first, and the same as a set to look up: remembered (the newest
    /// `HIDDEN_IDS_KEPT`) so a replay cannot bring them back.
    hidden_order: VecDeque<String>,
    hidden_ids: HashSet<String>,
    /// Whether chat has come since the studio started: before that, an empty screen says nothing
    /// (the studio has not read its chat yet), so a page keeps what it shows.
    chat_came: bool,
}

fn same_author(comment: &Comment, platform: Platform, author_id: &str) -> bool {
    comment.platform == platform && comment.author_id.as_deref() == Some(author_id)
}

impl Gate {
    pub fn new(rules: Rules) -> Gate {
        Gate {
            rules,
            held: HeldQueue::default(),
            catch_up_due: None,
            shown: VecDeque::new(),
            hidden_order: VecDeque::new(),
            hidden_ids: HashSet::new(),
            chat_came: false,
        }
    }

    fn knows(&self, id: &str) -> bool {
        self.held.contains(id)
            || self.hidden_ids.contains(id)
            || self.shown.iter().any(|line| line.comment.id == id)
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
            let hold = self.rules.hold;
            let waits = if catch_up {
                hold.saturating_sub(age).max(CATCH_UP_SETTLE)
            } else {
                hold
            };
            let shown_before = (age + waits).saturating_sub(hold);
            if !self.rules.fade.is_zero() && shown_before >= self.rules.fade {
                // Said so long ago that it would have faded already.
                continue;
            }
            let mut due = now + waits;
            if catch_up {
                self.catch_up_due = self.catch_up_due.max(Some(due));
            } else if let Some(after) = self.catch_up_due {
                due = due.max(after);
            }
            self.held.hold(Held {
                comment: comment.clone(),
                since: due.checked_sub(hold).unwrap_or(now),
                catch_up,
                shown_before,
            });
        }
    }

    /// Drops what `gone` matches from the held messages and the screen; answers the ids taken off
    /// the screen.
    fn remove(&mut self, gone: impl Fn(&Comment) -> bool) -> Vec<String> {
        self.held.drop_where(&gone);
        let mut removed = Vec::new();
        self.shown.retain(|line| {
            let keep = !gone(&line.comment);
            if !keep {
                removed.push(line.comment.id.clone());
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
        if self.hidden_ids.insert(id.to_owned()) {
            self.hidden_order.push_back(id.to_owned());
            if self.hidden_order.len() > HIDDEN_IDS_KEPT
                && let Some(oldest) = self.hidden_order.pop_front()
            {
                self.hidden_ids.remove(&oldest);
            }
        }
        self.remove(|c| c.id == id)
    }

    /// The ids hidden by hand, oldest first (what is kept between runs).
    pub fn hidden(&self) -> Vec<String> {
        self.hidden_order.iter().cloned().collect()
    }

    /// New rules: what they leave out leaves now, the screen shrinks to the new line count, and
    /// the held messages wait out the new hold from when they arrived.
    pub fn set_rules(&mut self, rules: Rules) -> Vec<String> {
        self.rules = rules;
        let rules = self.rules.clone();
        let mut removed = self.remove(|c| rules.leaves_out(c));
        while self.shown.len() > self.rules.max_lines {
            if let Some(old) = self.shown.pop_front() {
                removed.push(old.comment.id);
            }
        }
        removed
    }

    /// Releases what has waited out the hold by `now`, oldest first, each with how long it has
    /// shown (more than zero only for catch-up said long ago). The page drops the oldest lines
    /// past `max_lines`, and the faded ones, itself; the gate forgets the same ones.
    pub fn release(&mut self, now: Instant) -> Vec<(Comment, Duration)> {
        let rules = &self.rules;
        self.shown.retain(|line| !rules.faded(line.from, now));
        let mut released = Vec::new();
        while let Some(held) = self.held.pop_due(self.rules.hold, now) {
            let due = held.since + self.rules.hold;
            let from = due.checked_sub(held.shown_before).unwrap_or(due);
            if self.rules.faded(from, now) {
                continue;
            }
            if self.shown.len() == self.rules.max_lines {
                self.shown.pop_front();
            }
            self.shown.push_back(Line {
                comment: held.comment.clone(),
                from,
            });
            released.push((held.comment, now.saturating_duration_since(from)));
        }
        released
    }

    /// When the next held message is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.held.first_since().map(|since| since + self.rules.hold)
    }

    /// What is on screen at `now`, oldest first, each with how long it has shown.
    pub fn shown(&self, now: Instant) -> impl Iterator<Item = (&Comment, Duration)> {
        self.shown
            .iter()
            .filter(move |line| !self.rules.faded(line.from, now))
            .map(move |line| (&line.comment, now.saturating_duration_since(line.from)))
    }

    /// Whether what shows is what should: chat has come since the studio started and its first
    /// catch-up is through the hold. Until then a page keeps the lines it has.
    pub fn settled(&self) -> bool {
        self.chat_came && !self.held.any_catch_up()
    }
}

#[cfg(test)]
#[path = "gate_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "gate_fade_tests.rs"]
mod fade_tests;
