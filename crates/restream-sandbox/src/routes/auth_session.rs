use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::auth::Caller;
use crate::db::{self, TokenRecord};
use crate::routes::json_body::JsonBody;
use crate::state::AppState;

const DEFAULT_TTL_SECONDS: u32 = 900;
const MAX_TTL_SECONDS: u32 = 86_400;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MintRequest {
    user_id: String,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    scopes: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    ttl_seconds: Option<u32>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MintResponse {
    token: String,
    expires_in: u32,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", message)
}

/// `POST /api/v1/auth/session` (secret key): mints a short-lived token bound to `userId`.
pub async fn mint(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(request): JsonBody<MintRequest>,
) -> Result<(StatusCode, Json<MintResponse>), ApiError> {
    if request.user_id.is_empty() {
        return Err(invalid("userId must not be empty"));
    }
    let ttl = request.ttl_seconds.unwrap_or(DEFAULT_TTL_SECONDS);
    if !(1..=MAX_TTL_SECONDS).contains(&ttl) {
        return Err(invalid(format!(
            "ttlSeconds must be between 1 and {MAX_TTL_SECONDS}"
        )));
    }
    // A token may carry only scopes its client's secret key holds.
    let scopes = match request.scopes {
        None => caller.scopes.clone(),
        Some(asked) => {
            if let Some(extra) = asked.iter().find(|s| !caller.scopes.contains(s)) {
                return Err(invalid(format!(
                    "scopes: `{extra}` is not a scope this client has"
                )));
            }
            asked
        }
    };
    let now = db::now_ms();
    let record = TokenRecord {
        client_id: caller.client_id,
        user_id: request.user_id,
        scopes,
        expires_at_ms: now + i64::from(ttl) * 1000,
    };
    let token = state
        .db
        .call(move |conn| db::mint_token(conn, &record, now))
        .await?;
    state.stats.token_minted();
    Ok((
        StatusCode::CREATED,
        Json(MintResponse {
            token,
            expires_in: ttl,
        }),
    ))
}
