//! The chat loop's in-process peers, shared by its paused-time tests: a sink that records what
//! it was handed, and the loop's timings shortened.

#![allow(dead_code)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use restream_client::{ChatSink, ChatStatus, ChatTiming, Comment, Job};

#[derive(Default)]
pub struct Collect {
    pub comments: Mutex<Vec<Comment>>,
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
        self.comments.lock().unwrap().extend(comments);
    }
    fn job(&self, _job: Job) {}
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
