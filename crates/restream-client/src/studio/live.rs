//! Actions on the stream: arming destinations, going live (one job per intent, by its
//! idempotency key), stopping, re-reading the current job, retrying a destination, the overlay,
//! and sending chat.

use reqwest::Method;
use serde_json::json;

use crate::error::{ApiError, Concern};
use crate::events::StudioEvent;
use crate::platforms::Platform;
use crate::types::{GoLiveParams, Job, OverlayUpdate, SendResult, SendResults};
use crate::url_token::random_url_token;

use super::handle::Studio;
use super::state::lock;

impl Studio {
    /// Pre-selects destinations, so go-live needs only a session id (the seed's `arm`).
    pub fn arm(&self, destinations: Vec<Platform>) {
        lock(&self.inner.state).armed = destinations.clone();
        self.emit(StudioEvent::Armed(destinations));
    }

    /// Where a go-live with no destinations named goes, as the go-live form shows it: the armed
    /// platforms that are linked and usable, or, when none of those is, every usable one. (An
    /// automatic go-live, say when OBS starts, needs the same answer as the form.)
    pub fn destinations_to_go_live(&self) -> Vec<Platform> {
        let state = lock(&self.inner.state);
        let usable: Vec<Platform> = state
            .connections
            .iter()
            .filter(|c| c.status == crate::types::ConnectionStatus::Ok)
            .map(|c| c.platform)
            .collect();
        let armed: Vec<Platform> = state
            .armed
            .iter()
            .copied()
            .filter(|p| usable.contains(p))
            .collect();
        if armed.is_empty() { usable } else { armed }
    }

    /// `POST /jobs`. Empty destinations mean the armed ones. A retry of the same intent reuses its
    /// `Idempotency-Key`, so double clicks and retries start one job.
    pub async fn go_live(&self, mut params: GoLiveParams) -> Result<Job, ApiError> {
        if params.destinations.is_empty() {
            params.destinations = lock(&self.inner.state).armed.clone();
        }
        params.publisher_session_id = params.publisher_session_id.trim().to_owned();
        let key = {
            let mut state = lock(&self.inner.state);
            match &state.intent {
                Some((intent, key)) if *intent == params => key.clone(),
                _ => {
                    let key = random_url_token();
                    state.intent = Some((params.clone(), key.clone()));
                    key
                }
            }
        };
        let body =
            serde_json::to_value(&params).map_err(|e| ApiError::new(0, "client_setup", e.to_string()))?;
        let waiting = GoingLive::new(self);
        let answer = self
            .inner
            .api
            .call::<Job>(
                Method::POST,
                "/jobs",
                Some(&body),
                &[("Idempotency-Key", key.as_str())],
            )
            .await;
        if let Ok((_, job)) = &answer {
            lock(&self.inner.state).started_here = Some(job.id.clone());
        }
        drop(waiting);
        let job = match answer {
            Ok((_, job)) => {
                self.succeeded(Concern::Job);
                job
            }
            Err(e) => {
                // A network failure may have started the job: keep the key so a retry finds it.
                if !e.is_network() {
                    lock(&self.inner.state).intent = None;
                }
                return Err(self.fail(Concern::Job, e));
            }
        };
        lock(&self.inner.state).intent = None;
        self.adopt(job.clone());
        Ok(job)
    }

    /// `POST /jobs/{id}/stop` of the current job.
    pub async fn stop_live(&self) -> Result<Job, ApiError> {
        let Some(id) = lock(&self.inner.state).job.as_ref().map(|j| j.id.clone()) else {
            return Err(self.fail(
                Concern::Job,
                ApiError::new(0, "no_job", "There is no stream to stop."),
            ));
        };
        match self
            .call::<Job>(Concern::Job, Method::POST, &format!("/jobs/{id}/stop"), None)
            .await
        {
            Ok(job) => {
                self.apply_job(job.clone());
                Ok(job)
            }
            Err(e) if e.code == "superseded" => {
                // Never retried: a newer go-live owns the stream now. Say who took over, and
                // follow the stream that did.
                self.learn_fate(id).await;
                let _ = self.refresh_job().await;
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// Re-reads the current job (`GET /jobs/current`) and follows it while it is active.
    pub async fn refresh_job(&self) -> Result<Option<Job>, ApiError> {
        match self
            .inner
            .api
            .call::<Job>(Method::GET, "/jobs/current", None, &[])
            .await
        {
            Ok((_, job)) => {
                self.succeeded_unattended(Concern::Job);
                self.adopt(job.clone());
                Ok(Some(job))
            }
            Err(e) if e.code == "no_job" => {
                self.succeeded_unattended(Concern::Job);
                Ok(None)
            }
            Err(e) => Err(self.fail_unattended(Concern::Job, e)),
        }
    }

    /// `POST /jobs/{id}/broadcasts/{platform}/retry`: restarts one failed destination.
    pub async fn retry_destination(&self, platform: Platform) -> Result<Job, ApiError> {
        let id = self.current_job_id()?;
        let path = format!("/jobs/{id}/broadcasts/{}/retry", platform.as_str());
        let job: Job = self.call(Concern::Job, Method::POST, &path, None).await?;
        self.apply_job(job.clone());
        Ok(job)
    }

    /// `PATCH /jobs/{id}/overlay` of the current job.
    pub async fn update_overlay(&self, update: OverlayUpdate) -> Result<Job, ApiError> {
        let id = self.current_job_id()?;
        let job: Job = self
            .call(
                Concern::Job,
                Method::PATCH,
                &format!("/jobs/{id}/overlay"),
                Some(&update.to_json()),
            )
            .await?;
        self.apply_job(job.clone());
        Ok(job)
    }

    /// `POST /chat`: to every destination, or to `platforms`; one result per platform.
    pub async fn send_chat(
        &self,
        message: &str,
        platforms: Option<Vec<Platform>>,
    ) -> Result<Vec<SendResult>, ApiError> {
        let mut body = json!({ "message": message });
        if let Some(platforms) = platforms {
            body["platforms"] = json!(platforms);
        }
        let results: SendResults = self
            .call(Concern::Chat, Method::POST, "/chat", Some(&body))
            .await?;
        Ok(results.results)
    }

    fn current_job_id(&self) -> Result<String, ApiError> {
        lock(&self.inner.state)
            .job
            .as_ref()
            .map(|j| j.id.clone())
            .ok_or_else(|| {
                self.fail(
                    Concern::Job,
                    ApiError::new(0, "no_job", "There is no stream right now."),
                )
            })
    }
}

/// Counts a go-live of this studio waiting for the service's answer, until dropped (also when its
/// caller gives up). The last one to finish says a supersede learned meanwhile, unless this
/// studio's own go-live was what took over.
struct GoingLive<'a>(&'a Studio);

impl<'a> GoingLive<'a> {
    fn new(studio: &'a Studio) -> Self {
        lock(&studio.inner.state).going_live += 1;
        GoingLive(studio)
    }
}

impl Drop for GoingLive<'_> {
    fn drop(&mut self) {
        let held = {
            let mut state = lock(&self.0.inner.state);
            state.going_live -= 1;
            if state.going_live > 0 {
                return;
            }
            state.supersede_held.take()
        };
        if let Some((job_id, by)) = held {
            self.0.superseded(&job_id, by);
        }
    }
}
