use axum::Extension;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::api_error::{ApiError, truncate};
use crate::auth::Caller;
use crate::db;
use crate::model::JobStatus;
use crate::model::{BroadcastStatus, Comment};
use crate::platform::Platform;
use crate::routes::connections::user_key;
use crate::routes::json_body::JsonBody;
use crate::sim::{add_comments, new_comment_id};
use crate::state::AppState;
use crate::store;

/// Longest message, in Unicode scalar values.
pub const MAX_MESSAGE_CHARS: usize = 500;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    message: String,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    platforms: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct SendResult {
    platform: Platform,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct SendResponse {
    results: Vec<SendResult>,
}

/// `POST /chat`: sends to every destination (or the chosen ones) and echoes each delivery into
/// the feed as the streamer's own comment.
pub async fn send(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(request): JsonBody<SendRequest>,
) -> Result<Json<SendResponse>, ApiError> {
    let user = user_key(caller);
    // White space and control characters alone show nothing on any platform. The document states
    // the same rule as a pattern, and this is the set that pattern means in every regex dialect.
    if !request
        .message
        .chars()
        .any(|c| !c.is_whitespace() && !c.is_control())
    {
        return Err(ApiError::invalid_request(
            "message must not be empty: it needs a character that is not white space or a control character",
        ));
    }
    let length = request.message.chars().count();
    if length > MAX_MESSAGE_CHARS {
        return Err(ApiError::invalid_request(format!(
            "message is {length} characters; the limit is {MAX_MESSAGE_CHARS}"
        )));
    }
    let asked = match &request.platforms {
        None => None,
        Some(names) => {
            let mut platforms = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let p = Platform::parse(name).ok_or_else(|| {
                    ApiError::invalid_request(format!(
                        "platforms[{i}]: unknown platform `{}`",
                        truncate(name)
                    ))
                })?;
                if !platforms.contains(&p) {
                    platforms.push(p);
                }
            }
            if platforms.is_empty() {
                return Err(ApiError::invalid_request(
                    "platforms must name at least one platform when given",
                ));
            }
            Some(platforms)
        }
    };
    let owner = user.clone();
    let job = state
        .db
        .call(move |conn| store::current_job(conn, &owner))
        .await?
        .filter(|job| job.status.is_active())
        .ok_or_else(|| ApiError::conflict("not_live", "There is no live job to chat in: go live first"))?;
    let connections = {
        let owner = user.clone();
        state
            .db
            .call(move |conn| store::list_connections(conn, &owner))
            .await?
    };
    let failing = state.settings.get().chat_fail_platforms;
    let targets = asked.unwrap_or_else(|| job.destinations.clone());
    let mut results = Vec::new();
    for platform in targets {
        let broadcast = job.broadcasts.iter().find(|b| b.platform == platform);
        let mut error = match broadcast {
            None => Some("not_a_destination"),
            Some(_) if failing.contains(&platform) => Some("platform_rejected"),
            Some(b) if b.status == BroadcastStatus::Failed => Some("destination_failed"),
            Some(_) => None,
        };
        if error.is_none() {
            let account = connections.iter().find(|c| c.platform == platform);
            let echo = Comment {
                id: new_comment_id(),
                platform,
                author: account.map_or_else(|| user.1.clone(), |c| c.platform_username.clone()),
                author_id: account.map(|c| c.platform_user_id.clone()),
                author_avatar: None,
                message: request.message.clone(),
                timestamp: db::now_ms(),
                own: true,
            };
            // The job may have stopped since it was read; then nothing was delivered.
            let added = add_comments(&state, &user, &job.id, vec![echo], Some(JobStatus::is_active)).await?;
            if added.is_none() {
                error = Some("not_live");
            }
        }
        results.push(SendResult {
            platform,
            ok: error.is_none(),
            error,
        });
    }
    Ok(Json(SendResponse { results }))
}
