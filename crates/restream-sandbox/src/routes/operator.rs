//! The operator role for token mode (OAuth 2.0 authorization code + PKCE, RFC 8252), played by the
//! sandbox at the apiBase root: a sign-in page, the token endpoint with rotating refresh tokens,
//! the restream-token route, and revocation. The token endpoint answers errors as RFC 6749 does.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::api_error::ApiError;
use crate::db::{self, TokenRecord};
use crate::random_token::random_token;
use crate::routes::html::{escape, page};
use crate::routes::json_body::RawBody;
use crate::seed::DEMO_USER_ID;
use crate::state::AppState;
use crate::store;

/// How long an authorization code lives.
const CODE_TTL_MS: i64 = 60_000;

#[derive(Debug, Clone, Deserialize)]
struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    /// Only in the form the sign-in page posts.
    user_id: Option<String>,
    decision: Option<String>,
}

/// Checked sign-in request parameters.
struct SignIn {
    client_id: String,
    redirect_uri: String,
    state: String,
    code_challenge: String,
}

/// A loopback redirect (RFC 8252 §7.3): any port on 127.0.0.1, path /signin/callback.
fn loopback_redirect(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|u| {
        u.scheme() == "http"
            && u.host_str() == Some("127.0.0.1")
            && u.port().is_some()
            && u.path() == "/signin/callback"
            && u.query().is_none()
    })
}

fn bad_request_page(why: &str) -> Response {
    let body = format!("<h1>Sign-in request refused</h1><p>{}</p>", escape(why));
    (StatusCode::BAD_REQUEST, Html(page("Sign-in refused", &body))).into_response()
}

async fn check(state: &AppState, p: &AuthorizeParams) -> Result<SignIn, Response> {
    if p.response_type.as_deref() != Some("code") {
        return Err(bad_request_page("response_type must be code"));
    }
    if p.code_challenge_method.as_deref() != Some("S256") {
        return Err(bad_request_page("code_challenge_method must be S256"));
    }
    let challenge = p.code_challenge.clone().unwrap_or_default();
    if !(43..=128).contains(&challenge.len()) {
        return Err(bad_request_page("code_challenge must be 43-128 characters"));
    }
    let state_param = p.state.clone().filter(|s| !s.is_empty() && s.len() <= 256);
    let Some(state_param) = state_param else {
        return Err(bad_request_page("state is required (at most 256 characters)"));
    };
    let client_id = p.client_id.clone().unwrap_or_default();
    let redirect_uri = p.redirect_uri.clone().unwrap_or_default();
    let registered = {
        let (client_id, redirect_uri) = (client_id.clone(), redirect_uri.clone());
        state
            .db
            .call(move |conn| {
                let client: bool = conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM clients WHERE id = ?1)",
                    params![client_id],
                    |row| row.get(0),
                )?;
                Ok((
                    client,
                    store::redirect_uri_registered(conn, &client_id, &redirect_uri)?,
                ))
            })
            .await
    };
    match registered {
        Ok((false, _)) => Err(bad_request_page("Unknown client_id")),
        Ok((true, false)) if !loopback_redirect(&redirect_uri) => {
            Err(bad_request_page("redirect_uri is not registered for this client"))
        }
        Ok(_) => Ok(SignIn {
            client_id,
            redirect_uri,
            state: state_param,
            code_challenge: challenge,
        }),
        Err(e) => Err(e.into_response()),
    }
}

/// `GET /operator/authorize`: the operator's sign-in page.
pub async fn sign_in_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Ok(p) = serde_urlencoded::from_str::<AuthorizeParams>(query.as_deref().unwrap_or_default()) else {
        return bad_request_page("Malformed query string");
    };
    let sign_in = match check(&state, &p).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let hidden =
        |name: &str, value: &str| format!(r#"<input type="hidden" name="{name}" value="{}">"#, escape(value));
    let fields = [
        hidden("response_type", "code"),
        hidden("client_id", &sign_in.client_id),
        hidden("redirect_uri", &sign_in.redirect_uri),
        hidden("state", &sign_in.state),
        hidden("code_challenge", &sign_in.code_challenge),
        hidden("code_challenge_method", "S256"),
    ]
    .concat();
    let body = format!(
        r#"<h1>Sign in to your streaming account</h1>
<form method="post">{fields}
<label>User id <input name="user_id" value="{user}" required></label>
<p><button id="sign-in" type="submit" name="decision" value="approve">Sign in</button>
<button id="cancel" type="submit" name="decision" value="deny">Cancel</button></p></form>"#,
        user = escape(DEMO_USER_ID),
    );
    Html(page("Sign in", &body)).into_response()
}

/// `POST /operator/authorize`: the sign-in decision; 303 to the redirect URI with a code.
pub async fn sign_in(State(state): State<AppState>, RawBody(body): RawBody) -> Response {
    let Ok(p) = serde_urlencoded::from_bytes::<AuthorizeParams>(&body) else {
        return bad_request_page("Malformed form");
    };
    let sign_in = match check(&state, &p).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let Ok(mut location) = url::Url::parse(&sign_in.redirect_uri) else {
        return bad_request_page("redirect_uri does not parse");
    };
    if p.decision.as_deref() == Some("deny") {
        location
            .query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair("state", &sign_in.state);
        return (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response();
    }
    let user_id = p.user_id.unwrap_or_default().trim().to_owned();
    if user_id.is_empty() {
        return bad_request_page("Enter a user id");
    }
    let code = random_token(32);
    let stored = (
        code.clone(),
        sign_in.client_id.clone(),
        sign_in.redirect_uri.clone(),
        sign_in.code_challenge,
    );
    let now = db::now_ms();
    let saved = state
        .db
        .call(move |conn| {
            conn.execute(
                "INSERT INTO operator_codes (code, client_id, user_id, redirect_uri, code_challenge, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![stored.0, stored.1, user_id, stored.2, stored.3, now + CODE_TTL_MS],
            )
        })
        .await;
    if let Err(e) = saved {
        return e.into_response();
    }
    location
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &sign_in.state);
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response()
}

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

    #[test]
    fn loopback_redirects() {
        assert!(loopback_redirect("http://127.0.0.1:51234/signin/callback"));
        assert!(!loopback_redirect("http://127.0.0.1/signin/callback"));
        assert!(!loopback_redirect("http://evil.example:5000/signin/callback"));
        assert!(!loopback_redirect("http://127.0.0.1:5000/other"));
    }
}
