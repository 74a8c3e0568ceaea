//! What one chat-stream event says: the contract's events decoded from their name and data, and
//! what the client skips (an event it does not know, or data that does not parse).

use crate::ingest::SessionEvent;
use crate::moderation::ModerationEvent;
use crate::types::{Comment, Job};

/// What a chat stream says, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatEvent {
    /// An `event: comment`: one chat message.
    Comment(Comment),
    /// An `event: job`: the job's state after a status change.
    Job(Box<Job>),
    /// v1.1: an `event: session`: one of the streamer's publisher sessions started or ended.
    Session(SessionEvent),
    /// v1.1: an `event: moderation`, in the comments' sequence: a comment deleted, or an author
    /// timed out, banned or unbanned.
    Moderation(ModerationEvent),
    /// A `retry:` field: the server's reconnect delay, in milliseconds.
    Retry(u64),
    /// An event over a size cap, dropped unread; its `id:` when that came first, so a reconnect
    /// resumes after it rather than replaying it.
    TooLarge {
        /// The event's id, if it was read.
        id: Option<String>,
        /// How many bytes of it were dropped.
        bytes: usize,
    },
    /// An event the client does not know, or one whose data does not parse; skipped.
    Ignored {
        /// The event's name.
        event: String,
        /// Why it was skipped (unknown event, or the parse error).
        reason: String,
    },
}

impl ChatEvent {
    /// The event named `name` with `data`, decoded.
    pub(super) fn from_sse(name: &str, data: &str) -> ChatEvent {
        match name {
            "comment" => parsed(name, data, ChatEvent::Comment),
            "job" => parsed(name, data, |job| ChatEvent::Job(Box::new(job))),
            "session" => parsed(name, data, ChatEvent::Session),
            // One this client cannot read (an action from a newer service) is skipped and not
            // marked as read: a reconnect replays it, which costs nothing.
            "moderation" => parsed(name, data, ChatEvent::Moderation),
            other => ChatEvent::Ignored {
                event: other.to_owned(),
                reason: "unknown event".into(),
            },
        }
    }
}

/// `data` read as `T` and made an event, or skipped with the parse error.
fn parsed<T: serde::de::DeserializeOwned>(
    name: &str,
    data: &str,
    event: impl FnOnce(T) -> ChatEvent,
) -> ChatEvent {
    match serde_json::from_str::<T>(data) {
        Ok(value) => event(value),
        Err(e) => ChatEvent::Ignored {
            event: name.to_owned(),
            reason: e.to_string(),
        },
    }
}
