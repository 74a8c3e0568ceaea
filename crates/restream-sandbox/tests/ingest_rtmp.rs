//! v1.1 ingest for real: nginx's RTMP module in front of the sandbox calls its hook, and ffmpeg
//! publishes to it. A known key makes a live session (listed, and said on the stream); an unknown
//! or rotated key is refused by nginx because the hook said 403; a publish that drops and comes
//! back within the reconnect window continues the same session; one that stays away ends it, and
//! the job that mirrors it ends too.
// nginx's RTMP module and ffmpeg, as Debian packages them: Linux only.
#![cfg(target_os = "linux")]

mod common;

use std::time::Duration;

use common::{ChatStream, Fixture, json_of};
use reqwest::{Method, StatusCode};
use restream_test_neighbours::free_port;
use restream_test_neighbours::rtmp::Nginx;
use serde_json::{Value, json};

/// A reconnect window short enough for a test, long enough for ffmpeg to come back within it.
const GRACE_MS: u64 = 3_000;

async fn stream_key(f: &Fixture, method: Method, path: &str) -> String {
    let answer = json_of(f.pk(method, path)).await;
    answer["rtmp"]["streamKey"].as_str().unwrap().to_owned()
}

async fn live_sessions(f: &Fixture) -> Vec<Value> {
    let answer = json_of(f.pk(Method::GET, "/api/v1/sessions/live")).await;
    answer["sessions"].as_array().unwrap().clone()
}

/// The next `session` event on the stream (other events skipped).
async fn next_session_event(stream: &mut ChatStream) -> Value {
    let event = stream.next_named("session").await;
    assert!(event.id.is_empty(), "a session event moved Last-Event-ID");
    serde_json::from_str(&event.data).unwrap()
}

/// Whether a publish ends, refused, within 10 s.
fn refused(mut publish: restream_test_neighbours::Running) -> bool {
    publish
        .ended_within(Duration::from_secs(10))
        .is_some_and(|status| !status.success())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_makes_a_session_that_survives_a_drop_and_ends_with_its_job() {
    let rtmp_port = free_port();
    let f = Fixture::start_with(move |config| {
        config.ingest_rtmp_url = Some(format!("rtmp://127.0.0.1:{rtmp_port}/live"));
        config.publish_grace_ms = GRACE_MS;
    })
    .await;
    assert_eq!(f.ready.publish_grace_ms, Some(GRACE_MS));
    let hook = f.ready.ingest_hook_url.clone().unwrap();
    assert!(
        hook.starts_with(&format!("{}/ingest/rtmp/", f.ready.base_url)),
        "{hook}"
    );
    let nginx = Nginx::with_hooks(f.dir.path(), rtmp_port, &hook);
    let mut stream = ChatStream::open(f.pk(Method::GET, "/api/v1/comments/stream")).await;

    // A publish with the user's key: a live session, said and listed.
    let key = stream_key(&f, Method::GET, "/api/v1/ingest").await;
    let publisher = nginx.publish(&key);
    let live = next_session_event(&mut stream).await;
    assert_eq!(live["status"], "live");
    assert_eq!(live["source"], "rtmp");
    assert_eq!(live["tracks"], json!(["audio", "video"]));
    let session = live["publisherSessionId"].as_str().unwrap().to_owned();
    let listed = live_sessions(&f).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["publisherSessionId"], session.as_str());

    // Going live on it, as the studio will without a pasted id.
    assert_eq!(f.connect("twitch").await.status(), StatusCode::SEE_OTHER);
    let job: Value = f
        .go_live(json!({ "publisherSessionId": session, "destinations": ["twitch"] }))
        .await
        .json()
        .await
        .unwrap();
    let job_id = job["id"].as_str().unwrap().to_owned();
    f.wait_for_job(&job_id, |j| j["status"] == "running").await;

    // An unknown key is refused by nginx, on the hook's word.
    assert!(
        refused(nginx.publish("live_not-a-key")),
        "a publish with an unknown key went through"
    );

    // The encoder drops and comes back within the window: the same session, and nothing said
    // for longer than the window.
    publisher.stop();
    let mut publisher = nginx.publish(&key);
    let quiet = tokio::time::timeout(
        Duration::from_millis(GRACE_MS + 1_000),
        next_session_event(&mut stream),
    )
    .await;
    assert!(quiet.is_err(), "a session event during a reconnect: {quiet:?}");
    let listed = live_sessions(&f).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["publisherSessionId"], session.as_str());

    // A rotation does not cut the publish that is running, but its key refuses the next one.
    let rotated = stream_key(&f, Method::POST, "/api/v1/ingest/rotate").await;
    assert_ne!(rotated, key);
    assert!(
        publisher.ended_within(Duration::from_millis(500)).is_none(),
        "the rotation cut the running publish"
    );
    let stopped_at = restream_now();
    publisher.stop();
    assert!(
        refused(nginx.publish(&key)),
        "a publish with the rotated key went through"
    );

    // Away for longer than the window: the session ends (the key that started it was rotated
    // meanwhile), and the job that mirrors it becomes `ended`.
    let ended = next_session_event(&mut stream).await;
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["publisherSessionId"], session.as_str());
    assert!(ended["endedAt"].as_i64().unwrap() >= stopped_at + GRACE_MS as i64);
    let job = f.wait_for_job(&job_id, |j| j["status"] == "ended").await;
    assert!(job["endedAt"].is_i64(), "{job}");
    assert!(live_sessions(&f).await.is_empty());

    // The new key makes a new session.
    let publisher = nginx.publish(&rotated);
    let next = next_session_event(&mut stream).await;
    assert_eq!(next["status"], "live");
    assert_ne!(next["publisherSessionId"], session.as_str());
    publisher.stop();
}

/// Milliseconds since the Unix epoch, as the sandbox counts them.
fn restream_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}
