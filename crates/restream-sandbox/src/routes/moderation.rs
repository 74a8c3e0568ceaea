//! v1.1 `POST /chat/moderation`: the streamer deletes a comment, or times out, bans or unbans an
//! author, on one platform. The admin surface's twin acts as a moderator on the platform itself
//! (`by: "platform"`), as when a Twitch moderator removes a message there.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::api_error::ApiError;
use crate::auth::Caller;
use crate::db;
use crate::hub::{HubEvent, UserKey};
use crate::moderation::{self, By, Outcome, RawRequest};
use crate::routes::connections::user_key;
use crate::routes::json_body::JsonBody;
use crate::state::AppState;

/// `POST /api/v1/chat/moderation`
pub async fn moderate(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<RawRequest>,
) -> Result<Json<Outcome>, ApiError> {
    if !state.moderation {
        // As a v1 service: the route does not exist.
        return Err(ApiError::not_found());
    }
    act(&state, user_key(caller), body, By::Streamer).await
}

/// The body of `POST /sandbox/moderation`: whose chat (the demo client's unless `clientId` says
/// otherwise), and the action as the contract's route takes it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformModerator {
    user_id: String,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(flatten)]
    request: RawRequest,
}

/// `POST /sandbox/moderation`
pub async fn moderate_on_platform(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<PlatformModerator>,
) -> Result<Json<Outcome>, ApiError> {
    if body.user_id.trim().is_empty() {
        return Err(ApiError::invalid_request("userId: must not be empty"));
    }
    let client = body
        .client_id
        .unwrap_or_else(|| crate::seed::DEMO_CLIENT_ID.to_owned());
    act(&state, (client, body.user_id), body.request, By::Platform).await
}

async fn act(state: &AppState, user: UserKey, body: RawRequest, by: By) -> Result<Json<Outcome>, ApiError> {
    let request = body.check()?;
    let publisher = state.clone();
    let now = db::now_ms();
    state
        .db
        .call(move |conn| {
            let applied = moderation::apply(conn, &user, &request, by, now)?;
            // Published while the database is held, so the event keeps its place in the sequence.
            if let Ok((_, Some(stored))) = &applied {
                publisher.hub.publish(
                    &user,
                    HubEvent::Sequenced {
                        seq: stored.seq,
                        kind: "moderation",
                        id: stored.id.as_str().into(),
                        json: stored.json.as_str().into(),
                    },
                );
            }
            Ok(applied)
        })
        .await?
        .map(|(outcome, _)| Json(outcome))
}
