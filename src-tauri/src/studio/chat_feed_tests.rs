//! The feed over real HTTP on loopback: what the window reads, and what everyone else is refused.

use std::sync::Arc;
use std::time::Duration;

use eventsource_stream::{Event as Read, Eventsource};
use futures_util::{Stream, StreamExt};
use reqwest::header::{HOST, ORIGIN};

use super::*;
use crate::studio::chat_inbox::tests::batch;

const WINDOW: &str = "tauri://localhost";
const SECRET: &str = "s3cret-of-this-launch";

struct Served {
    inbox: Arc<ChatInbox>,
    port: u16,
    client: reqwest::Client,
}

async fn serve() -> Served {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(ChatInbox::default());
    let address = Address {
        port,
        secret: SECRET.into(),
    };
    let router = router(address, Arc::clone(&inbox), vec![WINDOW.to_owned()]);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Served {
        inbox,
        port,
        client: reqwest::Client::builder().no_proxy().build().unwrap(),
    }
}

impl Served {
    fn ask(&self, secret: &str, cursor: u64) -> reqwest::RequestBuilder {
        self.client
            .get(format!(
                "http://127.0.0.1:{}/chat/{secret}/feed?cursor={cursor}",
                self.port
            ))
            .header(ORIGIN, WINDOW)
    }

    async fn status(&self, request: reqwest::RequestBuilder) -> u16 {
        request.send().await.unwrap().status().as_u16()
    }

    /// The events of a feed the window opens, after checking it is readable by the window.
    async fn follow(&self, request: reqwest::RequestBuilder) -> impl Stream<Item = Read> + Unpin {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["access-control-allow-origin"], WINDOW);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        assert_eq!(
            response.headers()["cache-control"],
            "no-store",
            "no answer is kept for later"
        );
        Box::pin(response.bytes_stream().eventsource().map(Result::unwrap))
    }

    fn push(&self, id: &str) {
        self.inbox.push(batch(id));
    }
}

/// The comment ids an event carries, its `from`, its cursor, and whether it says chat was missed.
fn read(event: &Read) -> (Vec<String>, u64, u64, bool) {
    let delivery: serde_json::Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(
        event.id,
        delivery["cursor"].to_string(),
        "a reconnect resumes after this answer"
    );
    let ids = delivery["batches"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| {
            b["comments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_owned())
        })
        .collect();
    let number = |field: &str| delivery[field].as_u64().unwrap();
    (
        ids,
        number("from"),
        number("cursor"),
        delivery["missed"].as_bool().unwrap(),
    )
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn the_window_reads_each_answer_after_its_cursor_as_one_event() {
    let served = serve().await;
    served.push("before");
    let mut events = served.follow(served.ask(SECRET, 1)).await;
    served.push("a");
    served.push("b");
    let first = read(&events.next().await.unwrap());
    // "b" may have joined the first answer or come in the next one.
    let mut seen = first.0.clone();
    assert_eq!((first.1, first.3), (1, false));
    if first.2 == 2 {
        let second = read(&events.next().await.unwrap());
        assert_eq!((second.1, second.2, second.3), (2, 3, false));
        seen.extend(second.0);
    }
    assert_eq!(
        seen,
        ids(&["a", "b"]),
        "each comment once, in order, none from before the cursor"
    );
}

#[tokio::test]
async fn the_page_is_told_to_reconnect_a_second_after_a_drop() {
    let served = serve().await;
    let mut response = served.ask(SECRET, 0).send().await.unwrap();
    // Before any chat: the field alone, which sets the EventSource's reconnection time.
    let first = response.chunk().await.unwrap().unwrap();
    assert_eq!(
        std::str::from_utf8(&first).unwrap().trim(),
        format!("retry: {}", RECONNECT.as_millis())
    );
}

#[tokio::test]
async fn a_reconnect_resumes_after_the_last_answer_it_got() {
    let served = serve().await;
    for id in ["a", "b", "c"] {
        served.push(id);
    }
    // The page's first request named the snapshot's cursor, 0; it got up to 2 before the drop.
    let mut events = served
        .follow(served.ask(SECRET, 0).header("Last-Event-ID", "2"))
        .await;
    assert_eq!(read(&events.next().await.unwrap()), (ids(&["c"]), 2, 3, false));
}

#[tokio::test]
async fn a_window_that_fell_behind_is_told_so_on_the_feed() {
    let served = serve().await;
    // More than the inbox keeps, while the window was away.
    for i in 0..6_000 {
        served.push(&i.to_string());
    }
    let mut events = served.follow(served.ask(SECRET, 0)).await;
    let (seen, from, cursor, missed) = read(&events.next().await.unwrap());
    assert!(missed, "the page re-reads the snapshot");
    assert_eq!(
        (from, cursor, seen.last().map(String::as_str)),
        (0, 6_000, Some("5999"))
    );
}

#[tokio::test(start_paused = true)]
async fn a_quiet_chat_sends_nothing_until_a_comment_comes() {
    let served = serve().await;
    let mut events = served.follow(served.ask(SECRET, 0)).await;
    // Three of the inbox's waits run out with nothing to say (time here jumps while idle).
    tokio::time::sleep(LONG_POLL * 3 + Duration::from_secs(1)).await;
    served.push("late");
    let event = events.next().await.unwrap();
    assert_eq!(
        read(&event),
        (ids(&["late"]), 0, 1, false),
        "no empty answers came first"
    );
}

#[tokio::test(start_paused = true)]
async fn a_feed_behind_what_another_took_is_told_so_without_waiting_for_chat() {
    let served = serve().await;
    // A feed the page has left, not yet noticed as closed, takes the next answer.
    let mut left = served.follow(served.ask(SECRET, 0)).await;
    served.push("a");
    assert_eq!(read(&left.next().await.unwrap()), (ids(&["a"]), 0, 1, false));
    // The page's new feed starts from the cursor it had before "a" reached it.
    let mut events = served.follow(served.ask(SECRET, 0)).await;
    // The chat goes quiet: when the inbox's wait runs out, the page still learns it is behind
    // (and re-reads the snapshot).
    let told = tokio::time::timeout(LONG_POLL + Duration::from_secs(1), events.next())
        .await
        .expect("told when the inbox's wait runs out, not at the next comment");
    assert_eq!(read(&told.unwrap()), (Vec::new(), 1, 1, false));
}

#[tokio::test]
async fn only_the_window_with_this_launchs_secret_reads_the_feed() {
    let served = serve().await;
    assert_eq!(served.status(served.ask("another-secret", 0)).await, 404);
    assert_eq!(served.status(served.ask("", 0)).await, 404);
    let no_origin = || {
        served.client.get(format!(
            "http://127.0.0.1:{}/chat/{SECRET}/feed?cursor=0",
            served.port
        ))
    };
    let foreign = no_origin().header(ORIGIN, "https://example.com");
    assert_eq!(
        served.status(foreign).await,
        403,
        "a web page in a browser on this computer"
    );
    assert_eq!(
        served.status(no_origin()).await,
        403,
        "a program that is not the window"
    );
    let rebound = served
        .ask(SECRET, 0)
        .header(HOST, format!("attacker.example:{}", served.port));
    assert_eq!(
        served.status(rebound).await,
        421,
        "a DNS name rebound to 127.0.0.1"
    );
    assert_eq!(
        served
            .status(served.client.get(format!("http://127.0.0.1:{}/", served.port)))
            .await,
        404
    );
}

#[test]
fn an_unavailable_feed_says_why_and_what_to_do() {
    let feed = ChatFeed {
        served: Err("Address not available (os error 99)".into()),
    };
    assert_eq!(feed.connect_source(), None, "no port is opened to the window");
    let error = feed.address().unwrap_err();
    assert_eq!(error.code, "chat_feed_unavailable");
    assert!(
        error.cause.contains("Address not available (os error 99)"),
        "{}",
        error.cause
    );
    assert!(error.fix.contains("restart the studio"), "{}", error.fix);
}

#[test]
fn a_bound_feed_opens_one_port_to_the_window_and_its_address_holds_a_fresh_secret() {
    let (feed, listener) = ChatFeed::bind();
    let port = listener.unwrap().local_addr().unwrap().port();
    assert_eq!(feed.connect_source(), Some(format!("http://127.0.0.1:{port}")));
    let address = feed.address().unwrap();
    let secret = address
        .strip_prefix(&format!("http://127.0.0.1:{port}/chat/"))
        .and_then(|rest| rest.strip_suffix("/feed"))
        .unwrap();
    assert!(secret.len() >= 32, "{secret}");
    assert_ne!(
        ChatFeed::bind().0.address().unwrap(),
        address,
        "each launch has its own"
    );
}
