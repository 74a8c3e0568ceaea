//! How the chat loop recovers, against in-process peers on paused time: backoff under faults,
//! refusals while the job is live (never a stop for good), and the wake-ups that end a wait.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use restream_client::{ApiError, ChatStatus, ChatTiming, ChatTransport, ChatWake, Opened};

mod chat_peers;

use chat_peers::{Collect, follow, follow_timed, wait_until};

/// A service that answers every open the same way, and notes when each open came.
struct Refusing {
    answer: ApiError,
    opens: AtomicU32,
    rejected: AtomicU32,
    opened_at: Mutex<Vec<tokio::time::Instant>>,
}

impl Refusing {
    fn new(answer: ApiError) -> Arc<Refusing> {
        Arc::new(Refusing {
            answer,
            opens: AtomicU32::new(0),
            rejected: AtomicU32::new(0),
            opened_at: Mutex::new(Vec::new()),
        })
    }
}

impl ChatTransport for Refusing {
    fn open(&self, _last: Option<String>) -> BoxFuture<'_, Result<Opened, ApiError>> {
        self.opens.fetch_add(1, Ordering::SeqCst);
        self.opened_at.lock().unwrap().push(tokio::time::Instant::now());
        let answer = self.answer.clone();
        Box::pin(async move {
            if answer.status == 0 {
                Err(answer)
            } else {
                Ok(Opened::Refused(answer))
            }
        })
    }
    fn rejected(&self) {
        self.rejected.fetch_add(1, Ordering::SeqCst);
    }
}

async fn run_against(
    answer: ApiError,
    until_opens: u32,
) -> (Arc<Refusing>, Arc<Collect>, Option<ChatStatus>) {
    let transport = Refusing::new(answer);
    let (sink, cancel, task) = follow(&transport, &Arc::default());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3600);
    while transport.opens.load(Ordering::SeqCst) < until_opens && !task.is_finished() {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let ended = if task.is_finished() {
        Some(task.await.unwrap())
    } else {
        cancel.cancel();
        task.await.unwrap();
        None
    };
    (transport, sink, ended)
}

#[tokio::test(start_paused = true)]
async fn server_errors_back_off_with_full_jitter_under_a_cap_and_retry_after_as_floor() {
    let answer = ApiError::new(503, "unavailable", "down").with_retry_after(Some(Duration::from_millis(700)));
    let (_, sink, ended) = run_against(answer, 30).await;
    assert_eq!(ended, None, "5xx never stops the stream");
    let statuses = sink.statuses.lock().unwrap().clone();
    let delays: Vec<(u32, u32)> = statuses
        .iter()
        .filter_map(|(_, s)| match s {
            ChatStatus::Reconnecting {
                attempt,
                delay_ms,
                last_error,
            } => {
                assert_eq!(last_error, "503 unavailable", "the status line carries the cause");
                Some((*attempt, *delay_ms))
            }
            _ => None,
        })
        .collect();
    assert!(delays.len() >= 29);
    for (i, (attempt, delay)) in delays.iter().enumerate() {
        assert_eq!(*attempt as usize, i + 1);
        let ceiling = (100u64 << (*attempt).min(16)).min(5_000) as u32;
        assert!(*delay >= 700, "Retry-After is a floor: {delay}");
        assert!(
            *delay <= ceiling.max(700),
            "attempt {attempt}: {delay} over {ceiling}"
        );
    }
    // Full jitter: the delays at the cap are not all the same.
    let capped: std::collections::HashSet<u32> = delays.iter().skip(10).map(|(_, d)| *d).collect();
    assert!(capped.len() > 5, "{capped:?}");
}

#[tokio::test(start_paused = true)]
async fn an_unavailable_service_is_asked_again_within_the_cap_a_rate_limit_is_not() {
    // (status, code, least and most delay in ms) with Retry-After: 30 s: an unavailable
    // service's ask is cut to half the 5 s cap, a floor the jitter spreads above.
    for (status, code, least, most) in [
        (503, "unavailable", 2_500, 5_000),
        (429, "rate_limited", 30_000, 30_000),
    ] {
        let answer = ApiError::new(status, code, "later").with_retry_after(Some(Duration::from_secs(30)));
        let (_, sink, _) = run_against(answer, 12).await;
        let delays: Vec<u32> = sink
            .statuses
            .lock()
            .unwrap()
            .iter()
            .filter_map(|(_, s)| match s {
                ChatStatus::Reconnecting { delay_ms, .. } => Some(*delay_ms),
                _ => None,
            })
            .collect();
        assert!(delays.len() >= 4, "{status}: {delays:?}");
        assert!(delays.iter().all(|d| *d <= most), "{status}: {delays:?}");
        assert!(delays.iter().all(|d| *d >= least), "{status}: {delays:?}");
        if status == 503 {
            assert!(
                delays.iter().any(|d| *d < most),
                "jittered, not all at the cap: {delays:?}"
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn only_a_closed_stream_or_an_ended_sign_in_stops_chat() {
    for answer in [
        ApiError::new(204, "no_content", ""),
        ApiError::new(401, "sign_in_required", "Sign in again"),
        // No request went out: the sign-in ended before a token could be had (status 0 makes
        // this transport answer with no answer at all).
        ApiError::new(0, "sign_in_required", "Sign in again"),
    ] {
        let code = answer.code.clone();
        let (transport, _, ended) = run_against(answer, 100).await;
        assert!(
            matches!(ended, Some(ChatStatus::Stopped { .. })),
            "{code}: {ended:?}"
        );
        assert_eq!(transport.opens.load(Ordering::SeqCst), 1, "{code}");
    }
}

#[tokio::test(start_paused = true)]
async fn refusals_a_new_credential_does_not_cure_keep_retrying_while_live() {
    for answer in [
        ApiError::new(401, "token_expired", "Token has expired"),
        ApiError::new(403, "missing_scope", "Missing required scope: read"),
        ApiError::new(404, "not_found", "No such route"),
    ] {
        let status = answer.status;
        let (transport, sink, ended) = run_against(answer.clone(), 6).await;
        assert_eq!(ended, None, "{status}: chat stopped for good while live");
        let opens = transport.opened_at.lock().unwrap().clone();
        if status == 404 {
            // No credential cures a missing route: straight to the slow retry.
            assert_eq!(transport.rejected.load(Ordering::SeqCst), 0);
            assert_eq!(opens[1] - opens[0], Duration::from_secs(60));
        } else {
            // A fresh credential at once, then a new one on every slow retry.
            assert_eq!(
                opens[1], opens[0],
                "{status}: the fresh credential is tried at once"
            );
            assert_eq!(opens[2] - opens[1], Duration::from_secs(60), "{status}");
            assert_eq!(opens[3] - opens[2], Duration::from_secs(60), "{status}");
            assert_eq!(
                transport.rejected.load(Ordering::SeqCst),
                transport.opens.load(Ordering::SeqCst),
                "{status}: every refused credential is dropped"
            );
        }
        let refused = sink.statuses.lock().unwrap().iter().find_map(|(_, s)| match s {
            ChatStatus::Refused { .. } => Some(s.clone()),
            _ => None,
        });
        let advice = answer.advice();
        assert_eq!(
            refused,
            Some(ChatStatus::Refused {
                last_error: format!("{status} {}", answer.code),
                cause: advice.cause,
                fix: advice.fix,
                delay_ms: 60_000,
            })
        );
    }
}

/// Lets the loop run until it waits (paused time does not move while tasks can still run).
async fn settle() {
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_wait_ends_at_once_when_the_service_answers_again_or_the_streamer_asks() {
    for (answer, answered_wakes) in [
        (
            ApiError::new(503, "unavailable", "down").with_retry_after(Some(Duration::from_secs(30))),
            true,
        ),
        (ApiError::new(0, "network", "connection refused"), true),
        // The service asked this client to slow down: another call's success does not change that.
        (
            ApiError::new(429, "rate_limited", "slow down").with_retry_after(Some(Duration::from_secs(30))),
            false,
        ),
        (
            ApiError::new(403, "missing_scope", "Missing required scope: read"),
            false,
        ),
    ] {
        let code = answer.code.clone();
        let transport = Refusing::new(answer);
        let wake = Arc::new(ChatWake::default());
        let (_sink, cancel, task) = follow(&transport, &wake);
        settle().await;
        let before = transport.opens.load(Ordering::SeqCst);
        let start = tokio::time::Instant::now();
        wake.service_answered();
        settle().await;
        let after_answer = transport.opens.load(Ordering::SeqCst);
        assert_eq!(
            after_answer > before,
            answered_wakes,
            "{code}: another call's success"
        );
        assert_eq!(tokio::time::Instant::now(), start, "{code}: no time passed");
        wake.retry_now();
        settle().await;
        assert!(
            transport.opens.load(Ordering::SeqCst) > after_answer,
            "{code}: Retry now"
        );
        cancel.cancel();
        task.await.unwrap();
    }
}

/// Refuses with 503 until `until`, then streams (and stays open).
struct Storm {
    until: tokio::time::Instant,
}

impl ChatTransport for Storm {
    fn open(&self, _last: Option<String>) -> BoxFuture<'_, Result<Opened, ApiError>> {
        let over = tokio::time::Instant::now() >= self.until;
        Box::pin(async move {
            if over {
                Ok(Opened::Stream(Box::pin(futures_util::stream::pending())))
            } else {
                // A Retry-After far beyond the storm: chat still comes back within the cap.
                Ok(Opened::Refused(
                    ApiError::new(503, "unavailable", "fault")
                        .with_retry_after(Some(Duration::from_secs(30))),
                ))
            }
        })
    }
}

#[tokio::test(start_paused = true)]
async fn after_a_fault_storm_chat_is_live_within_five_seconds() {
    for seed_run in 0..20 {
        let until = tokio::time::Instant::now() + Duration::from_secs(16 + seed_run);
        let (sink, cancel, task) =
            follow_timed(Arc::new(Storm { until }), ChatTiming::default(), Arc::default());
        wait_until("chat live after the storm", Duration::from_secs(600), || {
            sink.statuses
                .lock()
                .unwrap()
                .iter()
                .any(|(_, s)| *s == ChatStatus::Live)
        })
        .await;
        cancel.cancel();
        task.await.unwrap();
        let live = sink
            .statuses
            .lock()
            .unwrap()
            .iter()
            .find(|(_, s)| *s == ChatStatus::Live)
            .unwrap()
            .0;
        assert!(live >= until);
        assert!(
            live - until <= Duration::from_secs(5),
            "live {:?} after the storm",
            live - until
        );
    }
}
