//! The overlay's server over real HTTP on loopback: what it serves, to whom, and the feed a page
//! follows.

use std::sync::Arc;

use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use restream_client::{Comment, ModeratedBy, ModerationAction, ModerationEvent, ModerationResult, Platform};
use restream_overlay::hub::{NoAvatars, OverlayHub};
use restream_overlay::secret::AddressSecret;
use restream_overlay::server::{self, address};
use restream_settings::overlay::OverlaySettings;

const SECRET: &str = "s3cr3t-0123456789abcdef";

struct Running {
    port: u16,
    hub: Arc<OverlayHub>,
    secret: Arc<AddressSecret>,
}

async fn start() -> Running {
    let listener = server::bind(0).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hub = OverlayHub::new(&OverlaySettings::default(), Arc::new(NoAvatars));
    let secret = Arc::new(AddressSecret::new(SECRET.to_owned()));
    tokio::spawn(server::serve(listener, Arc::clone(&hub), Arc::clone(&secret)));
    Running { port, hub, secret }
}

fn comment(id: &str, message: &str) -> Comment {
    Comment {
        id: id.to_owned(),
        platform: Platform::Twitch,
        author: "\u{202e}evil".into(),
        author_id: Some("t-1".into()),
        author_avatar: None,
        message: message.to_owned(),
        timestamp: 0,
        own: false,
    }
}

#[tokio::test]
async fn the_page_is_served_with_its_secret_only_and_under_a_strict_policy() {
    let overlay = start().await;
    let page = reqwest::get(address(overlay.port, SECRET)).await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<script src="chat.js">"#));
    assert!(!html.contains("<script>"), "no inline script");

    let base = format!("http://127.0.0.1:{}/overlay", overlay.port);
    for (path, kind) in [("chat.js", "text/javascript"), ("chat.css", "text/css")] {
        let answer = reqwest::get(format!("{base}/{SECRET}/{path}")).await.unwrap();
        assert_eq!(answer.status(), 200);
        assert!(
            answer.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
    }
    for wrong in [
        format!("{base}/wrong/chat"),
        format!("{base}/{SECRET}x/chat"),
        format!("{base}/{SECRET}/events.js"),
        format!("{base}/{SECRET}"),
        format!("http://127.0.0.1:{}/", overlay.port),
    ] {
        let answer = reqwest::get(&wrong).await.unwrap();
        assert_eq!(answer.status(), 404, "{wrong}");
        assert!(answer.headers().contains_key("content-security-policy"));
    }
}

#[tokio::test]
async fn a_foreign_host_is_refused_even_with_the_secret() {
    let overlay = start().await;
    let client = reqwest::Client::new();
    for host in ["evil.example", "evil.example:1234", "127.0.0.1"] {
        let answer = client
            .get(address(overlay.port, SECRET))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 421, "{host}");
    }
    let by_name = client
        .get(address(overlay.port, SECRET))
        .header("host", format!("localhost:{}", overlay.port))
        .send()
        .await
        .unwrap();
    assert_eq!(by_name.status(), 200);
}

#[tokio::test]
async fn a_taken_port_is_reported_with_what_to_do() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let error = server::bind(port).await.unwrap_err();
    assert!(
        error.starts_with(&format!("Port {port} is in use by another program")),
        "{error}"
    );
    assert!(error.contains("Settings"), "{error}");
}

async fn next_event(
    events: &mut (
             impl futures_util::Stream<
        Item = Result<eventsource_stream::Event, eventsource_stream::EventStreamError<reqwest::Error>>,
    > + Unpin
         ),
) -> Option<(String, serde_json::Value)> {
    let event = tokio::time::timeout(std::time::Duration::from_secs(10), events.next())
        .await
        .expect("an event within 10 s")?
        .unwrap();
    Some((event.event, serde_json::from_str(&event.data).unwrap()))
}

#[tokio::test]
async fn the_feed_gives_the_screen_then_each_change_and_ends_when_the_secret_changes() {
    let overlay = start().await;
    overlay.hub.comments(&[comment("before", "already here")], false);
    let feed = reqwest::get(format!(
        "http://127.0.0.1:{}/overlay/{SECRET}/events",
        overlay.port
    ))
    .await
    .unwrap();
    assert_eq!(feed.headers()["content-type"], "text/event-stream");
    let mut events = feed.bytes_stream().eventsource();

    let (name, look) = next_event(&mut events).await.unwrap();
    assert_eq!((name.as_str(), look["fontSize"].as_u64()), ("look", Some(20)));
    let (name, screen) = next_event(&mut events).await.unwrap();
    assert_eq!(name, "reset");
    assert_eq!(screen["settled"], true);
    assert_eq!(screen["comments"][0]["id"], "before");

    let hostile = "<img src=x onerror=alert(1)>";
    overlay.hub.comments(&[comment("new", hostile)], false);
    let (name, shown) = next_event(&mut events).await.unwrap();
    assert_eq!(name, "show");
    assert_eq!(
        shown["message"], hostile,
        "text goes as text; the page sets it as a text node"
    );
    assert_eq!(shown["platformName"], "Twitch");

    overlay.hub.moderation(&ModerationEvent {
        id: "m".into(),
        outcome: ModerationResult {
            action: ModerationAction::Delete,
            platform: Platform::Twitch,
            comment_id: Some("new".into()),
            author_id: None,
            until: None,
        },
        by: ModeratedBy::Platform,
    });
    let (name, removed) = next_event(&mut events).await.unwrap();
    assert_eq!((name.as_str(), removed), ("remove", serde_json::json!(["new"])));

    overlay.hub.settings(&OverlaySettings {
        font_size: 32,
        ..OverlaySettings::default()
    });
    let (name, look) = next_event(&mut events).await.unwrap();
    assert_eq!((name.as_str(), look["fontSize"].as_u64()), ("look", Some(32)));

    overlay.secret.replace("rotated".into());
    assert!(
        next_event(&mut events).await.is_none(),
        "the old address's feed ends"
    );
    let old = reqwest::get(address(overlay.port, SECRET)).await.unwrap();
    assert_eq!(old.status(), 404);
    let new = reqwest::get(address(overlay.port, "rotated")).await.unwrap();
    assert_eq!(new.status(), 200);
}
