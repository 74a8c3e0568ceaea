//! The chat loop's in-process peers, shared by its paused-time tests: a sink that records what
//! it was handed, the loop's timings shortened, and running the loop against a transport.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
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
    fn comments(&self, comments: Vec<Comment>, _backfill: bool) {
        let ids = comments.iter().map(|c| c.id.clone());
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
        0
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
