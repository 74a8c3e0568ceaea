//! The client against a real OBS Studio (Debian's 29.0.2 with obs-websocket 5.1.0): what it
//! answers decodes, a wrong password is refused as such, the stream settings are written and
//! read back, and starting and stopping the stream is heard as `StreamStateChanged`. Waits are
//! generous (OBS takes about 10 s to start under Xvfb) and end on what OBS says, never on a sleep.
// OBS under Xvfb, as Debian packages it: Linux only.
#![cfg(target_os = "linux")]

mod real_obs;

use std::time::Duration;

use real_obs::{PASSWORD, RealObs};
use restream_obs::{LinkState, ObsConfig, ObsEvent, ObsLink, OutputState, Retry, RtmpService};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::{broadcast, watch};

const WAIT: Duration = Duration::from_secs(60);

fn config(obs: &RealObs, password: &str) -> ObsConfig {
    ObsConfig {
        host: "127.0.0.1".to_owned(),
        port: obs.websocket_port,
        password: Some(SecretString::from(password.to_owned())),
        timeout: Duration::from_secs(10),
    }
}

const RETRY: Retry = Retry {
    every: Duration::from_millis(200),
    refused_every: Duration::from_millis(500),
};

async fn until_state(
    obs: &RealObs,
    state: &mut watch::Receiver<LinkState>,
    pick: impl Fn(&LinkState) -> bool,
) -> LinkState {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = state.borrow_and_update().clone();
        if pick(&now) {
            return now;
        }
        if tokio::time::timeout_at(deadline, state.changed()).await.is_err() {
            panic!("OBS's link stayed {now:?}; OBS's log: {}", obs.log().display());
        }
    }
}

async fn until_output(events: &mut broadcast::Receiver<ObsEvent>, wanted: OutputState) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap_or_else(|_| panic!("OBS never said {wanted:?}"))
            .unwrap();
        match event {
            ObsEvent::StreamState { state, .. } if state == wanted => return,
            ObsEvent::Closed(e) => panic!("OBS went away waiting for {wanted:?}: {e}"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn a_real_obs_links_answers_and_streams() {
    let obs = RealObs::start();

    // The wrong password first: OBS refuses it, and the link says so.
    let wrong = ObsLink::start(config(&obs, "not-the-password"), RETRY);
    let mut state = wrong.state();
    let refused = until_state(&obs, &mut state, |s| matches!(s, LinkState::WrongPassword { .. })).await;
    assert_eq!(refused, LinkState::WrongPassword { password_given: true });
    drop(wrong);

    let link = ObsLink::start(config(&obs, PASSWORD), RETRY);
    let mut state = link.state();
    let LinkState::Connected(versions) =
        until_state(&obs, &mut state, |s| matches!(s, LinkState::Connected(_))).await
    else {
        unreachable!()
    };
    assert!(versions.obs.starts_with("29."), "{versions:?}");
    assert!(versions.websocket.starts_with("5."), "{versions:?}");
    let session = link.session().unwrap();

    let before = session.stream_service().await.unwrap();
    assert_eq!(before.kind, "rtmp_custom");
    assert_eq!(before.key.as_ref().map(|k| k.expose_secret()), Some("first-key"));
    session
        .set_rtmp_service(&RtmpService {
            server: obs.rtmp_url.clone(),
            key: SecretString::from("second-key".to_owned()),
        })
        .await
        .unwrap();
    let after = session.stream_service().await.unwrap();
    assert_eq!(after.server.as_deref(), Some(obs.rtmp_url.as_str()));
    assert_eq!(after.key.as_ref().map(|k| k.expose_secret()), Some("second-key"));

    let idle = session.stream_status().await.unwrap();
    assert_eq!(idle.output_active, Some(false));

    let mut events = link.events();
    session.start_stream().await.unwrap();
    until_output(&mut events, OutputState::Started).await;
    let streaming = session.stream_status().await.unwrap();
    assert_eq!(streaming.output_active, Some(true));
    // While streaming, OBS refuses new stream settings.
    let busy = session
        .set_rtmp_service(&RtmpService {
            server: obs.rtmp_url.clone(),
            key: SecretString::from("third-key".to_owned()),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(busy, restream_obs::LinkError::Refused { code: 500, .. }),
        "{busy:?}"
    );

    session.stop_stream().await.unwrap();
    until_output(&mut events, OutputState::Stopped).await;
}
