//! The chat loop's in-process peers, shared by its paused-time tests: a sink that records what
//! it was handed, the loop's timings shortened, and running the loop against a transport.

#![allow(dead_code)]

use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use restream_client::{ChatSink, ChatStatus, ChatTiming, ChatTransport, ChatWake, Comment, Job, run_chat};
use tokio_util::sync::CancellationToken;

#[derive(Default)]
pub struct Collect {
    pub comments: Mutex<Vec<Comment>>,
    /// Comment and moderation ids in the order the sink was handed them (`m:` marks moderation).
    pub sequence: Mutex<Vec<String>>,
    pub skipped: AtomicU32,
    pub statuses: Mutex<Vec<(tokio::time::Instant, ChatStatus)>>,
    /// Each hand-over of comments: whether it was marked as catch-up (backfill), and its ids.
    pub handed: Mutex<Vec<(bool, Vec<String>)>>,
    /// The service's clock as the studio reckons it, in ms (what a connection's opening is
    /// stamped with); 0 unless a test sets it.
    pub server_now: AtomicI64,
}

impl Collect {
    /// The ids the sink was handed, in order.
    pub fn ids(&self) -> Vec<String> {
        self.comments
            .lock()
            .unwrap()
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }
}

impl ChatSink for Collect {
    fn status(&self, status: ChatStatus) {
        self.statuses
            .lock()
            .unwrap()
            .push((tokio::time::Instant::now(), status));
    }
    fn comments(&self, comments: Vec<Comment>, backfill: bool) {
        let ids: Vec<String> = comments.iter().map(|c| c.id.clone()).collect();
        self.handed.lock().unwrap().push((backfill, ids.clone()));
        self.sequence.lock().unwrap().extend(ids);
        self.comments.lock().unwrap().extend(comments);
    }
    fn job(&self, _job: Job) {}
    fn session(&self, _event: restream_client::SessionEvent) {}
    fn moderation(&self, event: restream_client::ModerationEvent) {
        self.sequence.lock().unwrap().push(format!("m:{}", event.id));
    }
    fn skipped(&self, count: u32) {
        self.skipped.fetch_add(count, Ordering::SeqCst);
    }
    fn server_now_ms(&self) -> i64 {
        self.server_now.load(Ordering::SeqCst)
    }
}

/// Waits on paused time until `done` holds, checking every 50 ms; fails after `limit` of the
/// test's clock, naming what it waited for, so a regression fails at once instead of hanging.
pub async fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + limit;
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "still waiting for {what} after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn timing() -> ChatTiming {
    ChatTiming {
        stall_after: Duration::from_secs(45),
        backoff_base: Duration::from_millis(100),
        backoff_cap: Duration::from_secs(5),
        refused_retry: Duration::from_secs(60),
    }
}

/// Runs the loop against `transport` (woken by `wake`) into a fresh sink with the shortened
/// timings, until the token is cancelled.
pub fn follow<T: ChatTransport + 'static>(
    transport: &Arc<T>,
    wake: &Arc<ChatWake>,
) -> (
    Arc<Collect>,
    CancellationToken,
    tokio::task::JoinHandle<ChatStatus>,
) {
    follow_timed(Arc::clone(transport), timing(), Arc::clone(wake))
}

/// [`follow`] with the given timings.
pub fn follow_timed<T: ChatTransport + 'static>(
    transport: Arc<T>,
    timing: ChatTiming,
    wake: Arc<ChatWake>,
) -> (
    Arc<Collect>,
    CancellationToken,
    tokio::task::JoinHandle<ChatStatus>,
) {
    let sink = Arc::new(Collect::default());
    let cancel = CancellationToken::new();
    let task = {
        let (s, c) = (Arc::clone(&sink), cancel.clone());
        tokio::spawn(async move { run_chat(&*transport, &*s, timing, &wake, c).await })
    };
    (sink, cancel, task)
}
