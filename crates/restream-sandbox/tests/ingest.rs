//! v1.1 ingest: each user's stream key, stable until rotated and across restarts, offered only
//! when the sandbox runs with an ingest address, and refused to credentials without `restream`.

mod common;

use common::{Fixture, expect_error};
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
    let theirs: Value = f
        .http
        .get(f.url("/api/v1/ingest"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
    let theirs_now: Value = f
        .http
        .get(f.url("/api/v1/ingest"))
        .bearer_auth(f.mint("another-user", None).await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
    let sessions: Value = f
        .pk(Method::GET, "/api/v1/sessions/live")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = sessions["sessions"][0]["publisherSessionId"]
        .as_str()
        .unwrap()
        .to_owned();

    // Restarted while publishing: still live.
    f.restart().await;
    let sessions: Value = f
        .pk(Method::GET, "/api/v1/sessions/live")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sessions["sessions"][0]["publisherSessionId"], id.as_str());

    // The publish drops and the sandbox restarts within the window: the window is kept, and the
    // session ends when it passes.
    assert_eq!(hook(&f, "publish_done", &key).await, StatusCode::OK);
    f.restart().await;
    let mut stream = common::ChatStream::open(f.pk(Method::GET, "/api/v1/comments/stream")).await;
    let ended = loop {
        let event = stream.next().await.expect("the stream ended");
        if event.event == "session" {
            break serde_json::from_str::<Value>(&event.data).unwrap();
        }
    };
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["publisherSessionId"], id.as_str());
    let sessions: Value = f
        .pk(Method::GET, "/api/v1/sessions/live")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
