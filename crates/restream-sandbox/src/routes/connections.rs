use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::auth::Caller;
use crate::db;
use crate::hub::UserKey;
use crate::platform::{self, Platform};
use crate::random_token::random_token;
use crate::routes::json_body::JsonBody;
use crate::routes::params::Params;
use crate::state::AppState;
use crate::store::{self, AuthorizationRecord};

pub fn user_key(caller: Caller) -> UserKey {
    (caller.client_id, caller.user_id.unwrap_or_default())
}

/// `GET /connections`
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, ApiError> {
    let user = user_key(caller);
    let connections = state
        .db
        .call(move |conn| store::list_connections(conn, &user))
        .await?;
    Ok(Json(json!({ "connections": connections })))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizeRequest {
    redirect_uri: String,
    state: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizeResponse {
    authorize_url: String,
    expires_in: u32,
}

/// The contract's `state`: 22–256 characters of `[A-Za-z0-9._~-]`.
pub fn state_ok(state: &str) -> bool {
    (22..=256).contains(&state.len())
        && state
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-'))
}

/// `POST /connections/{platform}/authorize`
pub async fn authorize_platform(
    State(state): State<AppState>,
    Params(name): Params<String>,
    Extension(caller): Extension<Caller>,
    JsonBody(request): JsonBody<AuthorizeRequest>,
) -> Result<Json<AuthorizeResponse>, ApiError> {
    let platform = platform::from_path(&name)?;
    let user = user_key(caller);
    let ttl = state.settings.get().authorization_ttl_seconds;
    let now = db::now_ms();
    let record = AuthorizationRecord {
        id: format!("auth_{}", random_token(24)),
        user,
        platform,
        state: request.state,
        redirect_uri: request.redirect_uri,
        status: "pending".into(),
        error: None,
        expires_at: now + i64::from(ttl) * 1000,
    };
    let id = record.id.clone();
    state
        .db
        .call(move |conn| {
            // The redirect URI is checked first, as the contract says.
            if !store::redirect_uri_registered(conn, &record.user.0, &record.redirect_uri)? {
                return Ok(Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "redirect_uri_not_allowed",
                    "redirectUri is not registered for this client",
                )));
            }
            if !state_ok(&record.state) {
                return Ok(Err(ApiError::invalid_request(
                    "state must be 22-256 characters of A-Z a-z 0-9 . _ ~ -",
                )));
            }
            if !store::platform_enabled(conn, &record.user.0, record.platform)? {
                return Ok(Err(platform_not_enabled(record.platform)));
            }
            store::insert_authorization(conn, &record, now)?;
            Ok(Ok(()))
        })
        .await??;
    Ok(Json(AuthorizeResponse {
        authorize_url: format!("{}/hosted/consent/{id}", state.base_url),
        expires_in: ttl,
    }))
}

pub fn platform_not_enabled(platform: Platform) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "platform_not_enabled",
        format!("{} is not enabled for this client", platform.display_name()),
    )
}

/// `GET /connections/authorizations/{state}`
pub async fn authorization_status(
    State(state): State<AppState>,
    Params(client_state): Params<String>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, ApiError> {
    let user = user_key(caller);
    let client_id = user.0.clone();
    let found = state
        .db
        .call(move |conn| store::authorization_by_state(conn, &client_id, &client_state))
        .await?;
    let Some(record) = found.filter(|r| r.user == user) else {
        return Err(ApiError::not_found_what("authorization"));
    };
    // Expired whether nobody answered in time or the answer came too late.
    let expired = (record.status == "pending" && db::now_ms() >= record.expires_at)
        || (record.status == "error" && record.error.as_deref() == Some("expired"));
    let status = if expired {
        "expired"
    } else {
        record.status.as_str()
    };
    let mut body = json!({ "status": status, "platform": record.platform });
    if let Some(error) = record.error.filter(|_| !expired) {
        body["error"] = Value::String(error);
    }
    Ok(Json(body))
}

/// `DELETE /connections/{platform}`
pub async fn disconnect(
    State(state): State<AppState>,
    Params(name): Params<String>,
    Extension(caller): Extension<Caller>,
) -> Result<StatusCode, ApiError> {
    let platform = platform::from_path(&name)?;
    let user = user_key(caller);
    let removed = state
        .db
        .call(move |conn| store::delete_connection(conn, &user, platform))
        .await?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_connected",
            format!("{} is not connected", platform.display_name()),
        ))
    }
}
