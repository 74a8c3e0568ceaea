//! The controller against the real sandbox on loopback (real time, short intervals): linking
//! accounts, going live and stopping, chat and viewers, supersede, errors.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{Browser, Decision, Service, live_on_twitch, wait_for};
use reqwest::Method;
use restream_client::{
    ApiError, ChatStatus, Concern, ConnectOutcome, GoLiveParams, JobStatus, LinkVerdict, OverlayUpdate,
    Platform, StudioEvent,
};
use serde_json::json;

fn params(destinations: &[Platform]) -> GoLiveParams {
    GoLiveParams {
        publisher_session_id: "  sess_live  ".to_owned(),
        destinations: destinations.to_vec(),
        ..GoLiveParams::default()
    }
}

#[tokio::test]
async fn connect_by_deep_link_by_poll_and_denied() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Approve);
    let studio = service.studio(browser.clone());
    browser.attach(&studio);
    let mut events = studio.subscribe();

    let outcome = studio.connect(Platform::Twitch).await.unwrap();
    assert_eq!(
        outcome,
        ConnectOutcome::Connected {
            platform: Platform::Twitch
        }
    );
    let listed = wait_for(&mut events, "connections", |e| match e {
        StudioEvent::Connections(list) if !list.is_empty() => Some(list.clone()),
        _ => None,
    })
    .await;
    assert_eq!(listed[0].platform, Platform::Twitch);
    let opened = browser.opened.lock().unwrap()[0].clone();
    assert!(
        opened.as_str().starts_with(&service.ready.base_url),
        "the hosted page went to the browser"
    );

    // The OS never delivers the link: the status poll completes it.
    *browser.deliver_link.lock().unwrap() = false;
    let outcome = studio.connect(Platform::Kick).await.unwrap();
    assert_eq!(
        outcome,
        ConnectOutcome::Connected {
            platform: Platform::Kick
        }
    );

    *browser.decision.lock().unwrap() = Decision::Deny;
    *browser.deliver_link.lock().unwrap() = true;
    let outcome = studio.connect(Platform::Youtube).await.unwrap();
    assert_eq!(
        outcome,
        ConnectOutcome::Denied {
            platform: Platform::Youtube
        }
    );
    let platforms: Vec<Platform> = studio.snapshot().connections.iter().map(|c| c.platform).collect();
    assert_eq!(platforms, [Platform::Twitch, Platform::Kick]);

    studio.disconnect(Platform::Kick).await.unwrap();
    assert_eq!(studio.snapshot().connections.len(), 1);
    let err = studio.disconnect(Platform::Kick).await.unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (404, "not_connected"));
    assert_eq!(
        studio.snapshot().error.map(|e| e.code),
        Some("not_connected".to_owned())
    );
}

#[tokio::test]
async fn hostile_links_change_nothing() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Ignore);
    let studio = service.studio(browser.clone());
    browser.attach(&studio);
    let pending = tokio::spawn({
        let studio = studio.clone();
        async move { studio.connect(Platform::Twitch).await }
    });
    // Wait until the browser was asked to open the page.
    browser.until_opened("the connect page").await;
    let forged = [
        "dev.restreamstudio://connect/callback?state=forged-state-forged-state-1234&platform=twitch&result=connected",
        "https://connect/callback?state=x&platform=twitch&result=connected",
        "dev.restreamstudio://connect/callback?platform=twitch&result=connected",
    ];
    for link in forged {
        assert!(
            matches!(studio.complete_connect(link), LinkVerdict::Rejected { .. }),
            "{link}"
        );
    }
    assert!(matches!(
        studio.complete_sign_in(forged[0]),
        LinkVerdict::Rejected { .. }
    ));
    pending.abort();
    assert!(studio.snapshot().connections.is_empty());
    let list: serde_json::Value = service
        .http
        .get(service.url("/api/v1/connections"))
        .header(
            "X-Publishable-Key",
            service.ready.publishable_key.as_deref().unwrap(),
        )
        .header("X-User-Id", service.ready.user_id.as_deref().unwrap())
        .header("Origin", &service.ready.origin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["connections"], json!([]));
}

#[tokio::test]
async fn go_live_follow_chat_and_viewers_then_stop() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Approve);
    let studio = service.studio(browser.clone());
    browser.attach(&studio);
    studio.connect(Platform::Twitch).await.unwrap();
    studio.connect(Platform::Kick).await.unwrap();
    let mut events = studio.subscribe();

    studio.arm(vec![Platform::Twitch, Platform::Kick]);
    let job = studio.go_live(params(&[])).await.unwrap();
    assert_eq!(
        job.destinations,
        [Platform::Twitch, Platform::Kick],
        "armed destinations used"
    );
    assert_eq!(job.publisher_session_id, "sess_live", "trimmed");
    wait_for(&mut events, "running", |e| match e {
        StudioEvent::Job(Some(j)) if j.status == JobStatus::Running => Some(()),
        _ => None,
    })
    .await;
    let viewers = wait_for(&mut events, "viewers", |e| match e {
        StudioEvent::Viewers(Some(v)) => Some(v.clone()),
        _ => None,
    })
    .await;
    assert!(viewers.total > 0);
    // The stream opened with the job, so its `Live` may have gone by while waiting for the above.
    if studio.snapshot().chat != ChatStatus::Live {
        wait_for(&mut events, "chat live", |e| {
            matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
        })
        .await;
    }

    let burst = service
        .admin(
            Method::POST,
            &format!("/sandbox/jobs/{}/comments", job.id),
            Some(json!({ "count": 30 })),
        )
        .await;
    let sent: Vec<String> = burst["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let mut got = Vec::new();
    while got.len() < sent.len() {
        let batch = wait_for(&mut events, "comments", |e| match e {
            StudioEvent::Comments {
                comments,
                backfill: false,
            } => Some(comments.to_vec()),
            _ => None,
        })
        .await;
        got.extend(batch.into_iter().map(|c| c.id));
    }
    assert_eq!(got, sent);

    let results = studio.send_chat("gg all 👋", None).await.unwrap();
    assert!(results.iter().all(|r| r.ok));
    let results = studio
        .send_chat("kick only", Some(vec![Platform::Kick, Platform::Youtube]))
        .await
        .unwrap();
    assert_eq!(results[1].error.as_deref(), Some("not_a_destination"));

    let updated = studio
        .update_overlay(OverlayUpdate {
            top_banner: Some(restream_client::Change::Set(
                "https://cdn.example.com/top.png".into(),
            )),
            ..OverlayUpdate::default()
        })
        .await
        .unwrap();
    assert_eq!(
        updated.overlay.top_banner.as_deref(),
        Some("https://cdn.example.com/top.png")
    );

    let stopping = studio.stop_live().await.unwrap();
    assert_eq!(stopping.status, JobStatus::Stopping);
    wait_for(&mut events, "stopped", |e| match e {
        StudioEvent::Job(Some(j)) if j.status == JobStatus::Stopped => Some(()),
        _ => None,
    })
    .await;
    // Polling stops once the job settled.
    let before = service.stats().await["requests"]["GET /api/v1/jobs/{id}"]
        .as_u64()
        .unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = service.stats().await["requests"]["GET /api/v1/jobs/{id}"]
        .as_u64()
        .unwrap_or(0);
    assert!(
        after <= before + 1,
        "the job poller kept polling: {before} → {after}"
    );
    let snapshot = studio.snapshot();
    // 30 audience comments + own echoes, one per platform that took each message (2 + 1).
    assert_eq!(snapshot.comments.len(), 33);
    studio.shutdown();
}

#[tokio::test]
async fn double_clicks_start_one_job_and_a_new_go_live_supersedes() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Approve);
    let studio = service.studio(browser.clone());
    browser.attach(&studio);
    studio.connect(Platform::Twitch).await.unwrap();
    let (a, b) = tokio::join!(
        studio.go_live(params(&[Platform::Twitch])),
        studio.go_live(params(&[Platform::Twitch]))
    );
    assert_eq!(a.unwrap().id, b.unwrap().id, "one job for a double click");

    // Another device of the same streamer goes live: this studio says so and follows it.
    let other = service.studio(Browser::new(Decision::Ignore));
    let mut events = studio.subscribe();
    let newer = other
        .go_live(GoLiveParams {
            publisher_session_id: "other_device".into(),
            destinations: vec![Platform::Twitch],
            ..GoLiveParams::default()
        })
        .await
        .unwrap();
    let by = wait_for(&mut events, "superseded", |e| match e {
        StudioEvent::Superseded { by, .. } => Some(by.clone()),
        _ => None,
    })
    .await;
    assert_eq!(by, newer.id);
    let mut said = None;
    wait_for(&mut events, "following the new job", |e| match e {
        StudioEvent::Error { concern, error } => {
            said = Some((*concern, error.clone()));
            None
        }
        StudioEvent::Job(Some(j)) if j.id == newer.id => Some(()),
        _ => None,
    })
    .await;
    // Said once, as the job's error, until the stream that took over is followed.
    assert_eq!(
        said.map(|(concern, e)| (concern, e.code)),
        Some((Concern::Job, "superseded".to_owned()))
    );
    assert!(
        studio.snapshot().error.is_none(),
        "the studio follows a working stream again"
    );
    other.shutdown();
    studio.shutdown();
}

#[tokio::test]
async fn errors_keep_status_code_and_message() {
    let service = Service::start().await;
    let studio = service.studio(Browser::new(Decision::Ignore));
    let err: ApiError = studio.go_live(params(&[Platform::Facebook])).await.unwrap_err();
    assert_eq!(
        (err.status, err.code.as_str()),
        (422, "destination_not_connected")
    );
    assert_eq!(studio.snapshot().error, Some(err));
    let err = studio.send_chat("hello", None).await.unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (409, "not_live"));
    assert!(err.advice().fix.contains("Start streaming"));
    let err = studio.stop_live().await.unwrap_err();
    assert_eq!(err.code, "no_job");
}

#[tokio::test]
async fn twenty_dropped_streams_lose_and_double_nothing() {
    let service = Service::start().await;
    let (studio, mut events, job) = live_on_twitch(&service).await;
    let mut sent = Vec::new();
    for _ in 0..20 {
        let burst = service
            .admin(
                Method::POST,
                &format!("/sandbox/jobs/{}/comments", job.id),
                Some(json!({ "count": 9 })),
            )
            .await;
        sent.extend(
            burst["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned()),
        );
        service.admin(Method::POST, "/sandbox/streams/drop", None).await;
        // The stream comes back on its own (after the service's `retry:`, shortened here).
        wait_for(&mut events, "reconnecting", |e| {
            matches!(e, StudioEvent::Chat(ChatStatus::Reconnecting { .. })).then_some(())
        })
        .await;
        wait_for(&mut events, "live again", |e| {
            matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
        })
        .await;
    }
    // The feed is the seed's `comments`: de-duplicated, in order, the latest 200 (180 here).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let got: Vec<String> = loop {
        let ids: Vec<String> = studio.snapshot().comments.into_iter().map(|c| c.id).collect();
        if ids.len() >= sent.len() || tokio::time::Instant::now() > deadline {
            break ids;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let unique: HashSet<&String> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "no comment twice");
    assert_eq!(got, sent, "none lost, in order");
    assert!(service.stats().await["streamsOpened"].as_u64().unwrap() >= 20);
    studio.shutdown();
}

#[tokio::test]
async fn stalls_5xx_and_429_are_survived() {
    let service = Service::start().await;
    let (studio, mut events, job) = live_on_twitch(&service).await;

    // A stall (headers, then silence) is noticed after 2 s here and the stream reconnects.
    service
        .admin(
            Method::PUT,
            "/sandbox/streams/stall",
            Some(json!({ "stalled": true })),
        )
        .await;
    service.admin(Method::POST, "/sandbox/streams/drop", None).await;
    wait_for(&mut events, "a stall", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Reconnecting { .. })).then_some(())
    })
    .await;
    service
        .admin(
            Method::PUT,
            "/sandbox/streams/stall",
            Some(json!({ "stalled": false })),
        )
        .await;
    wait_for(&mut events, "live again", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
    })
    .await;

    // Five 503s, then a 429, on the job poll: errors surface, polling goes on.
    service
        .admin(
            Method::POST,
            "/sandbox/faults",
            Some(json!({ "route": "GET /api/v1/jobs/{id}", "count": 5, "status": 503 })),
        )
        .await;
    let (concern, err) = wait_for(&mut events, "a 503", |e| match e {
        StudioEvent::Error { concern, error } if error.status == 503 => Some((*concern, error.clone())),
        _ => None,
    })
    .await;
    assert_eq!(err.code, "unavailable");
    // An unavailable service is the service's error, and it clears once the service answers.
    assert_eq!(concern, Concern::Service);
    wait_for(&mut events, "the 503 cleared", |e| {
        matches!(e, StudioEvent::Recovered(Concern::Service)).then_some(())
    })
    .await;
    assert_eq!(
        studio.snapshot().errors,
        vec![],
        "no error stays once the job poll works"
    );
    service
        .admin(
            Method::POST,
            "/sandbox/faults",
            Some(json!({ "route": "GET /api/v1/jobs/{id}", "count": 1, "status": 429, "retryAfterSeconds": 1 })),
        )
        .await;
    let polls = |stats: serde_json::Value| stats["requests"]["GET /api/v1/jobs/{id}"].as_u64().unwrap_or(0);
    let limited_at = wait_for(&mut events, "a 429", |e| match e {
        StudioEvent::Error {
            concern: Concern::Job,
            error,
        } if error.status == 429 => Some(tokio::time::Instant::now()),
        _ => None,
    })
    .await;
    let count_at_429 = polls(service.stats().await);
    while polls(service.stats().await) == count_at_429 {
        assert!(
            limited_at.elapsed() < Duration::from_secs(10),
            "polling never resumed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        limited_at.elapsed() >= Duration::from_millis(950),
        "Retry-After (1 s) was honoured"
    );
    wait_for(&mut events, "the 429 cleared", |e| {
        matches!(e, StudioEvent::Recovered(Concern::Job)).then_some(())
    })
    .await;
    assert!(studio.snapshot().error.is_none());
    service
        .admin(
            Method::POST,
            &format!("/sandbox/jobs/{}/broadcasts/twitch/fail", job.id),
            None,
        )
        .await;
    wait_for(&mut events, "the failed destination", |e| match e {
        StudioEvent::Job(Some(j)) if j.broadcasts[0].error.is_some() => Some(()),
        _ => None,
    })
    .await;
    let retried = studio.retry_destination(Platform::Twitch).await.unwrap();
    assert_eq!(retried.status, JobStatus::Running);

    // A stop the service could not take stays the job's error while the polls get through: the
    // stream is still live, and the streamer must see why.
    service
        .admin(
            Method::POST,
            "/sandbox/faults",
            Some(json!({ "route": "POST /api/v1/jobs/{id}/stop", "count": 1, "status": 503 })),
        )
        .await;
    let refused = studio.stop_live().await.unwrap_err();
    assert_eq!(refused.concern, Some(Concern::Job));
    let polled = polls(service.stats().await);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while polls(service.stats().await) < polled + 3 {
        assert!(tokio::time::Instant::now() < deadline, "the job poll stopped");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let errors: Vec<(Concern, u16)> = studio
        .snapshot()
        .errors
        .iter()
        .map(|(c, e)| (*c, e.status))
        .collect();
    assert_eq!(errors, vec![(Concern::Job, 503)]);
    // The stop that works clears it.
    studio.stop_live().await.unwrap();
    assert!(studio.snapshot().errors.is_empty());
    studio.shutdown();
}

#[tokio::test]
async fn a_new_studio_resumes_the_live_job_and_a_stop_after_a_supersede_says_so() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Approve);
    let first = service.studio(browser.clone());
    browser.attach(&first);
    first.connect(Platform::Twitch).await.unwrap();
    let job = first.go_live(params(&[Platform::Twitch])).await.unwrap();
    first.shutdown();

    // A restart of the app: a new studio finds the job, its chat and its viewers again.
    let second = service.studio(Browser::new(Decision::Ignore));
    let mut events = second.subscribe();
    second.start().await.unwrap();
    assert_eq!(second.snapshot().job.map(|j| j.id), Some(job.id.clone()));
    assert_eq!(second.snapshot().connections.len(), 1);
    wait_for(&mut events, "chat live", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
    })
    .await;
    wait_for(&mut events, "viewers", |e| {
        matches!(e, StudioEvent::Viewers(Some(_))).then_some(())
    })
    .await;

    // Someone else goes live; this studio's stop is refused as superseded and it says by whom.
    let third = service.studio(Browser::new(Decision::Ignore));
    let newer = third.go_live(params(&[Platform::Twitch])).await.unwrap();
    third.shutdown();
    let stopped = second.stop_live().await;
    if let Err(e) = stopped {
        assert_eq!((e.status, e.code.as_str()), (409, "superseded"));
    }
    let by = wait_for(&mut events, "superseded", |e| match e {
        StudioEvent::Superseded { by, .. } => Some(by.clone()),
        _ => None,
    })
    .await;
    assert_eq!(by, newer.id);
    second.shutdown();
}

#[tokio::test]
async fn its_own_go_live_over_a_resumed_stream_is_no_supersede() {
    let service = Service::start().await;
    let (first, _, resumed) = live_on_twitch(&service).await;
    first.shutdown();
    // The app restarts, finds the stream running, and the streamer goes live again from it.
    let second = service.studio(Browser::new(Decision::Ignore));
    let mut events = second.subscribe();
    second.start().await.unwrap();
    assert_eq!(second.snapshot().job.map(|j| j.id), Some(resumed.id.clone()));
    let mut again = params(&[Platform::Twitch]);
    again.publisher_session_id = "sess_again".into();
    let newer = second.go_live(again).await.unwrap();
    let mut said = Vec::new();
    wait_for(&mut events, "the new stream live", |e| match e {
        StudioEvent::Superseded { .. } | StudioEvent::Error { .. } => {
            said.push(format!("{e:?}"));
            None
        }
        StudioEvent::Job(Some(job)) => (job.id == newer.id && job.status == JobStatus::Running).then_some(()),
        _ => None,
    })
    .await;
    // The old job's fate is read as the new one is adopted, long before the new one runs.
    while let Ok(e) = events.try_recv() {
        if matches!(e, StudioEvent::Superseded { .. } | StudioEvent::Error { .. }) {
            said.push(format!("{e:?}"));
        }
    }
    assert!(said.is_empty(), "{said:?}");
    assert!(second.snapshot().error.is_none());
    second.shutdown();
}
