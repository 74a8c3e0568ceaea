//! The operator role for token mode: sign-in page, authorization code + PKCE, refresh-token
//! rotation, the restream-token route, revocation, and the admin switches that test a client's
//! handling of expiry and revocation.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Fixture, expect_error};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

const VERIFIER: &str = "a-verifier-with-enough-entropy-0123456789-abcdefghijkl";
const SIGNIN_REDIRECT: &str = "dev.restreamstudio://signin/callback";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn authorize_query(redirect: &str) -> String {
    serde_urlencoded::to_string([
        ("response_type", "code"),
        ("client_id", "demo"),
        ("redirect_uri", redirect),
        ("state", "signin-state-123"),
        ("code_challenge", &challenge(VERIFIER)),
        ("code_challenge_method", "S256"),
    ])
    .unwrap()
}

/// Signs in on the operator's page and returns the authorization code.
async fn sign_in(f: &Fixture, redirect: &str) -> String {
    let query = authorize_query(redirect);
    let page = f
        .http
        .get(f.url(&format!("/operator/authorize?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Sign in"));
    let response = f
        .http
        .post(f.url("/operator/authorize"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{query}&user_id=demo-streamer&decision=approve"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(redirect));
    let param = |name: &str| {
        location
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(param("state").as_deref(), Some("signin-state-123"));
    param("code").unwrap()
}

async fn token(f: &Fixture, form: &[(&str, &str)]) -> reqwest::Response {
    f.http
        .post(f.url("/operator/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(form).unwrap())
        .send()
        .await
        .unwrap()
}

async fn exchange(f: &Fixture, code: &str, redirect: &str) -> Value {
    let response = token(
        f,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", VERIFIER),
            ("client_id", "demo"),
            ("redirect_uri", redirect),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn oauth_error(response: reqwest::Response, error: &str) {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
}

async fn restream_token(f: &Fixture, access: &str) -> reqwest::Response {
    f.http
        .post(f.url("/operator/restream-token"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_with_pkce_then_mint_and_use_a_restream_token() {
    let f = Fixture::start().await;
    let code = sign_in(&f, SIGNIN_REDIRECT).await;
    let tokens = exchange(&f, &code, SIGNIN_REDIRECT).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    let access = tokens["access_token"].as_str().unwrap();

    let minted = restream_token(&f, access).await;
    assert_eq!(minted.status(), StatusCode::OK);
    let minted: Value = minted.json().await.unwrap();
    assert_eq!(minted["expiresIn"], 900);
    let restream = minted["token"].as_str().unwrap();
    let connections = f
        .http
        .get(f.url("/api/v1/connections"))
        .bearer_auth(restream)
        .send()
        .await
        .unwrap();
    assert_eq!(
        connections.status(),
        StatusCode::OK,
        "the token acts for the signed-in user with all scopes"
    );

    // The code is one-shot.
    oauth_error(
        token(
            &f,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("code_verifier", VERIFIER),
                ("client_id", "demo"),
                ("redirect_uri", SIGNIN_REDIRECT),
            ],
        )
        .await,
        "invalid_grant",
    )
    .await;
    let stats: Value = f
        .admin(Method::GET, "/sandbox/stats")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["tokenMints"], 1);
    assert_eq!(stats["operatorTokenGrants"], 1);
}

#[tokio::test]
async fn pkce_and_parameters_are_checked() {
    let f = Fixture::start().await;
    let code = sign_in(&f, SIGNIN_REDIRECT).await;
    let wrong_verifier = token(
        &f,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            (
                "code_verifier",
                "not-the-verifier-not-the-verifier-not-the-verifier",
            ),
            ("client_id", "demo"),
            ("redirect_uri", SIGNIN_REDIRECT),
        ],
    )
    .await;
    oauth_error(wrong_verifier, "invalid_grant").await;
    oauth_error(
        token(&f, &[("grant_type", "password")]).await,
        "unsupported_grant_type",
    )
    .await;
    oauth_error(
        token(&f, &[("grant_type", "authorization_code")]).await,
        "invalid_request",
    )
    .await;

    // The sign-in page refuses what it must not redirect to.
    let plain = authorize_query(SIGNIN_REDIRECT).replace("S256", "plain");
    let page = f
        .http
        .get(f.url(&format!("/operator/authorize?{plain}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let foreign = authorize_query("https://evil.example/cb");
    let page = f
        .http
        .get(f.url(&format!("/operator/authorize?{foreign}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_loopback_redirect_works_as_the_fallback() {
    let f = Fixture::start().await;
    let redirect = "http://127.0.0.1:51999/signin/callback";
    let code = sign_in(&f, redirect).await;
    let tokens = exchange(&f, &code, redirect).await;
    assert!(tokens["refresh_token"].as_str().unwrap().starts_with("opr_"));
}

#[tokio::test]
async fn refresh_tokens_rotate_and_revocation_ends_the_sign_in() {
    let f = Fixture::start().await;
    let code = sign_in(&f, SIGNIN_REDIRECT).await;
    let first = exchange(&f, &code, SIGNIN_REDIRECT).await;
    let old_refresh = first["refresh_token"].as_str().unwrap();
    let rotated = token(
        &f,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", old_refresh),
            ("client_id", "demo"),
        ],
    )
    .await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let rotated: Value = rotated.json().await.unwrap();
    let new_refresh = rotated["refresh_token"].as_str().unwrap();
    assert_ne!(new_refresh, old_refresh);
    oauth_error(
        token(
            &f,
            &[("grant_type", "refresh_token"), ("refresh_token", old_refresh)],
        )
        .await,
        "invalid_grant",
    )
    .await;

    let revoked = f
        .http
        .post(f.url("/operator/revoke"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={new_refresh}"))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    oauth_error(
        token(
            &f,
            &[("grant_type", "refresh_token"), ("refresh_token", new_refresh)],
        )
        .await,
        "invalid_grant",
    )
    .await;
    let access = rotated["access_token"].as_str().unwrap();
    expect_error(
        restream_token(&f, access).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credential",
    )
    .await;
}

#[tokio::test]
async fn admin_expiry_and_revocation() {
    let f = Fixture::start().await;
    let code = sign_in(&f, SIGNIN_REDIRECT).await;
    let tokens = exchange(&f, &code, SIGNIN_REDIRECT).await;
    let access = tokens["access_token"].as_str().unwrap();
    let restream: Value = restream_token(&f, access).await.json().await.unwrap();

    let expired = f
        .admin(Method::POST, "/sandbox/tokens/expire")
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::NO_CONTENT);
    let use_restream = f
        .http
        .get(f.url("/api/v1/connections"))
        .bearer_auth(restream["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    expect_error(use_restream, StatusCode::UNAUTHORIZED, "token_expired").await;
    expect_error(
        restream_token(&f, access).await,
        StatusCode::UNAUTHORIZED,
        "token_expired",
    )
    .await;

    // A refresh still works after expiry…
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let renewed = token(&f, &[("grant_type", "refresh_token"), ("refresh_token", refresh)]).await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let renewed: Value = renewed.json().await.unwrap();
    // …until the operator revokes every sign-in.
    let revoked = f
        .admin(Method::POST, "/sandbox/operator/revoke")
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    oauth_error(
        token(
            &f,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", renewed["refresh_token"].as_str().unwrap()),
            ],
        )
        .await,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn restream_token_lifetime_follows_the_settings() {
    let f = Fixture::start().await;
    f.admin(Method::PUT, "/sandbox/settings")
        .json(&serde_json::json!({ "restreamTokenTtlSeconds": 2, "operatorAccessTtlSeconds": 5 }))
        .send()
        .await
        .unwrap();
    let code = sign_in(&f, SIGNIN_REDIRECT).await;
    let tokens = exchange(&f, &code, SIGNIN_REDIRECT).await;
    assert_eq!(tokens["expires_in"], 5);
    let minted: Value = restream_token(&f, tokens["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(minted["expiresIn"], 2);
    let missing = f
        .http
        .post(f.url("/operator/restream-token"))
        .send()
        .await
        .unwrap();
    expect_error(missing, StatusCode::UNAUTHORIZED, "missing_credential").await;
}
