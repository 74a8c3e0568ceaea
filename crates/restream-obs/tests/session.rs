//! The client against an in-process obs-websocket on a loopback port (real TCP and WebSocket, so
//! real time with short timeouts): signing in, the versions, requests and their refusals, stream
//! events, and every way a link fails, each with the cause a streamer can act on.

mod fake_obs;

use fake_obs::{FakeObs, Push, config, obs_29_answers};
use restream_obs::{LinkError, ObsEvent, ObsSession, OutputState, RtmpService};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

#[tokio::test]
async fn signs_in_reads_versions_and_status_and_hears_stream_events() {
    let obs = FakeObs::start(Some("hunter2"), "5.1.0", obs_29_answers()).await;
    let (session, mut events) = ObsSession::connect(&config(obs.port, Some("hunter2")))
        .await
        .unwrap();
    assert_eq!(session.versions().obs, "29.0.2");
    assert_eq!(session.versions().websocket, "5.1.0");

    let status = session.stream_status().await.unwrap();
    assert_eq!(status.output_active, Some(true));
    assert_eq!(status.output_congestion, None, "5.1 sends null here");
    assert_eq!(
        (status.output_skipped_frames, status.output_total_frames),
        (Some(3), Some(100))
    );

    obs.push(Push::Event(
        "StreamStateChanged",
        json!({ "outputActive": true, "outputState": "OBS_WEBSOCKET_OUTPUT_STARTED" }),
    ));
    assert_eq!(
        events.recv().await.unwrap(),
        ObsEvent::StreamState {
            active: true,
            state: OutputState::Started
        }
    );
    // Events it does not follow are not handed on.
    obs.push(Push::Event("CurrentSceneChanged", json!({ "sceneName": "x" })));
    obs.push(Push::Event(
        "StreamStateChanged",
        json!({ "outputActive": true, "outputState": "OBS_WEBSOCKET_OUTPUT_RECONNECTING" }),
    ));
    assert_eq!(
        events.recv().await.unwrap(),
        ObsEvent::StreamState {
            active: true,
            state: OutputState::Reconnecting
        }
    );
}

#[tokio::test]
async fn stream_settings_are_read_and_written_and_refusals_carry_obs_code() {
    let obs = FakeObs::start(None, "5.5.4", obs_29_answers()).await;
    let (session, _events) = ObsSession::connect(&config(obs.port, None)).await.unwrap();
    let now = session.stream_service().await.unwrap();
    assert_eq!(now.kind, "rtmp_custom");
    assert_eq!(now.server.as_deref(), Some("rtmp://old.example/live"));
    assert_eq!(now.key.as_ref().map(|k| k.expose_secret()), Some("old-key"));
    assert!(!format!("{now:?}").contains("old-key"), "Debug hides the key");

    session
        .set_rtmp_service(&RtmpService {
            server: "rtmp://127.0.0.1:1935/live".to_owned(),
            key: SecretString::from("live_new".to_owned()),
        })
        .await
        .unwrap();
    let written = obs.asked.lock().unwrap().last().cloned().unwrap();
    assert_eq!(written.0, "SetStreamServiceSettings");
    assert_eq!(
        written.1.unwrap(),
        json!({ "streamServiceType": "rtmp_custom",
                "streamServiceSettings": { "server": "rtmp://127.0.0.1:1935/live", "key": "live_new", "use_auth": false } })
    );

    let refused = session.start_stream().await.unwrap_err();
    assert_eq!(
        refused,
        LinkError::Refused {
            request: "StartStream".to_owned(),
            code: 500,
            comment: Some("Streaming is already active.".to_owned())
        }
    );
    session.stop_stream().await.unwrap();
}

#[tokio::test]
async fn a_wrong_or_missing_password_says_so() {
    let obs = FakeObs::start(Some("hunter2"), "5.1.0", obs_29_answers()).await;
    let wrong = ObsSession::connect(&config(obs.port, Some("hunter3")))
        .await
        .err()
        .unwrap();
    assert_eq!(wrong, LinkError::WrongPassword { password_given: true });
    let missing = ObsSession::connect(&config(obs.port, None)).await.err().unwrap();
    assert_eq!(
        missing,
        LinkError::WrongPassword {
            password_given: false
        }
    );
}

#[tokio::test]
async fn an_obs_websocket_older_than_5_1_is_named() {
    let obs = FakeObs::start(None, "5.0.1", obs_29_answers()).await;
    let old = ObsSession::connect(&config(obs.port, None)).await.err().unwrap();
    assert_eq!(
        old,
        LinkError::TooOld {
            websocket_version: "5.0.1".to_owned()
        }
    );
}

#[tokio::test]
async fn nothing_listening_is_told_apart_from_other_failures() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let refused = ObsSession::connect(&config(port, None)).await.err().unwrap();
    assert_eq!(
        refused,
        LinkError::NotListening {
            address: format!("127.0.0.1:{port}")
        }
    );
}

#[tokio::test]
async fn obs_going_away_ends_the_link_and_fails_what_waits() {
    let obs = FakeObs::start(None, "5.1.0", obs_29_answers()).await;
    let (session, mut events) = ObsSession::connect(&config(obs.port, None)).await.unwrap();
    obs.push(Push::Drop);
    let ended = events.recv().await.unwrap();
    assert!(
        matches!(
            ended,
            ObsEvent::Closed(LinkError::Closed { .. } | LinkError::Network(_))
        ),
        "{ended:?}"
    );
    assert!(events.recv().await.is_none(), "Closed is the last event");
    assert!(session.stream_status().await.is_err());

    // Closed by OBS with a code: the code is kept.
    let (_session, mut events) = ObsSession::connect(&config(obs.port, None)).await.unwrap();
    obs.push(Push::Close(4011));
    assert!(matches!(
        events.recv().await.unwrap(),
        ObsEvent::Closed(LinkError::Closed { code: Some(4011), .. })
    ));
}
