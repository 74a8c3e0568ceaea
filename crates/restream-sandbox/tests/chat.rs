//! The chat stream (SSE) and sending chat: replay rules, job events, keep-alives, drops and
//! stalls, query credentials, per-platform send results and own echoes.

mod common;

use std::collections::HashSet;

use common::{ChatStream, Fixture, expect_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn burst(f: &Fixture, job_id: &str, count: u32) -> Vec<String> {
    burst_of(f, job_id, json!({ "count": count })).await
}

/// The ids of a burst made as `made` says (count, platform, message, author).
async fn burst_of(f: &Fixture, job_id: &str, made: Value) -> Vec<String> {
    let body: Value = f
        .admin(Method::POST, &format!("/sandbox/jobs/{job_id}/comments"))
        .json(&made)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn stream_request(f: &Fixture) -> reqwest::RequestBuilder {
    f.pk(Method::GET, "/api/v1/comments/stream")
}

#[tokio::test]
async fn opens_without_a_job_with_retry_then_keep_alives() {
    let f = Fixture::start().await;
    let response = stream_request(&f).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // Read raw bytes: the retry line and a keep-alive comment are not events.
    let mut bytes = Vec::new();
    let mut body = response;
    while !String::from_utf8_lossy(&bytes).contains(": keep-alive") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), body.chunk())
            .await
            .expect("a keep-alive within 10 s")
            .unwrap()
            .expect("stream open");
        bytes.extend_from_slice(&chunk);
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("retry: 2000\n"), "{text:?}");
    assert!(!text.contains("event:"), "no job, no events: {text:?}");
}

#[tokio::test]
async fn live_comments_and_job_events_flow_and_follow_a_supersede() {
    let f = Fixture::start().await;
    let mut stream = ChatStream::open(stream_request(&f)).await;
    let job = f.running_job(&["twitch", "kick"]).await;
    let id = job["id"].as_str().unwrap();
    // Job events carry no id and arrive for each change.
    let mut statuses = Vec::new();
    while statuses.last().map(String::as_str) != Some("running") {
        let event = stream.next().await.unwrap();
        assert_eq!(event.event, "job");
        assert_eq!(event.id, "", "job events do not move Last-Event-ID");
        let job: Value = serde_json::from_str(&event.data).unwrap();
        statuses.push(job["status"].as_str().unwrap().to_owned());
    }
    assert_eq!(statuses, ["queued", "running"]);

    let sent = burst(&f, id, 3).await;
    let got = stream.comments(3).await;
    assert_eq!(got, sent);

    // A new go-live: the same stream follows the new job.
    let second: Value = f
        .go_live(json!({ "publisherSessionId": "sess_2", "destinations": ["twitch"] }))
        .await
        .json()
        .await
        .unwrap();
    f.wait_for_job(second["id"].as_str().unwrap(), |j| j["status"] == "running")
        .await;
    let sent = burst(&f, second["id"].as_str().unwrap(), 2).await;
    assert_eq!(stream.comments(2).await, sent);
}

#[tokio::test]
async fn a_comment_larger_than_any_request_body_is_made_stored_and_replayed() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let path = format!("/sandbox/jobs/{}/comments", job["id"].as_str().unwrap());
    let made = |body: Value| f.admin(Method::POST, &path).json(&body).send();
    let big: Value = made(json!({ "count": 1, "messageBytes": 300_000 }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let big_id = big["ids"][0].as_str().unwrap().to_owned();
    let mut replay = ChatStream::open(stream_request(&f)).await;
    let event = loop {
        let event = replay.next().await.unwrap();
        if event.event == "comment" {
            break event;
        }
    };
    assert_eq!(event.id, big_id);
    let comment: Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(comment["message"].as_str().unwrap().len(), 300_000);
    let refused = made(json!({ "count": 1, "messageBytes": 4 * 1024 * 1024 + 1 }))
        .await
        .unwrap();
    let message = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    assert!(message.contains("messageBytes"), "{message}");
}

#[tokio::test]
async fn a_named_authors_comments_carry_their_one_picture() {
    // Tests name an author to follow them (an overlay shows their picture once the studio has
    // it): each of their comments carries the same one, as a platform's author keeps theirs.
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch", "youtube"]).await;
    let job_id = job["id"].as_str().unwrap();
    for author in ["viewer", "regular"] {
        let sent = burst_of(&f, job_id, json!({ "count": 30, "author": author })).await;
        assert_eq!(sent.len(), 30);
    }
    let mut stream = ChatStream::open(stream_request(&f)).await;
    let mut pictures: std::collections::HashMap<String, HashSet<String>> = Default::default();
    let mut seen = 0;
    while seen < 60 {
        let event = stream.next().await.unwrap();
        if event.event != "comment" {
            continue;
        }
        seen += 1;
        let comment: Value = serde_json::from_str(&event.data).unwrap();
        let picture = comment["authorAvatar"].as_str().unwrap_or("none").to_owned();
        pictures
            .entry(comment["author"].as_str().unwrap().to_owned())
            .or_default()
            .insert(picture);
    }
    for author in ["viewer", "regular"] {
        let theirs = &pictures[author];
        assert_eq!(theirs.len(), 1, "{author} has one picture: {theirs:?}");
        let picture = theirs.iter().next().unwrap();
        assert!(
            picture.starts_with(&f.url("/assets/avatars/")),
            "{author}'s picture is served here: {picture}"
        );
        let served = reqwest::get(picture.as_str()).await.unwrap();
        assert_eq!(served.status(), StatusCode::OK, "{picture}");
    }
}

#[tokio::test]
async fn replay_rules() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let id = job["id"].as_str().unwrap();
    let all = burst(&f, id, 250).await;
    let latest: Vec<String> = all[50..].to_vec();

    // Without Last-Event-ID: the latest 200, oldest first, after the current job.
    let mut fresh = ChatStream::open(stream_request(&f)).await;
    let first = fresh.next().await.unwrap();
    assert_eq!(first.event, "job");
    assert_eq!(fresh.comments(200).await, latest);

    // With a known id: every newer comment.
    let known = &all[240];
    let mut resumed = ChatStream::open(stream_request(&f).header("Last-Event-ID", known)).await;
    assert_eq!(resumed.comments(9).await, all[241..].to_vec());
    // …and then live ones, no repeats.
    let more = burst(&f, id, 2).await;
    assert_eq!(resumed.comments(2).await, more);

    // With an aged-out or unknown id: the latest 200 again.
    for stale in [all[10].as_str(), "cmt_never_existed"] {
        let mut s = ChatStream::open(stream_request(&f).header("Last-Event-ID", stale)).await;
        let ids = s.comments(200).await;
        assert_eq!(ids.len(), 200);
        assert_eq!(ids.last(), more.last());
    }

    // Each comment has the contract's shape.
    let mut s = ChatStream::open(stream_request(&f).header("Last-Event-ID", &all[248])).await;
    let event = loop {
        let e = s.next().await.unwrap();
        if e.event == "comment" {
            break e;
        }
    };
    let comment: Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(comment["id"], all[249]);
    for field in ["platform", "author", "message", "timestamp", "own"] {
        assert!(comment.get(field).is_some(), "{field} missing: {comment}");
    }
    assert!(
        comment.get("authorAvatar").is_some(),
        "authorAvatar is always present"
    );
}

#[tokio::test]
async fn dropped_streams_resume_without_loss_or_duplicates() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch", "kick"]).await;
    let id = job["id"].as_str().unwrap();
    // Chat keeps arriving while the streams are dropped again and again.
    f.admin(Method::PUT, "/sandbox/settings")
        .json(&json!({ "chatRatePerSecond": 40.0 }))
        .send()
        .await
        .unwrap();
    let mut seen: Vec<String> = Vec::new();
    let mut last: Option<String> = None;
    for _ in 0..20 {
        let mut request = stream_request(&f);
        if let Some(last) = &last {
            request = request.header("Last-Event-ID", last);
        }
        let mut stream = ChatStream::open(request).await;
        let got = stream.comments(3).await;
        last = got.last().cloned();
        seen.extend(got);
        let dropped = f
            .admin(Method::POST, "/sandbox/streams/drop")
            .send()
            .await
            .unwrap();
        assert_eq!(dropped.status(), StatusCode::NO_CONTENT);
        // The dropped stream ends rather than hanging.
        while let Some(event) = stream.next().await {
            if event.event == "comment" {
                seen.push(event.id.clone());
                last = Some(event.id);
            }
        }
    }
    f.admin(Method::PUT, "/sandbox/settings")
        .json(&json!({ "chatRatePerSecond": 0.0 }))
        .send()
        .await
        .unwrap();
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no comment twice");
    let stored: Value = f
        .admin(Method::GET, &format!("/sandbox/jobs/{id}/comments"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let stored: Vec<&str> = stored["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // Everything the sandbox stored up to the last seen comment was seen, in order.
    let upto = stored.iter().position(|s| Some(*s) == last.as_deref()).unwrap();
    let first = stored.iter().position(|s| *s == seen[0]).unwrap();
    assert_eq!(
        seen,
        stored[first..=upto]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
        "nothing lost"
    );
}

#[tokio::test]
async fn stalled_streams_go_silent_after_their_headers() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let stalled = f
        .admin(Method::PUT, "/sandbox/streams/stall")
        .json(&json!({ "stalled": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(stalled.status(), StatusCode::NO_CONTENT);
    let mut response = stream_request(&f).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    burst(&f, job["id"].as_str().unwrap(), 1).await;
    // Several keep-alive intervals (300 ms here) pass with no byte at all, past the preamble.
    let mut preamble = Vec::new();
    loop {
        match tokio::time::timeout(std::time::Duration::from_millis(1200), response.chunk()).await {
            Ok(Ok(Some(chunk))) => preamble.extend_from_slice(&chunk),
            Ok(other) => panic!("stream ended: {other:?}"),
            Err(_) => break,
        }
        assert!(preamble.len() < 4096, "a stalled stream keeps talking");
    }
    let text = String::from_utf8_lossy(&preamble);
    assert!(!text.contains("keep-alive"), "{text}");
    f.admin(Method::PUT, "/sandbox/streams/stall")
        .json(&json!({ "stalled": false }))
        .send()
        .await
        .unwrap();
    let resumed = tokio::time::timeout(std::time::Duration::from_secs(10), response.chunk()).await;
    assert!(matches!(resumed, Ok(Ok(Some(_)))), "unstalled streams talk again");
}

#[tokio::test]
async fn query_string_credentials_work_and_two_kinds_do_not() {
    let f = Fixture::start().await;
    let token = f.mint(f.user_id(), None).await;
    let by_token = f
        .http
        .get(f.url(&format!("/api/v1/comments/stream?access_token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), StatusCode::OK);
    let pk = f.ready.publishable_key.clone().unwrap();
    let by_key = f
        .http
        .get(f.url(&format!(
            "/api/v1/comments/stream?publishable_key={pk}&user_id={}",
            f.user_id()
        )))
        .header("Origin", &f.ready.browser_origin)
        .send()
        .await
        .unwrap();
    assert_eq!(by_key.status(), StatusCode::OK);
    let both = f
        .http
        .get(f.url(&format!("/api/v1/comments/stream?access_token={token}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_error(both, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    let no_scope = f.mint(f.user_id(), Some(&["connect"])).await;
    let refused = f
        .http
        .get(f.url("/api/v1/comments/stream"))
        .bearer_auth(&no_scope)
        .send()
        .await
        .unwrap();
    expect_error(refused, StatusCode::FORBIDDEN, "missing_scope").await;
}

#[tokio::test]
async fn send_chat_reports_per_platform_and_echoes_own_messages() {
    let f = Fixture::start().await;
    let not_live = f
        .pk(Method::POST, "/api/v1/chat")
        .json(&json!({ "message": "hi" }))
        .send()
        .await
        .unwrap();
    expect_error(not_live, StatusCode::CONFLICT, "not_live").await;

    let job = f.running_job(&["twitch", "kick"]).await;
    let mut stream = ChatStream::open(stream_request(&f)).await;
    let all: Value = f
        .pk(Method::POST, "/api/v1/chat")
        .json(&json!({ "message": "gg everyone 👋" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        all,
        json!({ "results": [{ "platform": "twitch", "ok": true }, { "platform": "kick", "ok": true }] })
    );
    let mut echoes = Vec::new();
    while echoes.len() < 2 {
        let e = stream.next().await.unwrap();
        if e.event == "comment" {
            echoes.push(serde_json::from_str::<Value>(&e.data).unwrap());
        }
    }
    assert!(
        echoes
            .iter()
            .all(|c| c["own"] == true && c["message"] == "gg everyone 👋")
    );
    let platforms: HashSet<&str> = echoes.iter().map(|c| c["platform"].as_str().unwrap()).collect();
    assert_eq!(platforms, HashSet::from(["twitch", "kick"]));

    // A refused platform and a platform outside the destinations.
    f.admin(Method::PUT, "/sandbox/settings")
        .json(&json!({ "chatFailPlatforms": ["kick"] }))
        .send()
        .await
        .unwrap();
    let chosen: Value = f
        .pk(Method::POST, "/api/v1/chat")
        .json(&json!({ "message": "ty", "platforms": ["kick", "youtube"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        chosen,
        json!({ "results": [
            { "platform": "kick", "ok": false, "error": "platform_rejected" },
            { "platform": "youtube", "ok": false, "error": "not_a_destination" }
        ] })
    );

    let long = "é".repeat(501);
    for body in [
        json!({ "message": "" }),
        json!({ "message": "   " }),
        json!({ "message": long }),
        json!({ "message": 5 }),
    ] {
        let response = f
            .pk(Method::POST, "/api/v1/chat")
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    }
    let exactly = "é".repeat(500);
    let ok = f
        .pk(Method::POST, "/api/v1/chat")
        .json(&json!({ "message": exactly }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ok.status(),
        StatusCode::OK,
        "500 scalar values is the limit, not 500 bytes"
    );
    let _ = job;
}

#[tokio::test]
async fn simulated_chat_arrives_at_the_configured_rate() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch", "youtube"]).await;
    let mut stream = ChatStream::open(stream_request(&f)).await;
    f.admin(Method::PUT, "/sandbox/settings")
        .json(&json!({ "chatRatePerSecond": 50.0 }))
        .send()
        .await
        .unwrap();
    let mut platforms = HashSet::new();
    let mut count = 0;
    while count < 40 {
        let e = stream.next().await.unwrap();
        if e.event == "comment" {
            let c: Value = serde_json::from_str(&e.data).unwrap();
            assert_eq!(c["own"], false);
            if let Some(avatar) = c["authorAvatar"].as_str() {
                assert!(
                    avatar.starts_with(&f.ready.base_url),
                    "avatars are served by the sandbox"
                );
                let image = f.http.get(avatar).send().await.unwrap();
                assert_eq!(image.headers()["content-type"], "image/png");
            }
            platforms.insert(c["platform"].as_str().unwrap().to_owned());
            count += 1;
        }
    }
    assert_eq!(
        platforms,
        HashSet::from(["twitch".to_owned(), "youtube".to_owned()])
    );
    let _ = job;
}

#[tokio::test]
async fn a_hundred_concurrent_streams_each_get_every_comment() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let mut streams = Vec::new();
    for _ in 0..100 {
        streams.push(ChatStream::open(stream_request(&f)).await);
    }
    let sent = burst(&f, job["id"].as_str().unwrap(), 20).await;
    let readers = streams
        .into_iter()
        .map(|mut s| tokio::spawn(async move { s.comments(20).await }));
    for reader in readers {
        assert_eq!(reader.await.unwrap(), sent);
    }
    let stats: Value = f
        .admin(Method::GET, "/sandbox/stats")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(stats["streamsOpened"].as_u64().unwrap() >= 100);
}

#[tokio::test]
async fn concurrent_writers_reach_streams_in_stored_order() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch", "kick"]).await;
    let id = job["id"].as_str().unwrap().to_owned();
    let mut stream = ChatStream::open(stream_request(&f)).await;
    f.admin(Method::PUT, "/sandbox/settings")
        .json(&json!({ "chatRatePerSecond": 100.0 }))
        .send()
        .await
        .unwrap();
    let writers = (0..8).map(|_| burst(&f, &id, 25));
    let sends = (0..8).map(|i| {
        f.pk(Method::POST, "/api/v1/chat")
            .json(&json!({ "message": format!("m{i}") }))
            .send()
    });
    let (_, _) = tokio::join!(
        futures_util::future::join_all(writers),
        futures_util::future::join_all(sends)
    );
    f.admin(Method::PUT, "/sandbox/settings")
        .json(&json!({ "chatRatePerSecond": 0.0 }))
        .send()
        .await
        .unwrap();
    let stored: Value = f
        .admin(Method::GET, &format!("/sandbox/jobs/{id}/comments"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let stored: Vec<String> = stored["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    // The store keeps the latest 200; the stream saw everything, so the store is its tail.
    let mut seen = Vec::new();
    while seen.last() != stored.last() {
        seen.extend(stream.comments(1).await);
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "nothing twice");
    assert!(seen.len() >= stored.len());
    assert_eq!(
        seen[seen.len() - stored.len()..],
        stored[..],
        "the stream's order is the stored order, nothing skipped"
    );
}
