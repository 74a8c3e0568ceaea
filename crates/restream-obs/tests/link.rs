//! The link that keeps OBS linked, against an in-process obs-websocket: it waits quietly while
//! nothing listens and links by itself when OBS comes up, links again after OBS goes away, and
//! says when the password is wrong.

mod fake_obs;

use std::time::Duration;

use fake_obs::{FakeObs, Push, config, obs_29_answers};
use restream_obs::{LinkState, ObsEvent, ObsLink, Retry};
use tokio::sync::watch;

const QUICK: Retry = Retry {
    every: Duration::from_millis(50),
    refused_every: Duration::from_millis(50),
};

/// Waits (bounded) until the state is one `pick` accepts; answers every state seen on the way.
async fn until(state: &mut watch::Receiver<LinkState>, pick: impl Fn(&LinkState) -> bool) -> Vec<LinkState> {
    let mut seen = vec![state.borrow_and_update().clone()];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !pick(seen.last().unwrap()) {
        tokio::time::timeout_at(deadline, state.changed())
            .await
            .unwrap_or_else(|_| panic!("still {seen:?}"))
            .unwrap();
        seen.push(state.borrow_and_update().clone());
    }
    seen
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn waits_quietly_for_obs_and_links_when_it_comes_up_and_again_after_it_left() {
    let port = free_port();
    let link = ObsLink::start(config(port, None), QUICK);
    let mut state = link.state();
    until(&mut state, |s| matches!(s, LinkState::NotListening { .. })).await;
    assert!(link.session().is_none());

    let obs = FakeObs::start_on(port, None, "5.1.0", obs_29_answers()).await;
    let seen = until(&mut state, |s| matches!(s, LinkState::Connected(_))).await;
    // Retried many times while waiting, but said once.
    assert_eq!(seen.len(), 2, "{seen:?}");
    let LinkState::Connected(versions) = seen.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(
        (versions.obs.as_str(), versions.websocket.as_str()),
        ("29.0.2", "5.1.0")
    );
    let session = link.session().expect("a session while linked");
    assert_eq!(
        session.stream_status().await.unwrap().output_total_frames,
        Some(100)
    );

    let mut events = link.events();
    obs.push(Push::Drop);
    assert!(matches!(events.recv().await.unwrap(), ObsEvent::Closed(_)));
    until(&mut state, |s| *s == LinkState::Connecting).await;
    until(&mut state, |s| matches!(s, LinkState::Connected(_))).await;
    link.stop();
}

#[tokio::test]
async fn a_wrong_password_is_said_and_cured_by_nothing_but_the_password() {
    let obs = FakeObs::start(Some("hunter2"), "5.1.0", obs_29_answers()).await;
    let link = ObsLink::start(config(obs.port, Some("hunter3")), QUICK);
    let mut state = link.state();
    let seen = until(&mut state, |s| matches!(s, LinkState::WrongPassword { .. })).await;
    assert_eq!(
        seen.last().unwrap(),
        &LinkState::WrongPassword { password_given: true }
    );
    drop(link);

    let link = ObsLink::start(config(obs.port, Some("hunter2")), QUICK);
    let mut state = link.state();
    until(&mut state, |s| matches!(s, LinkState::Connected(_))).await;
}
