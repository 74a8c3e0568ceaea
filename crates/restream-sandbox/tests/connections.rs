//! Linking accounts: authorize, the hosted consent page, the status route, disconnect, reauth.

mod common;

use common::{Fixture, STATE, expect_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn authorize(f: &Fixture, platform: &str, body: Value) -> reqwest::Response {
    f.pk(Method::POST, &format!("/api/v1/connections/{platform}/authorize"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> url::Url {
    url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap()
}

fn query(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn approve_links_the_account_and_redirects_to_the_deep_link() {
    let f = Fixture::start().await;
    let empty: Value = f
        .pk(Method::GET, "/api/v1/connections")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(empty, json!({ "connections": [] }));

    let response = authorize(
        &f,
        "twitch",
        json!({ "redirectUri": f.ready.redirect_uri, "state": STATE }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["expiresIn"], 600);
    let consent_url = body["authorizeUrl"].as_str().unwrap().to_owned();
    assert!(
        consent_url.starts_with(&f.ready.base_url),
        "hosted by the sandbox itself"
    );

    let page = f.http.get(&consent_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Approve") && html.contains("Deny") && html.contains("Twitch"));

    let pending: Value = f
        .pk(
            Method::GET,
            &format!("/api/v1/connections/authorizations/{STATE}"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pending, json!({ "status": "pending", "platform": "twitch" }));

    let decided = f
        .http
        .post(&consent_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    let to = location(&decided);
    assert_eq!(to.scheme(), "dev.restreamstudio");
    assert_eq!(query(&to, "state").as_deref(), Some(STATE));
    assert_eq!(query(&to, "platform").as_deref(), Some("twitch"));
    assert_eq!(query(&to, "result").as_deref(), Some("connected"));

    let list: Value = f
        .pk(Method::GET, "/api/v1/connections")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let c = &list["connections"][0];
    assert_eq!(c["platform"], "twitch");
    assert_eq!(c["status"], "ok");
    assert!(c["platformUsername"].as_str().unwrap().contains("twitch"));
    assert!(c["connectedAt"].as_i64().unwrap() > 0);
    assert!(
        c.get("accessToken").is_none() && c.get("token").is_none(),
        "platform tokens never exposed"
    );

    let status: Value = f
        .pk(
            Method::GET,
            &format!("/api/v1/connections/authorizations/{STATE}"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "connected");

    // One-shot: deciding again changes nothing and redirects nowhere.
    let again = f
        .http
        .post(&consent_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=deny")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::GONE);
    assert!(again.headers().get("location").is_none());
}

#[tokio::test]
async fn deny_reports_access_denied() {
    let f = Fixture::start().await;
    let body: Value = authorize(
        &f,
        "kick",
        json!({ "redirectUri": f.ready.redirect_uri, "state": STATE }),
    )
    .await
    .json()
    .await
    .unwrap();
    let decided = f
        .http
        .post(body["authorizeUrl"].as_str().unwrap())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=deny")
        .send()
        .await
        .unwrap();
    let to = location(&decided);
    assert_eq!(query(&to, "result").as_deref(), Some("error"));
    assert_eq!(query(&to, "error").as_deref(), Some("access_denied"));
    let status: Value = f
        .pk(
            Method::GET,
            &format!("/api/v1/connections/authorizations/{STATE}"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        status,
        json!({ "status": "error", "platform": "kick", "error": "access_denied" })
    );
    let list: Value = f
        .pk(Method::GET, "/api/v1/connections")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["connections"], json!([]));
}

#[tokio::test]
async fn authorizations_expire() {
    let f = Fixture::start().await;
    let settings = f
        .admin(Method::PUT, "/sandbox/settings")
        .json(&json!({ "authorizationTtlSeconds": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(settings.status(), StatusCode::OK);
    let body: Value = authorize(
        &f,
        "youtube",
        json!({ "redirectUri": f.ready.redirect_uri, "state": STATE }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["expiresIn"], 1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let status: Value = f
            .pk(
                Method::GET,
                &format!("/api/v1/connections/authorizations/{STATE}"),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if status["status"] == "expired" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never expired: {status}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = f
        .http
        .get(body["authorizeUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::GONE);
    let late = f
        .http
        .post(body["authorizeUrl"].as_str().unwrap())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await
        .unwrap();
    assert_eq!(query(&location(&late), "error").as_deref(), Some("expired"));
    let list: Value = f
        .pk(Method::GET, "/api/v1/connections")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["connections"],
        json!([]),
        "an expired approval links nothing"
    );
}

#[tokio::test]
async fn authorize_checks_redirect_first_then_state_then_platform() {
    let f = Fixture::start().await;
    let bad_both = authorize(
        &f,
        "twitch",
        json!({ "redirectUri": "https://evil.example/cb", "state": "short" }),
    )
    .await;
    expect_error(bad_both, StatusCode::BAD_REQUEST, "redirect_uri_not_allowed").await;
    for bad_state in ["short", "has spaces in it and is long enough", &"x".repeat(257)] {
        let response = authorize(
            &f,
            "twitch",
            json!({ "redirectUri": f.ready.redirect_uri, "state": bad_state }),
        )
        .await;
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    }
    let unknown = authorize(
        &f,
        "myspace",
        json!({ "redirectUri": f.ready.redirect_uri, "state": STATE }),
    )
    .await;
    expect_error(unknown, StatusCode::NOT_FOUND, "unknown_platform").await;
    let missing = authorize(&f, "twitch", json!({ "state": STATE })).await;
    let message = expect_error(missing, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    assert!(message.contains("redirectUri"), "{message}");

    // A client with only Twitch enabled.
    let client: Value = f
        .admin(Method::POST, "/sandbox/clients")
        .json(
            &json!({ "name": "Twitch only", "platforms": ["twitch"], "origins": ["tauri://localhost"],
                       "redirectUris": ["dev.restreamstudio://connect/callback"] }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let response = f
        .http
        .post(f.url("/api/v1/connections/kick/authorize"))
        .header("X-Publishable-Key", client["publishableKey"].as_str().unwrap())
        .header("X-User-Id", "someone")
        .header("Origin", "tauri://localhost")
        .json(&json!({ "redirectUri": f.ready.redirect_uri, "state": STATE }))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "platform_not_enabled").await;
}

#[tokio::test]
async fn disconnect_and_reauth() {
    let f = Fixture::start().await;
    assert_eq!(f.connect("twitch").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(f.connect("facebook").await.status(), StatusCode::SEE_OTHER);

    let marked = f
        .admin(Method::POST, "/sandbox/connections/reauth")
        .json(&json!({ "userId": f.user_id(), "platform": "facebook" }))
        .send()
        .await
        .unwrap();
    assert_eq!(marked.status(), StatusCode::NO_CONTENT);
    let list: Value = f
        .pk(Method::GET, "/api/v1/connections")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<(&str, &str)> = list["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["platform"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [("twitch", "ok"), ("facebook", "reauth_required")]);

    // Reconnecting clears it.
    f.connect("facebook").await;
    let list: Value = f
        .pk(Method::GET, "/api/v1/connections")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["connections"][1]["status"], "ok");

    let gone = f
        .pk(Method::DELETE, "/api/v1/connections/twitch")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let again = f
        .pk(Method::DELETE, "/api/v1/connections/twitch")
        .send()
        .await
        .unwrap();
    expect_error(again, StatusCode::NOT_FOUND, "not_connected").await;
    let unknown = f
        .pk(Method::DELETE, "/api/v1/connections/myspace")
        .send()
        .await
        .unwrap();
    expect_error(unknown, StatusCode::NOT_FOUND, "unknown_platform").await;
}

#[tokio::test]
async fn connections_need_the_connect_scope_and_are_per_user() {
    let f = Fixture::start().await;
    f.connect("twitch").await;
    let read_only = f.mint(f.user_id(), Some(&["read"])).await;
    let refused = f
        .http
        .get(f.url("/api/v1/connections"))
        .bearer_auth(&read_only)
        .send()
        .await
        .unwrap();
    let message = expect_error(refused, StatusCode::FORBIDDEN, "missing_scope").await;
    assert_eq!(message, "Missing required scope: connect");

    let same_user = f.mint(f.user_id(), None).await;
    let list: Value = f
        .http
        .get(f.url("/api/v1/connections"))
        .bearer_auth(&same_user)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["connections"].as_array().unwrap().len(),
        1,
        "a token for the same user sees the link"
    );

    let other_user = f.mint("someone-else", None).await;
    let list: Value = f
        .http
        .get(f.url("/api/v1/connections"))
        .bearer_auth(&other_user)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["connections"], json!([]));
    let status = f
        .http
        .get(f.url(&format!("/api/v1/connections/authorizations/{STATE}-twitch")))
        .bearer_auth(&other_user)
        .send()
        .await
        .unwrap();
    expect_error(status, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn connections_survive_a_restart() {
    let mut f = Fixture::start().await;
    f.connect("twitch").await;
    f.restart().await;
    let list: Value = f
        .pk(Method::GET, "/api/v1/connections")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["connections"][0]["platform"], "twitch");
}
