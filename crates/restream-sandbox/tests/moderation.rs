//! v1.1 moderation over real HTTP, SSE and SQLite: what each platform offers, the request's rules,
//! deletions replayed in the comment sequence (and the deleted comment never again), bans and
//! time-outs that stop an author's chat, a moderator acting on the platform, and all of it across
//! a restart.

mod common;

use std::time::Duration;

use common::{ChatStream, Fixture, SseEvent, expect_error, json_of};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `count` comments from `author` (one name per burst), as the platforms would deliver them;
/// answers the ids the sandbox stored.
async fn said_by(f: &Fixture, job_id: &str, author: &str, count: u32) -> Vec<String> {
    let body = json_of(
        f.admin(Method::POST, &format!("/sandbox/jobs/{job_id}/comments"))
            .json(&json!({ "count": count, "platform": "twitch", "author": author })),
    )
    .await;
    body["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn moderate(f: &Fixture, body: Value) -> reqwest::RequestBuilder {
    f.pk(Method::POST, "/api/v1/chat/moderation").json(&body)
}

async fn moderated(f: &Fixture, body: Value) -> Value {
    let response = moderate(f, body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn stream_after(f: &Fixture, last_event_id: Option<&str>) -> reqwest::RequestBuilder {
    let request = f.pk(Method::GET, "/api/v1/comments/stream");
    match last_event_id {
        Some(id) => request.header("Last-Event-ID", id),
        None => request,
    }
}

/// The next `n` events of the chat sequence (comments and moderation), in order.
async fn sequenced(stream: &mut ChatStream, n: usize) -> Vec<SseEvent> {
    let mut events = Vec::new();
    while events.len() < n {
        let event = stream.next().await.expect("the stream ended");
        if event.event == "comment" || event.event == "moderation" {
            events.push(event);
        }
    }
    events
}

fn data(event: &SseEvent) -> Value {
    serde_json::from_str(&event.data).unwrap()
}

fn ids(events: &[SseEvent]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn author_of(event: &SseEvent) -> String {
    data(event)["authorId"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn platforms_say_what_each_lets_apps_do_and_a_v1_service_says_nothing() {
    let f = Fixture::start().await;
    let platforms = json_of(f.pk(Method::GET, "/api/v1/platforms")).await;
    let offered: Vec<(String, Value)> = platforms["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["platform"].as_str().unwrap().to_owned(),
                p["moderation"].clone(),
            )
        })
        .collect();
    let all = json!(["delete", "timeout", "ban", "unban"]);
    assert_eq!(
        offered,
        vec![
            ("twitch".into(), all.clone()),
            ("kick".into(), all.clone()),
            ("youtube".into(), all),
            ("facebook".into(), json!(["delete", "ban", "unban"])),
            ("instagram".into(), json!(["delete"])),
        ]
    );

    let v1 = Fixture::start_with(|config| config.moderation = false).await;
    let platforms = json_of(v1.pk(Method::GET, "/api/v1/platforms")).await;
    assert!(
        platforms["platforms"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p.get("moderation").is_none()),
        "{platforms}"
    );
    let body = json!({ "action": "delete", "platform": "twitch", "commentId": "cmt_x" });
    expect_error(
        moderate(&v1, body).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn every_rule_names_its_cause() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch", "instagram"]).await;
    let job_id = job["id"].as_str().unwrap();
    let troll = said_by(&f, job_id, "troll", 1).await;
    assert_eq!(troll.len(), 1);

    let cases = [
        (
            json!({ "action": "mute", "platform": "twitch", "authorId": "a" }),
            "invalid_request",
            "action",
        ),
        (
            json!({ "action": "ban", "platform": "myspace", "authorId": "a" }),
            "invalid_request",
            "platform",
        ),
        (
            json!({ "action": "timeout", "platform": "instagram", "authorId": "a", "durationSeconds": 60 }),
            "action_not_supported",
            "Instagram",
        ),
        (
            json!({ "action": "ban", "platform": "instagram", "authorId": "a" }),
            "action_not_supported",
            "delete",
        ),
        (
            json!({ "action": "delete", "platform": "twitch" }),
            "invalid_request",
            "commentId",
        ),
        (
            json!({ "action": "delete", "platform": "twitch", "commentId": "" }),
            "invalid_request",
            "commentId",
        ),
        (
            json!({ "action": "ban", "platform": "twitch", "authorId": "é".repeat(201) }),
            "invalid_request",
            "authorId",
        ),
        (
            json!({ "action": "timeout", "platform": "twitch", "authorId": "a" }),
            "invalid_request",
            "durationSeconds",
        ),
        (
            json!({ "action": "timeout", "platform": "twitch", "authorId": "a", "durationSeconds": 0 }),
            "invalid_request",
            "durationSeconds",
        ),
        (
            json!({ "action": "timeout", "platform": "twitch", "authorId": "a", "durationSeconds": 1_209_601 }),
            "invalid_request",
            "durationSeconds",
        ),
        (
            json!({ "action": "ban", "platform": "twitch" }),
            "invalid_request",
            "authorId",
        ),
        (
            json!({ "action": "unban", "platform": "twitch", "authorId": null }),
            "invalid_request",
            "authorId",
        ),
        (
            json!({ "action": "ban", "platform": "twitch", "authorId": "a", "reason": "x".repeat(501) }),
            "invalid_request",
            "reason",
        ),
    ];
    for (body, code, names) in cases {
        let message = expect_error(
            moderate(&f, body.clone()).send().await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert!(message.contains(names), "{body}: {message}");
    }

    // Unknown on that platform, for this user: 404 naming what is unknown, never "not
    // offered". The longest id and reason are still read.
    let unknown = [
        (
            json!({ "action": "delete", "platform": "twitch", "commentId": "cmt_nobody" }),
            "comment",
        ),
        (
            json!({ "action": "delete", "platform": "instagram", "commentId": troll[0] }),
            "comment",
        ),
        (
            json!({ "action": "ban", "platform": "twitch", "authorId": "twitch-nobody" }),
            "author",
        ),
        (
            json!({ "action": "ban", "platform": "twitch", "authorId": "é".repeat(200) }),
            "author",
        ),
        (
            json!({ "action": "ban", "platform": "twitch", "authorId": "a", "reason": "x".repeat(500) }),
            "author",
        ),
    ];
    for (body, what) in unknown {
        let response = moderate(&f, body.clone()).send().await.unwrap();
        let message = expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
        assert!(message.contains(what), "{body}: {message}");
    }

    // The streamer's own account is not theirs to ban.
    let own =
        json_of(f.pk(Method::GET, "/api/v1/connections")).await["connections"][0]["platformUserId"].clone();
    f.pk(Method::POST, "/api/v1/chat")
        .json(&json!({ "message": "hello", "platforms": ["twitch"] }))
        .send()
        .await
        .unwrap();
    let message = expect_error(
        moderate(
            &f,
            json!({ "action": "ban", "platform": "twitch", "authorId": own }),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert!(message.contains("own Twitch account"), "{message}");

    // Without `chat:moderate`, the scope is named.
    let token = f.mint(f.user_id(), Some(&["read", "chat:write"])).await;
    let refused = f
        .http
        .post(f.url("/api/v1/chat/moderation"))
        .bearer_auth(token)
        .json(&json!({ "action": "delete", "platform": "twitch", "commentId": troll[0] }))
        .send()
        .await
        .unwrap();
    let message = expect_error(refused, StatusCode::FORBIDDEN, "missing_scope").await;
    assert!(message.contains("chat:moderate"), "{message}");
}

#[tokio::test]
async fn a_deletion_is_replayed_in_order_and_the_deleted_comment_never_again() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let job_id = job["id"].as_str().unwrap();
    let mut stream = ChatStream::open(stream_after(&f, None)).await;
    let sent = [
        said_by(&f, job_id, "kind_viewer", 1).await,
        said_by(&f, job_id, "troll", 1).await,
        said_by(&f, job_id, "kind_viewer", 1).await,
    ]
    .concat();
    let seen = sequenced(&mut stream, 3).await;
    assert_eq!(ids(&seen), sent.iter().map(String::as_str).collect::<Vec<_>>());
    let troll_id = author_of(&seen[1]);
    assert_ne!(troll_id, author_of(&seen[0]), "authors have their own ids");
    assert_eq!(author_of(&seen[0]), author_of(&seen[2]), "an author keeps one id");

    let answer = moderated(
        &f,
        json!({ "action": "delete", "platform": "twitch", "commentId": sent[1], "reason": "spam" }),
    )
    .await;
    assert_eq!(
        answer,
        json!({ "action": "delete", "platform": "twitch", "commentId": sent[1], "authorId": troll_id })
    );
    let live = sequenced(&mut stream, 1).await.remove(0);
    assert_eq!(live.event, "moderation");
    let event = data(&live);
    assert_eq!(event["id"], live.id.as_str());
    assert_eq!(event["by"], "streamer");
    assert_eq!(event["commentId"], sent[1].as_str());

    // From before the deletion: the later comment and the deletion, never the deleted comment.
    let mut resumed = ChatStream::open(stream_after(&f, Some(&sent[0]))).await;
    assert_eq!(
        ids(&sequenced(&mut resumed, 2).await),
        [sent[2].as_str(), &live.id]
    );
    // The deleted comment's id still places a client in the sequence.
    let mut resumed = ChatStream::open(stream_after(&f, Some(&sent[1]))).await;
    assert_eq!(
        ids(&sequenced(&mut resumed, 2).await),
        [sent[2].as_str(), &live.id]
    );
    let mut fresh = ChatStream::open(stream_after(&f, None)).await;
    assert_eq!(
        ids(&sequenced(&mut fresh, 3).await),
        [sent[0].as_str(), &sent[2], &live.id]
    );

    // Deleting it again answers the same and says nothing new: after the deletion comes the next
    // comment, not a second event.
    let again = moderated(
        &f,
        json!({ "action": "delete", "platform": "twitch", "commentId": sent[1] }),
    )
    .await;
    assert_eq!(again, answer);
    let next = said_by(&f, job_id, "kind_viewer", 1).await;
    let mut after = ChatStream::open(stream_after(&f, Some(&live.id))).await;
    assert_eq!(ids(&sequenced(&mut after, 1).await), [next[0].as_str()]);

    let stored = json_of(f.admin(Method::GET, &format!("/sandbox/jobs/{job_id}/comments"))).await;
    assert_eq!(stored["ids"], json!([sent[0], sent[2], next[0]]));
}

#[tokio::test]
async fn banned_and_timed_out_authors_stop_until_lifted_and_a_platform_moderator_is_heard() {
    let f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let job_id = job["id"].as_str().unwrap();
    let mut stream = ChatStream::open(stream_after(&f, None)).await;
    said_by(&f, job_id, "troll", 1).await;
    let troll = author_of(&sequenced(&mut stream, 1).await[0]);

    let ban = moderated(
        &f,
        json!({ "action": "ban", "platform": "twitch", "authorId": troll }),
    )
    .await;
    assert_eq!(
        ban,
        json!({ "action": "ban", "platform": "twitch", "authorId": troll })
    );
    assert!(
        said_by(&f, job_id, "troll", 3).await.is_empty(),
        "a banned author is silent"
    );
    assert_eq!(
        said_by(&f, job_id, "kind_viewer", 1).await.len(),
        1,
        "others are not"
    );
    let unban = moderated(
        &f,
        json!({ "action": "unban", "platform": "twitch", "authorId": troll }),
    )
    .await;
    assert_eq!(unban["action"], "unban");
    assert_eq!(
        said_by(&f, job_id, "troll", 1).await.len(),
        1,
        "unbanned, they chat again"
    );
    let events: Vec<String> = sequenced(&mut stream, 4)
        .await
        .iter()
        .map(|e| format!("{}:{}", e.event, data(e)["action"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(
        events,
        ["moderation:ban", "comment:-", "moderation:unban", "comment:-"]
    );

    // A time-out ends when asked: another author out for ten minutes.
    said_by(&f, job_id, "spammer", 1).await;
    let spammer = author_of(&sequenced(&mut stream, 1).await[0]);
    let asked_at = now_ms();
    let long = moderated(
        &f,
        json!({ "action": "timeout", "platform": "twitch", "authorId": spammer, "durationSeconds": 600 }),
    )
    .await;
    let until = long["until"].as_i64().unwrap();
    assert!(
        (asked_at + 600_000..=now_ms() + 600_000).contains(&until),
        "{long}"
    );
    assert_eq!(data(&sequenced(&mut stream, 1).await[0])["until"], until);

    // A time-out holds until its end, and then the author is back.
    let timeout = moderated(
        &f,
        json!({ "action": "timeout", "platform": "twitch", "authorId": troll, "durationSeconds": 1 }),
    )
    .await;
    let until = timeout["until"].as_i64().unwrap();
    assert!(said_by(&f, job_id, "troll", 1).await.is_empty());
    // Waits for the wall clock to pass `until`: the rule under test is about that clock.
    tokio::time::sleep(Duration::from_millis((until - now_ms()).max(0) as u64 + 20)).await;
    assert_eq!(
        said_by(&f, job_id, "troll", 1).await.len(),
        1,
        "the time-out ended"
    );

    // Unbanning someone who is not banned changes nothing and says nothing.
    let idle = moderated(
        &f,
        json!({ "action": "unban", "platform": "twitch", "authorId": troll }),
    )
    .await;
    assert_eq!(idle["action"], "unban");

    // A moderator on Twitch deletes a comment there: the stream hears it, `by: platform`. What
    // the stream says after the time-out: the comment back from it, the new one, and the
    // deletion; nothing for the unban that changed nothing.
    let doomed = said_by(&f, job_id, "kind_viewer", 1).await;
    let acted = json_of(f.admin(Method::POST, "/sandbox/moderation").json(&json!({
        "userId": f.user_id(), "action": "delete", "platform": "twitch", "commentId": doomed[0]
    })))
    .await;
    assert_eq!(acted["commentId"], doomed[0].as_str());
    let after = sequenced(&mut stream, 4).await;
    let said: Vec<String> = after
        .iter()
        .map(|e| format!("{}:{}", e.event, data(e)["action"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(
        said,
        [
            "moderation:timeout",
            "comment:-",
            "comment:-",
            "moderation:delete"
        ]
    );
    assert_eq!(data(&after[3])["by"], "platform");
}

#[tokio::test]
async fn deletions_bans_and_their_events_survive_a_restart() {
    let mut f = Fixture::start().await;
    let job = f.running_job(&["twitch"]).await;
    let job_id = job["id"].as_str().unwrap().to_owned();
    let troll_said = said_by(&f, &job_id, "troll", 1).await;
    let kind_said = said_by(&f, &job_id, "kind_viewer", 1).await;
    let mut stream = ChatStream::open(stream_after(&f, None)).await;
    let troll = author_of(&sequenced(&mut stream, 2).await[0]);
    moderated(
        &f,
        json!({ "action": "delete", "platform": "twitch", "commentId": kind_said[0] }),
    )
    .await;
    moderated(
        &f,
        json!({ "action": "ban", "platform": "twitch", "authorId": troll }),
    )
    .await;
    let before: Vec<SseEvent> = sequenced(&mut stream, 2).await;
    drop(stream);

    f.restart().await;
    let mut fresh = ChatStream::open(stream_after(&f, None)).await;
    assert_eq!(
        ids(&sequenced(&mut fresh, 3).await),
        [troll_said[0].as_str(), &before[0].id, &before[1].id]
    );
    let mut resumed = ChatStream::open(stream_after(&f, Some(&kind_said[0]))).await;
    assert_eq!(
        ids(&sequenced(&mut resumed, 2).await),
        [before[0].id.as_str(), &before[1].id]
    );
    assert!(said_by(&f, &job_id, "troll", 2).await.is_empty(), "the ban holds");
    expect_error(
        moderate(
            &f,
            json!({ "action": "delete", "platform": "twitch", "commentId": "cmt_gone" }),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // The ban is known after the restart, so it can be lifted.
    moderated(
        &f,
        json!({ "action": "unban", "platform": "twitch", "authorId": troll }),
    )
    .await;
    assert_eq!(said_by(&f, &job_id, "troll", 1).await.len(), 1);
}
