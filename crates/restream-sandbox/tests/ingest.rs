//! v1.1 ingest: each user's stream key, stable until rotated and across restarts, offered only
//! when the sandbox runs with an ingest address, and refused to credentials without `restream`.

mod common;

use common::{Fixture, expect_error, json_of};
use reqwest::{Method, StatusCode};
use restream_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

const RTMP: &str = "rtmp://127.0.0.1:19350/live";

fn with_ingest(config: &mut SandboxConfig) {
    config.ingest_rtmp_url = Some(RTMP.to_owned());
}

async fn ingest(f: &Fixture, method: Method, path: &str) -> Value {
    let response = f.pk(method, path).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn stream_key(answer: &Value) -> String {
    answer["rtmp"]["streamKey"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_user_has_a_key_kept_until_rotated_and_across_restarts() {
    let mut f = Fixture::start_with(with_ingest).await;
    let first = ingest(&f, Method::GET, "/api/v1/ingest").await;
    let key = stream_key(&first);
    assert_eq!(
        first,
        json!({ "rtmp": { "url": RTMP, "streamKey": key }, "whip": null })
    );
    assert!(key.starts_with("live_") && key.len() == 37, "{key}");
    assert_eq!(stream_key(&ingest(&f, Method::GET, "/api/v1/ingest").await), key);

    // Another user of the same client gets a key of their own, through a token.
    let token = f.mint("another-user", None).await;
    let theirs = json_of(f.http.get(f.url("/api/v1/ingest")).bearer_auth(&token)).await;
    assert_ne!(stream_key(&theirs), key);

    f.restart().await;
    assert_eq!(
        stream_key(&ingest(&f, Method::GET, "/api/v1/ingest").await),
        key,
        "the key outlives a restart"
    );

    let rotated = stream_key(&ingest(&f, Method::POST, "/api/v1/ingest/rotate").await);
    assert_ne!(rotated, key);
    assert_eq!(
        stream_key(&ingest(&f, Method::GET, "/api/v1/ingest").await),
        rotated
    );
    f.restart().await;
    assert_eq!(
        stream_key(&ingest(&f, Method::GET, "/api/v1/ingest").await),
        rotated
    );
    // Rotating never touched the other user's key.
    let theirs_now = json_of(
        f.http
            .get(f.url("/api/v1/ingest"))
            .bearer_auth(f.mint("another-user", None).await),
    )
    .await;
    assert_eq!(stream_key(&theirs_now), stream_key(&theirs));
}

#[tokio::test]
async fn without_an_ingest_it_is_not_offered_and_it_needs_the_restream_scope() {
    let f = Fixture::start().await;
    for (method, path) in [
        (Method::GET, "/api/v1/ingest"),
        (Method::POST, "/api/v1/ingest/rotate"),
    ] {
        let response = f.pk(method, path).send().await.unwrap();
        expect_error(response, StatusCode::NOT_FOUND, "ingest_not_offered").await;
    }

    let f = Fixture::start_with(with_ingest).await;
    let token = f.mint(f.user_id(), Some(&["read"])).await;
    for (method, path) in [
        (Method::GET, "/api/v1/ingest"),
        (Method::POST, "/api/v1/ingest/rotate"),
    ] {
        let response = f
            .http
            .request(method, f.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let message = expect_error(response, StatusCode::FORBIDDEN, "missing_scope").await;
        assert_eq!(message, "Missing required scope: restream");
    }
    let response = f.http.get(f.url("/api/v1/ingest")).send().await.unwrap();
    expect_error(response, StatusCode::UNAUTHORIZED, "missing_credential").await;
}

#[tokio::test]
async fn an_ingest_address_an_encoder_cannot_use_is_refused_at_start() {
    for bad in ["http://127.0.0.1:1935/live", "not a url", "rtmp:///live"] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = SandboxConfig::new(dir.path().join("sandbox.db"));
        config.ingest_rtmp_url = Some(bad.to_owned());
        let Err(error) = Sandbox::start(config).await else {
            panic!("{bad} was accepted");
        };
        assert!(
            format!("{error:#}").contains("ingest RTMP URL"),
            "{bad}: {error:#}"
        );
    }
}

/// Calls the ingest hook as nginx's RTMP module does.
async fn hook(f: &Fixture, call: &str, key: &str) -> StatusCode {
    f.http
        .post(f.ready.ingest_hook_url.as_deref().unwrap())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("app=live&call={call}&name={key}&addr=127.0.0.1"))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_session_and_its_reconnect_window_outlive_a_restart() {
    let mut f = Fixture::start_with(|config| {
        with_ingest(config);
        config.publish_grace_ms = 300;
    })
    .await;
    let key = stream_key(&ingest(&f, Method::GET, "/api/v1/ingest").await);
    assert_eq!(hook(&f, "publish", &key).await, StatusCode::OK);
    let sessions = json_of(f.pk(Method::GET, "/api/v1/sessions/live")).await;
    let id = sessions["sessions"][0]["publisherSessionId"]
        .as_str()
        .unwrap()
        .to_owned();

    // Restarted while publishing: still live.
    f.restart().await;
    let sessions = json_of(f.pk(Method::GET, "/api/v1/sessions/live")).await;
    assert_eq!(sessions["sessions"][0]["publisherSessionId"], id.as_str());

    // The publish drops and the sandbox restarts within the window: the window is kept, and the
    // session ends when it passes.
    assert_eq!(hook(&f, "publish_done", &key).await, StatusCode::OK);
    f.restart().await;
    let mut stream = common::ChatStream::open(f.pk(Method::GET, "/api/v1/comments/stream")).await;
    let ended: Value = serde_json::from_str(&stream.next_named("session").await.data).unwrap();
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["publisherSessionId"], id.as_str());
    let sessions = json_of(f.pk(Method::GET, "/api/v1/sessions/live")).await;
    assert_eq!(sessions["sessions"], json!([]));

    // The hook wants its secret, and a call it does not know changes nothing.
    let wrong = f
        .http
        .post(f.url("/ingest/rtmp/not-the-secret"))
        .body(format!("call=publish&name={key}"))
        .send()
        .await
        .unwrap();
    expect_error(wrong, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(hook(&f, "play", &key).await, StatusCode::OK);
    assert_eq!(hook(&f, "publish", "live_unknown").await, StatusCode::FORBIDDEN);
}

/// Starts (`live: true`) or ends the demo user's simulated session `id` through the admin surface.
async fn simulate(f: &Fixture, id: &str, live: bool) -> StatusCode {
    f.admin(Method::PUT, &format!("/sandbox/sessions/{id}"))
        .json(&json!({ "live": live, "userId": f.user_id() }))
        .send()
        .await
        .unwrap()
        .status()
}

async fn next_session(stream: &mut common::ChatStream) -> Value {
    serde_json::from_str(&stream.next_named("session").await.data).unwrap()
}

#[tokio::test]
async fn simulated_sessions_are_listed_said_and_end_their_job() {
    let f = Fixture::start().await;
    let mut stream = common::ChatStream::open(f.pk(Method::GET, "/api/v1/comments/stream")).await;
    assert_eq!(simulate(&f, "sess_sim", true).await, StatusCode::NO_CONTENT);
    let live = next_session(&mut stream).await;
    assert_eq!(
        (
            live["publisherSessionId"].as_str(),
            live["status"].as_str(),
            live["source"].as_str()
        ),
        (Some("sess_sim"), Some("live"), Some("external"))
    );
    // Again: already live, nothing said (the next event is the end below).
    assert_eq!(simulate(&f, "sess_sim", true).await, StatusCode::NO_CONTENT);
    let sessions = json_of(f.pk(Method::GET, "/api/v1/sessions/live")).await;
    assert_eq!(sessions["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(sessions["sessions"][0]["source"], "external");

    let job = f.running_job_on("sess_sim", &["twitch"]).await;
    assert_eq!(simulate(&f, "sess_sim", false).await, StatusCode::NO_CONTENT);
    let ended = next_session(&mut stream).await;
    assert_eq!(
        (ended["status"].as_str(), ended["publisherSessionId"].as_str()),
        (Some("ended"), Some("sess_sim"))
    );
    assert!(ended["endedAt"].is_i64());
    f.wait_for_job(job["id"].as_str().unwrap(), |j| j["status"] == "ended")
        .await;
    let response = f
        .admin(Method::PUT, "/sandbox/sessions/sess_sim")
        .json(&json!({ "live": false, "userId": f.user_id() }))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // A client that does not exist has no users.
    let response = f
        .admin(Method::PUT, "/sandbox/sessions/x")
        .json(&json!({ "live": true, "userId": "u", "clientId": "" }))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // A fault still needs both flags; an empty user is refused.
    for (body, field) in [
        (json!({ "live": false }), "audio"),
        (json!({ "live": true, "userId": " " }), "userId"),
    ] {
        let response = f
            .admin(Method::PUT, "/sandbox/sessions/x")
            .json(&body)
            .send()
            .await
            .unwrap();
        let message = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
        assert!(message.starts_with(field), "{message}");
    }
}

#[tokio::test]
async fn with_an_ingest_only_a_live_session_can_go_live() {
    let f = Fixture::start_with(with_ingest).await;
    assert_eq!(f.connect("twitch").await.status(), StatusCode::SEE_OTHER);
    let job: Value = f
        .go_live(json!({ "publisherSessionId": "sess_nobody_sends", "destinations": ["twitch"] }))
        .await
        .json()
        .await
        .unwrap();
    let failed = f
        .wait_for_job(job["id"].as_str().unwrap(), |j| j["status"] == "failed")
        .await;
    assert_eq!(failed["error"]["code"], "session_not_live");

    assert_eq!(simulate(&f, "sess_sim", true).await, StatusCode::NO_CONTENT);
    f.running_job_on("sess_sim", &["twitch"]).await;
}
