//! Server-Sent Events on the wire: a framer that cuts the bytes into whole events and drops one
//! over the line or event cap (the decoder itself buffers without limit), the `eventsource-stream`
//! decoder for each event, and the contract's events.

use bytes::Bytes;
use futures_util::{FutureExt, Stream, StreamExt};

mod chat_event;
mod framer;

pub use chat_event::ChatEvent;
pub use framer::{EventFramer, Framed, MAX_EVENT_BYTES, MAX_LINE_BYTES};

/// Why a chat stream ended.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// The byte stream failed.
    #[error("the connection failed: {0}")]
    Transport(String),
}

/// Decodes a byte stream into chat events. An event over a cap, or one that is not valid UTF-8,
/// is skipped and the stream goes on; a final event without its blank line is discarded.
pub fn decode<S, E>(bytes: S) -> impl Stream<Item = Result<ChatEvent, StreamError>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut framer = EventFramer::default();
    bytes.flat_map(move |chunk| {
        let mut out: Vec<Result<ChatEvent, StreamError>> = Vec::new();
        match chunk {
            Ok(chunk) => {
                let mut framed = Vec::new();
                framer.feed(&chunk, &mut framed);
                for piece in framed {
                    match piece {
                        Framed::Event(event) => out.extend(decode_event(event).map(Ok)),
                        Framed::Skipped { id, bytes } => out.push(Ok(ChatEvent::TooLarge { id, bytes })),
                        Framed::Retry(ms) => out.push(Ok(ChatEvent::Retry(ms))),
                    }
                }
            }
            Err(e) => out.push(Err(StreamError::Transport(e.to_string()))),
        }
        futures_util::stream::iter(out)
    })
}

/// U+FEFF in UTF-8.
const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// The most of an event the decoder is handed at once, unless one line is longer. It copies all
/// it holds after every line it reads, so one piece of many short lines costs the square of its
/// length: half a second for an event of 260 kB in 2-byte lines in a release build, and 20-30 ms
/// in pieces of this size (docs/benchmarks.md). A comment fits in one piece.
const DECODER_PIECE_BYTES: usize = 512;

/// Decodes one whole event (`None` for one that carries no data, such as a keep-alive).
fn decode_event(event: Bytes) -> Option<ChatEvent> {
    // Each event gets a decoder of its own: it holds the whole event, so the decoder answers at
    // once, and nothing of a bad event can reach the next. Each decoder takes its event for the
    // start of a stream, and `eventsource-stream` 0.2.3 panics on a stream that starts with a
    // byte order mark (it cuts the 3-byte character after its first byte), which would end the
    // chat task. An empty comment line first keeps the mark off the start: it is then read as part
    // of the first field's name, as the SSE rules read one anywhere but at the start of a stream.
    // The service sends none; one at its stream's very start costs that first field.
    let mark = event
        .starts_with(BYTE_ORDER_MARK)
        .then(|| Bytes::from_static(b":\n"));
    let pieces = mark
        .into_iter()
        .chain(pieces(event))
        .map(Ok::<_, std::convert::Infallible>);
    let one = futures_util::stream::iter(pieces);
    let decoded = eventsource_stream::EventStream::new(one)
        .next()
        .now_or_never()
        .flatten()?;
    Some(match decoded {
        Err(e) => ChatEvent::Ignored {
            event: String::new(),
            reason: e.to_string(),
        },
        Ok(event) => ChatEvent::from_sse(&event.event, &event.data),
    })
}

/// `event` cut into pieces of whole lines, each at most [`DECODER_PIECE_BYTES`] or a single line.
fn pieces(event: Bytes) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while event.len() - start > DECODER_PIECE_BYTES {
        let window = &event[start..start + DECODER_PIECE_BYTES];
        // A CRLF may be cut after its CR: the decoder waits for the next byte to read it.
        let end = match memchr::memrchr2(b'\r', b'\n', window) {
            Some(i) => start + i + 1,
            None => memchr::memchr2(b'\r', b'\n', &event[start + window.len()..])
                .map_or(event.len(), |i| start + window.len() + i + 1),
        };
        pieces.push(event.slice(start..end));
        start = end;
    }
    if start < event.len() {
        pieces.push(event.slice(start..));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::SessionEvent;
    use crate::moderation::ModerationEvent;

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
    async fn decodes_session_events_and_skips_a_malformed_one() {
        let text = "event: session\ndata: {\"publisherSessionId\":\"sess_1\",\"status\":\"ended\",\"source\":\"rtmp\",\"startedAt\":5,\"endedAt\":9,\"tracks\":[\"audio\",\"video\"]}\n\n\
                    event: session\ndata: {\"publisherSessionId\":\"sess_2\",\"status\":\"paused\"}\n\n";
        let events = collect(vec![text.as_bytes().to_vec()]).await;
        assert_eq!(
            events[0],
            Ok(ChatEvent::Session(SessionEvent {
                publisher_session_id: "sess_1".to_owned(),
                status: crate::ingest::SessionStatus::Ended,
                source: crate::ingest::SessionSource::Rtmp,
                started_at: 5,
                ended_at: Some(9),
                tracks: vec![crate::types::Track::Audio, crate::types::Track::Video],
            }))
        );
        assert!(
            matches!(&events[1], Ok(ChatEvent::Ignored { event, .. }) if event == "session"),
            "{:?}",
            events[1]
        );
    }

    #[tokio::test]
    async fn decodes_moderation_events_and_skips_an_action_from_a_newer_service() {
        let text = "event: moderation\nid: mod_1\ndata: {\"id\":\"mod_1\",\"action\":\"delete\",\"platform\":\"twitch\",\"commentId\":\"c1\",\"authorId\":\"twitch-7\",\"by\":\"platform\"}\n\n\
                    event: moderation\nid: mod_2\ndata: {\"id\":\"mod_2\",\"action\":\"shadowban\",\"platform\":\"twitch\",\"authorId\":\"t\",\"by\":\"streamer\"}\n\n";
        let events = collect(vec![text.as_bytes().to_vec()]).await;
        assert_eq!(
            events[0],
            Ok(ChatEvent::Moderation(ModerationEvent {
                id: "mod_1".to_owned(),
                outcome: crate::moderation::ModerationResult {
                    action: crate::moderation::ModerationAction::Delete,
                    platform: crate::platforms::Platform::Twitch,
                    comment_id: Some("c1".to_owned()),
                    author_id: Some("twitch-7".to_owned()),
                    until: None,
                },
                by: crate::moderation::ModeratedBy::Platform,
            }))
        );
        assert!(
            matches!(&events[1], Ok(ChatEvent::Ignored { event, .. }) if event == "moderation"),
            "{:?}",
            events[1]
        );
    }

    #[tokio::test]
    async fn a_final_event_without_its_blank_line_is_discarded() {
        let mut text = comment_event("c1", "x");
        text.push_str(comment_event("c2", "y").trim_end());
        let events = collect(vec![text.into_bytes()]).await;
        assert_eq!(events.len(), 1);
    }

    fn ids(events: &[Result<ChatEvent, StreamError>]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Ok(ChatEvent::Comment(c)) => c.id.clone(),
                Ok(ChatEvent::TooLarge { id, .. }) => format!("too large: {id:?}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[tokio::test]
    async fn an_oversized_event_is_skipped_with_its_id_and_the_stream_goes_on() {
        let long_line = format!(
            "event: comment\nid: big\ndata: {}\n\n",
            "x".repeat(MAX_LINE_BYTES + 10)
        );
        let many_lines: String = format!(
            "event: comment\nid: many\n{}\n",
            (0..8)
                .map(|_| format!("data: {}\n", "y".repeat(40_000)))
                .collect::<String>()
        );
        // Field lines after the excess are still read: the id of this one is known too.
        let id_after_the_excess = format!(
            "event: comment\ndata: {}\nid: late\n\n",
            "z".repeat(MAX_LINE_BYTES + 1)
        );
        let text = [
            comment_event("c1", "before"),
            long_line,
            comment_event("c2", "between"),
            many_lines,
            id_after_the_excess,
            comment_event("c3", "after"),
        ]
        .concat();
        let events = collect(vec![text.into_bytes()]).await;
        assert_eq!(
            ids(&events),
            [
                "c1",
                "too large: Some(\"big\")",
                "c2",
                "too large: Some(\"many\")",
                "too large: Some(\"late\")",
                "c3"
            ]
        );
    }

    #[tokio::test]
    async fn an_event_that_is_not_utf8_is_skipped_alone() {
        let mut text = comment_event("c1", "ok").into_bytes();
        text.extend_from_slice(b"event: comment\nid: bad\ndata: \xff\xfe\n\n");
        text.extend_from_slice(comment_event("c2", "ok").as_bytes());
        let events = collect(vec![text]).await;
        assert!(matches!(events[1], Ok(ChatEvent::Ignored { .. })), "{events:?}");
        assert_eq!(ids(&events)[0], "c1");
        assert_eq!(ids(&events)[2], "c2");
        assert_eq!(events.len(), 3);
    }

    /// Found by the `chat_decode` fuzz target: a byte order mark at the start of an event panicked
    /// the decoder.
    #[tokio::test]
    async fn a_byte_order_mark_before_an_event_is_no_panic() {
        let events = collect(vec![b"\xef\xbb\xbfretry: 2000\n\n: keep-alive\n\n".to_vec()]).await;
        assert_eq!(events, []);

        let mut text = comment_event("c1", "before").into_bytes();
        text.extend_from_slice(b"\xef\xbb\xbf");
        text.extend_from_slice(comment_event("bom", "marked").as_bytes());
        text.extend_from_slice(comment_event("c2", "after").as_bytes());
        let events = collect(vec![text]).await;
        // The mark makes the first field `\u{feff}event`, which is no field: the event is a
        // plain message, which the studio skips.
        assert_eq!(ids(&events)[0], "c1");
        assert!(
            matches!(&events[1], Ok(ChatEvent::Ignored { event, .. }) if event == "message"),
            "{events:?}"
        );
        assert_eq!(ids(&events)[2], "c2");
        assert_eq!(events.len(), 3);
    }

    #[test]
    fn a_long_event_reaches_the_decoder_in_pieces_of_whole_lines() {
        let mut text = String::from("event: comment\r\ndata: {\"id\":\"c1\",\r\n");
        for i in 0..3_000 {
            text.push_str(if i % 3 == 0 { "data:\r\n" } else { "data:\n" });
        }
        text.push_str(&format!("data: \"message\":\"{}\",\n", "m".repeat(2_000)));
        text.push_str(
            "data: \"platform\":\"kick\",\"author\":\"a\",\"authorAvatar\":null,\"timestamp\":1}\r\n\r\n",
        );
        let event = Bytes::from(text);
        let cut = pieces(event.clone());
        assert_eq!(cut.concat(), event.to_vec());
        for piece in &cut {
            let lines = piece.split_inclusive(|&b| b == b'\n' || b == b'\r').count();
            assert!(
                piece.len() <= DECODER_PIECE_BYTES || lines == 1,
                "{} bytes in {lines} lines",
                piece.len()
            );
            assert!(
                matches!(piece.last(), Some(b'\r' | b'\n')),
                "a piece ends within a line"
            );
        }
        match decode_event(event) {
            Some(ChatEvent::Comment(c)) => assert_eq!((c.id.as_str(), c.message.len()), ("c1", 2_000)),
            other => panic!("{other:?}"),
        }
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
