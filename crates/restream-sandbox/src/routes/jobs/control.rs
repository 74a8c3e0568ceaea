//! The owner's changes to a job: stop, the overlay `PATCH` and retrying a failed destination. Each
//! is refused on a superseded job and answered as not found on another user's job.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value};

use crate::api_error::{ApiError, truncate};
use crate::auth::Caller;
use crate::hub::UserKey;
use crate::model::{BroadcastStatus, Job, JobStatus};
use crate::platform;
use crate::routes::connections::user_key;
use crate::routes::jobs::go_live::check_banner;
use crate::routes::json_body::JsonBody;
use crate::routes::params::Params;
use crate::sim::{self, Mutated, mutate_job};
use crate::state::AppState;

fn superseded(job: &Job) -> Result<(), ApiError> {
    match &job.superseded_by {
        Some(by) => Err(ApiError::conflict(
            "superseded",
            format!("Job {} was superseded by {by}", job.id),
        )),
        None => Ok(()),
    }
}

fn check_owner(caller: &UserKey, owner: &UserKey) -> Result<(), ApiError> {
    if caller == owner {
        Ok(())
    } else {
        Err(ApiError::not_found_what("job"))
    }
}

/// `POST /jobs/{id}/stop`
pub async fn stop(
    State(state): State<AppState>,
    Params(id): Params<String>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Job>, ApiError> {
    let user = user_key(caller);
    let Mutated { job, .. } = mutate_job(&state, &id, move |owner, job| {
        check_owner(&user, owner)?;
        superseded(job)?;
        if job.status.is_active() {
            job.status = JobStatus::Stopping;
            Ok(true)
        } else {
            // Stopping, stopped, ended or failed: stop is idempotent.
            Ok(false)
        }
    })
    .await?;
    if job.status == JobStatus::Stopping {
        sim::schedule_stop(&state, job.id.clone());
    }
    Ok(Json(job))
}

/// A banner change: `None` = absent (unchanged), `Some(None)` = remove.
#[derive(Debug, Default)]
struct OverlayPatch {
    top_banner: Option<Option<String>>,
    bottom_banner: Option<Option<String>>,
    hide_top: Option<Option<bool>>,
    hide_bottom: Option<Option<bool>>,
}

fn parse_overlay_patch(body: Map<String, Value>) -> Result<OverlayPatch, ApiError> {
    let mut patch = OverlayPatch::default();
    for (field, value) in body {
        match field.as_str() {
            "topBanner" | "bottomBanner" => {
                let url = match value {
                    Value::Null => None,
                    Value::String(u) => check_banner(&field, Some(u))?,
                    _ => {
                        return Err(ApiError::invalid_request(format!(
                            "{field} must be a URL string or null"
                        )));
                    }
                };
                if field == "topBanner" {
                    patch.top_banner = Some(url);
                } else {
                    patch.bottom_banner = Some(url);
                }
            }
            "hideTop" | "hideBottom" => {
                let flag = match value {
                    Value::Null => None,
                    Value::Bool(b) => Some(b),
                    _ => {
                        return Err(ApiError::invalid_request(format!(
                            "{field} must be true, false or null"
                        )));
                    }
                };
                if field == "hideTop" {
                    patch.hide_top = Some(flag);
                } else {
                    patch.hide_bottom = Some(flag);
                }
            }
            "htmlBanner" => {
                return Err(ApiError::invalid_request(
                    "htmlBanner is set at go-live only, not in a PATCH",
                ));
            }
            other => {
                return Err(ApiError::invalid_request(format!(
                    "{}: unknown field; use topBanner, bottomBanner, hideTop or hideBottom",
                    truncate(other)
                )));
            }
        }
    }
    Ok(patch)
}

/// `PATCH /jobs/{id}/overlay`
pub async fn overlay(
    State(state): State<AppState>,
    Params(id): Params<String>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Json<Job>, ApiError> {
    let user = user_key(caller);
    let patch = parse_overlay_patch(body)?;
    let Mutated { job, .. } = mutate_job(&state, &id, move |owner, job| {
        check_owner(&user, owner)?;
        superseded(job)?;
        if !job.status.is_active() {
            return Err(ApiError::conflict(
                "job_not_active",
                format!(
                    "The overlay can change only while the job is queued or running (it is {})",
                    job.status.as_str()
                ),
            ));
        }
        let o = &mut job.overlay;
        if let Some(top) = patch.top_banner {
            o.top_banner = top;
        }
        if let Some(bottom) = patch.bottom_banner {
            o.bottom_banner = bottom;
        }
        if let Some(hide) = patch.hide_top {
            o.hide_top = hide.unwrap_or(false);
        }
        if let Some(hide) = patch.hide_bottom {
            o.hide_bottom = hide.unwrap_or(false);
        }
        Ok(true)
    })
    .await?;
    Ok(Json(job))
}

/// `POST /jobs/{id}/broadcasts/{platform}/retry`
pub async fn retry(
    State(state): State<AppState>,
    Params((id, name)): Params<(String, String)>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Job>, ApiError> {
    let platform = platform::from_path(&name)?;
    let user = user_key(caller);
    let Mutated { job, .. } = mutate_job(&state, &id, move |owner, job| {
        check_owner(&user, owner)?;
        superseded(job)?;
        if job.status != JobStatus::Running {
            return Err(ApiError::conflict(
                "job_not_active",
                format!(
                    "A destination can be retried only while the job is running (it is {})",
                    job.status.as_str()
                ),
            ));
        }
        let Some(broadcast) = job.broadcast_mut(platform) else {
            return Err(ApiError::invalid_request(format!(
                "{} is not a destination of this job",
                platform.display_name()
            )));
        };
        if broadcast.status != BroadcastStatus::Failed {
            // Only a failed destination restarts; retrying a healthy one changes nothing.
            return Ok(false);
        }
        broadcast.status = BroadcastStatus::Connecting;
        broadcast.error = None;
        Ok(true)
    })
    .await?;
    if job
        .broadcasts
        .iter()
        .any(|b| b.platform == platform && b.status == BroadcastStatus::Connecting)
    {
        sim::schedule_retry(&state, job.id.clone(), platform);
    }
    Ok(Json(job))
}
