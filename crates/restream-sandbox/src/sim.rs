//! The simulated platforms: jobs that start and stop on timers, broadcasts that go live, chat that
//! arrives at a chosen rate, and viewer counts that move.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use rand::seq::IndexedRandom;
use serde::Serialize;

use crate::api_error::ApiError;
use crate::chat_sequence;
use crate::corpus;
use crate::db;
use crate::hub::{HubEvent, UserKey};
use crate::live_sessions;
use crate::model::{BroadcastStatus, Comment, ErrorInfo, Job, JobStatus, Track};
use crate::moderation;
use crate::platform::Platform;
use crate::random_token::random_token;
use crate::state::{AppState, SessionFault};
use crate::store;

/// Sleeps for `delay` unless the sandbox shuts down first; returns whether to carry on.
async fn wait(state: &AppState, delay: Duration) -> bool {
    tokio::select! {
        () = tokio::time::sleep(delay) => true,
        () = state.shutdown.cancelled() => false,
    }
}

/// Publishes a job's state to its owner's streams.
pub fn publish_job(state: &AppState, user: &UserKey, job: &Job) {
    match serde_json::to_string(job) {
        Ok(json) => state.hub.publish(user, HubEvent::Job { json: json.into() }),
        Err(e) => tracing::error!(error = %e, "serializing a job"),
    }
}

/// Outcome of [`mutate_job`]: the job's owner and its state after the change.
pub struct Mutated {
    pub user: UserKey,
    pub job: Job,
}

/// Reads job `id`, lets `change` edit it (returning whether it changed anything, or an error
/// answer), writes it back, all in one transaction; then tells the owner's streams.
pub async fn mutate_job<F>(state: &AppState, id: &str, change: F) -> Result<Mutated, ApiError>
where
    F: FnOnce(&UserKey, &mut Job) -> Result<bool, ApiError> + Send + 'static,
{
    let id = id.to_owned();
    let publisher = state.clone();
    let (user, job) = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let Some((user, mut job)) = store::job_by_id(&tx, &id)? else {
                return Ok(Err(ApiError::not_found_what("job")));
            };
            match change(&user, &mut job) {
                Ok(true) => {
                    store::update_job(&tx, &job)?;
                    tx.commit()?;
                    // Published while the database is still held, so streams see changes in the
                    // order they were made.
                    publish_job(&publisher, &user, &job);
                    Ok(Ok((user, job)))
                }
                Ok(false) => Ok(Ok((user, job))),
                Err(e) => Ok(Err(e)),
            }
        })
        .await??;
    Ok(Mutated { user, job })
}

/// queued → running (or failed, when the session is not live or has no audio) after the delay.
pub fn schedule_start(state: &AppState, job_id: String) {
    let state = state.clone();
    tokio::spawn(async move {
        if !wait(&state, state.settings.get().start_delay()).await {
            return;
        }
        let fault = {
            // With an ingest (v1.1), a session is live only while the ingest or the admin surface
            // says so; without one, any id is, unless a fault says otherwise (v1).
            let ingest = state.ingest.is_some();
            let session = state.db.call({
                let id = job_id.clone();
                move |conn| {
                    let Some((user, job)) = store::job_by_id(conn, &id)? else {
                        return Ok(None);
                    };
                    let open = !ingest || live_sessions::is_open(conn, &user, &job.publisher_session_id)?;
                    Ok(Some((job.publisher_session_id, open)))
                }
            });
            match session.await {
                Ok(Some((_, false))) => Some(SessionFault {
                    live: false,
                    audio: true,
                }),
                Ok(Some((session, true))) => state.session_fault(&session),
                _ => None,
            }
        };
        let result = mutate_job(&state, &job_id, move |_, job| {
            if job.status != JobStatus::Queued {
                return Ok(false);
            }
            let now = db::now_ms();
            let failure = match fault {
                Some(f) if !f.live => Some(ErrorInfo::new(
                    "session_not_live",
                    "The publisher session is not live: start sending media, then go live",
                )),
                Some(f) if !f.audio && job.track_names.contains(&Track::Audio) => Some(ErrorInfo::new(
                    "no_audio_track",
                    "The session has no audio track: pass trackNames [\"video\"]",
                )),
                _ => None,
            };
            match failure {
                Some(error) => {
                    job.error = Some(error);
                    job.settle(JobStatus::Failed, now);
                }
                None => {
                    job.status = JobStatus::Running;
                    job.started_at = Some(now);
                    for b in &mut job.broadcasts {
                        if b.status == BroadcastStatus::Connecting {
                            b.status = BroadcastStatus::Live;
                        }
                    }
                }
            }
            Ok(true)
        })
        .await;
        match result {
            Ok(Mutated { user, job }) if job.status == JobStatus::Running => spawn_chat(&state, user, job.id),
            Ok(_) => {}
            Err(e) => tracing::warn!(job = %job_id, error = %e.message, "starting a job"),
        }
    });
}

/// stopping → stopped after the delay.
pub fn schedule_stop(state: &AppState, job_id: String) {
    let state = state.clone();
    tokio::spawn(async move {
        if !wait(&state, state.settings.get().stop_delay()).await {
            return;
        }
        let result = mutate_job(&state, &job_id, |_, job| {
            if job.status != JobStatus::Stopping {
                return Ok(false);
            }
            job.settle(JobStatus::Stopped, db::now_ms());
            Ok(true)
        })
        .await;
        if let Err(e) = result {
            tracing::warn!(job = %job_id, error = %e.message, "stopping a job");
        }
    });
}

/// A retried broadcast: connecting → live after the delay, if the job still runs.
pub fn schedule_retry(state: &AppState, job_id: String, platform: Platform) {
    let state = state.clone();
    tokio::spawn(async move {
        if !wait(&state, state.settings.get().retry_delay()).await {
            return;
        }
        let result = mutate_job(&state, &job_id, move |_, job| {
            if job.status != JobStatus::Running {
                return Ok(false);
            }
            match job.broadcast_mut(platform) {
                Some(b) if b.status == BroadcastStatus::Connecting => {
                    b.status = BroadcastStatus::Live;
                    Ok(true)
                }
                _ => Ok(false),
            }
        })
        .await;
        if let Err(e) = result {
            tracing::warn!(job = %job_id, error = %e.message, "retrying a broadcast");
        }
    });
}

/// Stores comments of `job_id` and sends them to the owner's streams, in order; answers the ids
/// stored (a banned or timed-out author's are not), or `None` when the job's status is not one
/// `only_while` allows.
pub async fn add_comments(
    state: &AppState,
    user: &UserKey,
    job_id: &str,
    comments: Vec<Comment>,
    only_while: Option<fn(JobStatus) -> bool>,
) -> Result<Option<Vec<String>>, ApiError> {
    let encoded = comments
        .iter()
        .map(|c| {
            Ok((
                Arc::<str>::from(c.id.as_str()),
                Arc::<str>::from(serde_json::to_string(c)?),
            ))
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(ApiError::internal)?;
    let job_id = job_id.to_owned();
    let publisher = state.clone();
    let user = user.clone();
    // Checked, stored and published while the database is held: a comment never lands in a job
    // that stopped meanwhile, nor from an author banned or timed out meanwhile, and streams see
    // comments in their stored order.
    let added = state
        .db
        .call(move |conn| {
            if let Some(allowed) = only_while {
                let status = store::job_by_id(conn, &job_id)?.map(|(_, job)| job.status);
                if !status.is_some_and(allowed) {
                    return Ok(None);
                }
            }
            let restricted = moderation::restricted(conn, &user, db::now_ms())?;
            let (comments, encoded): (Vec<Comment>, Vec<_>) = comments
                .into_iter()
                .zip(encoded)
                .filter(|(c, _)| {
                    !restricted.iter().any(|(platform, author)| {
                        platform == c.platform.as_str() && c.author_id.as_ref() == Some(author)
                    })
                })
                .unzip();
            let seqs = chat_sequence::insert_comments(conn, &job_id, &comments)?;
            for (seq, (id, json)) in seqs.into_iter().zip(encoded) {
                let kind = "comment";
                publisher
                    .hub
                    .publish(&user, HubEvent::Sequenced { seq, kind, id, json });
            }
            Ok(Some(comments.into_iter().map(|c| c.id).collect()))
        })
        .await?;
    Ok(added)
}

pub fn new_comment_id() -> String {
    format!("cmt_{}", random_token(20))
}

/// A made-up comment from an audience member on `platform`.
pub fn audience_comment(base_url: &str, platform: Platform) -> Comment {
    let line = corpus::random_line();
    Comment {
        id: new_comment_id(),
        platform,
        author: line.author.to_owned(),
        author_id: Some(corpus::author_id(platform, line.author)),
        author_avatar: line.avatar.map(|n| corpus::avatar_url(base_url, n)),
        message: line.message,
        timestamp: db::now_ms(),
        own: false,
    }
}

/// Simulated audience chat for a running job, at the configured rate per live destination, until
/// the job stops running.
pub fn spawn_chat(state: &AppState, user: UserKey, job_id: String) {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            let rate = state.settings.get().chat_rate_per_second;
            let job = {
                let id = job_id.clone();
                state.db.call(move |conn| store::job_by_id(conn, &id)).await
            };
            let Ok(Some((_, job))) = job else { return };
            if job.status != JobStatus::Running {
                return;
            }
            let live: Vec<Platform> = job
                .broadcasts
                .iter()
                .filter(|b| b.status == BroadcastStatus::Live)
                .map(|b| b.platform)
                .collect();
            let total_rate = rate * live.len() as f64;
            if total_rate <= 0.0 {
                if !wait(&state, Duration::from_millis(250)).await {
                    return;
                }
                continue;
            }
            // Exponential gaps: messages arrive unevenly, as in a real chat.
            let mean = 1.0 / total_rate;
            let gap = -mean * (1.0 - rand::rng().random::<f64>()).ln();
            if !wait(&state, Duration::from_secs_f64(gap.min(5.0))).await {
                return;
            }
            let Some(platform) = live.choose(&mut rand::rng()).copied() else {
                continue;
            };
            let comment = audience_comment(&state.base_url, platform);
            match add_comments(
                &state,
                &user,
                &job_id,
                vec![comment],
                Some(|s| s == JobStatus::Running),
            )
            .await
            {
                Ok(Some(_)) => {}
                // The job stopped while this comment was on its way: so does its audience.
                Ok(None) => return,
                Err(e) => tracing::warn!(job = %job_id, error = %e.message, "simulated chat"),
            }
        }
    });
}

/// Restarts the timers and chat of jobs a previous run left unsettled.
pub async fn recover(state: &AppState) -> anyhow::Result<()> {
    let jobs = state
        .db
        .call(|conn| store::unsettled_jobs(conn))
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    for (user, job) in jobs {
        match job.status {
            JobStatus::Queued => schedule_start(state, job.id),
            JobStatus::Running => {
                for b in &job.broadcasts {
                    if b.status == BroadcastStatus::Connecting {
                        schedule_retry(state, job.id.clone(), b.platform);
                    }
                }
                spawn_chat(state, user, job.id);
            }
            JobStatus::Stopping => schedule_stop(state, job.id),
            _ => {}
        }
    }
    Ok(())
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Viewers {
    pub total: u32,
    pub platforms: BTreeMap<Platform, u32>,
    pub updated_at: i64,
}

/// Viewer counts of a job's live broadcasts now, from the configured curves.
pub fn viewers(state: &AppState, job: &Job, now: i64) -> Viewers {
    let curves = state.settings.get().viewer_curves;
    let elapsed = (now - job.started_at.unwrap_or(now)).max(0) as f64 / 1000.0;
    let mut platforms = BTreeMap::new();
    for b in job
        .broadcasts
        .iter()
        .filter(|b| b.status == BroadcastStatus::Live)
    {
        let Some(curve) = curves.get(&b.platform) else {
            continue;
        };
        let phase = std::f64::consts::TAU * elapsed / f64::from(curve.period_seconds);
        // A little noise that changes every 10 s and differs per platform.
        let bucket = (elapsed / 10.0) as u64;
        let salt = Platform::ALL.iter().position(|p| *p == b.platform).unwrap_or(0) as u64;
        let noise = ((bucket.wrapping_mul(2_654_435_761).wrapping_add(salt * 97)) % 7) as f64 - 3.0;
        let value = f64::from(curve.base) * (1.0 + curve.amplitude * phase.sin()) + noise;
        platforms.insert(b.platform, value.max(0.0).round() as u32);
    }
    Viewers {
        total: platforms.values().sum(),
        platforms,
        updated_at: now,
    }
}
