//! The chat stream's reconnect loop against in-process peers on paused time: hundreds of drops at
//! arbitrary byte offsets, an event too large to read, stalls, and keep-alives.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::BoxFuture;
use rand::{Rng, SeedableRng};
use restream_client::{ApiError, ChatStatus, ChatTiming, ChatTransport, ChatWake, Comment, Opened, Platform};

mod chat_peers;

use chat_peers::{follow, follow_timed, wait_until};

fn comment(n: usize) -> Comment {
    Comment {
        id: format!("c{n:04}"),
        platform: if n.is_multiple_of(2) {
            Platform::Twitch
        } else {
            Platform::Kick
        },
        author: format!("viewer {n} ✨"),
        author_id: None,
        author_avatar: None,
        message: format!("message {n}: ünïcödé 日本語 👋"),
        timestamp: n as i64,
        own: false,
    }
}

fn sse(comments: &[Comment]) -> Vec<u8> {
    let mut out = String::from("retry: 10\n\n");
    for c in comments {
        out.push_str(&format!(
            "event: comment\nid: {}\ndata: {}\n\n",
            c.id,
            serde_json::to_string(c).unwrap()
        ));
        out.push_str(": keep-alive\n\n");
    }
    out.into_bytes()
}

/// A connection handing `chunks`, then ending, or staying open after them (as a live stream does).
fn connection(chunks: Vec<Result<Bytes, String>>, stays_open: bool) -> Opened {
    let body = futures_util::stream::iter(chunks);
    Opened::Stream(if stays_open {
        Box::pin(futures_util::StreamExt::chain(
            body,
            futures_util::stream::pending(),
        ))
    } else {
        Box::pin(body)
    })
}

/// A service that replays by Last-Event-ID and cuts each of the first `drops` connections at a
/// random byte, in random chunk sizes.
struct DroppingService {
    log: Vec<Comment>,
    drops: u32,
    opens: AtomicU32,
    rng: Mutex<rand::rngs::StdRng>,
}

impl ChatTransport for DroppingService {
    fn open(&self, last_event_id: Option<String>) -> BoxFuture<'_, Result<Opened, ApiError>> {
        Box::pin(async move {
            let open = self.opens.fetch_add(1, Ordering::SeqCst);
            let start = last_event_id
                .and_then(|id| self.log.iter().position(|c| c.id == id).map(|i| i + 1))
                .unwrap_or(0);
            let bytes = sse(&self.log[start..]);
            let mut rng = self.rng.lock().unwrap();
            let cut = if open < self.drops {
                rng.random_range(0..=bytes.len())
            } else {
                bytes.len()
            };
            let mut chunks = Vec::new();
            let mut at = 0;
            while at < cut {
                let size = rng.random_range(1..=64).min(cut - at);
                chunks.push(Ok(Bytes::copy_from_slice(&bytes[at..at + size])));
                at += size;
            }
            // The last connection stays open, as a live stream does.
            Ok(connection(chunks, open >= self.drops))
        })
    }
}

impl DroppingService {
    fn new(log: Vec<Comment>, drops: u32, seed: u64) -> Arc<DroppingService> {
        Arc::new(DroppingService {
            log,
            drops,
            opens: AtomicU32::new(0),
            rng: Mutex::new(rand::rngs::StdRng::seed_from_u64(seed)),
        })
    }
}

#[tokio::test(start_paused = true)]
async fn hundreds_of_drops_at_arbitrary_bytes_lose_and_double_nothing() {
    let service = DroppingService::new((0..150).map(comment).collect(), 400, 7);
    let (sink, cancel, task) = follow(&service, &Arc::new(ChatWake::default()));
    // Each drop waits its backoff (100 ms doubling to 5 s): 400 of them are well inside an hour.
    wait_until(
        "150 comments over more than 400 connections",
        Duration::from_secs(3600),
        || sink.comments.lock().unwrap().len() >= 150 && service.opens.load(Ordering::SeqCst) > 400,
    )
    .await;
    cancel.cancel();
    let final_status = task.await.unwrap();
    assert_eq!(
        final_status,
        ChatStatus::Stopped {
            reason: "the stream is over".into()
        }
    );
    // The sink is the loop's only de-duplication-free view: every comment exactly once, in order.
    let got = sink.ids();
    let expected: Vec<String> = (0..150).map(|n| comment(n).id).collect();
    assert_eq!(got, expected);
    assert!(service.opens.load(Ordering::SeqCst) > 400);
}

#[tokio::test(start_paused = true)]
async fn a_comment_too_large_to_read_is_skipped_once_and_chat_goes_on() {
    // One comment over the client's line cap sits in the replay window; connections drop at
    // random bytes, so it is replayed and cut many times before one connection reads it whole.
    let mut log: Vec<Comment> = (0..60).map(comment).collect();
    log[20].message = "a very long comment ".repeat(4_000);
    let service = DroppingService::new(log, 40, 11);
    let (sink, cancel, task) = follow(&service, &Arc::new(ChatWake::default()));
    // Bounded, so a client stuck on the big comment fails here instead of looping forever.
    wait_until(
        "59 comments over more than 40 connections",
        Duration::from_secs(3600),
        || {
            (sink.comments.lock().unwrap().len() >= 59 && service.opens.load(Ordering::SeqCst) > 40)
                || service.opens.load(Ordering::SeqCst) >= 500
        },
    )
    .await;
    cancel.cancel();
    task.await.unwrap();
    let got = sink.ids();
    let expected: Vec<String> = (0..60).filter(|n| *n != 20).map(|n| comment(n).id).collect();
    assert_eq!(got, expected);
    assert_eq!(
        sink.skipped.load(Ordering::SeqCst),
        1,
        "skipped once, then resumed past it"
    );
    assert!(service.opens.load(Ordering::SeqCst) < 500);
}

/// Headers, then silence.
struct Silent;

impl ChatTransport for Silent {
    fn open(&self, _last: Option<String>) -> BoxFuture<'_, Result<Opened, ApiError>> {
        Box::pin(async { Ok(Opened::Stream(Box::pin(futures_util::stream::pending()))) })
    }
}

#[tokio::test(start_paused = true)]
async fn a_silent_stream_is_a_stall_after_45_seconds() {
    let (sink, cancel, task) = follow_timed(Arc::new(Silent), ChatTiming::default(), Arc::default());
    wait_until("the stall", Duration::from_secs(120), || {
        sink.statuses
            .lock()
            .unwrap()
            .iter()
            .any(|(_, s)| matches!(s, ChatStatus::Reconnecting { .. }))
    })
    .await;
    cancel.cancel();
    task.await.unwrap();
    let statuses = sink.statuses.lock().unwrap().clone();
    let live = statuses.iter().find(|(_, s)| *s == ChatStatus::Live).unwrap().0;
    let stalled = statuses
        .iter()
        .find(|(_, s)| matches!(s, ChatStatus::Reconnecting { .. }))
        .unwrap()
        .0;
    assert_eq!(stalled - live, Duration::from_secs(45));
}

/// A quiet chat: nothing but a keep-alive every 15 s, as the contract allows.
struct KeepAlivesOnly;

impl ChatTransport for KeepAlivesOnly {
    fn open(&self, _last: Option<String>) -> BoxFuture<'_, Result<Opened, ApiError>> {
        Box::pin(async {
            let beats = futures_util::stream::unfold(0u32, |n| async move {
                if n > 0 {
                    tokio::time::sleep(Duration::from_secs(15)).await;
                }
                Some((Ok(Bytes::from_static(b": keep-alive\n\n")), n + 1))
            });
            Ok(Opened::Stream(Box::pin(beats)))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn keep_alives_alone_keep_a_quiet_stream_open() {
    let (sink, cancel, task) = follow_timed(Arc::new(KeepAlivesOnly), ChatTiming::default(), Arc::default());
    // Ten minutes of silence but for keep-alives.
    tokio::time::sleep(Duration::from_secs(600)).await;
    cancel.cancel();
    task.await.unwrap();
    let statuses = sink.statuses.lock().unwrap().clone();
    assert!(
        !statuses
            .iter()
            .any(|(_, s)| matches!(s, ChatStatus::Reconnecting { .. })),
        "a stream with keep-alives was called stalled: {statuses:?}"
    );
}

/// Hands each connection its comments in turn (the last one stays open, as a live stream does).
struct Connections {
    each: Vec<Vec<Comment>>,
    opens: AtomicU32,
}

impl ChatTransport for Connections {
    fn open(&self, _last: Option<String>) -> BoxFuture<'_, Result<Opened, ApiError>> {
        Box::pin(async move {
            let n = self.opens.fetch_add(1, Ordering::SeqCst) as usize;
            let bytes = Bytes::from(sse(self.each.get(n).map_or(&[][..], Vec::as_slice)));
            Ok(connection(vec![Ok(bytes)], n + 1 >= self.each.len()))
        })
    }
}

fn at(id: &str, timestamp: i64) -> Comment {
    Comment {
        id: id.to_owned(),
        timestamp,
        ..comment(0)
    }
}

#[tokio::test(start_paused = true)]
async fn after_a_reconnect_only_what_is_older_than_the_connection_is_catch_up() {
    // The first connection hands an old comment (the first is never catch-up), then ends; the
    // second opens at 10,000 ms on the service's clock and replays around that instant.
    let service = Arc::new(Connections {
        each: vec![
            vec![at("first", 1)],
            vec![at("before", 9_999), at("at", 10_000), at("after", 10_001)],
        ],
        opens: AtomicU32::new(0),
    });
    let (sink, cancel, task) = follow(&service, &Arc::new(ChatWake::default()));
    sink.server_now.store(10_000, Ordering::SeqCst);
    wait_until("the replay", Duration::from_secs(60), || {
        sink.comments.lock().unwrap().len() >= 4
    })
    .await;
    cancel.cancel();
    task.await.unwrap();
    let ids = |list: &[&str]| list.iter().map(|id| (*id).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        *sink.handed.lock().unwrap(),
        [
            (false, ids(&["first"])),
            (true, ids(&["before"])),
            (false, ids(&["at", "after"])),
        ]
    );
}
