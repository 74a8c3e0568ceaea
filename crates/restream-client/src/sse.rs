//! Server-Sent Events on the wire: the `eventsource-stream` decoder behind a guard that caps line
//! and event size (the decoder itself buffers without limit), and the contract's two events.

use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use crate::types::{Comment, Job};

/// Longest line accepted on a chat stream.
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// Largest event (all its lines) accepted on a chat stream.
pub const MAX_EVENT_BYTES: usize = 256 * 1024;

/// Why a chat stream's bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// A line exceeded [`MAX_LINE_BYTES`].
    #[error("a line longer than {MAX_LINE_BYTES} bytes")]
    LineTooLong,
    /// An event exceeded [`MAX_EVENT_BYTES`].
    #[error("an event larger than {MAX_EVENT_BYTES} bytes")]
    EventTooLarge,
    /// The byte stream failed or the decoder could not parse it.
    #[error("the connection failed: {0}")]
    Transport(String),
    /// The bytes are not valid UTF-8.
    #[error("the stream is not valid UTF-8")]
    Utf8,
}

/// Counts line and event lengths across chunks (CR, LF and CRLF all end a line). It also notes
/// `retry:` lines, because the decoder drops an event that carries nothing but `retry:`.
#[derive(Debug, Default)]
pub struct SizeGuard {
    line: usize,
    event: usize,
    /// The previous byte ended a line (a CR just now means a following LF is not a new line).
    after_cr: bool,
    at_line_start: bool,
    /// The start of the current line, while it may still be a `retry:` field.
    field: Vec<u8>,
    /// The last `retry:` value seen and not yet taken.
    retry: Option<u64>,
}

const RETRY_FIELD: &[u8] = b"retry:";

impl SizeGuard {
    #[cfg(test)]
    pub fn check(&mut self, chunk: &[u8]) -> Result<(), StreamError> {
        self.check_and_mark(chunk, &mut Vec::new())
    }

    /// Like [`check`](Self::check), and notes in `ends` the offsets just past each event's end.
    pub fn check_and_mark(&mut self, chunk: &[u8], ends: &mut Vec<usize>) -> Result<(), StreamError> {
        let mut at = 0;
        while at < chunk.len() {
            // Everything up to the next CR or LF belongs to the current line.
            let next = memchr::memchr2(b'\r', b'\n', &chunk[at..]).map_or(chunk.len(), |i| at + i);
            let run = &chunk[at..next];
            if !run.is_empty() {
                self.after_cr = false;
                self.at_line_start = false;
                let room = (RETRY_FIELD.len() + 12).saturating_sub(self.field.len());
                self.field.extend_from_slice(&run[..run.len().min(room)]);
                self.line += run.len();
                self.event += run.len();
                if self.line > MAX_LINE_BYTES {
                    return Err(StreamError::LineTooLong);
                }
                if self.event > MAX_EVENT_BYTES {
                    return Err(StreamError::EventTooLarge);
                }
            }
            if next == chunk.len() {
                break;
            }
            let b = chunk[next];
            if b == b'\n' && self.after_cr {
                self.after_cr = false;
            } else {
                self.end_field();
                if self.at_line_start {
                    // An empty line ends the event.
                    self.event = 0;
                    ends.push(next + 1);
                }
                self.line = 0;
                self.at_line_start = true;
                self.after_cr = b == b'\r';
            }
            at = next + 1;
        }
        Ok(())
    }

    fn end_field(&mut self) {
        if let Some(value) = self.field.strip_prefix(RETRY_FIELD) {
            let value = value.strip_prefix(b" ").unwrap_or(value);
            if let Some(ms) = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
            {
                self.retry = Some(ms);
            }
        }
        self.field.clear();
    }

    /// The last `retry:` value seen since the previous call.
    pub fn take_retry(&mut self) -> Option<u64> {
        self.retry.take()
    }
}

/// What a chat stream says, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatEvent {
    /// An `event: comment`: one chat message.
    Comment(Comment),
    /// An `event: job`: the job's state after a status change.
    Job(Box<Job>),
    /// A `retry:` field: the server's reconnect delay, in milliseconds.
    Retry(u64),
    /// An event the client does not know, or one whose data does not parse; skipped.
    Ignored {
        /// The event's name.
        event: String,
        /// Why it was skipped (unknown event, or the parse error).
        reason: String,
    },
}

/// Decodes a byte stream into chat events. Lines and events over the caps end it with an error;
/// a final event without its blank line is discarded (by the decoder).
pub fn decode<S, E>(bytes: S) -> impl Stream<Item = Result<ChatEvent, StreamError>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let guard = std::sync::Arc::new(std::sync::Mutex::new(SizeGuard::default()));
    let checker = std::sync::Arc::clone(&guard);
    // Chunks go to the decoder one event at a time: it copies its whole buffer on every line, so
    // a large chunk would cost far more than its size.
    let guarded = bytes.flat_map(move |chunk| {
        let pieces: Vec<Result<Bytes, StreamError>> = match chunk {
            Ok(chunk) => {
                let mut guard = checker.lock().unwrap_or_else(|p| p.into_inner());
                let mut ends = Vec::new();
                match guard.check_and_mark(&chunk, &mut ends) {
                    Ok(()) => {
                        let mut pieces = Vec::with_capacity(ends.len() + 1);
                        let mut start = 0;
                        for end in ends {
                            pieces.push(Ok(chunk.slice(start..end)));
                            start = end;
                        }
                        if start < chunk.len() {
                            pieces.push(Ok(chunk.slice(start..)));
                        }
                        pieces
                    }
                    Err(e) => vec![Err(e)],
                }
            }
            Err(e) => vec![Err(StreamError::Transport(e.to_string()))],
        };
        futures_util::stream::iter(pieces)
    });
    eventsource_stream::EventStream::new(guarded).flat_map(move |item| {
        let mut out: Vec<Result<ChatEvent, StreamError>> = Vec::new();
        // A `retry:` seen in the bytes so far goes out before the event that follows it.
        if let Some(ms) = guard.lock().unwrap_or_else(|p| p.into_inner()).take_retry() {
            out.push(Ok(ChatEvent::Retry(ms)));
        }
        match item {
            Err(eventsource_stream::EventStreamError::Transport(e)) => out.push(Err(e)),
            Err(eventsource_stream::EventStreamError::Utf8(_)) => out.push(Err(StreamError::Utf8)),
            Err(eventsource_stream::EventStreamError::Parser(e)) => {
                out.push(Err(StreamError::Transport(e.to_string())));
            }
            Ok(event) => match event.event.as_str() {
                "comment" => out.push(Ok(match serde_json::from_str::<Comment>(&event.data) {
                    Ok(c) => ChatEvent::Comment(c),
                    Err(e) => ChatEvent::Ignored {
                        event: event.event.clone(),
                        reason: e.to_string(),
                    },
                })),
                "job" => out.push(Ok(match serde_json::from_str::<Job>(&event.data) {
                    Ok(j) => ChatEvent::Job(Box::new(j)),
                    Err(e) => ChatEvent::Ignored {
                        event: event.event.clone(),
                        reason: e.to_string(),
                    },
                })),
                other => out.push(Ok(ChatEvent::Ignored {
                    event: other.to_owned(),
                    reason: "unknown event".into(),
                })),
            },
        }
        futures_util::stream::iter(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment_event(id: &str, message: &str) -> String {
        format!(
            "event: comment\nid: {id}\ndata: {{\"id\":\"{id}\",\"platform\":\"kick\",\"author\":\"a\",\"authorAvatar\":null,\"message\":\"{message}\",\"timestamp\":1,\"own\":false}}\n\n"
        )
    }

    async fn collect(chunks: Vec<Vec<u8>>) -> Vec<Result<ChatEvent, StreamError>> {
        let stream = futures_util::stream::iter(
            chunks
                .into_iter()
                .map(|c| Ok::<_, std::io::Error>(Bytes::from(c))),
        );
        decode(stream).collect().await
    }

    #[tokio::test]
    async fn decodes_comments_jobs_and_retry_and_skips_keep_alives() {
        let text = format!(
            "retry: 2000\n\n: keep-alive\n\n{}",
            comment_event("c1", "héllo 👋")
        );
        let events = collect(vec![text.into_bytes()]).await;
        assert_eq!(events[0], Ok(ChatEvent::Retry(2000)));
        match &events[1] {
            Ok(ChatEvent::Comment(c)) => assert_eq!((c.id.as_str(), c.message.as_str()), ("c1", "héllo 👋")),
            other => panic!("{other:?}"),
        }
        assert_eq!(events.len(), 2);
    }

    #[tokio::test]
    async fn a_final_event_without_its_blank_line_is_discarded() {
        let mut text = comment_event("c1", "x");
        text.push_str(comment_event("c2", "y").trim_end());
        let events = collect(vec![text.into_bytes()]).await;
        assert_eq!(events.len(), 1);
    }

    #[tokio::test]
    async fn oversize_lines_and_events_end_the_stream() {
        let long_line = format!("data: {}\n\n", "x".repeat(MAX_LINE_BYTES + 10));
        let events = collect(vec![long_line.into_bytes()]).await;
        assert_eq!(events.last(), Some(&Err(StreamError::LineTooLong)));

        let many_lines: String = (0..8)
            .map(|_| format!("data: {}\n", "y".repeat(40_000)))
            .collect();
        let events = collect(vec![many_lines.into_bytes()]).await;
        assert_eq!(events.last(), Some(&Err(StreamError::EventTooLarge)));
    }

    #[test]
    fn the_guard_resets_on_every_kind_of_line_end() {
        let mut guard = SizeGuard::default();
        let line = "z".repeat(MAX_LINE_BYTES);
        for ending in ["\n", "\r", "\r\n"] {
            guard.check(format!("{line}{ending}").as_bytes()).unwrap();
            guard.check(b"\n").unwrap();
        }
        // CRLF split across chunks is one line end.
        guard.check(format!("{line}\r").as_bytes()).unwrap();
        guard.check(format!("\n{line}\n\n").as_bytes()).unwrap();
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Any split into chunks, including inside CRLF and inside a UTF-8 sequence, decodes the same.
        #[test]
        fn chunking_does_not_change_the_comments(cuts in proptest::collection::vec(0usize..2000, 0..40), crlf in proptest::bool::ANY) {
            let mut text = String::from("retry: 2000\r\n\r\n");
            for i in 0..6 {
                text.push_str(&comment_event(&format!("c{i}"), "ünïcödé ✨ 日本語"));
                text.push_str(": keep-alive\n\n");
            }
            if crlf {
                text = text.replace("\r\n", "\n").replace('\n', "\r\n");
            }
            let bytes = text.into_bytes();
            let mut points: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
            points.sort_unstable();
            points.dedup();
            let mut chunks = Vec::new();
            let mut start = 0;
            for p in points {
                chunks.push(bytes[start..p].to_vec());
                start = p;
            }
            chunks.push(bytes[start..].to_vec());
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let events = runtime.block_on(collect(chunks));
            let ids: Vec<String> = events.into_iter().filter_map(|e| match e {
                Ok(ChatEvent::Comment(c)) => { assert_eq!(c.message, "ünïcödé ✨ 日本語"); Some(c.id) }
                Ok(_) => None,
                Err(e) => panic!("{e}"),
            }).collect();
            proptest::prop_assert_eq!(ids, (0..6).map(|i| format!("c{i}")).collect::<Vec<_>>());
        }
    }
}
