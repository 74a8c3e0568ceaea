//! What a [`Studio`](crate::Studio) tells its subscribers: past-tense facts about the state it owns.

use serde::{Deserialize, Serialize};

use crate::chat::ChatStatus;
use crate::error::ApiError;
use crate::platforms::Platform;
use crate::types::{Comment, Connection, Job, Viewers};

/// Whether requests can be made as the streamer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum AuthStatus {
    /// A publishable key or a fixed token: nothing to sign in to.
    NotRequired,
    SignedIn,
    /// Token mode without a usable sign-in: polling and chat are stopped until the streamer signs in.
    SignInRequired {
        reason: String,
    },
}

/// A change to the studio's state.
#[derive(Debug, Clone, PartialEq)]
pub enum StudioEvent {
    Connections(Vec<Connection>),
    /// The current job (or none).
    Job(Option<Box<Job>>),
    Viewers(Option<Viewers>),
    /// New comments in arrival order, already de-duplicated; `backfill` marks a replay after a
    /// reconnect.
    Comments {
        comments: Vec<Comment>,
        backfill: bool,
    },
    /// Each new comment on its own, after its batch (the seed's `comment`).
    Comment(Comment),
    /// The latest failure (the seed's `error`).
    Error(ApiError),
    Chat(ChatStatus),
    Auth(AuthStatus),
    /// A newer go-live took over job `job_id`.
    Superseded {
        job_id: String,
        by: String,
    },
    Armed(Vec<Platform>),
}
