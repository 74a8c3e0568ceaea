//! The first slice of the contract over real HTTP on an ephemeral port: `GET /platforms` behind
//! every credential rule, token minting, the contract's error body, Host checks, persistence.

use reqwest::StatusCode;
use restream_sandbox::{Ready, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::{Value, json};

struct Fixture {
    _dir: tempfile::TempDir,
    sandbox: RunningSandbox,
    http: reqwest::Client,
}

impl Fixture {
    async fn start() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::start(SandboxConfig::new(dir.path().join("sandbox.db")))
            .await
            .unwrap();
        Fixture {
            _dir: dir,
            sandbox,
            http: reqwest::Client::new(),
        }
    }

    fn ready(&self) -> &Ready {
        self.sandbox.ready()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.ready().base_url)
    }

    /// A request with the demo publishable key, user id and studio origin.
    fn with_key(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let ready = self.ready();
        request
            .header("X-Publishable-Key", ready.publishable_key.as_deref().unwrap())
            .header("X-User-Id", ready.user_id.as_deref().unwrap())
            .header("Origin", &ready.origin)
    }

    async fn mint(&self, body: Value) -> reqwest::Response {
        self.http
            .post(self.url("/api/v1/auth/session"))
            .header("X-API-Key", self.ready().secret_key.as_deref().unwrap())
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

/// Asserts the contract's error body and returns its message.
async fn expect_error(response: reqwest::Response, status: StatusCode, code: &str) -> String {
    assert_eq!(response.status(), status, "status for {code}");
    assert!(
        response.headers().contains_key("date"),
        "every answer carries Date"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().unwrap().to_owned();
    assert!(!message.is_empty());
    message
}

#[tokio::test]
async fn platforms_with_the_demo_key_lists_all_five_enabled() {
    let f = Fixture::start().await;
    let response = f
        .with_key(f.http.get(f.url("/api/v1/platforms")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let names: Vec<&str> = body["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["platform"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["twitch", "kick", "youtube", "facebook", "instagram"]);
    assert_eq!(body["platforms"][2]["displayName"], "YouTube");
    assert!(
        body["platforms"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["enabled"] == true)
    );
}

#[tokio::test]
async fn publishable_key_rules() {
    let f = Fixture::start().await;
    let ready = f.ready().clone();
    let pk = ready.publishable_key.clone().unwrap();
    let get = || f.http.get(f.url("/api/v1/platforms"));

    let none = get().send().await.unwrap();
    expect_error(none, StatusCode::UNAUTHORIZED, "missing_credential").await;

    let unknown = get()
        .header("X-Publishable-Key", "pk_test_nope")
        .header("X-User-Id", "u")
        .header("Origin", &ready.origin)
        .send()
        .await
        .unwrap();
    expect_error(unknown, StatusCode::UNAUTHORIZED, "invalid_credential").await;

    let no_user = get()
        .header("X-Publishable-Key", &pk)
        .header("Origin", &ready.origin)
        .send()
        .await
        .unwrap();
    expect_error(no_user, StatusCode::UNAUTHORIZED, "invalid_credential").await;

    let no_origin = get()
        .header("X-Publishable-Key", &pk)
        .header("X-User-Id", "u")
        .send()
        .await
        .unwrap();
    expect_error(no_origin, StatusCode::FORBIDDEN, "origin_not_allowed").await;

    let foreign_origin = get()
        .header("X-Publishable-Key", &pk)
        .header("X-User-Id", "u")
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    let message = expect_error(foreign_origin, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    assert!(message.contains("https://evil.example"), "{message}");

    let browser = get()
        .header("X-Publishable-Key", &pk)
        .header("X-User-Id", "u")
        .header("Origin", &ready.browser_origin)
        .send()
        .await
        .unwrap();
    assert_eq!(browser.status(), StatusCode::OK);

    let two_kinds = f
        .with_key(get())
        .header("Authorization", "Bearer whatever")
        .send()
        .await
        .unwrap();
    expect_error(two_kinds, StatusCode::UNAUTHORIZED, "invalid_credential").await;

    let secret_on_user_route = get()
        .header("X-API-Key", ready.secret_key.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    expect_error(
        secret_on_user_route,
        StatusCode::UNAUTHORIZED,
        "invalid_credential",
    )
    .await;
}

#[tokio::test]
async fn minted_tokens_work_until_they_expire() {
    let f = Fixture::start().await;
    let minted = f.mint(json!({ "userId": "streamer-1", "ttlSeconds": 1 })).await;
    assert_eq!(minted.status(), StatusCode::CREATED);
    let minted: Value = minted.json().await.unwrap();
    assert_eq!(minted["expiresIn"], 1);
    let token = minted["token"].as_str().unwrap().to_owned();

    let ok = f
        .http
        .get(f.url("/api/v1/platforms"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);

    // Expiry has no leeway: poll until the second has passed (bounded, not a fixed sleep).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let response = f
            .http
            .get(f.url("/api/v1/platforms"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::UNAUTHORIZED {
            expect_error(response, StatusCode::UNAUTHORIZED, "token_expired").await;
            break;
        }
        assert!(std::time::Instant::now() < deadline, "token never expired");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let unknown = f
        .http
        .get(f.url("/api/v1/platforms"))
        .bearer_auth("rst_unknown")
        .send()
        .await
        .unwrap();
    expect_error(unknown, StatusCode::UNAUTHORIZED, "invalid_credential").await;
}

#[tokio::test]
async fn minting_validates_its_input() {
    let f = Fixture::start().await;
    expect_error(
        f.mint(json!({ "userId": "u", "ttlSeconds": 0 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    expect_error(
        f.mint(json!({ "userId": "u", "ttlSeconds": 86_401 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    let message = expect_error(
        f.mint(json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert!(message.contains("userId"), "{message}");
    expect_error(
        f.mint(json!({ "userId": "u", "scopes": ["admin"] })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;

    let garbage = f
        .http
        .post(f.url("/api/v1/auth/session"))
        .header("X-API-Key", f.ready().secret_key.as_deref().unwrap())
        .body("{not json")
        .send()
        .await
        .unwrap();
    expect_error(garbage, StatusCode::BAD_REQUEST, "invalid_json").await;

    let huge = f
        .http
        .post(f.url("/api/v1/auth/session"))
        .header("X-API-Key", f.ready().secret_key.as_deref().unwrap())
        .body(format!("{{\"userId\": \"{}\"}}", "x".repeat(70 * 1024)))
        .send()
        .await
        .unwrap();
    expect_error(huge, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    // A token scoped to `read` only cannot do what `connect` needs (checked by later routes), but it
    // can list platforms, which needs no scope.
    let read_only: Value = f
        .mint(json!({ "userId": "u", "scopes": ["read"] }))
        .await
        .json()
        .await
        .unwrap();
    let ok = f
        .http
        .get(f.url("/api/v1/platforms"))
        .bearer_auth(read_only["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_methods_and_hosts_get_contract_errors() {
    let f = Fixture::start().await;
    let missing = f
        .with_key(f.http.get(f.url("/api/v1/nope")))
        .send()
        .await
        .unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, "not_found").await;

    let wrong_method = f
        .with_key(f.http.delete(f.url("/api/v1/platforms")))
        .send()
        .await
        .unwrap();
    expect_error(wrong_method, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;

    let rebound = f
        .with_key(f.http.get(f.url("/api/v1/platforms")))
        .header("Host", "evil.example")
        .send()
        .await
        .unwrap();
    expect_error(rebound, StatusCode::MISDIRECTED_REQUEST, "host_not_allowed").await;
    // Another port of this machine, or a name that is not its own, is foreign too; the bare IP
    // literal (as nginx's RTMP callbacks send it) is not.
    for foreign in ["127.0.0.1:1", "localhost", "127.0.0.2"] {
        let response = f
            .with_key(f.http.get(f.url("/api/v1/platforms")))
            .header("Host", foreign)
            .send()
            .await
            .unwrap();
        expect_error(response, StatusCode::MISDIRECTED_REQUEST, "host_not_allowed").await;
    }
    let bare_ip = f
        .with_key(f.http.get(f.url("/api/v1/platforms")))
        .header("Host", "127.0.0.1")
        .send()
        .await
        .unwrap();
    assert_eq!(bare_ip.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_demo_seed_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/dir/sandbox.db");
    let first = Sandbox::start(SandboxConfig::new(&db)).await.unwrap();
    let keys = first.ready().clone();
    first.shutdown().await.unwrap();

    let second = Sandbox::start(SandboxConfig::new(&db)).await.unwrap();
    assert_eq!(second.ready().publishable_key, keys.publishable_key);
    assert_eq!(second.ready().secret_key, keys.secret_key);
    assert_ne!(
        second.ready().admin_token,
        keys.admin_token,
        "admin token is per run"
    );
    second.shutdown().await.unwrap();
}

#[tokio::test]
async fn without_seed_there_are_no_demo_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(dir.path().join("sandbox.db"));
    config.seed_demo = false;
    config.admin_token = Some("admin-fixed".into());
    let sandbox = Sandbox::start(config).await.unwrap();
    assert_eq!(sandbox.ready().publishable_key, None);
    assert_eq!(sandbox.ready().admin_token, "admin-fixed");
    sandbox.shutdown().await.unwrap();
}
