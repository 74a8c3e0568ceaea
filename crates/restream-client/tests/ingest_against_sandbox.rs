//! v1.1 ingest and live sessions through the client, against the sandbox over HTTP: the stream
//! key offered and rotated (and never shown by `Debug`), sessions listed, and a service without
//! an ingest reported as "not offered" with no sessions, as a v1 service is.

mod common;

use common::{Browser, Decision, Service};
use reqwest::Method;
use restream_client::{IngestOffer, SessionSource, Track};
use secrecy::ExposeSecret;
use serde_json::json;

const RTMP: &str = "rtmp://127.0.0.1:1935/live";

/// Starts the demo user's simulated session `id` through the sandbox's admin surface.
async fn start_simulated_session(service: &Service, id: &str) {
    service
        .admin(
            Method::PUT,
            &format!("/sandbox/sessions/{id}"),
            Some(json!({ "live": true, "userId": service.ready.user_id })),
        )
        .await;
}

fn offered(offer: IngestOffer) -> restream_client::Ingest {
    match offer {
        IngestOffer::Offered(ingest) => ingest,
        IngestOffer::NotOffered => panic!("the ingest was not offered"),
    }
}

#[tokio::test]
async fn the_ingest_is_offered_rotated_and_its_sessions_listed() {
    let service = Service::start_with(|config| config.ingest_rtmp_url = Some(RTMP.to_owned())).await;
    let studio = service.studio(Browser::new(Decision::Approve));

    let ingest = offered(studio.ingest().await.unwrap());
    assert!(ingest.whip.is_none());
    let rtmp = ingest.rtmp.unwrap();
    assert_eq!(rtmp.url, RTMP);
    let key = rtmp.stream_key.expose_secret().to_owned();
    assert!(key.starts_with("live_"), "{key}");
    let shown = format!("{rtmp:?}");
    assert!(!shown.contains(&key), "Debug shows the stream key: {shown}");

    let rotated = offered(studio.rotate_ingest().await.unwrap()).rtmp.unwrap();
    assert_ne!(rotated.stream_key.expose_secret(), key);
    let again = offered(studio.ingest().await.unwrap()).rtmp.unwrap();
    assert_eq!(
        again.stream_key.expose_secret(),
        rotated.stream_key.expose_secret()
    );

    assert!(studio.live_sessions().await.unwrap().is_empty());
    start_simulated_session(&service, "sess_obs").await;
    let sessions = studio.live_sessions().await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].publisher_session_id, "sess_obs");
    assert_eq!(sessions[0].source, SessionSource::External);
    assert_eq!(sessions[0].tracks, [Track::Audio, Track::Video]);
}

#[tokio::test]
async fn without_an_ingest_it_is_not_offered_and_nothing_fails() {
    let service = Service::start().await;
    let studio = service.studio(Browser::new(Decision::Approve));
    assert!(matches!(studio.ingest().await.unwrap(), IngestOffer::NotOffered));
    assert!(matches!(
        studio.rotate_ingest().await.unwrap(),
        IngestOffer::NotOffered
    ));
    assert!(studio.live_sessions().await.unwrap().is_empty());
    assert!(
        studio.snapshot().errors.is_empty(),
        "{:?}",
        studio.snapshot().errors
    );
}

#[tokio::test]
async fn a_v1_service_that_knows_no_such_route_is_not_offering_it() {
    // A v1 service answers the v1.1 routes as unknown: 404 `not_found`.
    let service = Service::start_with(|config| config.ingest_rtmp_url = Some(RTMP.to_owned())).await;
    for route in [
        "GET /api/v1/ingest",
        "POST /api/v1/ingest/rotate",
        "GET /api/v1/sessions/live",
    ] {
        service
            .admin(
                Method::POST,
                "/sandbox/faults",
                Some(json!({ "route": route, "count": 1, "status": 404, "code": "not_found" })),
            )
            .await;
    }
    let studio = service.studio(Browser::new(Decision::Approve));
    assert!(matches!(studio.ingest().await.unwrap(), IngestOffer::NotOffered));
    assert!(matches!(
        studio.rotate_ingest().await.unwrap(),
        IngestOffer::NotOffered
    ));
    assert!(studio.live_sessions().await.unwrap().is_empty());

    // Any other failure is one, filed under the job's concern.
    service
        .admin(
            Method::POST,
            "/sandbox/faults",
            Some(json!({ "route": "GET /api/v1/ingest", "count": 1, "status": 503 })),
        )
        .await;
    let error = studio.ingest().await.unwrap_err();
    assert_eq!(error.status, 503);
    assert!(!studio.snapshot().errors.is_empty());
}

#[tokio::test]
async fn session_events_on_the_chat_stream_reach_subscribers() {
    let service = Service::start().await;
    let (_studio, mut events, _job) = common::live_on_twitch(&service).await;
    start_simulated_session(&service, "sess_next").await;
    let started = common::wait_for(&mut events, "the session event", |e| match e {
        restream_client::StudioEvent::Session(s) => Some(s.clone()),
        _ => None,
    })
    .await;
    assert_eq!(started.publisher_session_id, "sess_next");
    assert_eq!(started.status, restream_client::SessionStatus::Live);
    assert_eq!(started.source, SessionSource::External);
}

/// Waits for the list of live sessions to name exactly `ids`, newest first.
async fn sessions_become(
    events: &mut tokio::sync::broadcast::Receiver<restream_client::StudioEvent>,
    ids: &[&str],
) {
    common::wait_for(events, &format!("live sessions {ids:?}"), |e| match e {
        restream_client::StudioEvent::LiveSessions(list) => list
            .iter()
            .map(|s| s.publisher_session_id.as_str())
            .eq(ids.iter().copied())
            .then_some(()),
        _ => None,
    })
    .await;
}

#[tokio::test]
async fn with_an_ingest_the_stream_opens_with_no_job_and_reads_what_it_missed_after_a_reconnect() {
    use restream_client::{ChatStatus, GoLiveParams, JobStatus, Platform, StudioEvent};
    let service = Service::start_with(|config| config.ingest_rtmp_url = Some(RTMP.to_owned())).await;
    let browser = Browser::new(Decision::Approve);
    let studio = service.studio(browser.clone());
    browser.attach(&studio);
    let mut events = studio.subscribe();
    studio.start().await.unwrap();
    common::wait_for(&mut events, "chat live with no job", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
    })
    .await;
    assert!(studio.snapshot().job.is_none());

    start_simulated_session(&service, "sess_a").await;
    sessions_become(&mut events, &["sess_a"]).await;
    assert_eq!(studio.snapshot().live_sessions[0].publisher_session_id, "sess_a");

    // Away: the stream is refused while one session starts and the other ends, so both events
    // reach nobody; back, the studio reads the list.
    service
        .admin(
            Method::POST,
            "/sandbox/faults",
            Some(json!({ "route": "GET /api/v1/comments/stream", "count": 100000, "status": 503 })),
        )
        .await;
    service.admin(Method::POST, "/sandbox/streams/drop", None).await;
    common::wait_for(&mut events, "chat reconnecting", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Reconnecting { .. })).then_some(())
    })
    .await;
    start_simulated_session(&service, "sess_b").await;
    service
        .admin(
            Method::PUT,
            "/sandbox/sessions/sess_a",
            Some(json!({ "live": false, "userId": service.ready.user_id })),
        )
        .await;
    service.admin(Method::DELETE, "/sandbox/faults", None).await;
    sessions_become(&mut events, &["sess_b"]).await;

    // A job on it ends; the stream stays open and hears the next session.
    studio.connect(Platform::Twitch).await.unwrap();
    studio
        .go_live(GoLiveParams {
            publisher_session_id: "sess_b".to_owned(),
            destinations: vec![Platform::Twitch],
            ..GoLiveParams::default()
        })
        .await
        .unwrap();
    studio.stop_live().await.unwrap();
    common::wait_for(&mut events, "the job stopped", |e| match e {
        StudioEvent::Job(Some(job)) if job.status == JobStatus::Stopped => Some(()),
        _ => None,
    })
    .await;
    start_simulated_session(&service, "sess_c").await;
    sessions_become(&mut events, &["sess_c", "sess_b"]).await;
    assert_eq!(studio.snapshot().chat, ChatStatus::Live);
    studio.shutdown();
}

#[tokio::test]
async fn without_an_ingest_the_stream_waits_for_a_job_as_in_v1() {
    let service = Service::start().await;
    let studio = service.studio(Browser::new(Decision::Approve));
    studio.start().await.unwrap();
    assert!(matches!(
        studio.snapshot().chat,
        restream_client::ChatStatus::Stopped { .. }
    ));
    let opened = service.stats().await["requests"]["GET /api/v1/comments/stream"].clone();
    assert!(opened.is_null(), "a stream was opened: {opened}");
    studio.shutdown();
}

/// What an automatic go-live (OBS starting) reads: whether an ingest is offered, the sessions, the
/// active job, and where it would go: the armed platforms that are linked, else every linked one.
#[tokio::test]
async fn what_an_automatic_go_live_reads_follows_the_studio() {
    use restream_client::{GoLiveParams, Platform, StudioEvent};
    let service = Service::start_with(|config| config.ingest_rtmp_url = Some(RTMP.to_owned())).await;
    let browser = Browser::new(Decision::Approve);
    let studio = service.studio(browser.clone());
    browser.attach(&studio);
    let mut events = studio.subscribe();
    assert!(!studio.media_now().ingest_offered, "not known before the start");
    studio.start().await.unwrap();
    assert!(studio.media_now().ingest_offered);
    assert!(studio.destinations_to_go_live().is_empty(), "nothing linked");

    studio.connect(Platform::Twitch).await.unwrap();
    studio.connect(Platform::Kick).await.unwrap();
    assert_eq!(
        studio.destinations_to_go_live(),
        [Platform::Twitch, Platform::Kick],
        "every linked one"
    );
    studio.arm(vec![Platform::Kick, Platform::Youtube]);
    assert_eq!(
        studio.destinations_to_go_live(),
        [Platform::Kick],
        "armed and linked"
    );
    studio.arm(vec![Platform::Youtube]);
    assert_eq!(
        studio.destinations_to_go_live(),
        [Platform::Twitch, Platform::Kick],
        "armed but none linked: every linked one, as the form shows"
    );

    start_simulated_session(&service, "sess_obs").await;
    sessions_become(&mut events, &["sess_obs"]).await;
    let media = studio.media_now();
    assert_eq!(media.live_sessions[0].publisher_session_id, "sess_obs");
    assert_eq!(media.active_job, None);
    let job = studio
        .go_live(GoLiveParams {
            publisher_session_id: "sess_obs".to_owned(),
            destinations: studio.destinations_to_go_live(),
            ..GoLiveParams::default()
        })
        .await
        .unwrap();
    assert_eq!(
        studio.media_now().active_job,
        Some((job.id.clone(), "sess_obs".to_owned()))
    );
    studio.stop_live().await.unwrap();
    common::wait_for(&mut events, "the job settled", |e| match e {
        StudioEvent::Job(Some(j)) if j.status.is_settled() => Some(()),
        _ => None,
    })
    .await;
    assert_eq!(studio.media_now().active_job, None, "a settled job is not active");
}
