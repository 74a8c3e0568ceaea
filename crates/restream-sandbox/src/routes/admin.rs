//! `/sandbox/*`: the admin surface that tests and demos use to set up clients and inject faults.
//! Every route needs `Authorization: Bearer <admin token>`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_error::{ApiError, truncate};
use crate::db;
use crate::faults::FaultSpec;
use crate::hub::UserKey;
use crate::model::{BroadcastStatus, Comment, ErrorInfo, Job, JobStatus};
use crate::platform::{self, Platform};
use crate::random_token::random_token;
use crate::routes::json_body::{JsonBody, RawBody, decode};
use crate::routes::params::Params;
use crate::seed::ALL_SCOPES;
use crate::settings::{Tunables, TunablesPatch};
use crate::sim::{Mutated, add_comments, audience_comment, mutate_job, new_comment_id};
use crate::state::{AppState, SessionFault};
use crate::stats::StatsSnapshot;
use crate::store;

const VALID_SCOPES: [&str; 4] = ["connect", "restream", "read", "chat:write"];

fn check_scopes(scopes: &[String]) -> Result<String, ApiError> {
    if let Some(bad) = scopes.iter().find(|s| !VALID_SCOPES.contains(&s.as_str())) {
        return Err(ApiError::invalid_request(format!(
            "scopes: `{}` is not a scope",
            truncate(bad)
        )));
    }
    Ok(scopes.join(" "))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewClient {
    name: String,
    /// Enabled platforms (default: all five).
    platforms: Option<Vec<Platform>>,
    scopes: Option<Vec<String>>,
    origins: Option<Vec<String>>,
    redirect_uris: Option<Vec<String>>,
}

/// `POST /sandbox/clients`: a client with a publishable and a secret key.
pub async fn create_client(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<NewClient>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scopes = match &body.scopes {
        Some(s) => check_scopes(s)?,
        None => ALL_SCOPES.to_owned(),
    };
    let client_id = format!("client_{}", random_token(12));
    let publishable = format!("pk_test_{}", random_token(32));
    let secret = format!("sk_test_{}", random_token(40));
    let enabled = body.platforms.unwrap_or_else(|| Platform::ALL.to_vec());
    let origins = body.origins.unwrap_or_default();
    let redirects = body.redirect_uris.unwrap_or_default();
    let (id, pk, sk) = (client_id.clone(), publishable.clone(), secret.clone());
    let now = db::now_ms();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            tx.execute("INSERT INTO clients (id, name, created_at) VALUES (?1, ?2, ?3)", params![id, body.name, now])?;
            for p in Platform::ALL {
                tx.execute(
                    "INSERT INTO client_platforms (client_id, platform, enabled) VALUES (?1, ?2, ?3)",
                    params![id, p.as_str(), enabled.contains(&p)],
                )?;
            }
            for (key, kind) in [(&pk, "publishable"), (&sk, "secret")] {
                tx.execute(
                    "INSERT INTO api_keys (key, client_id, kind, scopes, active, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)",
                    params![key, id, kind, scopes, now],
                )?;
            }
            for origin in &origins {
                tx.execute("INSERT OR IGNORE INTO key_origins (key, origin) VALUES (?1, ?2)", params![pk, origin])?;
            }
            for uri in &redirects {
                tx.execute("INSERT OR IGNORE INTO redirect_uris (client_id, uri) VALUES (?1, ?2)", params![id, uri])?;
            }
            tx.commit()
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "clientId": client_id, "publishableKey": publishable, "secretKey": secret })),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewKey {
    kind: String,
    scopes: Vec<String>,
    origins: Option<Vec<String>>,
}

/// `POST /sandbox/clients/{clientId}/keys`
pub async fn create_key(
    State(state): State<AppState>,
    Params(client_id): Params<String>,
    JsonBody(body): JsonBody<NewKey>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let prefix = match body.kind.as_str() {
        "publishable" => "pk_test_",
        "secret" => "sk_test_",
        _ => return Err(ApiError::invalid_request("kind must be publishable or secret")),
    };
    let scopes = check_scopes(&body.scopes)?;
    let key = format!("{prefix}{}", random_token(32));
    let (k, kind, origins) = (key.clone(), body.kind, body.origins.unwrap_or_default());
    let now = db::now_ms();
    let created = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let exists: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM clients WHERE id = ?1)", params![client_id], |r| r.get(0))?;
            if !exists {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO api_keys (key, client_id, kind, scopes, active, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)",
                params![k, client_id, kind, scopes, now],
            )?;
            for origin in &origins {
                tx.execute("INSERT OR IGNORE INTO key_origins (key, origin) VALUES (?1, ?2)", params![k, origin])?;
            }
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !created {
        return Err(ApiError::not_found_what("client"));
    }
    Ok((StatusCode::CREATED, Json(json!({ "key": key }))))
}

/// `DELETE /sandbox/keys/{key}`: revokes a key.
pub async fn revoke_key(
    State(state): State<AppState>,
    Params(key): Params<String>,
) -> Result<StatusCode, ApiError> {
    let n = state
        .db
        .call(move |conn| conn.execute("UPDATE api_keys SET active = 0 WHERE key = ?1", params![key]))
        .await?;
    if n == 0 {
        Err(ApiError::not_found_what("key"))
    } else {
        Ok(StatusCode::NO_CONTENT)
    }
}

/// `GET /sandbox/settings`
pub async fn get_settings(State(state): State<AppState>) -> Result<Json<Tunables>, ApiError> {
    Ok(Json(state.settings.get()))
}

/// `PUT /sandbox/settings`: chat rate, failing platforms, timings, token lifetimes, viewer curves.
pub async fn put_settings(
    State(state): State<AppState>,
    JsonBody(patch): JsonBody<TunablesPatch>,
) -> Result<Json<Tunables>, ApiError> {
    patch.validate().map_err(ApiError::invalid_request)?;
    Ok(Json(state.settings.apply(patch)))
}

/// `PUT /sandbox/sessions/{sessionId}`: whether a publisher session is live and has audio.
pub async fn put_session(
    State(state): State<AppState>,
    Params(session): Params<String>,
    JsonBody(fault): JsonBody<SessionFault>,
) -> Result<StatusCode, ApiError> {
    state.set_session_fault(session, fault);
    Ok(StatusCode::NO_CONTENT)
}

async fn job_owner(state: &AppState, id: String) -> Result<(UserKey, Job), ApiError> {
    state
        .db
        .call(move |conn| store::job_by_id(conn, &id))
        .await?
        .ok_or_else(|| ApiError::not_found_what("job"))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Burst {
    count: u32,
    platform: Option<Platform>,
    message: Option<String>,
    author: Option<String>,
}

/// `POST /sandbox/jobs/{id}/comments`: a burst of N audience comments (or N copies of one given
/// message, e.g. hostile text), stored and streamed in order. Answers their ids.
pub async fn burst(
    State(state): State<AppState>,
    Params(id): Params<String>,
    JsonBody(body): JsonBody<Burst>,
) -> Result<Json<Value>, ApiError> {
    if !(1..=10_000).contains(&body.count) {
        return Err(ApiError::invalid_request("count must be between 1 and 10000"));
    }
    let (user, job) = job_owner(&state, id).await?;
    let comments: Vec<Comment> = (0..body.count as usize)
        .map(|i| {
            let platform = body
                .platform
                .unwrap_or(job.destinations[i % job.destinations.len()]);
            let mut comment = audience_comment(&state.base_url, platform);
            comment.id = new_comment_id();
            if let Some(message) = &body.message {
                comment.message = message.clone();
            }
            if let Some(author) = &body.author {
                comment.author = author.clone();
            }
            comment
        })
        .collect();
    let ids: Vec<String> = comments.iter().map(|c| c.id.clone()).collect();
    add_comments(&state, &user, &job.id, comments, None).await?;
    Ok(Json(json!({ "ids": ids })))
}

/// `GET /sandbox/jobs/{id}/comments`: the ids the sandbox stores for a job, oldest first.
pub async fn stored_comments(
    State(state): State<AppState>,
    Params(id): Params<String>,
) -> Result<Json<Value>, ApiError> {
    let ids = state.db.call(move |conn| store::comment_ids(conn, &id)).await?;
    Ok(Json(json!({ "ids": ids })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Failure {
    code: Option<String>,
    message: Option<String>,
}

/// An optional JSON body: empty means none.
fn optional_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<Option<T>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(None)
    } else {
        decode(body).map(Some)
    }
}

fn failure_info(body: Option<Failure>, default_code: &str, default_message: &str) -> ErrorInfo {
    let body = body.unwrap_or_default();
    ErrorInfo::new(
        body.code.as_deref().unwrap_or(default_code),
        body.message.unwrap_or_else(|| default_message.to_owned()),
    )
}

/// `POST /sandbox/jobs/{id}/broadcasts/{platform}/fail`
pub async fn fail_broadcast(
    State(state): State<AppState>,
    Params((id, name)): Params<(String, String)>,
    RawBody(body): RawBody,
) -> Result<Json<Job>, ApiError> {
    let platform = platform::from_path(&name)?;
    let error = failure_info(
        optional_body(&body)?,
        "platform_rejected",
        "The platform refused the stream",
    );
    let Mutated { job, .. } = mutate_job(&state, &id, move |_, job| {
        let Some(b) = job.broadcast_mut(platform) else {
            return Err(ApiError::invalid_request(format!(
                "{} is not a destination",
                platform.display_name()
            )));
        };
        b.status = BroadcastStatus::Failed;
        b.error = Some(error);
        Ok(true)
    })
    .await?;
    Ok(Json(job))
}

/// `POST /sandbox/jobs/{id}/fail`
pub async fn fail_job(
    State(state): State<AppState>,
    Params(id): Params<String>,
    RawBody(body): RawBody,
) -> Result<Json<Job>, ApiError> {
    let error = failure_info(optional_body(&body)?, "internal", "The restream worker failed");
    let Mutated { job, .. } = mutate_job(&state, &id, move |_, job| {
        job.error = Some(error);
        job.settle(JobStatus::Failed, db::now_ms());
        Ok(true)
    })
    .await?;
    Ok(Json(job))
}

/// `POST /sandbox/jobs/{id}/end`: the source session ended.
pub async fn end_job(
    State(state): State<AppState>,
    Params(id): Params<String>,
) -> Result<Json<Job>, ApiError> {
    let Mutated { job, .. } = mutate_job(&state, &id, |_, job| {
        job.settle(JobStatus::Ended, db::now_ms());
        Ok(true)
    })
    .await?;
    Ok(Json(job))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reauth {
    client_id: Option<String>,
    user_id: String,
    platform: Platform,
}

/// `POST /sandbox/connections/reauth`: the platform revoked access; the link needs reconnecting.
pub async fn mark_reauth(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Reauth>,
) -> Result<StatusCode, ApiError> {
    let user = (
        body.client_id
            .unwrap_or_else(|| crate::seed::DEMO_CLIENT_ID.to_owned()),
        body.user_id,
    );
    let marked = state
        .db
        .call(move |conn| store::mark_reauth(conn, &user, body.platform))
        .await?;
    if marked {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_connected",
            "That platform is not connected for that user",
        ))
    }
}

/// `POST /sandbox/faults`: the next `count` requests to a route answer a status and/or wait.
pub async fn add_fault(
    State(state): State<AppState>,
    JsonBody(spec): JsonBody<FaultSpec>,
) -> Result<StatusCode, ApiError> {
    if !state.faults.knows(&spec.route) {
        return Err(ApiError::invalid_request(format!(
            "route `{}` is not in the route table; write it as `METHOD /path/{{param}}`",
            truncate(&spec.route)
        )));
    }
    state.faults.add(spec).map_err(ApiError::invalid_request)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /sandbox/faults`
pub async fn clear_faults(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    state.faults.clear();
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /sandbox/streams/drop`: closes every open chat stream.
pub async fn drop_streams(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    state.hub.drop_all_streams();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stall {
    stalled: bool,
}

/// `PUT /sandbox/streams/stall`: open streams (and new ones, after their headers) go silent.
pub async fn stall_streams(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Stall>,
) -> Result<StatusCode, ApiError> {
    state.hub.set_stalled(body.stalled);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /sandbox/tokens/expire`: every restream token and operator access token expires now.
pub async fn expire_tokens(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    let past = db::now_ms() - 1;
    state
        .db
        .call(move |conn| {
            conn.execute(
                "UPDATE tokens SET expires_at = ?1 WHERE expires_at > ?1",
                params![past],
            )?;
            conn.execute(
                "UPDATE operator_access_tokens SET expires_at = ?1 WHERE expires_at > ?1",
                params![past],
            )
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /sandbox/operator/revoke`: every operator sign-in is revoked (refresh tokens stop working).
pub async fn revoke_operator(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    state
        .db
        .call(|conn| {
            conn.execute("DELETE FROM operator_access_tokens", [])?;
            conn.execute("UPDATE operator_grants SET revoked = 1", [])
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /sandbox/stats`
pub async fn stats(State(state): State<AppState>) -> Result<Json<StatsSnapshot>, ApiError> {
    Ok(Json(state.stats.snapshot()))
}
