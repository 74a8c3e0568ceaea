//! The chat stream's own reconnect loop (over `eventsource-stream`): a fresh request with the
//! current credential on every attempt, `Last-Event-ID` advanced only after a comment is applied
//! (or past an event too large to show, so it is not replayed),
//! full-jitter backoff with a cap and the server's `retry:` as a floor, stall detection, a re-mint
//! on 401, and a stop with the reason on 403 and 204.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt, StreamExt};
use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::error::{ApiError, codes};
use crate::sse::{ChatEvent, decode};
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
}

impl Default for ChatTiming {
    fn default() -> Self {
        ChatTiming {
            // The contract: keep-alives at most every 15 s; 45 s of silence is a stall.
            stall_after: Duration::from_secs(45),
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(30),
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
    /// The service refused the credential (401): the next open must use a fresh one.
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
    /// `count` events over the size caps were skipped (after the comments before them).
    fn skipped(&self, count: u32);
    /// The service's "now", to tell replayed comments from live ones.
    fn server_now_ms(&self) -> i64;
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

enum Ended {
    Cancelled,
    /// Reconnect; whether anything arrived on this connection.
    Reconnect {
        received: bool,
    },
}

/// Runs until cancelled or stopped by the service. Returns the final status.
pub async fn run(
    transport: &dyn ChatTransport,
    sink: &dyn ChatSink,
    timing: ChatTiming,
    cancel: CancellationToken,
) -> ChatStatus {
    let mut last_event_id: Option<String> = None;
    let mut attempt: u32 = 0;
    let mut retry_floor = Duration::ZERO;
    let mut connected_before = false;
    let mut refused_credentials = 0u32;
    sink.status(ChatStatus::Connecting);
    loop {
        let opened = tokio::select! {
            () = cancel.cancelled() => return stopped(sink, CLOSED_WITH_STREAM),
            opened = transport.open(last_event_id.clone()) => opened,
        };
        let mut wait_at_least = retry_floor;
        match opened {
            Ok(Opened::Stream(body)) => {
                refused_credentials = 0;
                sink.status(ChatStatus::Live);
                let reconnect = connected_before;
                connected_before = true;
                let opened_at = sink.server_now_ms();
                match read(
                    body,
                    sink,
                    &timing,
                    &cancel,
                    &mut last_event_id,
                    &mut retry_floor,
                    reconnect,
                    opened_at,
                )
                .await
                {
                    Ended::Cancelled => return stopped(sink, CLOSED_WITH_STREAM),
                    Ended::Reconnect { received } => {
                        if received {
                            attempt = 0;
                        }
                        wait_at_least = retry_floor;
                    }
                }
            }
            Ok(Opened::Refused(error)) => match error.status {
                401 if error.code != codes::SIGN_IN_REQUIRED => {
                    transport.rejected();
                    refused_credentials += 1;
                    if refused_credentials > 2 {
                        return stopped(sink, &error.advice().cause);
                    }
                    // A fresh credential is worth trying at once, the first time.
                    if refused_credentials == 1 {
                        continue;
                    }
                }
                204 => return stopped(sink, "The service closed the chat stream."),
                408 | 429 | 500..=599 => {
                    wait_at_least = wait_at_least.max(error.retry_after.unwrap_or_default())
                }
                _ => return stopped(sink, &format!("{} {}", error.advice().cause, error.advice().fix)),
            },
            Err(error) if error.code == codes::SIGN_IN_REQUIRED => {
                return stopped(sink, &format!("{} {}", error.advice().cause, error.advice().fix));
            }
            Err(_network) => {}
        }
        attempt = attempt.saturating_add(1);
        let delay = full_jitter(&timing, attempt).max(wait_at_least);
        sink.status(ChatStatus::Reconnecting {
            attempt,
            delay_ms: u32::try_from(delay.as_millis()).unwrap_or(u32::MAX),
        });
        tokio::select! {
            () = cancel.cancelled() => return stopped(sink, CLOSED_WITH_STREAM),
            () = tokio::time::sleep(delay) => {}
        }
    }
}

fn stopped(sink: &dyn ChatSink, reason: &str) -> ChatStatus {
    let status = ChatStatus::Stopped {
        reason: reason.to_owned(),
    };
    sink.status(status.clone());
    status
}

/// Returns once `stall_after` has passed since the last byte arrived.
async fn silence(last_byte: &Mutex<Instant>, stall_after: Duration) {
    loop {
        let deadline = *last_byte.lock().unwrap_or_else(|p| p.into_inner()) + stall_after;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline).await;
    }
}

/// Why the chat stops when its stream is over (the studio stops following the job).
const CLOSED_WITH_STREAM: &str = "the stream is over";

/// Reads one connection until it ends, errs, stalls or the loop is cancelled.
#[allow(clippy::too_many_arguments)]
async fn read(
    body: BoxStream<'static, Result<Bytes, String>>,
    sink: &dyn ChatSink,
    timing: &ChatTiming,
    cancel: &CancellationToken,
    last_event_id: &mut Option<String>,
    retry_floor: &mut Duration,
    reconnect: bool,
    opened_at: i64,
) -> Ended {
    // Any byte is a sign of life, keep-alive comments included, though they decode to nothing:
    // timing only decoded events would call a quiet chat stalled every 45 s.
    let last_byte = Arc::new(Mutex::new(Instant::now()));
    let body = {
        let last_byte = Arc::clone(&last_byte);
        body.inspect(move |_| *last_byte.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now())
    };
    let mut events = Box::pin(decode(body));
    let mut received = false;
    loop {
        let next = tokio::select! {
            () = cancel.cancelled() => return Ended::Cancelled,
            next = events.next() => Ok(next),
            () = silence(&last_byte, timing.stall_after) => Err(()),
        };
        let first = match next {
            Err(_stalled) => {
                tracing::info!("chat stream stalled; reconnecting");
                return Ended::Reconnect { received };
            }
            Ok(None) => return Ended::Reconnect { received },
            Ok(Some(Err(e))) => {
                tracing::info!(error = %e, "chat stream failed; reconnecting");
                return Ended::Reconnect { received };
            }
            Ok(Some(Ok(event))) => event,
        };
        received = true;
        // Take every event already decoded, so a replay arrives as one batch.
        let mut batch = vec![first];
        let mut failed = false;
        while let Some(Some(more)) = events.next().now_or_never() {
            match more {
                Ok(event) => batch.push(event),
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        let mut comments: Vec<Comment> = Vec::new();
        for event in batch {
            match event {
                ChatEvent::Comment(c) => comments.push(c),
                ChatEvent::Job(job) => {
                    deliver(sink, &mut comments, last_event_id, reconnect, opened_at);
                    sink.job(*job);
                }
                ChatEvent::Retry(ms) => *retry_floor = Duration::from_millis(ms.min(60_000)),
                ChatEvent::TooLarge { id, bytes } => {
                    deliver(sink, &mut comments, last_event_id, reconnect, opened_at);
                    tracing::warn!(bytes, has_id = id.is_some(), "chat event too large; skipped");
                    // A reconnect resumes after it, so the service does not replay it again.
                    if id.is_some() {
                        *last_event_id = id;
                    }
                    sink.skipped(1);
                }
                ChatEvent::Ignored { event, reason } => {
                    tracing::debug!(%event, %reason, "chat event skipped")
                }
            }
        }
        deliver(sink, &mut comments, last_event_id, reconnect, opened_at);
        if failed {
            return Ended::Reconnect { received };
        }
    }
}

/// Hands comments to the sink, then (and only then) advances `Last-Event-ID`.
fn deliver(
    sink: &dyn ChatSink,
    comments: &mut Vec<Comment>,
    last_event_id: &mut Option<String>,
    reconnect: bool,
    opened_at: i64,
) {
    if comments.is_empty() {
        return;
    }
    let batch = std::mem::take(comments);
    let last = batch.last().map(|c| c.id.clone());
    // After a reconnect, comments older than the connection are the replay: backfill.
    let (backfill, live): (Vec<Comment>, Vec<Comment>) = batch
        .into_iter()
        .partition(|c| reconnect && c.timestamp < opened_at);
    if !backfill.is_empty() {
        sink.comments(backfill, true);
    }
    if !live.is_empty() {
        sink.comments(live, false);
    }
    *last_event_id = last;
}
