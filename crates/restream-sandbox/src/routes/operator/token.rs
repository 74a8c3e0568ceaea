//! `POST /operator/token`: trades an authorization code (with its PKCE verifier) or a refresh
//! token for an access token, rotating the refresh token on every use; and `POST /operator/revoke`,
//! which ends a sign-in. Both answer errors as RFC 6749 does.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::db;
use crate::random_token::random_token;
use crate::routes::json_body::RawBody;
use crate::state::AppState;

/// An RFC 6749 §5.2 error answer.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    code: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    refresh_token: Option<String>,
}

fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let digest = Sha256::digest(verifier.as_bytes());
    let computed = URL_SAFE_NO_PAD.encode(digest);
    // Constant-time comparison of equal-length strings.
    computed.len() == challenge.len()
        && computed
            .bytes()
            .zip(challenge.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Issues an access token for `grant_id`, and returns it with its lifetime.
fn issue_access(
    conn: &rusqlite::Connection,
    grant_id: &str,
    ttl_seconds: u32,
    now: i64,
) -> rusqlite::Result<String> {
    let token = format!("opa_{}", random_token(40));
    conn.execute(
        "INSERT INTO operator_access_tokens (token, grant_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token, grant_id, now + i64::from(ttl_seconds) * 1000],
    )?;
    Ok(token)
}

enum Grant {
    Issued { access: String, refresh: String },
    Refused(&'static str, &'static str),
}

/// `POST /operator/token` (form): `authorization_code` with PKCE, or `refresh_token` (rotating).
pub async fn token(State(state): State<AppState>, RawBody(body): RawBody) -> Response {
    let Ok(request) = serde_urlencoded::from_bytes::<TokenRequest>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The body must be a form",
        );
    };
    let ttl = state.settings.get().operator_access_ttl_seconds;
    let now = db::now_ms();
    let grant = match request.grant_type.as_deref() {
        Some("authorization_code") => {
            let (Some(code), Some(verifier), Some(client_id), Some(redirect_uri)) = (
                request.code,
                request.code_verifier,
                request.client_id,
                request.redirect_uri,
            ) else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "code, code_verifier, client_id and redirect_uri are required",
                );
            };
            state
                .db
                .call(move |conn| {
                    let tx = conn.transaction()?;
                    let row: Option<(String, String, String, String, i64, bool)> = tx
                        .query_row(
                            "SELECT client_id, user_id, redirect_uri, code_challenge, expires_at, used
                             FROM operator_codes WHERE code = ?1",
                            params![code],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                        )
                        .optional()?;
                    let Some((code_client, user_id, code_redirect, challenge, expires_at, used)) = row else {
                        return Ok(Grant::Refused("invalid_grant", "Unknown authorization code"));
                    };
                    // A code is one-shot: mark it used whatever happens next.
                    tx.execute(
                        "UPDATE operator_codes SET used = 1 WHERE code = ?1",
                        params![code],
                    )?;
                    let refusal = if used {
                        Some("The authorization code was already used")
                    } else if now >= expires_at {
                        Some("The authorization code expired")
                    } else if code_client != client_id || code_redirect != redirect_uri {
                        Some("client_id or redirect_uri does not match the authorization request")
                    } else if !pkce_matches(&verifier, &challenge) {
                        Some("code_verifier does not match the code_challenge")
                    } else {
                        None
                    };
                    if let Some(why) = refusal {
                        tx.commit()?;
                        return Ok(Grant::Refused("invalid_grant", why));
                    }
                    let grant_id = format!("grant_{}", random_token(20));
                    let refresh = format!("opr_{}", random_token(48));
                    tx.execute(
                        "INSERT INTO operator_grants (id, client_id, user_id, refresh_token, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![grant_id, code_client, user_id, refresh, now],
                    )?;
                    let access = issue_access(&tx, &grant_id, ttl, now)?;
                    tx.commit()?;
                    Ok(Grant::Issued { access, refresh })
                })
                .await
        }
        Some("refresh_token") => {
            let Some(presented) = request.refresh_token else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "refresh_token is required",
                );
            };
            let client_id = request.client_id;
            state
                .db
                .call(move |conn| {
                    let tx = conn.transaction()?;
                    let row: Option<(String, String, bool)> = tx
                        .query_row(
                            "SELECT id, client_id, revoked FROM operator_grants WHERE refresh_token = ?1",
                            params![presented],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .optional()?;
                    let Some((grant_id, grant_client, revoked)) = row else {
                        return Ok(Grant::Refused(
                            "invalid_grant",
                            "Unknown, rotated or revoked refresh token",
                        ));
                    };
                    if revoked {
                        return Ok(Grant::Refused("invalid_grant", "The sign-in was revoked"));
                    }
                    if client_id.is_some_and(|c| c != grant_client) {
                        return Ok(Grant::Refused(
                            "invalid_grant",
                            "The refresh token belongs to another client",
                        ));
                    }
                    // Rotation: the presented refresh token stops working now.
                    let refresh = format!("opr_{}", random_token(48));
                    tx.execute(
                        "UPDATE operator_grants SET refresh_token = ?2 WHERE id = ?1",
                        params![grant_id, refresh],
                    )?;
                    let access = issue_access(&tx, &grant_id, ttl, now)?;
                    tx.commit()?;
                    Ok(Grant::Issued { access, refresh })
                })
                .await
        }
        _ => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be authorization_code or refresh_token",
            );
        }
    };
    match grant {
        Ok(Grant::Issued { access, refresh }) => {
            state.stats.operator_token_granted();
            (
                [(header::CACHE_CONTROL, "no-store")],
                Json(json!({
                    "access_token": access,
                    "refresh_token": refresh,
                    "expires_in": ttl,
                    "token_type": "Bearer",
                })),
            )
                .into_response()
        }
        Ok(Grant::Refused(error, why)) => oauth_error(StatusCode::BAD_REQUEST, error, why),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct RevokeRequest {
    token: Option<String>,
}

/// `POST /operator/revoke` (RFC 7009): revokes the sign-in a refresh token belongs to. Always 200,
/// so a caller learns nothing about tokens it does not hold.
pub async fn revoke(State(state): State<AppState>, RawBody(body): RawBody) -> Response {
    let Ok(RevokeRequest { token: Some(token) }) = serde_urlencoded::from_bytes::<RevokeRequest>(&body)
    else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "token is required");
    };
    let done = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "DELETE FROM operator_access_tokens WHERE grant_id IN
                   (SELECT id FROM operator_grants WHERE refresh_token = ?1)",
                params![token],
            )?;
            tx.execute(
                "UPDATE operator_grants SET revoked = 1 WHERE refresh_token = ?1",
                params![token],
            )?;
            tx.commit()
        })
        .await;
    match done {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_the_rfc_7636_example() {
        assert!(pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches(
            "wrong",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
    }
}
