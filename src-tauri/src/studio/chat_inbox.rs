//! Chat batches for the window, kept until its feed hands them over. A Tauri event reaches the
//! page as a script with the payload written into its source, and WebKit keeps memory in
//! proportion to the source it has evaluated: hours of chat pushed as events grow the web process
//! without bound (measured: +380 MiB after a 20,000-comment burst and 30 minutes at 50/s). The
//! window instead follows the inbox on its chat feed (chat_feed.rs), whose answers are message
//! events, never script.
//!
//! The inbox, not the asker, decides where an answer starts: after what it last handed out. When
//! the window asked with a command, WebKitGTK was measured handing the app an old ask, headers and
//! body alike, in place of each new one (thousands of copies of one cursor under a busy chat);
//! answered from the cursor they carried, each copy returned the same comments again at once, and
//! the window spun at full CPU re-reading them. Answered from what was last handed out, a stale or
//! second reader (a feed the page has already left) gets nothing twice, and the next answer the
//! window gets tells it what it missed.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use specta::Type;

use crate::events::CommentsReceived;

/// Comments kept for a window that is slow to ask: a minute of a very busy chat, or several
/// seconds of a 2,000/s burst. Counted in comments, not batches, so how finely the stream was
/// read (one comment a batch on a fast machine, dozens on a slow one) does not change how much a
/// late window gets.
const KEPT_COMMENTS: usize = 5_000;
/// Bytes of text kept at most: a comment may be up to 64 KiB, and 5,000 of those would be
/// hundreds of megabytes waiting for one window.
const KEPT_BYTES: usize = 8 * 1024 * 1024;
/// How long one ask waits for a batch before answering with none (the feed then asks again).
pub const LONG_POLL: Duration = Duration::from_secs(20);
/// How long an ask that waited lets the rest of a burst arrive once its first batch has. The
/// audience's comments come in bursts, read from the stream a few at a time; each answer costs
/// the window a render and a layout, so one answer per burst rather than one per read roughly
/// halves what a busy chat costs the window (measured at 50/s: docs/benchmarks.md). Well under a
/// 60 Hz frame, so what is drawn is not later by a frame.
pub const GATHER: Duration = Duration::from_millis(6);

/// What one ask gets.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CommentsDelivery {
    /// Where this answer starts: the asked cursor, or what the inbox last handed out if that is
    /// later. Later than the window's own cursor means an answer it never got: re-read the
    /// snapshot.
    #[specta(type = u32)]
    pub from: u64,
    /// Batches after `from`, oldest first.
    pub batches: Vec<CommentsReceived>,
    /// The cursor to ask with next.
    #[specta(type = u32)]
    pub cursor: u64,
    /// Batches were dropped before the window asked for them: re-read the snapshot.
    pub missed: bool,
}

#[derive(Default)]
struct Queue {
    /// Sequence number of the newest batch (0: none yet).
    newest: u64,
    batches: VecDeque<(u64, CommentsReceived)>,
    /// Comments in `batches`.
    comments: usize,
    /// Bytes of text in `batches`.
    bytes: usize,
    /// The newest batch handed out so far.
    delivered: u64,
}

/// What a batch counts against the bound: its comments, and at least one, so batches that only
/// mark skipped messages cannot pile up without limit.
fn weight(batch: &CommentsReceived) -> usize {
    batch.comments.len().max(1)
}

/// The text a batch holds: what its comments say, who said it, and their pictures' addresses.
fn bytes(batch: &CommentsReceived) -> usize {
    batch
        .comments
        .iter()
        .map(|c| c.message.len() + c.author.len() + c.author_avatar.as_ref().map_or(0, String::len))
        .sum()
}

/// One owner of the batches waiting for the window.
#[derive(Default)]
pub struct ChatInbox {
    queue: Mutex<Queue>,
    arrived: tokio::sync::Notify,
}

impl ChatInbox {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where a window that has just read the snapshot starts asking from.
    pub fn cursor(&self) -> u64 {
        self.queue().newest
    }

    pub fn push(&self, batch: CommentsReceived) {
        {
            let mut queue = self.queue();
            queue.newest += 1;
            let seq = queue.newest;
            queue.comments += weight(&batch);
            queue.bytes += bytes(&batch);
            queue.batches.push_back((seq, batch));
            // The newest batch stays even when it alone is over the bounds.
            while (queue.comments > KEPT_COMMENTS || queue.bytes > KEPT_BYTES) && queue.batches.len() > 1 {
                if let Some((_, dropped)) = queue.batches.pop_front() {
                    queue.comments -= weight(&dropped);
                    queue.bytes -= bytes(&dropped);
                }
            }
        }
        self.arrived.notify_waiters();
    }

    fn after(&self, cursor: u64) -> Option<CommentsDelivery> {
        let mut queue = self.queue();
        let from = cursor.max(queue.delivered);
        if queue.newest <= from {
            return None;
        }
        let oldest_kept = queue.batches.front().map_or(queue.newest + 1, |(seq, _)| *seq);
        queue.delivered = queue.newest;
        Some(CommentsDelivery {
            from,
            batches: queue
                .batches
                .iter()
                .filter(|(seq, _)| *seq > from)
                .map(|(_, batch)| batch.clone())
                .collect(),
            cursor: queue.newest,
            missed: oldest_kept > from + 1,
        })
    }

    /// The batches after `cursor` (or after the last ones handed out), waiting up to `wait` for
    /// one to arrive.
    pub async fn next(&self, cursor: u64, wait: Duration) -> CommentsDelivery {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            // Registered before looking, so a batch pushed in between still wakes this ask.
            let arrived = self.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            if let Some(delivery) = self.after(cursor) {
                return delivery;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_ok() {
                // The first of a burst: let the rest join this answer.
                tokio::time::sleep(GATHER).await;
            } else {
                let from = {
                    let queue = self.queue();
                    cursor.max(queue.delivered).min(queue.newest)
                };
                return CommentsDelivery {
                    from,
                    batches: Vec::new(),
                    cursor: from,
                    missed: false,
                };
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Arc;

    fn comment(id: &str) -> restream_client::Comment {
        restream_client::Comment {
            id: id.to_owned(),
            platform: restream_client::Platform::Twitch,
            author: "a".into(),
            author_id: None,
            author_avatar: None,
            message: "m".into(),
            timestamp: 1,
            own: false,
        }
    }

    /// One comment with `id`, as a batch (the chat feed's tests use it too).
    pub(crate) fn batch(id: &str) -> CommentsReceived {
        CommentsReceived {
            comments: vec![comment(id)],
            backfill: false,
            skipped: 0,
            moderation: None,
        }
    }

    fn ids(delivery: &CommentsDelivery) -> Vec<String> {
        delivery
            .batches
            .iter()
            .map(|b| b.comments[0].id.clone())
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn an_ask_gets_what_came_after_its_cursor_and_waits_for_more() {
        let inbox = Arc::new(ChatInbox::default());
        inbox.push(batch("before"));
        let cursor = inbox.cursor();
        inbox.push(batch("a"));
        inbox.push(batch("b"));
        let first = inbox.next(cursor, LONG_POLL).await;
        assert_eq!(
            (ids(&first), first.missed),
            (vec!["a".to_owned(), "b".to_owned()], false)
        );

        let waiting = tokio::spawn({
            let inbox = Arc::clone(&inbox);
            async move { inbox.next(first.cursor, LONG_POLL).await }
        });
        tokio::task::yield_now().await;
        inbox.push(batch("c"));
        assert_eq!(ids(&waiting.await.unwrap()), ["c"]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_ask_that_waited_answers_a_burst_once_and_a_frame_later_at_most() {
        let inbox = Arc::new(ChatInbox::default());
        let waiting = tokio::spawn({
            let inbox = Arc::clone(&inbox);
            async move {
                let delivery = inbox.next(0, LONG_POLL).await;
                (delivery, tokio::time::Instant::now())
            }
        });
        tokio::task::yield_now().await;
        let first_at = tokio::time::Instant::now();
        inbox.push(batch("a"));
        tokio::time::sleep(GATHER / 2).await;
        inbox.push(batch("b"));
        let (delivery, answered_at) = waiting.await.unwrap();
        assert_eq!(ids(&delivery), ["a", "b"], "one answer for the burst");
        assert_eq!(
            answered_at - first_at,
            GATHER,
            "answered once the burst has had its moment"
        );
        assert!(GATHER < Duration::from_millis(8), "under half a 60 Hz frame");

        // What is already waiting is answered at once.
        inbox.push(batch("c"));
        let asked_at = tokio::time::Instant::now();
        let ready = inbox.next(delivery.cursor, LONG_POLL).await;
        assert_eq!(
            (ids(&ready), tokio::time::Instant::now()),
            (vec!["c".to_owned()], asked_at)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_copy_of_an_old_ask_waits_for_new_chat_instead_of_getting_old_chat_again() {
        let inbox = Arc::new(ChatInbox::default());
        inbox.push(batch("a"));
        inbox.push(batch("b"));
        let first = inbox.next(0, LONG_POLL).await;
        assert_eq!(ids(&first), ["a", "b"]);

        // The same ask again (cursor 0), as WebKit has been seen to hand over: nothing is
        // repeated, and it answers with what comes next.
        let copy = tokio::spawn({
            let inbox = Arc::clone(&inbox);
            async move { inbox.next(0, LONG_POLL).await }
        });
        tokio::task::yield_now().await;
        assert!(!copy.is_finished(), "a copy of an answered ask waits");
        inbox.push(batch("c"));
        let copy = copy.await.unwrap();
        assert_eq!(ids(&copy), ["c"]);
        assert_eq!(copy.from, first.cursor, "the answer says where it starts");
        assert!(!copy.missed);

        // The window's own next ask, from the cursor it was given, finds that `c` went to the
        // copy: its answer starts later than its cursor, which tells it to re-read the snapshot.
        inbox.push(batch("d"));
        let own = inbox.next(first.cursor, LONG_POLL).await;
        assert_eq!(ids(&own), ["d"]);
        assert!(own.from > first.cursor);
    }

    #[tokio::test(start_paused = true)]
    async fn an_ask_with_nothing_new_answers_empty_after_the_wait() {
        let inbox = ChatInbox::default();
        inbox.push(batch("a"));
        let started = tokio::time::Instant::now();
        let empty = inbox.next(inbox.cursor(), LONG_POLL).await;
        assert!(empty.batches.is_empty());
        assert_eq!(empty.cursor, 1);
        assert_eq!(started.elapsed(), LONG_POLL);
    }

    #[tokio::test(start_paused = true)]
    async fn a_window_that_fell_behind_is_told_so() {
        let inbox = ChatInbox::default();
        for n in 0..KEPT_COMMENTS + 10 {
            inbox.push(batch(&format!("c{n}")));
        }
        let late = inbox.next(0, LONG_POLL).await;
        assert!(late.missed);
        assert_eq!(late.batches.len(), KEPT_COMMENTS);
        assert_eq!(late.cursor, (KEPT_COMMENTS + 10) as u64);
        let current = inbox.next(late.cursor - 1, LONG_POLL).await;
        assert!(!current.missed);
    }

    #[tokio::test(start_paused = true)]
    async fn what_is_kept_is_counted_in_comments_however_they_were_batched() {
        let big = |from: usize| CommentsReceived {
            comments: (from..from + 100).map(|n| comment(&format!("c{n}"))).collect(),
            backfill: false,
            skipped: 0,
            moderation: None,
        };
        let fine = ChatInbox::default();
        let coarse = ChatInbox::default();
        let total = KEPT_COMMENTS * 2;
        for n in 0..total {
            fine.push(batch(&format!("c{n}")));
        }
        for from in (0..total).step_by(100) {
            coarse.push(big(from));
        }
        let count = |d: &CommentsDelivery| d.batches.iter().map(|b| b.comments.len()).sum::<usize>();
        let (fine, coarse) = (fine.next(0, LONG_POLL).await, coarse.next(0, LONG_POLL).await);
        assert_eq!(count(&fine), KEPT_COMMENTS);
        assert_eq!(count(&coarse), KEPT_COMMENTS);
        assert_eq!(
            fine.batches.last().map(|b| b.comments[0].id.clone()),
            Some(format!("c{}", total - 1))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn marks_of_skipped_messages_are_bounded_too() {
        let inbox = ChatInbox::default();
        let skipped = || CommentsReceived {
            comments: Vec::new(),
            backfill: false,
            skipped: 1,
            moderation: None,
        };
        for _ in 0..KEPT_COMMENTS * 2 {
            inbox.push(skipped());
        }
        inbox.push(batch("after"));
        let delivery = inbox.next(0, LONG_POLL).await;
        assert_eq!(delivery.batches.len(), KEPT_COMMENTS);
        assert!(delivery.missed);
        assert_eq!(
            delivery.batches.last().map(|b| b.comments[0].id.as_str()),
            Some("after")
        );
    }

    #[tokio::test(start_paused = true)]
    async fn long_comments_are_bounded_by_their_bytes() {
        let inbox = ChatInbox::default();
        for n in 0..300 {
            let mut long = batch(&format!("long-{n}"));
            long.comments[0].message = "x".repeat(60_000);
            inbox.push(long);
        }
        let delivery = inbox.next(0, LONG_POLL).await;
        let kept: usize = delivery.batches.iter().map(bytes).sum();
        assert!(kept <= KEPT_BYTES, "{kept}");
        assert_eq!(delivery.batches.len(), KEPT_BYTES / (60_000 + "a".len()));
        assert!(delivery.missed);
        assert_eq!(
            delivery.batches.last().map(|b| b.comments[0].id.as_str()),
            Some("long-299")
        );
    }
}
