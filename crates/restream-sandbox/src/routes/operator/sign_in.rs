//! The operator's sign-in: `GET /operator/authorize` checks the authorization request and shows
//! the sign-in page; `POST /operator/authorize` takes the decision and redirects with a one-shot
//! code bound to the PKCE challenge (or with `access_denied`).

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use rusqlite::params;
use serde::Deserialize;

use crate::db;
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

/// RFC 7636 §4.2: 43 to 128 unreserved characters.
fn pkce_challenge_ok(challenge: &str) -> bool {
    (43..=128).contains(&challenge.len())
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
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
    if !pkce_challenge_ok(&challenge) {
        return Err(bad_request_page(
            "code_challenge must be 43-128 characters of A-Z, a-z, 0-9, -, ., _ and ~ (RFC 7636)",
        ));
    }
    // Counted in characters, as the document's maxLength counts.
    let state_param = p
        .state
        .clone()
        .filter(|s| !s.is_empty() && s.chars().count() <= 256);
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
    let deny = match p.decision.as_deref() {
        None | Some("approve") => false,
        Some("deny") => true,
        Some(_) => return bad_request_page("decision must be approve or deny"),
    };
    if deny {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_challenges_are_unreserved_characters() {
        assert!(pkce_challenge_ok(&"a".repeat(43)));
        assert!(pkce_challenge_ok(&"Az09-._~".repeat(16)));
        assert!(!pkce_challenge_ok(&"a".repeat(42)));
        assert!(!pkce_challenge_ok(&"a".repeat(129)));
        assert!(!pkce_challenge_ok(&format!("{}+", "a".repeat(42))));
        // 43 characters, more bytes: refused by the character rule, not let through by length.
        assert!(!pkce_challenge_ok(&"é".repeat(43)));
    }

    #[test]
    fn loopback_redirects() {
        assert!(loopback_redirect("http://127.0.0.1:51234/signin/callback"));
        assert!(!loopback_redirect("http://127.0.0.1/signin/callback"));
        assert!(!loopback_redirect("http://evil.example:5000/signin/callback"));
        assert!(!loopback_redirect("http://127.0.0.1:5000/other"));
    }
}
