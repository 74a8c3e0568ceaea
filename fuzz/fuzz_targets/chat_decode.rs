//! The whole chat path a stream's bytes take in the studio: the size guard, the SSE decoder and
//! the comment, job, session and moderation JSON, cut into chunks at random. The same stream must decode to the same
//! events however it arrives, and what decodes must survive being written back out. The stream's
//! bytes are also read as one comment's and one job's JSON straight away, so the fuzzer reaches
//! the JSON without first building an SSE event around it.
#![no_main]

use std::convert::Infallible;

use bytes::Bytes;
use futures_util::{FutureExt, StreamExt};
use libfuzzer_sys::fuzz_target;
use restream_client::{ChatEvent, Comment, Job, MAX_LINE_BYTES, decode_chat};
use restream_fuzz::{LimitedAllocator, chat_stream};

#[global_allocator]
static ALLOCATOR: LimitedAllocator = LimitedAllocator;

fuzz_target!(|data: &[u8]| {
    let stream = chat_stream(data);
    let chunked = decode(&stream.chunks);
    // A stream in one chunk is its own reference; reading it twice would only halve the runs.
    if stream.chunks.len() > 1 {
        let whole = decode(std::slice::from_ref(&stream.whole));
        assert_eq!(chunked, whole, "the chunks changed what the stream says");
    }
    for event in &chunked {
        match event {
            ChatEvent::Comment(comment) => round_trip(comment),
            ChatEvent::Job(job) => round_trip(job.as_ref()),
            ChatEvent::Session(session) => round_trip(session),
            ChatEvent::Moderation(moderation) => round_trip(moderation),
            ChatEvent::TooLarge { bytes, .. } => assert!(*bytes > MAX_LINE_BYTES, "{bytes}"),
            ChatEvent::Retry(_) | ChatEvent::Ignored { .. } => {}
        }
    }

    if let Ok(comment) = serde_json::from_slice::<Comment>(&stream.whole) {
        round_trip(&comment);
    }
    if let Ok(job) = serde_json::from_slice::<Job>(&stream.whole) {
        round_trip(&job);
    }
});

fn decode(chunks: &[Bytes]) -> Vec<ChatEvent> {
    let bytes = futures_util::stream::iter(chunks.iter().cloned().map(Ok::<_, Infallible>));
    decode_chat(bytes)
        .map(|event| event.expect("no transport here to fail"))
        .collect::<Vec<_>>()
        .now_or_never()
        .expect("every chunk is there at once, so nothing waits")
}

/// What the studio decoded, written as JSON and read again, is what it decoded.
fn round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(value).expect("a decoded value is plain JSON");
    let again: T = serde_json::from_str(&json).expect("its own JSON reads back");
    assert_eq!(&again, value, "{json}");
}
