//! The tasks that follow the current job: the job poller and the viewer poller (one request in
//! flight, full-jitter backoff, giving up on answers no retry changes), and starting and stopping
//! them and the chat stream. Each task runs under a child of the studio's root cancel token, kept
//! in `Followers`.

use std::time::Duration;

use rand::Rng;
use reqwest::Method;
use tokio_util::sync::CancellationToken;

use crate::error::{ApiError, Concern, codes};
use crate::events::StudioEvent;
use crate::types::{Job, Viewers};
use crate::window_seen::Pace;

use super::handle::Studio;
use super::state::lock;

impl Studio {
    /// Stops every task that follows the job, the chat stream included.
    pub(super) fn stop_followers(&self) {
        let mut followers = lock(&self.inner.followers);
        for token in [
            followers.job.take().map(|(_, t)| t),
            followers.viewers.take(),
            followers.chat.take(),
        ]
        .into_iter()
        .flatten()
        {
            token.cancel();
        }
    }

    /// The job settled: its poller and viewer counts stop, and so does the chat stream, unless
    /// the service offers an ingest (v1.1): then the stream stays open to hear the next session.
    pub(super) fn stop_job_followers(&self) {
        if !lock(&self.inner.state).ingest_offered {
            self.stop_followers();
            return;
        }
        let mut followers = lock(&self.inner.followers);
        for token in [followers.job.take().map(|(_, t)| t), followers.viewers.take()]
            .into_iter()
            .flatten()
        {
            token.cancel();
        }
    }

    /// Opens the chat stream unless it is open.
    pub(super) fn open_chat(&self) {
        let mut followers = lock(&self.inner.followers);
        if followers.chat.is_none() {
            let token = self.inner.root.child_token();
            followers.chat = Some(token.clone());
            let studio = self.clone();
            tokio::spawn(async move { studio.run_chat(token).await });
        }
    }

    /// Starts the job poller (and the chat stream) for job `id`, unless already following it.
    pub(super) fn follow(&self, id: String) {
        let mut followers = lock(&self.inner.followers);
        if followers.job.as_ref().is_some_and(|(current, _)| *current == id) {
            return;
        }
        if let Some((_, old)) = followers.job.take() {
            old.cancel();
        }
        let token = self.inner.root.child_token();
        followers.job = Some((id.clone(), token.clone()));
        let studio = self.clone();
        tokio::spawn(async move { studio.poll_job(id, token).await });
        drop(followers);
        self.open_chat();
    }

    pub(super) fn follow_viewers(&self, id: String) {
        let mut followers = lock(&self.inner.followers);
        if followers.viewers.is_some() {
            return;
        }
        let token = self.inner.root.child_token();
        followers.viewers = Some(token.clone());
        let studio = self.clone();
        tokio::spawn(async move { studio.poll_viewers(id, token).await });
    }

    /// Full-jitter backoff for the pollers, with the service's `Retry-After` as a floor.
    fn poll_delay(&self, failures: u32, error: &ApiError) -> Duration {
        let cap = self.inner.config.timing.poll_backoff_cap;
        let ceiling = Duration::from_millis(500)
            .saturating_mul(2u32.saturating_pow(failures.min(16)))
            .min(cap);
        let jitter = Duration::from_millis(
            rand::rng().random_range(0..=u64::try_from(ceiling.as_millis()).unwrap_or(0)),
        );
        jitter.max(error.retry_after.unwrap_or_default())
    }

    async fn poll_job(&self, id: String, token: CancellationToken) {
        let pace = Pace::steady(self.inner.config.timing.job_poll);
        self.poll(
            &format!("/jobs/{id}"),
            pace,
            &token,
            Concern::Job,
            true,
            |studio, job: Job| {
                let settled = job.status.is_settled();
                studio.apply_job(job);
                !settled
            },
        )
        .await;
    }

    async fn poll_viewers(&self, id: String, token: CancellationToken) {
        let config = &self.inner.config;
        // Only the window shows the counts: while nobody sees it, they are asked for less often.
        let pace = Pace::while_seen(
            config.timing.viewer_poll,
            config.timing.viewer_poll_unseen,
            config.window_seen.clone(),
        );
        // A missed viewer count is not worth an error banner; the next one will do.
        self.poll(
            &format!("/jobs/{id}/viewers"),
            pace,
            &token,
            Concern::Viewers,
            false,
            |studio, viewers: Viewers| {
                lock(&studio.inner.state).viewers = Some(viewers.clone());
                studio.emit(StudioEvent::Viewers(Some(viewers)));
                true
            },
        )
        .await;
    }

    /// GETs `path` at `pace` (one request in flight; no catch-up burst after a stall), hands
    /// each answer to `on_answer` until it returns false, backs off with full jitter on failure,
    /// and gives up on answers no retry will change (403, 404, sign-in required).
    async fn poll<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        mut pace: Pace,
        token: &CancellationToken,
        concern: Concern,
        report_failures: bool,
        mut on_answer: impl FnMut(&Self, T) -> bool,
    ) {
        let mut failures = 0u32;
        let mut last = None;
        loop {
            // The first ask goes at once; each next one a period after the last began.
            if let Some(last) = last {
                tokio::select! {
                    () = token.cancelled() => return,
                    () = pace.next(last) => {}
                }
            } else if token.is_cancelled() {
                return;
            }
            last = Some(tokio::time::Instant::now());
            match self.inner.api.call::<T>(Method::GET, path, None, &[]).await {
                Ok((_, answer)) => {
                    failures = 0;
                    self.succeeded_unattended(concern);
                    if !on_answer(self, answer) {
                        return;
                    }
                }
                Err(e) if e.code == codes::SIGN_IN_REQUIRED || e.status == 404 || e.status == 403 => {
                    self.fail_unattended(concern, e);
                    return;
                }
                Err(e) => {
                    failures += 1;
                    let delay = self.poll_delay(failures, &e);
                    if report_failures {
                        self.fail_unattended(concern, e);
                    } else {
                        tracing::debug!(%path, error = %e, "poll failed");
                    }
                    tokio::select! {
                        () = token.cancelled() => return,
                        () = tokio::time::sleep(delay) => {}
                    }
                }
            }
        }
    }
}
