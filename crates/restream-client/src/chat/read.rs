//! Reading one connection of the chat stream: events to the sink in batches, `Last-Event-ID`
//! advanced only after what it names was applied (or skipped as too large), and a stall when no
//! byte arrives for `stall_after`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt, StreamExt};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::sse::{ChatEvent, decode};
use crate::types::Comment;

use super::parts::{ChatSink, ChatTiming};

/// How a connection ended.
pub(super) enum Ended {
    Cancelled,
    /// Reconnect; whether anything arrived on this connection, and why it ended (the client's
    /// code, for the status line).
    Reconnect {
        received: bool,
        why: &'static str,
    },
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

/// Reads one connection until it ends, errs, stalls or the loop is cancelled.
#[allow(clippy::too_many_arguments)]
pub(super) async fn read(
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
                return Ended::Reconnect {
                    received,
                    why: "stalled",
                };
            }
            Ok(None) => {
                return Ended::Reconnect {
                    received,
                    why: "stream_ended",
                };
            }
            Ok(Some(Err(e))) => {
                tracing::info!(error = %e, "chat stream failed; reconnecting");
                return Ended::Reconnect {
                    received,
                    why: "connection_lost",
                };
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
                ChatEvent::Session(event) => {
                    deliver(sink, &mut comments, last_event_id, reconnect, opened_at);
                    sink.session(event);
                }
                ChatEvent::Moderation(event) => {
                    // In stream order: the comments before it first, so a deletion never
                    // overtakes the comment it removes; then it is read, like a comment.
                    deliver(sink, &mut comments, last_event_id, reconnect, opened_at);
                    let id = event.id.clone();
                    sink.moderation(event);
                    *last_event_id = Some(id);
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
            return Ended::Reconnect {
                received,
                why: "connection_lost",
            };
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
