//! The v1.1 ingest's callback: the RTMP server in front of the sandbox (nginx's RTMP module in
//! tests) POSTs a form here on each publish (`call=publish`, `name` = the stream key) and when
//! one ends (`call=publish_done`). A 2xx answer lets a publish through; 403 refuses it. The path
//! carries the hook's secret (the READY line's `ingestHookUrl`), and the sandbox listens on
//! 127.0.0.1 only, so only a process on this machine that was told the URL can call it.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::api_error::ApiError;
use crate::db;
use crate::live_sessions::{self, Publish};
use crate::routes::json_body::RawBody;
use crate::routes::params::Params;
use crate::session_sim;
use crate::state::AppState;

/// The fields of the RTMP module's callback the sandbox reads; the others (`app`, `addr`, …) are
/// ignored.
#[derive(Debug, Deserialize)]
struct Callback {
    call: String,
    name: String,
}

/// `POST /ingest/rtmp/{secret}`
pub async fn hook(
    State(state): State<AppState>,
    Params(secret): Params<String>,
    RawBody(body): RawBody,
) -> Result<StatusCode, ApiError> {
    let Some(ingest) = state.ingest.as_ref() else {
        return Err(ApiError::not_found());
    };
    let expected = ingest.hook_secret.as_bytes();
    let same = secret.len() == expected.len()
        && secret
            .bytes()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(ApiError::not_found());
    }
    let Ok(Callback { call, name }) = serde_urlencoded::from_bytes::<Callback>(&body) else {
        return Err(ApiError::invalid_request(
            "the callback needs `call` and `name` (the stream key)",
        ));
    };
    let now = db::now_ms();
    match call.as_str() {
        "publish" => {
            let outcome = state
                .db
                .call(move |conn| live_sessions::publish(conn, &name, now))
                .await?;
            match outcome {
                Publish::Refused => Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "stream_key_refused",
                    "Unknown or rotated stream key: take the current one from GET /api/v1/ingest",
                )),
                Publish::Started(user, session) => {
                    session_sim::say(&state, &user, &session, "live");
                    Ok(StatusCode::OK)
                }
                Publish::Resumed => Ok(StatusCode::OK),
            }
        }
        "publish_done" => {
            let dropped = state
                .db
                .call(move |conn| live_sessions::dropped(conn, &name, now))
                .await?;
            if let Some(id) = dropped {
                session_sim::schedule_end(&state, id, now);
            }
            Ok(StatusCode::OK)
        }
        // Other callbacks (play, update, …) are not configured; nothing to do.
        _ => Ok(StatusCode::OK),
    }
}
