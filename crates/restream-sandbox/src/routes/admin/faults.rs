//! Faults a client must cope with: the next requests to a route failing or waiting, a publisher
//! session going offline or mute, chat streams dropping or stalling, tokens expiring, operator
//! sign-ins revoked, and a platform link that needs reconnecting.

use axum::extract::State;
use axum::http::StatusCode;
use rusqlite::params;
use serde::Deserialize;

use crate::api_error::{ApiError, truncate};
use crate::db;
use crate::faults::FaultSpec;
use crate::platform::Platform;
use crate::routes::json_body::JsonBody;
use crate::routes::params::Params;
use crate::state::{AppState, SessionFault};
use crate::store;
use crate::{live_sessions, session_sim};

/// The body of `PUT /sandbox/sessions/{sessionId}`: a fault on any session id (`live`, `audio`),
/// or, with `userId`, that user's simulated session (v1.1, source `external`) started
/// (`live: true`) or ended (`live: false`), for tests and demos without an ingest.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutSession {
    live: bool,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    audio: Option<bool>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    user_id: Option<String>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    client_id: Option<String>,
}

/// `PUT /sandbox/sessions/{sessionId}`
pub async fn put_session(
    State(state): State<AppState>,
    Params(session): Params<String>,
    JsonBody(body): JsonBody<PutSession>,
) -> Result<StatusCode, ApiError> {
    let Some(user_id) = body.user_id else {
        let audio = body.audio.ok_or_else(|| {
            ApiError::invalid_request(
                "audio: needed for a fault (or give userId to start or end a simulated session)",
            )
        })?;
        state.set_session_fault(
            session,
            SessionFault {
                live: body.live,
                audio,
            },
        );
        return Ok(StatusCode::NO_CONTENT);
    };
    if user_id.trim().is_empty() {
        return Err(ApiError::invalid_request("userId: must not be empty"));
    }
    if let Some(audio) = body.audio {
        state.set_session_fault(session.clone(), SessionFault { live: true, audio });
    }
    let user = (
        body.client_id
            .unwrap_or_else(|| crate::seed::DEMO_CLIENT_ID.to_owned()),
        user_id,
    );
    let now = db::now_ms();
    let id = session.clone();
    let owner = user.clone();
    if body.live {
        let started = state
            .db
            .call(move |conn| live_sessions::start_external(conn, &owner, &id, now))
            .await?;
        return match started {
            live_sessions::Simulated::Started(started) => {
                session_sim::say(&state, &user, &started, "live");
                Ok(StatusCode::NO_CONTENT)
            }
            // Already live (or the id is another session's): nothing changes, nothing is said.
            live_sessions::Simulated::Taken => Ok(StatusCode::NO_CONTENT),
            live_sessions::Simulated::NoClient => Err(ApiError::not_found_what("client")),
        };
    }
    let ended = state
        .db
        .call(move |conn| live_sessions::end(conn, &owner, &id, now))
        .await?;
    let Some(ended) = ended else {
        return Err(ApiError::not_found_what("live session of that user"));
    };
    session_sim::say(&state, &user, &ended, "ended");
    session_sim::end_mirrored_job(&state, &user, &session).await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reauth {
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
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
