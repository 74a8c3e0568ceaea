//! v1.1 moderation events in the chat loop, against an in-process service on paused time: they
//! reach the sink in stream order, after the comments before them, and move `Last-Event-ID` like
//! a comment; a reconnect between a comment and its deletion loses neither, and a deleted
//! comment the client never saw is never handed to it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use restream_client::{ApiError, ChatTransport, ChatWake, Opened};
use tokio::sync::Notify;

mod chat_peers;

use chat_peers::follow;

/// One event of the service's sequence: a comment (maybe deleted since) or a moderation event.
#[derive(Clone)]
enum Stored {
    Comment { id: String, deleted: bool },
    Moderation { id: String, deletes: String },
}

impl Stored {
    fn id(&self) -> &str {
        match self {
            Stored::Comment { id, .. } | Stored::Moderation { id, .. } => id,
        }
    }

    fn sse(&self) -> String {
        match self {
            Stored::Comment { id, .. } => format!(
                "event: comment\nid: {id}\ndata: {{\"id\":\"{id}\",\"platform\":\"twitch\",\"author\":\"a\",\"authorId\":\"twitch-1\",\"authorAvatar\":null,\"message\":\"hi\",\"timestamp\":1,\"own\":false}}\n\n"
            ),
            Stored::Moderation { id, deletes } => format!(
                "event: moderation\nid: {id}\ndata: {{\"id\":\"{id}\",\"action\":\"delete\",\"platform\":\"twitch\",\"commentId\":\"{deletes}\",\"authorId\":\"twitch-1\",\"by\":\"streamer\"}}\n\n"
            ),
        }
    }
}

/// Replays as the contract says: after `Last-Event-ID` (a deleted comment's id included), never
/// a deleted comment. The first `ending` connections send what is stored then end; later ones
/// stay open. Every connection after the first waits for the test to let it through, so the
/// test changes the log while the client is away, whenever it retries.
struct ModeratingService {
    log: Mutex<Vec<Stored>>,
    /// The `Last-Event-ID` of each connection, in order.
    asked: Mutex<Vec<Option<String>>>,
    opens: AtomicU32,
    /// How many connections end after their replay; later ones stay open.
    ending: u32,
    opened: Notify,
    gate: tokio::sync::Semaphore,
}

impl ModeratingService {
    fn new(comments: &[&str], ending: u32) -> Arc<ModeratingService> {
        let log = comments
            .iter()
            .map(|id| Stored::Comment {
                id: (*id).to_owned(),
                deleted: false,
            })
            .collect();
        Arc::new(ModeratingService {
            log: Mutex::new(log),
            asked: Mutex::new(Vec::new()),
            opens: AtomicU32::new(0),
            ending,
            opened: Notify::new(),
            gate: tokio::sync::Semaphore::new(0),
        })
    }

    fn delete(&self, comment: &str, event: &str) {
        let mut log = self.log.lock().unwrap();
        for stored in log.iter_mut() {
            if let Stored::Comment { id, deleted } = stored
                && id == comment
            {
                *deleted = true;
            }
        }
        log.push(Stored::Moderation {
            id: event.to_owned(),
            deletes: comment.to_owned(),
        });
    }

    fn push_comment(&self, id: &str) {
        self.log.lock().unwrap().push(Stored::Comment {
            id: id.to_owned(),
            deleted: false,
        });
    }

    /// Lets the next waiting connection through.
    fn let_through(&self) {
        self.gate.add_permits(1);
    }

    /// Waits until `n` connections were asked for (a minute of the test's clock at most).
    async fn opened(&self, n: u32) {
        let asked = async {
            while self.opens.load(Ordering::SeqCst) < n {
                self.opened.notified().await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), asked)
            .await
            .unwrap_or_else(|_| panic!("connection {n} was never asked for"));
    }
}

impl ChatTransport for ModeratingService {
    fn open(&self, last_event_id: Option<String>) -> BoxFuture<'_, Result<Opened, ApiError>> {
        Box::pin(async move {
            self.asked.lock().unwrap().push(last_event_id.clone());
            let open = self.opens.fetch_add(1, Ordering::SeqCst);
            self.opened.notify_waiters();
            if open > 0 {
                self.gate.acquire().await.expect("the gate stays").forget();
            }
            let log = self.log.lock().unwrap().clone();
            let start = last_event_id
                .and_then(|id| log.iter().position(|s| s.id() == id).map(|i| i + 1))
                .unwrap_or(0);
            let text: String = log[start..]
                .iter()
                .filter(|s| !matches!(s, Stored::Comment { deleted: true, .. }))
                .map(Stored::sse)
                .collect();
            let body = futures_util::stream::iter([Ok(Bytes::from(text))]);
            let stream: BoxStream<'static, Result<Bytes, String>> = if open < self.ending {
                Box::pin(body)
            } else {
                Box::pin(futures_util::StreamExt::chain(
                    body,
                    futures_util::stream::pending(),
                ))
            };
            Ok(Opened::Stream(stream))
        })
    }
}

async fn until_sequence(sink: &chat_peers::Collect, n: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let sequence = sink.sequence.lock().unwrap().clone();
        if sequence.len() >= n {
            return sequence;
        }
        assert!(tokio::time::Instant::now() < deadline, "only {sequence:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_reconnect_between_a_comment_and_its_deletion_loses_neither() {
    // The first connection hands c1 and c2, then drops; c2 is deleted while the client is away.
    let service = ModeratingService::new(&["c1", "c2"], 1);
    let (sink, cancel, task) = follow(&service, &Arc::new(ChatWake::default()));
    assert_eq!(until_sequence(&sink, 2).await, ["c1", "c2"]);
    service.opened(2).await;
    service.push_comment("c3");
    service.delete("c2", "mod_1");
    service.let_through();
    assert_eq!(until_sequence(&sink, 4).await, ["c1", "c2", "c3", "m:mod_1"]);
    assert_eq!(
        *service.asked.lock().unwrap(),
        [None, Some("c2".to_owned())],
        "it resumed after the comment the deletion removes"
    );
    cancel.cancel();
    task.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_deletion_moves_last_event_id_and_a_comment_deleted_unseen_never_arrives() {
    // The first connection hands c1 only; c2 arrives and is deleted while the client is away.
    let service = ModeratingService::new(&["c1"], 2);
    let (sink, cancel, task) = follow(&service, &Arc::new(ChatWake::default()));
    assert_eq!(until_sequence(&sink, 1).await, ["c1"]);
    service.opened(2).await;
    service.push_comment("c2");
    service.delete("c2", "mod_1");
    service.let_through();
    assert_eq!(until_sequence(&sink, 2).await, ["c1", "m:mod_1"]);
    // The second connection ends too: the third resumes after the deletion, not before it.
    service.opened(3).await;
    service.let_through();
    assert_eq!(
        *service.asked.lock().unwrap(),
        [None, Some("c1".to_owned()), Some("mod_1".to_owned())]
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(*sink.sequence.lock().unwrap(), ["c1", "m:mod_1"], "nothing twice");
    cancel.cancel();
    task.await.unwrap();
}
