//! What the chat loop is made of and talks to: its status as the window shows it, its timings,
//! the transport that opens the stream, the sink it delivers to, and the wake-ups that cut a
//! backoff short.

use std::time::Duration;

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::error::ApiError;
use crate::ingest::SessionEvent;
use crate::moderation::ModerationEvent;
use crate::types::{Comment, Job};

/// The chat stream's state, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum ChatStatus {
    /// Opening the stream for the first time.
    Connecting,
    /// The stream is open and events are being read.
    Live,
    /// Waiting `delay_ms` before attempt number `attempt`.
    #[serde(rename_all = "camelCase")]
    Reconnecting {
        /// Attempt number since data last arrived, from 1.
        attempt: u32,
        /// Milliseconds until that attempt: the backoff, and at least what the server asked for.
        delay_ms: u32,
        /// What ended the last attempt: the HTTP status and the contract's error code
        /// ("503 unavailable"), or the client's own code when no answer came ("network",
        /// "timeout", "stalled", "stream_ended", "connection_lost").
        last_error: String,
    },
    /// The service refused the stream in a way a new credential did not cure. While the job is
    /// live the loop still tries again every `delay_ms`, or at once when the streamer asks.
    #[serde(rename_all = "camelCase")]
    Refused {
        /// The HTTP status and the contract's error code, e.g. "403 missing_scope".
        last_error: String,
        /// What went wrong, in words for the streamer.
        cause: String,
        /// What the streamer can do about it.
        fix: String,
        /// Milliseconds until the next try.
        delay_ms: u32,
    },
    /// Not connected and not retrying, and why.
    Stopped {
        /// Why the stream stopped, in words for the streamer.
        reason: String,
    },
}

/// Timings of the loop.
#[derive(Debug, Clone, Copy)]
pub struct ChatTiming {
    /// No byte for this long (keep-alives included) is a stall: reconnect.
    pub stall_after: Duration,
    /// Base of the exponential backoff: attempt `n` waits up to `base × 2^n`.
    pub backoff_base: Duration,
    /// Most the jittered backoff waits (the server's `retry:` or `Retry-After` can ask for more).
    pub backoff_cap: Duration,
    /// How often a refusal no new credential cured is tried again.
    pub refused_retry: Duration,
}

impl Default for ChatTiming {
    fn default() -> Self {
        ChatTiming {
            // The contract: keep-alives at most every 15 s; 45 s of silence is a stall.
            stall_after: Duration::from_secs(45),
            backoff_base: Duration::from_millis(500),
            // The stream only runs while a job is live, when every second of missing chat shows:
            // a low cap brings it back soon after the service does.
            backoff_cap: Duration::from_secs(5),
            refused_retry: Duration::from_secs(60),
        }
    }
}

/// What opening the stream gave.
pub enum Opened {
    /// 200: the event stream's bytes.
    Stream(BoxStream<'static, Result<Bytes, String>>),
    /// Any other answer, as the contract's error.
    Refused(ApiError),
}

/// Opens `GET /comments/stream`. Production uses HTTP; tests use in-process peers.
pub trait ChatTransport: Send + Sync {
    /// Sends one request, resuming after `last_event_id` when given; `Err` when no answer came.
    fn open(&self, last_event_id: Option<String>) -> BoxFuture<'_, Result<Opened, ApiError>>;
    /// The service refused the credential (401 or 403): the next open must use a fresh one.
    fn rejected(&self) {}
}

/// Where the loop delivers what it reads; calls return once the event is applied.
pub trait ChatSink: Send + Sync {
    /// The stream's state changed.
    fn status(&self, status: ChatStatus);
    /// New comments in order; `backfill` marks ones replayed after a reconnect.
    fn comments(&self, comments: Vec<Comment>, backfill: bool);
    /// A `job` event: the current job's new state.
    fn job(&self, job: Job);
    /// v1.1: a `session` event: one of the streamer's publisher sessions started or ended.
    fn session(&self, event: SessionEvent);
    /// v1.1: a `moderation` event, after the comments before it in the stream.
    fn moderation(&self, event: ModerationEvent);
    /// `count` events over the size caps were skipped (after the comments before them).
    fn skipped(&self, count: u32);
    /// The service's "now", to tell replayed comments from live ones.
    fn server_now_ms(&self) -> i64;
}

/// What cuts a wait between attempts short. Only a loop that is waiting hears a wake-up: one
/// that is opening the stream already does what the wake-up asks.
#[derive(Debug, Default)]
pub struct ChatWake {
    answered: Notify,
    retry_now: Notify,
}

impl ChatWake {
    /// Another call to the service just succeeded: a wait for the service to come back is over.
    pub fn service_answered(&self) {
        self.answered.notify_waiters();
    }

    /// The streamer asked to try again now.
    pub fn retry_now(&self) {
        self.retry_now.notify_waiters();
    }

    pub(super) async fn answered(&self) {
        self.answered.notified().await;
    }

    pub(super) async fn retry_requested(&self) {
        self.retry_now.notified().await;
    }
}

/// A delay drawn uniformly from zero to `min(cap, base × 2^attempt)`.
pub fn full_jitter(timing: &ChatTiming, attempt: u32) -> Duration {
    let ceiling = timing
        .backoff_base
        .saturating_mul(2u32.saturating_pow(attempt.min(16)))
        .min(timing.backoff_cap);
    let ms = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rand::rng().random_range(0..=ms))
}

/// An error as the status line names it: "503 unavailable", or the client's code alone when no
/// answer came.
pub(super) fn last_error(error: &ApiError) -> String {
    if error.status == 0 {
        error.code.clone()
    } else {
        format!("{} {}", error.status, error.code)
    }
}
