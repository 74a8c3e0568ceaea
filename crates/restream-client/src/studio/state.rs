//! What a studio owns, each piece under its own lock in the handle: the state the seed's hook
//! returns ([`Snapshot`] is its public copy), the cancel tokens of the tasks that follow the job,
//! and the sign-in in progress. Types only, apart from the handle, so every part of the studio can
//! name them without reaching back into it.

use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

use crate::chat::ChatStatus;
use crate::error::{ApiError, Concern};
use crate::events::AuthStatus;
use crate::ingest::LiveSession;
use crate::operator::PendingSignIn;
use crate::platforms::Platform;
use crate::types::{Comment, Connection, GoLiveParams, Job, Viewers};

/// What the seed's `useRestream` returns, minus the actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The streamer's linked platforms.
    pub connections: Vec<Connection>,
    /// The current job, whatever its status; `None` until one is known.
    pub job: Option<Job>,
    /// The latest viewer counts of the running job.
    pub viewers: Option<Viewers>,
    /// The latest 200, oldest first.
    pub comments: Vec<Comment>,
    /// The latest failure still true (the seed's `error`).
    pub error: Option<ApiError>,
    /// Every failure still true, one per concern, oldest first.
    pub errors: Vec<(Concern, ApiError)>,
    /// The chat stream's state.
    pub chat: ChatStatus,
    /// Whether requests can be made as the streamer.
    pub auth: AuthStatus,
    /// Destinations pre-selected for go-live.
    pub armed: Vec<Platform>,
    /// The pages opened in the system browser that the studio still waits on.
    pub browser_waits: Vec<crate::browser_page::BrowserWait>,
    /// v1.1: the streamer's publisher sessions that carry media now, newest first.
    pub live_sessions: Vec<LiveSession>,
}

/// The state behind [`Snapshot`] (the comments are kept apart, in the feed), plus what only
/// the studio needs to remember.
pub(super) struct State {
    pub(super) connections: Vec<Connection>,
    pub(super) job: Option<Job>,
    pub(super) viewers: Option<Viewers>,
    /// Failures still true, one per concern, oldest first, with who made the call that failed.
    pub(super) errors: Vec<(Concern, ApiError, Filed)>,
    pub(super) chat: ChatStatus,
    pub(super) auth: AuthStatus,
    pub(super) armed: Vec<Platform>,
    /// v1.1: the publisher sessions that carry media now, newest first.
    pub(super) live_sessions: Vec<LiveSession>,
    /// v1.1: counts `session` events, so a list read while one arrived is read again.
    pub(super) session_events: u64,
    /// v1.1: whether the service offers an ingest (learned at start): then the chat stream stays
    /// open with no job, to hear the streamer's session go live.
    pub(super) ingest_offered: bool,
    /// The last `GET /platforms` answer (what v1.1 moderation each platform offers); `None`
    /// until read.
    pub(super) platforms: Option<Vec<crate::platforms::PlatformInfo>>,
    /// The go-live intent whose `Idempotency-Key` a retry reuses.
    pub(super) intent: Option<(GoLiveParams, String)>,
    /// The job whose supersede was last said, so it is said once.
    pub(super) superseded_said: Option<String>,
    /// The job this studio's own go-live started last: that it took over the job before is no
    /// news to the streamer who pressed Go live.
    pub(super) started_here: Option<String>,
    /// Go-lives of this studio waiting for the service's answer.
    pub(super) going_live: u32,
    /// A supersede learned while one was waiting: said once the answer shows whose it was.
    pub(super) supersede_held: Option<(String, String)>,
}

/// Who made the call that failed, which decides what clears its error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Filed {
    /// The streamer's own action (go live, stop, connect…): only that concern's next success by
    /// an action clears it, so a poll that gets through meanwhile does not hide why a stop failed.
    ByStreamer,
    /// What the studio does by itself (polls, loading): any success of the concern clears it.
    Unattended,
}

/// Cancels the tasks that follow the current job.
#[derive(Default)]
pub(super) struct Followers {
    pub(super) job: Option<(String, CancellationToken)>,
    pub(super) viewers: Option<CancellationToken>,
    pub(super) chat: Option<CancellationToken>,
}

/// A sign-in in progress: what the answer must match, and who waits for it.
pub(super) struct SignInSlot {
    /// When it was asked for (`sign_in_asked`).
    pub(super) asked: u64,
    pub(super) pending: Arc<PendingSignIn>,
    pub(super) wake: Option<oneshot::Sender<String>>,
}

/// Locks `m`, taking it even when a holder panicked, so one panic does not stop every later action.
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
