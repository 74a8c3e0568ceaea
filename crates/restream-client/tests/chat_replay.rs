//! Chat against the real sandbox when the stream breaks: what the service stored while the
//! client was away (a comment too large to read included) is replayed, and refusals while the job
//! is live never stop chat for good.

mod common;

use common::{Service, live_on_twitch, wait_for};
use reqwest::Method;
use restream_client::{ChatStatus, StudioEvent};
use serde_json::json;

#[tokio::test]
async fn a_stored_comment_too_large_to_read_is_skipped_once_and_chat_goes_on() {
    let service = Service::start().await;
    let (studio, mut events, job) = live_on_twitch(&service).await;
    let burst = |body: serde_json::Value| {
        let path = format!("/sandbox/jobs/{}/comments", job.id);
        let service = &service;
        async move {
            let ids = service.admin(Method::POST, &path, Some(body)).await["ids"].clone();
            ids[0].as_str().unwrap().to_owned()
        }
    };
    let before = burst(json!({ "count": 1, "message": "before" })).await;
    wait_for(&mut events, "the first comment", |e| match e {
        StudioEvent::Comment(c) => (c.id == before).then_some(()),
        _ => None,
    })
    .await;
    // The big comment reaches the client as a platform hands it to the service: stored while the
    // client is away (its first reconnect is refused with a 503), then replayed when it comes back.
    service
        .admin(
            Method::POST,
            "/sandbox/faults",
            Some(json!({ "route": "GET /api/v1/comments/stream", "count": 1, "status": 503, "retryAfterSeconds": 2 })),
        )
        .await;
    service.admin(Method::POST, "/sandbox/streams/drop", None).await;
    wait_for(&mut events, "the refused reconnect", |e| match e {
        StudioEvent::Chat(ChatStatus::Reconnecting { last_error, .. }) => {
            (last_error == "503 unavailable").then_some(())
        }
        _ => None,
    })
    .await;
    burst(json!({ "count": 1, "messageBytes": 70_000 })).await;
    let after = burst(json!({ "count": 1, "message": "after" })).await;
    let mut skipped = 0;
    wait_for(&mut events, "the comment after the big one", |e| match e {
        StudioEvent::Skipped { count } => {
            skipped += count;
            None
        }
        StudioEvent::Comment(c) => (c.id == after).then_some(()),
        _ => None,
    })
    .await;
    assert_eq!(skipped, 1);
    // Coming back again resumes past it: it is not replayed, and chat goes on.
    service.admin(Method::POST, "/sandbox/streams/drop", None).await;
    wait_for(&mut events, "reconnecting again", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Reconnecting { .. })).then_some(())
    })
    .await;
    let last = burst(json!({ "count": 1, "message": "last" })).await;
    wait_for(&mut events, "the last comment", |e| match e {
        StudioEvent::Skipped { count } => {
            skipped += count;
            None
        }
        StudioEvent::Comment(c) => (c.id == last).then_some(()),
        _ => None,
    })
    .await;
    assert_eq!(skipped, 1, "the big comment is not replayed");
    let shown: Vec<String> = studio
        .snapshot()
        .comments
        .into_iter()
        .map(|c| c.message)
        .collect();
    assert_eq!(shown, ["before", "after", "last"]);
    studio.shutdown();
}

#[tokio::test]
async fn refusals_on_opening_the_stream_never_stop_chat_while_live() {
    let service = Service::start().await;
    let (studio, mut events, job) = live_on_twitch(&service).await;
    // More 401s in a row than a fresh credential cures: chat says why, and tries again.
    service
        .admin(
            Method::POST,
            "/sandbox/faults",
            Some(json!({ "route": "GET /api/v1/comments/stream", "count": 4, "status": 401 })),
        )
        .await;
    service.admin(Method::POST, "/sandbox/streams/drop", None).await;
    let refused = wait_for(&mut events, "the refusal, with its cause", |e| match e {
        StudioEvent::Chat(status @ ChatStatus::Refused { .. }) => Some(status.clone()),
        _ => None,
    })
    .await;
    let ChatStatus::Refused { last_error, fix, .. } = refused else {
        unreachable!()
    };
    assert_eq!(last_error, "401 invalid_credential");
    assert!(fix.contains("settings"), "{fix}");
    wait_for(&mut events, "chat live again", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
    })
    .await;
    let path = format!("/sandbox/jobs/{}/comments", job.id);
    let ids = service
        .admin(
            Method::POST,
            &path,
            Some(json!({ "count": 1, "message": "still here" })),
        )
        .await["ids"]
        .clone();
    let id = ids[0].as_str().unwrap().to_owned();
    wait_for(&mut events, "a comment after the refusals", |e| match e {
        StudioEvent::Comment(c) => (c.id == id).then_some(()),
        _ => None,
    })
    .await;
    assert!(matches!(studio.snapshot().chat, ChatStatus::Live));
    studio.shutdown();
}
