//! v1.1 moderation through the client, against the sandbox over HTTP and SSE: comments carry
//! their author's id, a deletion (the streamer's or a platform moderator's) leaves the feed in
//! stream order, what a platform cannot do is refused before it is sent, and a v1 service is
//! "not offered" with chat as before.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Browser, Decision, Service, go_live_on_twitch, live_on_twitch, wait_for};
use reqwest::Method;
use restream_client::{
    ChatTap, Comment, ModeratedBy, ModerationAction, ModerationEvent, ModerationRequest, Platform, Studio,
    StudioEvent, codes,
};
use serde_json::json;
use tokio::sync::Notify;

/// `count` comments from `author` on Twitch, as the platform would deliver them.
async fn said_by(service: &Service, job_id: &str, author: &str, count: u32) -> Vec<String> {
    let answer = service
        .admin(
            Method::POST,
            &format!("/sandbox/jobs/{job_id}/comments"),
            Some(json!({ "count": count, "platform": "twitch", "author": author })),
        )
        .await;
    answer["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect()
}

async fn moderation_event(
    events: &mut tokio::sync::broadcast::Receiver<StudioEvent>,
) -> (ModerationEvent, bool) {
    wait_for(events, "a moderation event", |e| match e {
        StudioEvent::Moderation { event, removed } => Some((event.clone(), *removed)),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn deletions_leave_the_feed_in_stream_order_whoever_made_them() {
    let service = Service::start().await;
    let (studio, mut events, job) = live_on_twitch(&service).await;
    let ids = [
        said_by(&service, &job.id, "kind_viewer", 1).await,
        said_by(&service, &job.id, "troll", 2).await,
    ]
    .concat();
    let seen = wait_for(&mut events, "three comments", |_| {
        (studio.snapshot().comments.len() == 3).then(|| studio.snapshot().comments)
    })
    .await;
    let troll = seen[1]
        .author_id
        .clone()
        .expect("comments carry their author's id");
    assert_eq!(seen[2].author_id.as_deref(), Some(troll.as_str()));
    assert_ne!(seen[0].author_id.as_deref(), Some(troll.as_str()));

    let done = studio
        .moderate(ModerationRequest::delete(Platform::Twitch, &ids[1]).because("spam"))
        .await
        .unwrap();
    assert_eq!(done.action, ModerationAction::Delete);
    assert_eq!(done.author_id.as_deref(), Some(troll.as_str()));
    let (event, removed) = moderation_event(&mut events).await;
    assert_eq!(event.outcome.comment_id.as_deref(), Some(ids[1].as_str()));
    assert_eq!(event.by, ModeratedBy::Streamer);
    assert!(removed);
    let left: Vec<String> = studio.snapshot().comments.into_iter().map(|c| c.id).collect();
    assert_eq!(left, [ids[0].clone(), ids[2].clone()]);

    // A moderator on Twitch deletes one there: the same, said as the platform's.
    service
        .admin(
            Method::POST,
            "/sandbox/moderation",
            Some(json!({ "userId": service.ready.user_id, "action": "delete", "platform": "twitch", "commentId": ids[2] })),
        )
        .await;
    let (event, removed) = moderation_event(&mut events).await;
    assert_eq!((event.by, removed), (ModeratedBy::Platform, true));
    let left: Vec<String> = studio.snapshot().comments.into_iter().map(|c| c.id).collect();
    assert_eq!(left, [ids[0].clone()]);

    // A ban is said; the author's comments stay for the window to show as it sees fit.
    let ban = studio
        .moderate(ModerationRequest::ban(Platform::Twitch, &troll))
        .await
        .unwrap();
    assert_eq!(ban.author_id.as_deref(), Some(troll.as_str()));
    let (event, removed) = moderation_event(&mut events).await;
    assert_eq!((event.outcome.action, removed), (ModerationAction::Ban, false));
    assert!(
        said_by(&service, &job.id, "troll", 1).await.is_empty(),
        "the banned author is silent"
    );
    studio.shutdown();
}

/// What a chat tap heard, in order: comment ids, and `deleted:<id>` for a deletion.
#[derive(Default)]
struct Heard {
    said: Mutex<Vec<String>>,
    more: Notify,
}

impl ChatTap for Heard {
    fn comments(&self, comments: &Arc<[Comment]>, _backfill: bool) {
        self.said
            .lock()
            .unwrap()
            .extend(comments.iter().map(|c| c.id.clone()));
        self.more.notify_one();
    }

    fn moderation(&self, event: &ModerationEvent) {
        let id = event.outcome.comment_id.clone().unwrap_or_default();
        self.said.lock().unwrap().push(format!("deleted:{id}"));
        self.more.notify_one();
    }
}

#[tokio::test]
async fn the_chat_tap_hears_every_comment_and_moderation_in_order_where_a_slow_subscriber_misses_some() {
    let service = Service::start().await;
    let heard = Arc::new(Heard::default());
    let browser = Browser::new(Decision::Approve);
    let mut config = service.config(service.publishable(), browser.clone());
    config.chat_tap = heard.clone();
    let studio = Studio::new(config).unwrap();
    browser.attach(&studio);
    // Subscribed, and read only at the end: a reader that falls behind.
    let (mut slow, job) = go_live_on_twitch(&studio).await;
    let ids = said_by(&service, &job.id, "crowd", 3_000).await;
    let last = ids.last().cloned().unwrap();
    service
        .admin(
            Method::POST,
            "/sandbox/moderation",
            Some(json!({ "userId": service.ready.user_id, "action": "delete", "platform": "twitch", "commentId": last })),
        )
        .await;
    let deleted = format!("deleted:{last}");
    tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let more = heard.more.notified();
            if heard.said.lock().unwrap().contains(&deleted) {
                return;
            }
            more.await;
        }
    })
    .await
    .expect("the tap heard the deletion within 15 s");
    let mut expected = ids;
    expected.push(deleted);
    assert_eq!(*heard.said.lock().unwrap(), expected);
    assert!(
        matches!(
            slow.try_recv(),
            Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_))
        ),
        "the slow subscriber missed events the tap kept"
    );
    studio.shutdown();
}

#[tokio::test]
async fn what_a_platform_cannot_do_is_refused_before_it_is_sent_and_a_gone_target_is_said_so() {
    let service = Service::start().await;
    let (studio, _events, _job) = live_on_twitch(&service).await;
    assert_eq!(
        studio.moderation_offered(Platform::Instagram).await.unwrap(),
        Some(vec![ModerationAction::Delete])
    );
    let asked = service.stats().await["requests"]["POST /api/v1/chat/moderation"].clone();
    let refused = studio
        .moderate(ModerationRequest::timeout(Platform::Instagram, "instagram-1", 60))
        .await
        .unwrap_err();
    assert_eq!(refused.code, codes::ACTION_NOT_SUPPORTED);
    assert!(refused.message.contains("Instagram"), "{}", refused.message);
    assert_eq!(
        service.stats().await["requests"]["POST /api/v1/chat/moderation"],
        asked,
        "nothing was sent"
    );

    let gone = studio
        .moderate(ModerationRequest::delete(Platform::Twitch, "cmt_never_said"))
        .await
        .unwrap_err();
    assert_eq!(
        (gone.status, gone.code.as_str()),
        (404, codes::MODERATION_TARGET_GONE)
    );
    assert!(gone.advice().cause.contains("no longer in your chat"));
    studio.shutdown();
}

#[tokio::test]
async fn a_v1_service_offers_no_moderation_and_chat_goes_on_as_before() {
    let service = Service::start_with(|config| config.moderation = false).await;
    let (studio, mut events, job) = live_on_twitch(&service).await;
    assert_eq!(studio.moderation_offered(Platform::Twitch).await.unwrap(), None);
    let refused = studio
        .moderate(ModerationRequest::delete(Platform::Twitch, "cmt_1"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, codes::MODERATION_NOT_OFFERED);
    let said = said_by(&service, &job.id, "viewer", 1).await;
    let comment = wait_for(&mut events, "the comment", |e| match e {
        StudioEvent::Comment(c) => Some(c.clone()),
        _ => None,
    })
    .await;
    assert_eq!(comment.id, said[0]);
    studio.shutdown();
}
