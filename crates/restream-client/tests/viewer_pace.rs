//! Viewer counts are asked for less often while nobody sees the window, and at once when it shows
//! again: against the real sandbox on loopback, with the hidden period an hour long.

mod common;

use std::time::Duration;

use common::{Browser, Decision, Service, go_live_on_twitch, wait_for};
use restream_client::{Studio, StudioEvent, Viewers, window_seen};

async fn next_counts(events: &mut tokio::sync::broadcast::Receiver<StudioEvent>, what: &str) -> Viewers {
    wait_for(events, what, |e| match e {
        StudioEvent::Viewers(Some(v)) => Some(v.clone()),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn a_hidden_window_gets_no_counts_until_it_shows_again() {
    let service = Service::start().await;
    let browser = Browser::new(Decision::Approve);
    let (setter, seen) = window_seen();
    let mut config = service.config(service.publishable(), browser.clone());
    config.timing.viewer_poll = Duration::from_millis(50);
    config.timing.viewer_poll_unseen = Duration::from_secs(3600);
    config.window_seen = seen;
    let studio = Studio::new(config).unwrap();
    browser.attach(&studio);

    setter.set(false);
    let (mut events, _job) = go_live_on_twitch(&studio).await;
    // The first ask goes at once, seen or not: the counts are there when the window shows.
    next_counts(&mut events, "the first counts").await;

    // Twenty normal periods: a poller that ignored the hidden window would ask about twenty times.
    // This waits to observe that nothing comes; nothing else waits on it.
    let quiet = tokio::time::timeout(
        Duration::from_secs(1),
        next_counts(&mut events, "counts while hidden"),
    )
    .await;
    assert!(
        quiet.is_err(),
        "no counts are asked for while the window is hidden"
    );

    setter.set(true);
    next_counts(&mut events, "counts as soon as the window shows").await;
    studio.shutdown();
}
