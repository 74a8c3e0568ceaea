//! The current job: taking a job state from any source (an answer, a poll, a stream event),
//! adopting a newer job, and saying once that a go-live superseded one. Starts and stops the
//! followers as the job's status changes.

use reqwest::Method;

use crate::error::{ApiError, Concern};
use crate::events::StudioEvent;
use crate::types::{Job, JobStatus};

use super::handle::Studio;
use super::state::{Filed, lock};

impl Studio {
    /// Makes `job` the current job and follows it while it is active.
    pub(super) fn adopt(&self, job: Job) {
        let id = job.id.clone();
        let active = !job.status.is_settled();
        // Another job takes over from one we were following: learn how the old one ended, so a
        // supersede is said even when its last state never reached us (the stream was not open yet).
        let replaced = lock(&self.inner.state)
            .job
            .as_ref()
            .filter(|old| old.id != id && !old.status.is_settled())
            .map(|old| old.id.clone());
        if let Some(old) = replaced {
            let studio = self.clone();
            tokio::spawn(async move { studio.learn_fate(old).await });
        }
        self.apply_job(job);
        if active {
            self.follow(id);
        }
    }

    /// Reads job `id` once and says so if a newer go-live superseded it.
    pub(super) async fn learn_fate(&self, id: String) {
        if let Ok((_, old)) = self
            .inner
            .api
            .call::<Job>(Method::GET, &format!("/jobs/{id}"), None, &[])
            .await
            && let Some(by) = old.superseded_by
        {
            self.superseded(&old.id, by);
        }
    }

    /// Says once per job that a newer go-live took it over, unless that go-live was this studio's.
    pub(super) fn superseded(&self, job_id: &str, by: String) {
        {
            let mut state = lock(&self.inner.state);
            if state.superseded_said.as_deref() == Some(job_id) || state.started_here.as_ref() == Some(&by) {
                return;
            }
            if state.going_live > 0 {
                // It may be this studio's own go-live that took over: wait for its answer.
                state.supersede_held = Some((job_id.to_owned(), by));
                return;
            }
            state.superseded_said = Some(job_id.to_owned());
        }
        let error = ApiError::new(409, "superseded", format!("Job {job_id} was superseded by {by}"));
        self.emit(StudioEvent::Superseded {
            job_id: job_id.to_owned(),
            by,
        });
        // Until the job that took over is followed: then the studio's stream works again.
        self.file(Concern::Job, error, Filed::Unattended);
    }

    /// Takes a job state from any source (an answer, a poll, a stream event).
    pub(super) fn apply_job(&self, job: Job) {
        let superseded = {
            let mut state = lock(&self.inner.state);
            let current = state.job.as_ref().map(|j| j.id.clone());
            // Only the current job, or a newer one, changes the state.
            if current.as_deref().is_some_and(|c| c != job.id) && job.status.is_settled() {
                return;
            }
            if state.job.as_ref() == Some(&job) {
                // The same state from another source (a poll and a stream event): nothing changed.
                return;
            }
            let was_superseded = state.job.as_ref().is_some_and(|j| j.superseded_by.is_some());
            state.job = Some(job.clone());
            job.superseded_by.clone().filter(|_| !was_superseded)
        };
        self.emit(StudioEvent::Job(Some(Box::new(job.clone()))));
        if let Some(by) = superseded {
            self.superseded(&job.id, by);
            // Follow the stream that took over.
            let studio = self.clone();
            tokio::spawn(async move {
                let _ = studio.refresh_job().await;
            });
        }
        match job.status {
            JobStatus::Running => self.follow_viewers(job.id.clone()),
            status if status.is_settled() => {
                self.stop_job_followers();
                // Counts of a stream that ended are not "watching" any more.
                if lock(&self.inner.state).viewers.take().is_some() {
                    self.emit(StudioEvent::Viewers(None));
                }
                // Nothing counts viewers or sends chat for a stream that ended: their errors
                // are no longer true.
                self.recovered(Concern::Viewers);
                self.recovered(Concern::Chat);
            }
            _ => {}
        }
    }
}
