//! The chat stream's own reconnect loop (over `eventsource-stream`): a fresh request with the
//! current credential on every attempt, `Last-Event-ID` advanced only after a comment is applied
//! (or past an event too large to show, so it is not replayed), full-jitter backoff with a cap and
//! the server's `retry:` as a floor, stall detection, and a re-mint on 401.
//!
//! The stream runs only while a job is live, so it never stops for good on a refusal: a 401 or
//! 403 that a fresh credential does not cure is shown with its cause and fix and tried again
//! every `refused_retry`, or at once when the streamer asks. Only a 204 (the service closed the
//! stream), a sign-in that ended, and cancellation stop it.

mod parts;
mod read;

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::error::codes;

use parts::last_error;
pub use parts::{ChatSink, ChatStatus, ChatTiming, ChatTransport, ChatWake, Opened, full_jitter};
use read::{Ended, read};

/// Why the chat stops when its stream is over (the studio stops following the job).
const CLOSED_WITH_STREAM: &str = "the stream is over";

/// How long to wait before the next attempt, and what may cut the wait short.
enum Wait {
    /// Backoff after a failure the service's coming back cures: another call's success ends it.
    Backoff { at_least: Duration, last_error: String },
    /// Backoff after a rate limit: only the time (or the streamer) ends it.
    RateLimited { at_least: Duration, last_error: String },
    /// A refusal a new credential did not cure: the slow retry.
    Refused(ChatStatus),
}

/// Runs until cancelled or stopped by the service. Returns the final status.
pub async fn run(
    transport: &dyn ChatTransport,
    sink: &dyn ChatSink,
    timing: ChatTiming,
    wake: &ChatWake,
    cancel: CancellationToken,
) -> ChatStatus {
    let mut last_event_id: Option<String> = None;
    let mut attempt: u32 = 0;
    let mut retry_floor = Duration::ZERO;
    let mut connected_before = false;
    // Whether the last answer was already a credential refusal: then a fresh credential was tried.
    let mut credential_refused = false;
    sink.status(ChatStatus::Connecting);
    loop {
        let opened = tokio::select! {
            () = cancel.cancelled() => return stopped(sink, CLOSED_WITH_STREAM),
            opened = transport.open(last_event_id.clone()) => opened,
        };
        let wait = match opened {
            Ok(Opened::Stream(body)) => {
                credential_refused = false;
                sink.status(ChatStatus::Live);
                let reconnect = connected_before;
                connected_before = true;
                let opened_at = sink.server_now_ms();
                let ended = read(
                    body,
                    sink,
                    &timing,
                    &cancel,
                    &mut last_event_id,
                    &mut retry_floor,
                    reconnect,
                    opened_at,
                )
                .await;
                match ended {
                    Ended::Cancelled => return stopped(sink, CLOSED_WITH_STREAM),
                    Ended::Reconnect { received, why } => {
                        if received {
                            attempt = 0;
                        }
                        Wait::Backoff {
                            at_least: retry_floor,
                            last_error: why.to_owned(),
                        }
                    }
                }
            }
            Ok(Opened::Refused(error)) => {
                let asked = error.retry_after.unwrap_or_default();
                match error.status {
                    204 => return stopped(sink, "The service closed the chat stream."),
                    // A rate limit is the service's deliberate ask: honoured in full.
                    429 => Wait::RateLimited {
                        at_least: retry_floor.max(asked),
                        last_error: last_error(&error),
                    },
                    // An unavailable service's `Retry-After` is a guess at when it is back; with
                    // a stream live, chat asks again within the cap rather than stay dark longer.
                    // Half the cap at most, so the jitter above it still spreads the studios
                    // that the same outage sent away.
                    408 | 500..=599 => {
                        credential_refused = false;
                        Wait::Backoff {
                            at_least: retry_floor.max(asked.min(timing.backoff_cap / 2)),
                            last_error: last_error(&error),
                        }
                    }
                    _ if error.code == codes::SIGN_IN_REQUIRED => {
                        return stopped(sink, &error.advice().cause);
                    }
                    status => {
                        if matches!(status, 401 | 403) {
                            transport.rejected();
                            // A fresh credential is worth trying at once, once.
                            if !credential_refused {
                                credential_refused = true;
                                continue;
                            }
                        }
                        let advice = error.advice();
                        Wait::Refused(ChatStatus::Refused {
                            last_error: last_error(&error),
                            cause: advice.cause,
                            fix: advice.fix,
                            delay_ms: millis(timing.refused_retry),
                        })
                    }
                }
            }
            Err(error) if error.code == codes::SIGN_IN_REQUIRED => {
                return stopped(sink, &format!("{} {}", error.advice().cause, error.advice().fix));
            }
            Err(network) => {
                credential_refused = false;
                Wait::Backoff {
                    at_least: retry_floor,
                    last_error: last_error(&network),
                }
            }
        };
        let (delay, ends_when_answered) = match wait {
            Wait::Refused(status) => {
                sink.status(status);
                (timing.refused_retry, false)
            }
            Wait::Backoff { at_least, last_error } => {
                attempt = attempt.saturating_add(1);
                (reconnecting(sink, &timing, attempt, at_least, last_error), true)
            }
            Wait::RateLimited { at_least, last_error } => {
                attempt = attempt.saturating_add(1);
                (reconnecting(sink, &timing, attempt, at_least, last_error), false)
            }
        };
        tokio::select! {
            () = cancel.cancelled() => return stopped(sink, CLOSED_WITH_STREAM),
            () = tokio::time::sleep(delay) => {}
            () = wake.retry_requested() => tracing::info!("chat: retrying now, as asked"),
            () = wake.answered(), if ends_when_answered => tracing::info!("chat: the service answers again; retrying now"),
        }
    }
}

/// Says the loop waits before attempt `attempt`, and returns how long.
fn reconnecting(
    sink: &dyn ChatSink,
    timing: &ChatTiming,
    attempt: u32,
    at_least: Duration,
    last_error: String,
) -> Duration {
    let delay = full_jitter(timing, attempt).max(at_least);
    sink.status(ChatStatus::Reconnecting {
        attempt,
        delay_ms: millis(delay),
        last_error,
    });
    delay
}

fn millis(delay: Duration) -> u32 {
    u32::try_from(delay.as_millis()).unwrap_or(u32::MAX)
}

fn stopped(sink: &dyn ChatSink, reason: &str) -> ChatStatus {
    let status = ChatStatus::Stopped {
        reason: reason.to_owned(),
    };
    sink.status(status.clone());
    status
}
