//! The chat stream's size guard, fed what a service (or anything between it and the studio) may
//! send, cut into chunks at random. It must never hand on an event past the caps, never hold more
//! of one than the caps allow, and cut the same stream the same way however it arrives.
#![no_main]

use std::hash::{DefaultHasher, Hash, Hasher};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use restream_client::{EventFramer, Framed, MAX_EVENT_BYTES, MAX_LINE_BYTES};
use restream_fuzz::{LimitedAllocator, chat_stream};

#[global_allocator]
static ALLOCATOR: LimitedAllocator = LimitedAllocator;

/// Ids longer than this are not kept (the framer's own limit).
const MAX_ID_BYTES: usize = 256;

fuzz_target!(|data: &[u8]| {
    let stream = chat_stream(data);
    let chunked = frame(&stream.chunks);
    // A stream in one chunk is its own reference; reading it twice would only halve the runs.
    if stream.chunks.len() > 1 {
        let whole = frame(std::slice::from_ref(&stream.whole));
        assert_eq!(chunked, whole, "the chunks changed what the stream says");
    }
});

/// What came out of the framer, in order: how many pieces and a hash of them all. Each chunk's
/// pieces are checked, hashed and dropped, so holding them adds nothing to what the allocation
/// limit sees.
#[derive(Debug, PartialEq)]
struct Said {
    pieces: usize,
    hash: u64,
}

fn frame(chunks: &[Bytes]) -> Said {
    let mut framer = EventFramer::default();
    let mut out = Vec::new();
    let mut hasher = DefaultHasher::new();
    let mut pieces = 0;
    let mut line_ends = 0;
    for chunk in chunks {
        framer.feed(chunk, &mut out);
        for piece in out.drain(..) {
            check(&piece);
            hash(&piece, &mut hasher);
            pieces += 1;
        }
        // An unfinished event is held whole only while it is within the cap; its line ends come
        // on top, and there cannot be more of those than the stream has had.
        // (memchr, not a loop over the bytes: every byte compared in instrumented code is a call
        // into libFuzzer, and such loops were a third of each run.)
        line_ends += memchr::memchr2_iter(b'\r', b'\n', chunk).count();
        assert!(
            framer.buffered() <= MAX_EVENT_BYTES + line_ends,
            "holds {} bytes of one event",
            framer.buffered()
        );
    }
    Said {
        pieces,
        hash: hasher.finish(),
    }
}

fn hash(piece: &Framed, hasher: &mut DefaultHasher) {
    match piece {
        Framed::Event(event) => (0u8, &event[..]).hash(hasher),
        Framed::Skipped { id, bytes } => (1u8, id, bytes).hash(hasher),
        Framed::Retry(ms) => (2u8, ms).hash(hasher),
    }
}

fn check(piece: &Framed) {
    match piece {
        Framed::Event(event) => {
            assert!(event.ends_with(b"\n"), "an event handed on unfinished");
            let mut start = 0;
            let mut line_ends = 0;
            for end in memchr::memchr2_iter(b'\r', b'\n', event).chain([event.len()]) {
                let line = end - start;
                assert!(line <= MAX_LINE_BYTES, "a line of {line} bytes handed on");
                start = end + 1;
                line_ends += 1;
            }
            let text = event.len() + 1 - line_ends;
            assert!(text <= MAX_EVENT_BYTES, "an event of {text} bytes handed on");
        }
        Framed::Skipped { id, bytes } => {
            // Only a line past its cap (and so an event past it too) is a reason to skip.
            assert!(*bytes > MAX_LINE_BYTES, "skipped an event of {bytes} bytes");
            if let Some(id) = id {
                assert!(id.len() <= MAX_ID_BYTES, "kept an id of {} bytes", id.len());
                assert!(!id.contains('\0'), "kept an id with a NUL");
            }
        }
        Framed::Retry(_) => {}
    }
}
