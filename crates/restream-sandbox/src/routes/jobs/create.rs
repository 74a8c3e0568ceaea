//! `POST /jobs`: going live. A repeated `Idempotency-Key` answers the job it made; every
//! destination must be enabled and connected; and the new job supersedes the user's active one in
//! the same transaction, so there is never more than one live job per user.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::api_error::ApiError;
use crate::auth::Caller;
use crate::db;
use crate::model::{Job, JobStatus};
use crate::platform::Platform;
use crate::routes::connections::{platform_not_enabled, user_key};
use crate::routes::jobs::go_live::{GoLiveRequest, new_job, validate};
use crate::routes::json_body::{JsonBody, decode};
use crate::sim::{self, publish_job};
use crate::state::AppState;
use crate::store;

/// How long an `Idempotency-Key` is remembered.
const IDEMPOTENCY_WINDOW_MS: i64 = 10 * 60 * 1000;

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
