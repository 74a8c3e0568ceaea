//! What a `Studio` tells its subscribers: past-tense facts about the state it owns.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::chat::ChatStatus;
use crate::error::{ApiError, Concern};
use crate::platforms::Platform;
use crate::types::{Comment, Connection, Job, Viewers};

/// Whether requests can be made as the streamer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum AuthStatus {
    /// A publishable key or a fixed token: nothing to sign in to.
    NotRequired,
    /// Token mode with a sign-in the studio can mint tokens from.
    SignedIn,
    /// Token mode without a usable sign-in: polling and chat are stopped until the streamer signs in.
    SignInRequired {
        /// Why, in words for the streamer (e.g. signed out, sign-in expired).
        reason: String,
    },
}

/// A change to the studio's state.
#[derive(Debug, Clone, PartialEq)]
pub enum StudioEvent {
    /// The streamer's linked platforms (empty after sign-out).
    Connections(Vec<Connection>),
    /// The current job (or none).
    Job(Option<Box<Job>>),
    /// The latest viewer counts; `None` after sign-out.
    Viewers(Option<Viewers>),
    /// New comments in arrival order, already de-duplicated; `backfill` marks a replay after a
    /// reconnect.
    Comments {
        /// Shared, so every subscriber gets the batch without a copy.
        comments: Arc<[Comment]>,
        /// Replayed after a reconnect rather than newly said.
        backfill: bool,
    },
    /// Each new comment on its own, after its batch (the seed's `comment`).
    Comment(Arc<Comment>),
    /// Chat events too large to show were skipped, after the comments before them; the window
    /// marks where.
    Skipped {
        /// How many.
        count: u32,
    },
    /// A failure, filed under the concern that owns it (the seed's `error`).
    Error {
        /// Whose error it is: it stays until that concern next succeeds.
        concern: Concern,
        /// What failed.
        error: ApiError,
    },
    /// A concern that had an error succeeded: its error is no longer true.
    Recovered(Concern),
    /// The chat stream's state changed.
    Chat(ChatStatus),
    /// Whether the studio can act as the streamer changed.
    Auth(AuthStatus),
    /// A newer go-live took over job `job_id`.
    Superseded {
        /// The job that was taken over.
        job_id: String,
        /// The id of the job that took over.
        by: String,
    },
    /// The destinations pre-selected for the next go-live.
    Armed(Vec<Platform>),
    /// v1.1: one of the streamer's publisher sessions started or ended (from the chat stream).
    /// [`LiveSessions`](Self::LiveSessions) follows with the list it changed.
    Session(crate::ingest::SessionEvent),
    /// v1.1: the streamer's publisher sessions that carry media now, newest first, after any
    /// change (a `session` event, or the list read again after the chat stream (re)connected).
    LiveSessions(Vec<crate::ingest::LiveSession>),
    /// v1.1: a moderation event from the chat stream, in stream order after the comments before
    /// it. A deleted comment has left the feed by now; `removed` says whether the feed held it.
    Moderation {
        /// What was done, where, by whom.
        event: crate::moderation::ModerationEvent,
        /// Whether a deleted comment was among the kept 200.
        removed: bool,
    },
    /// The pages opened in the system browser that the studio waits on, all of them, after any
    /// change (one opened, answered, cancelled, or waiting long enough for a hint).
    BrowserWaits(Vec<crate::browser_page::BrowserWait>),
}
