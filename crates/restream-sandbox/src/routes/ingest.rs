//! v1.1 ingest: `GET /ingest` and `POST /ingest/rotate`, where the streamer's encoder sends its
//! media and with which stream key. The key is a secret: it is in these answers and nowhere else
//! (never in a log line).

use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::api_error::ApiError;
use crate::auth::Caller;
use crate::db;
use crate::ingest_keys;
use crate::live_sessions::{self, LiveSession};
use crate::routes::connections::user_key;
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RtmpIngest {
    url: String,
    stream_key: String,
}

/// The contract's answer: the sandbox offers RTMP only, so `whip` is always `null`.
#[derive(Debug, Serialize)]
pub struct Ingest {
    rtmp: Option<RtmpIngest>,
    whip: Option<()>,
}

/// The RTMP address the ingest listens on, or 404 `ingest_not_offered` when the sandbox was
/// started without one.
fn offered(state: &AppState) -> Result<String, ApiError> {
    state.ingest.as_ref().map(|i| i.rtmp_url.clone()).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "ingest_not_offered",
            "This service runs no ingest: send the stream where your operator says",
        )
    })
}

/// The ingest's answer with the stream key `key_of` reads or makes for the caller.
async fn answer(
    state: &AppState,
    caller: Caller,
    key_of: fn(&mut rusqlite::Connection, &crate::hub::UserKey, i64) -> rusqlite::Result<String>,
) -> Result<Json<Ingest>, ApiError> {
    let url = offered(state)?;
    let user = user_key(caller);
    let now = db::now_ms();
    let stream_key = state.db.call(move |conn| key_of(conn, &user, now)).await?;
    Ok(Json(Ingest {
        rtmp: Some(RtmpIngest { url, stream_key }),
        whip: None,
    }))
}

/// `GET /ingest`: the user's stream key, made on first ask and the same until rotated.
pub async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Ingest>, ApiError> {
    answer(&state, caller, ingest_keys::current).await
}

#[derive(Debug, Serialize)]
pub struct LiveSessions {
    sessions: Vec<LiveSession>,
}

/// `GET /sessions/live`: the user's sessions that have not ended, newest first (none on a
/// sandbox without an ingest).
pub async fn live(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<LiveSessions>, ApiError> {
    let user = user_key(caller);
    let sessions = state
        .db
        .call(move |conn| live_sessions::open(conn, &user))
        .await?;
    Ok(Json(LiveSessions { sessions }))
}

/// `POST /ingest/rotate`: a new stream key; the old one refuses new publishes.
pub async fn rotate(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Ingest>, ApiError> {
    answer(&state, caller, ingest_keys::rotate).await
}
