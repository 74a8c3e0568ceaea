//! Counters that client tests assert on through `GET /sandbox/stats`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

#[derive(Default)]
pub struct Stats {
    token_mints: AtomicU64,
    operator_token_grants: AtomicU64,
    open_streams: AtomicU64,
    streams_opened: AtomicU64,
    requests: Mutex<BTreeMap<String, u64>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsSnapshot {
    /// Restream tokens minted (`POST /api/v1/auth/session` and `/operator/restream-token`).
    pub token_mints: u64,
    /// Operator access tokens issued (`/operator/token`, both grants).
    pub operator_token_grants: u64,
    pub open_streams: u64,
    pub streams_opened: u64,
    /// Requests per route of the route table, as `METHOD /path/{param}`.
    pub requests: BTreeMap<String, u64>,
}

impl Stats {
    pub fn token_minted(&self) {
        self.token_mints.fetch_add(1, Ordering::Relaxed);
    }

    pub fn operator_token_granted(&self) {
        self.operator_token_grants.fetch_add(1, Ordering::Relaxed);
    }

    pub fn request(&self, route: &str) {
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *requests.entry(route.to_owned()).or_default() += 1;
    }

    /// Counts an open stream until the returned guard drops.
    pub fn stream_opened(self: &std::sync::Arc<Self>) -> StreamGuard {
        self.open_streams.fetch_add(1, Ordering::Relaxed);
        self.streams_opened.fetch_add(1, Ordering::Relaxed);
        StreamGuard(std::sync::Arc::clone(self))
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            token_mints: self.token_mints.load(Ordering::Relaxed),
            operator_token_grants: self.operator_token_grants.load(Ordering::Relaxed),
            open_streams: self.open_streams.load(Ordering::Relaxed),
            streams_opened: self.streams_opened.load(Ordering::Relaxed),
            requests: self.requests.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        }
    }
}

pub struct StreamGuard(std::sync::Arc<Stats>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.open_streams.fetch_sub(1, Ordering::Relaxed);
    }
}
