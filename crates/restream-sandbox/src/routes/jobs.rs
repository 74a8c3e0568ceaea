use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::api_error::{ApiError, truncate};
use crate::auth::Caller;
use crate::db;
use crate::hub::UserKey;
use crate::model::{Broadcast, BroadcastStatus, Job, JobStatus, Overlay, Track, banner_url_ok};
use crate::platform::{self, Platform};
use crate::random_token::random_token;
use crate::routes::connections::{platform_not_enabled, user_key};
use crate::routes::json_body::{JsonBody, decode};
use crate::routes::params::Params;
use crate::sim::{self, Mutated, mutate_job, publish_job};
use crate::state::AppState;
use crate::store;

/// How long an `Idempotency-Key` is remembered.
const IDEMPOTENCY_WINDOW_MS: i64 = 10 * 60 * 1000;
const MAX_TITLE_CHARS: usize = 140;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GoLiveRequest {
    publisher_session_id: String,
    destinations: Vec<String>,
    overlay: Option<OverlayInput>,
    recording: Option<bool>,
    track_names: Option<Vec<String>>,
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OverlayInput {
    enabled: Option<bool>,
    html_banner: Option<String>,
    top_banner: Option<String>,
    bottom_banner: Option<String>,
    hide_top: Option<bool>,
    hide_bottom: Option<bool>,
}

fn check_banner(field: &str, url: Option<String>) -> Result<Option<String>, ApiError> {
    match url {
        Some(u) if !banner_url_ok(&u) => Err(ApiError::invalid_request(format!(
            "{field} must be an https URL (http only on loopback): `{}`",
            truncate(&u)
        ))),
        other => Ok(other),
    }
}

/// A validated go-live request, before the database checks.
struct GoLive {
    session: String,
    destinations: Vec<Platform>,
    track_names: Vec<Track>,
    overlay: Overlay,
    recording: bool,
    title: Option<String>,
}

fn validate(request: GoLiveRequest) -> Result<GoLive, ApiError> {
    let session = request.publisher_session_id.trim().to_owned();
    if session.is_empty() {
        return Err(ApiError::invalid_request("publisherSessionId must not be empty"));
    }
    if request.destinations.is_empty() {
        return Err(ApiError::invalid_request(
            "destinations must name at least one platform",
        ));
    }
    let mut destinations = Vec::new();
    for (i, name) in request.destinations.iter().enumerate() {
        let platform = Platform::parse(name).ok_or_else(|| {
            ApiError::invalid_request(format!(
                "destinations[{i}]: unknown platform `{}`",
                truncate(name)
            ))
        })?;
        if destinations.contains(&platform) {
            return Err(ApiError::invalid_request(format!(
                "destinations[{i}]: `{name}` is listed twice"
            )));
        }
        destinations.push(platform);
    }
    let track_names = match request.track_names {
        None => vec![Track::Audio, Track::Video],
        Some(names) if names.is_empty() => {
            return Err(ApiError::invalid_request("trackNames must not be empty"));
        }
        Some(names) => {
            let mut tracks = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let track = match name.as_str() {
                    "audio" => Track::Audio,
                    "video" => Track::Video,
                    _ => {
                        return Err(ApiError::invalid_request(format!(
                            "trackNames[{i}]: must be \"audio\" or \"video\""
                        )));
                    }
                };
                if !tracks.contains(&track) {
                    tracks.push(track);
                }
            }
            tracks
        }
    };
    let overlay = match request.overlay {
        None => Overlay::default(),
        Some(o) => Overlay {
            enabled: o.enabled.unwrap_or(true),
            html_banner: check_banner("overlay.htmlBanner", o.html_banner)?,
            top_banner: check_banner("overlay.topBanner", o.top_banner)?,
            bottom_banner: check_banner("overlay.bottomBanner", o.bottom_banner)?,
            hide_top: o.hide_top.unwrap_or(false),
            hide_bottom: o.hide_bottom.unwrap_or(false),
        },
    };
    let title = match request.title {
        Some(t) if t.trim().is_empty() => {
            return Err(ApiError::invalid_request("title must not be empty when given"));
        }
        Some(t) if t.chars().count() > MAX_TITLE_CHARS => {
            return Err(ApiError::invalid_request(format!(
                "title must be at most {MAX_TITLE_CHARS} characters"
            )));
        }
        other => other,
    };
    Ok(GoLive {
        session,
        destinations,
        track_names,
        overlay,
        recording: request.recording.unwrap_or(false),
        title,
    })
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(value) => match value.to_str() {
            Ok(key) if !key.is_empty() && key.len() <= 255 => Ok(Some(key.to_owned())),
            _ => Err(ApiError::invalid_request(
                "Idempotency-Key must be 1-255 visible ASCII characters",
            )),
        },
    }
}

fn new_job(base_url: &str, go: GoLive) -> Job {
    let broadcasts = go
        .destinations
        .iter()
        .map(|&platform| {
            let broadcast_id = format!("bc_{}", random_token(16));
            Broadcast {
                platform,
                status: BroadcastStatus::Connecting,
                watch_url: Some(format!("{base_url}/watch/{}/{broadcast_id}", platform.as_str())),
                broadcast_id: Some(broadcast_id),
                error: None,
            }
        })
        .collect();
    Job {
        id: format!("job_{}", random_token(20)),
        status: JobStatus::Queued,
        destinations: go.destinations,
        publisher_session_id: go.session,
        track_names: go.track_names,
        overlay: go.overlay,
        recording: go.recording,
        title: go.title,
        created_at: db::now_ms(),
        started_at: None,
        ended_at: None,
        error: None,
        superseded_by: None,
        broadcasts,
    }
}

enum Created {
    New { job: Job },
    Repeat(Job),
}

/// `POST /jobs`
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<Job>), ApiError> {
    let user = user_key(caller);
    let key = idempotency_key(&headers)?;
    // serde_json's map is ordered by key, so equal bodies hash equally however they were written.
    let body_hash = hex(&Sha256::digest(body.to_string().as_bytes()));
    let now = db::now_ms();
    // A reused key is judged before the body: a different body is `idempotency_key_reused`,
    // whatever else is wrong with it.
    if let Some(key) = key.clone() {
        let (owner, hash) = (user.clone(), body_hash.clone());
        let earlier = state
            .db
            .call(move |conn| {
                let Some((earlier_hash, job_id)) =
                    store::idempotent_job(conn, &owner, &key, now - IDEMPOTENCY_WINDOW_MS)?
                else {
                    return Ok(None);
                };
                Ok(Some((
                    earlier_hash == hash,
                    store::job_by_id(conn, &job_id)?.map(|(_, j)| j),
                )))
            })
            .await?;
        match earlier {
            Some((false, _)) => {
                return Err(ApiError::invalid_request_code(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used with a different body",
                ));
            }
            Some((true, Some(job))) => return Ok((StatusCode::OK, Json(job))),
            _ => {}
        }
    }
    let go = validate(decode::<GoLiveRequest>(body.to_string().as_bytes())?)?;
    let job = new_job(&state.base_url, go);
    let owner = user.clone();
    let publisher = state.clone();
    let created = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            if let Some(key) = &key
                && let Some((hash, job_id)) =
                    store::idempotent_job(&tx, &owner, key, now - IDEMPOTENCY_WINDOW_MS)?
            {
                if hash != body_hash {
                    return Ok(Err(ApiError::invalid_request_code(
                        "idempotency_key_reused",
                        "This Idempotency-Key was used with a different body",
                    )));
                }
                if let Some((_, job)) = store::job_by_id(&tx, &job_id)? {
                    return Ok(Ok(Created::Repeat(job)));
                }
            }
            for &platform in &job.destinations {
                if !store::platform_enabled(&tx, &owner.0, platform)? {
                    return Ok(Err(platform_not_enabled(platform)));
                }
                match store::connection_status(&tx, &owner, platform)?.as_deref() {
                    Some("ok") => {}
                    Some(_) => return Ok(Err(not_connected(platform, "needs reconnecting"))),
                    None => return Ok(Err(not_connected(platform, "is not connected"))),
                }
            }
            // One live job per user: the new one supersedes the active one, synchronously.
            let superseded = match store::current_job(&tx, &owner)? {
                Some(mut old) if old.status.is_active() => {
                    old.superseded_by = Some(job.id.clone());
                    old.settle(JobStatus::Stopped, now);
                    store::update_job(&tx, &old)?;
                    Some(old)
                }
                _ => None,
            };
            store::insert_job(&tx, &owner, &job)?;
            if let Some(key) = &key {
                store::remember_idempotency(&tx, &owner, key, &body_hash, &job.id, now)?;
            }
            tx.commit()?;
            // Published while the database is held: the old job's end precedes the new job.
            if let Some(old) = &superseded {
                publish_job(&publisher, &owner, old);
            }
            publish_job(&publisher, &owner, &job);
            Ok(Ok(Created::New { job }))
        })
        .await??;
    match created {
        Created::Repeat(job) => Ok((StatusCode::OK, Json(job))),
        Created::New { job } => {
            sim::schedule_start(&state, job.id.clone());
            Ok((StatusCode::CREATED, Json(job)))
        }
    }
}

fn not_connected(platform: Platform, why: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "destination_not_connected",
        format!("{} {why}", platform.display_name()),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /jobs/current`
pub async fn current(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Job>, ApiError> {
    let user = user_key(caller);
    state
        .db
        .call(move |conn| store::current_job(conn, &user))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_job", "This user has no job yet"))
}

async fn owned_job(state: &AppState, user: &UserKey, id: String) -> Result<Job, ApiError> {
    match state.db.call(move |conn| store::job_by_id(conn, &id)).await? {
        Some((owner, job)) if owner == *user => Ok(job),
        // Another user's job is as unknown as a job that never existed.
        _ => Err(ApiError::not_found_what("job")),
    }
}

/// `GET /jobs/{id}`
pub async fn get(
    State(state): State<AppState>,
    Params(id): Params<String>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Job>, ApiError> {
    let user = user_key(caller);
    owned_job(&state, &user, id).await.map(Json)
}

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

/// `GET /jobs/{id}/viewers`
pub async fn viewers(
    State(state): State<AppState>,
    Params(id): Params<String>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<sim::Viewers>, ApiError> {
    let user = user_key(caller);
    let job = owned_job(&state, &user, id).await?;
    Ok(Json(sim::viewers(&state, &job, db::now_ms())))
}
