//! What the fuzz targets share: the allocator that turns unbounded growth into a crash, and the
//! way a fuzz input becomes a chat stream cut into chunks.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use bytes::Bytes;
use restream_client::{MAX_EVENT_BYTES, MAX_LINE_BYTES};

/// Live heap bytes past which a target aborts.
pub const LIVE_BYTES_LIMIT: usize = 64 * 1024 * 1024;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static OVER: AtomicBool = AtomicBool::new(false);

/// The targets are built without a sanitizer (the stable toolchain has none), so nothing would
/// notice a parser that holds memory without bound but libFuzzer's RSS check, which looks once a
/// second at the whole process. Every target installs this as its `#[global_allocator]`: it
/// counts the bytes the Rust code holds and aborts, which libFuzzer records as a crash with the
/// input that caused it, the moment they would pass [`LIVE_BYTES_LIMIT`]. No input here is more
/// than a few hundred KiB, so a parser that needs 64 MiB for one is a bug, and so is a leak that
/// adds up over millions of runs.
pub struct LimitedAllocator;

/// Bytes the Rust code holds right now, through [`LimitedAllocator`].
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

fn grow(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed).saturating_add(by);
    if live > LIVE_BYTES_LIMIT {
        over_limit(live);
    }
}

fn shrink(by: usize) {
    LIVE.fetch_sub(by, Ordering::Relaxed);
}

#[cold]
fn over_limit(live: usize) -> ! {
    // Writing to stderr does not allocate; the flag keeps a second trip from recursing anyway.
    if !OVER.swap(true, Ordering::Relaxed) {
        let _ = writeln!(
            std::io::stderr(),
            "restream-fuzz: {live} live heap bytes, over the {LIVE_BYTES_LIMIT}-byte limit; aborting"
        );
    }
    std::process::abort()
}

// SAFETY: every call is passed on to `System` unchanged; the counting around it touches only an
// atomic and never the memory itself.
unsafe impl GlobalAlloc for LimitedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: the caller's contract for `alloc` is `System::alloc`'s.
        let ptr = unsafe { System.alloc(layout) };
        if ptr.is_null() {
            shrink(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if ptr.is_null() {
            shrink(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout, through this allocator.
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_size = layout.size();
        if new_size > old_size {
            grow(new_size - old_size);
        }
        // SAFETY: as for `dealloc`, and the caller vouches for `new_size`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if new.is_null() {
            // The old block is still there, at its old size.
            if new_size > old_size {
                shrink(new_size - old_size);
            }
        } else if new_size < old_size {
            shrink(old_size - new_size);
        }
        new
    }
}

/// The longest chat stream an input makes: past the event cap twice and the line cap twice, and
/// no more, so an input stays cheap enough for millions of runs (5 KiB in the fuzz builds, whose
/// caps are smaller; 640 KiB at the real caps).
pub const MAX_STREAM_BYTES: usize = 2 * MAX_EVENT_BYTES + 2 * MAX_LINE_BYTES;

/// A chat stream made from a fuzz input, whole and cut into chunks as a socket might deliver it.
pub struct ChatStream {
    pub whole: Bytes,
    pub chunks: Vec<Bytes>,
}

/// Reads a fuzz input as a chat stream. The first four bytes steer, the rest is the stream:
///
/// - byte 0: how the stream is cut (0: one chunk; otherwise chunk sizes drawn at random up to a
///   power of two it chooses, 1 byte up to 32 KiB), so CRLF pairs, field names and UTF-8
///   sequences fall across chunk ends;
/// - byte 1: how many times the middle of the stream repeats: 1 to 15 times below 0xf0, then
///   2^5 to 2^20 times (up to [`MAX_STREAM_BYTES`]), so an input of a few bytes can make a line
///   or an event past the caps, where the framer drops what it reads, while most inputs stay
///   small and quick;
/// - bytes 2 and 3: where that middle starts and ends, as fractions of the rest.
///
/// An input shorter than the header is the stream itself, in one chunk.
pub fn chat_stream(data: &[u8]) -> ChatStream {
    let Some((header, body)) = data.split_first_chunk::<4>() else {
        let whole = Bytes::copy_from_slice(data);
        return ChatStream {
            chunks: vec![whole.clone()],
            whole,
        };
    };
    let [cut, repeat, from, to] = *header;
    let start = usize::from(from) * body.len() / 256;
    let end = start + usize::from(to) * (body.len() - start) / 256;
    let (head, middle, tail) = (&body[..start], &body[start..end], &body[end..]);
    let wanted = match repeat {
        0..0xf0 => 1 + usize::from(repeat) / 16,
        _ => 1 << (repeat - 0xf0 + 5),
    };
    let room = MAX_STREAM_BYTES.saturating_sub(head.len() + tail.len());
    let times = if middle.is_empty() {
        1
    } else {
        wanted.min(room / middle.len()).max(1)
    };
    let mut stream = Vec::with_capacity(head.len() + middle.len() * times + tail.len());
    stream.extend_from_slice(head);
    for _ in 0..times {
        stream.extend_from_slice(middle);
    }
    stream.extend_from_slice(tail);
    let whole = Bytes::from(stream);

    let chunks = if cut == 0 {
        vec![whole.clone()]
    } else {
        let largest = 1usize << (cut & 0x0f);
        // xorshift32, seeded by the byte: the same input always cuts the same way.
        let mut state = 0x9e37_79b9_u32 ^ u32::from(cut);
        let mut chunks = Vec::new();
        let mut at = 0;
        while at < whole.len() {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let size = 1 + state as usize % largest;
            let next = (at + size).min(whole.len());
            chunks.push(whole.slice(at..next));
            at = next;
        }
        chunks
    };
    ChatStream { whole, chunks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allocator_counts_what_is_held() {
        let before = live_bytes();
        let layout = Layout::from_size_align(1 << 20, 8).unwrap();
        // SAFETY: a plain allocation, grown, shrunk and freed with the layouts it has.
        unsafe {
            let ptr = LimitedAllocator.alloc(layout);
            assert!(!ptr.is_null());
            assert_eq!(live_bytes() - before, 1 << 20);
            let ptr = LimitedAllocator.realloc(ptr, layout, 3 << 20);
            assert_eq!(live_bytes() - before, 3 << 20);
            let grown = Layout::from_size_align(3 << 20, 8).unwrap();
            let ptr = LimitedAllocator.realloc(ptr, grown, 1 << 10);
            assert_eq!(live_bytes() - before, 1 << 10);
            LimitedAllocator.dealloc(ptr, Layout::from_size_align(1 << 10, 8).unwrap());
        }
        assert_eq!(live_bytes(), before);
    }

    #[test]
    fn the_header_cuts_and_repeats_the_stream() {
        let plain = chat_stream(b"\0\0\0\0data: x\n\n");
        assert_eq!(&plain.whole[..], b"data: x\n\n");
        assert_eq!(plain.chunks.len(), 1);

        // The middle is `a` (from 6/9 to 7/9 of the body), repeated 2^5 times.
        let repeated = chat_stream(&[
            0, 0xf0, 171, 100, b'd', b'a', b't', b'a', b':', b' ', b'a', b'\n', b'\n',
        ]);
        assert_eq!(repeated.whole.len(), 9 - 1 + 32);

        let cut = chat_stream(b"\x03\0\0\0data: x\r\n\r\n");
        assert!(cut.chunks.len() > 1 && cut.chunks.iter().all(|c| (1..=8).contains(&c.len())));
        assert_eq!(cut.chunks.concat(), cut.whole.to_vec());

        let huge = chat_stream(&[0, 0xff, 0, 255, b'a', b'b']);
        assert_eq!(huge.whole.len(), MAX_STREAM_BYTES);
    }
}
