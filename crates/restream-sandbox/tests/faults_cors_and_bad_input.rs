//! The admin surface's own rules, injected faults, request statistics, CORS, and a walk of
//! malformed requests that must all get a 4xx with the contract's error body.

mod common;

use std::time::{Duration, Instant};

use common::{Fixture, expect_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn the_admin_surface_needs_its_token() {
    let f = Fixture::start().await;
    let none = f.http.get(f.url("/sandbox/stats")).send().await.unwrap();
    expect_error(none, StatusCode::UNAUTHORIZED, "missing_credential").await;
    let wrong = f
        .http
        .get(f.url("/sandbox/stats"))
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    expect_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    // A user credential is not an admin credential.
    let user = f.pk(Method::GET, "/sandbox/stats").send().await.unwrap();
    expect_error(user, StatusCode::UNAUTHORIZED, "missing_credential").await;
}

#[tokio::test]
async fn without_the_admin_surface_its_routes_do_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::fast_config(dir.path().join("sandbox.db"));
    config.admin = false;
    let sandbox = restream_sandbox::Sandbox::start(config).await.unwrap();
    let response = reqwest::Client::new()
        .get(format!("{}/sandbox/stats", sandbox.ready().base_url))
        .bearer_auth(&sandbox.ready().admin_token)
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn injected_statuses_latency_and_stats() {
    let f = Fixture::start().await;
    let fault = |body: Value| f.admin(Method::POST, "/sandbox/faults").json(&body).send();
    assert_eq!(
        fault(json!({ "route": "GET /api/v1/platforms", "count": 2, "status": 503 }))
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    for _ in 0..2 {
        let r = f.pk(Method::GET, "/api/v1/platforms").send().await.unwrap();
        expect_error(r, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    }
    assert_eq!(
        f.pk(Method::GET, "/api/v1/platforms")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK,
        "only N"
    );

    fault(json!({ "route": "GET /api/v1/connections", "count": 1, "status": 429, "retryAfterSeconds": 7 }))
        .await
        .unwrap();
    let limited = f.pk(Method::GET, "/api/v1/connections").send().await.unwrap();
    assert_eq!(limited.headers()["retry-after"], "7");
    expect_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    fault(json!({ "route": "GET /api/v1/connections", "count": 1, "latencyMs": 300 }))
        .await
        .unwrap();
    let started = Instant::now();
    assert_eq!(
        f.pk(Method::GET, "/api/v1/connections")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(300));

    let unknown = fault(json!({ "route": "GET /api/v1/nope", "count": 1, "status": 500 }))
        .await
        .unwrap();
    expect_error(unknown, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    fault(json!({ "route": "GET /api/v1/connections", "count": 5, "status": 500 }))
        .await
        .unwrap();
    assert_eq!(
        f.admin(Method::DELETE, "/sandbox/faults")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        f.pk(Method::GET, "/api/v1/connections")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let stats: Value = f
        .admin(Method::GET, "/sandbox/stats")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["requests"]["GET /api/v1/platforms"], 3);
    assert_eq!(stats["requests"]["GET /api/v1/connections"], 3);
    assert_eq!(stats["openStreams"], 0);
}

#[tokio::test]
async fn cors_preflight_and_responses() {
    let f = Fixture::start().await;
    let preflight = f
        .http
        .request(Method::OPTIONS, f.url("/api/v1/jobs"))
        .header("Origin", &f.ready.browser_origin)
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], f.ready.browser_origin.as_str());
    assert_eq!(h["vary"], "Origin");
    let allowed = h["access-control-allow-headers"].to_str().unwrap();
    for header in [
        "authorization",
        "content-type",
        "idempotency-key",
        "last-event-id",
        "x-publishable-key",
        "x-user-id",
    ] {
        assert!(allowed.contains(header), "{header} not allowed: {allowed}");
    }
    let foreign = f
        .http
        .request(Method::OPTIONS, f.url("/api/v1/jobs"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    expect_error(foreign, StatusCode::FORBIDDEN, "origin_not_allowed").await;

    let real = f
        .http
        .get(f.url("/api/v1/platforms"))
        .header("X-Publishable-Key", f.ready.publishable_key.as_deref().unwrap())
        .header("X-User-Id", "u")
        .header("Origin", &f.ready.browser_origin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        real.headers()["access-control-allow-origin"],
        f.ready.browser_origin.as_str()
    );
    assert_eq!(real.headers()["access-control-expose-headers"], "retry-after");
}

#[tokio::test]
async fn malformed_requests_get_contract_errors_never_a_500() {
    let f = Fixture::start().await;
    f.connect("twitch").await;
    let job = f.running_job(&["twitch"]).await;
    let id = job["id"].as_str().unwrap();
    let big = format!("{{\"message\": \"{}\"}}", "x".repeat(65 * 1024));
    let cases: Vec<(Method, String, Option<String>, StatusCode, &str)> = vec![
        (
            Method::POST,
            "/api/v1/jobs".into(),
            Some("{".into()),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            Method::POST,
            "/api/v1/jobs".into(),
            Some("".into()),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            Method::POST,
            "/api/v1/jobs".into(),
            Some("[]".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            Method::POST,
            "/api/v1/jobs".into(),
            Some("null".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            Method::POST,
            "/api/v1/chat".into(),
            Some(big),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            Method::POST,
            "/api/v1/chat".into(),
            Some("\u{0}\u{1}".into()),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            Method::GET,
            "/api/v1/jobs/%FF%FE".into(),
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::GET,
            "/api/v1/jobs/../../etc/passwd".into(),
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::GET,
            format!("/api/v1/jobs/{}", "z".repeat(5000)),
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::DELETE,
            "/api/v1/connections/%3Cscript%3E".into(),
            None,
            StatusCode::NOT_FOUND,
            "unknown_platform",
        ),
        (
            Method::PUT,
            "/api/v1/jobs".into(),
            Some("{}".into()),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Method::GET,
            "/api/v2/jobs".into(),
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::POST,
            format!("/api/v1/jobs/{id}/broadcasts/twitch/retry/extra"),
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::PATCH,
            format!("/api/v1/jobs/{id}/overlay"),
            Some("{\"topBanner\": 12}".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            Method::POST,
            "/api/v1/connections/twitch/authorize".into(),
            Some("{\"state\": []}".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
    ];
    for (method, path, body, status, code) in cases {
        let mut request = f
            .pk(method.clone(), &path)
            .header("content-type", "application/json");
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap();
        let got = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{method} {path}: {body}"
        );
    }
    // Hostile text in a header is refused as a credential, not echoed into a crash.
    let weird = f
        .http
        .get(f.url("/api/v1/platforms"))
        .header("X-Publishable-Key", "pk_\u{7f}")
        .header("X-User-Id", "u")
        .send()
        .await;
    if let Ok(response) = weird {
        assert!(response.status().is_client_error());
    }
}

#[tokio::test]
async fn credentials_are_checked_before_paths_and_bodies() {
    let f = Fixture::start().await;
    for (method, path, body) in [
        (Method::POST, "/api/v1/jobs", "{"),
        (Method::POST, "/api/v1/chat", "[]"),
        (Method::DELETE, "/api/v1/connections/myspace", ""),
        (Method::POST, "/api/v1/auth/session", "{"),
    ] {
        let response = f
            .http
            .request(method.clone(), f.url(path))
            .body(body)
            .send()
            .await
            .unwrap();
        expect_error(response, StatusCode::UNAUTHORIZED, "missing_credential").await;
    }
    let admin = f
        .http
        .post(f.url("/sandbox/clients"))
        .body("{")
        .send()
        .await
        .unwrap();
    expect_error(admin, StatusCode::UNAUTHORIZED, "missing_credential").await;
}

#[tokio::test]
async fn oversized_bodies_get_the_json_413_on_every_route() {
    let f = Fixture::start().await;
    let big = "x".repeat(70 * 1024);
    for (method, path) in [
        (Method::POST, "/api/v1/jobs/job_x/stop"),
        (Method::POST, "/operator/token"),
        (Method::POST, "/hosted/consent/auth_x"),
    ] {
        let response = f.pk(method, path).body(big.clone()).send().await.unwrap();
        expect_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    }
}

#[tokio::test]
async fn racing_consent_decisions_are_one_shot() {
    let f = Fixture::start().await;
    for round in 0..5 {
        let state = format!("race-state-{round}-0123456789abcdef");
        let body: Value = f
            .pk(Method::POST, "/api/v1/connections/kick/authorize")
            .json(&json!({ "redirectUri": f.ready.redirect_uri, "state": state }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let url = body["authorizeUrl"].as_str().unwrap().to_owned();
        let decide = |decision: &'static str| {
            f.http
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("decision={decision}"))
                .send()
        };
        let (a, b) = tokio::join!(decide("approve"), decide("deny"));
        let redirects = [a.unwrap().status(), b.unwrap().status()]
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count();
        assert_eq!(redirects, 1, "exactly one decision wins");
    }
}
