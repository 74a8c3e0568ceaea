//! `POST /operator/restream-token`: what an operator's backend does with its secret key, played by
//! the sandbox: the operator access token of a signed-in user buys a restream token for that user.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use crate::api_error::ApiError;
use crate::db::{self, TokenRecord};
use crate::state::AppState;

/// `POST /operator/restream-token` with the operator access token: mints a restream token bound
/// to the signed-in user (what an operator's backend does with its secret key).
pub async fn restream_token(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::missing_credential());
    };
    let access = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiError::invalid_credential("Authorization must be `Bearer <operator access token>`")
        })?
        .to_owned();
    let ttl = state.settings.get().restream_token_ttl_seconds;
    let now = db::now_ms();
    let minted = state
        .db
        .call(move |conn| {
            let row: Option<(String, String, i64, bool)> = conn
                .query_row(
                    "SELECT g.client_id, g.user_id, a.expires_at, g.revoked
                     FROM operator_access_tokens a JOIN operator_grants g ON g.id = a.grant_id
                     WHERE a.token = ?1",
                    params![access],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let (client_id, user_id) = match row {
                None | Some((_, _, _, true)) => {
                    return Ok(Err(ApiError::invalid_credential("Unknown or revoked operator access token")));
                }
                Some((_, _, expires_at, false)) if now >= expires_at => return Ok(Err(ApiError::token_expired())),
                Some((client_id, user_id, _, false)) => (client_id, user_id),
            };
            // The token carries every scope the client's secret key holds.
            let scopes: Option<String> = conn
                .query_row(
                    "SELECT scopes FROM api_keys WHERE client_id = ?1 AND kind = 'secret' AND active = 1 LIMIT 1",
                    params![client_id],
                    |r| r.get(0),
                )
                .optional()?;
            let record = TokenRecord {
                client_id,
                user_id,
                scopes: scopes.unwrap_or_default().split_whitespace().map(str::to_owned).collect(),
                expires_at_ms: now + i64::from(ttl) * 1000,
            };
            Ok(Ok(db::mint_token(conn, &record, now)?))
        })
        .await??;
    state.stats.token_minted();
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "token": minted, "expiresIn": ttl })),
    )
        .into_response())
}
