//! Cuts a chat stream's bytes into whole events within the size caps, before any decoding.

use bytes::Bytes;

/// Longest line accepted on a chat stream.
#[cfg(not(fuzzing))]
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// Largest event (all its lines) accepted on a chat stream.
#[cfg(not(fuzzing))]
pub const MAX_EVENT_BYTES: usize = 256 * 1024;

// The fuzz targets' builds (`cfg(fuzzing)`, set by cargo-fuzz) cap lines and events at a 128th
// of the real sizes, in the same ratio and above the 260 bytes kept to read a field, so that
// inputs of a few KiB cross them: at the real sizes every input that reaches a cap takes
// milliseconds, and the fuzzer runs thirty times slower.
/// Longest line accepted on a chat stream.
#[cfg(fuzzing)]
pub const MAX_LINE_BYTES: usize = 512;
/// Largest event (all its lines) accepted on a chat stream.
#[cfg(fuzzing)]
pub const MAX_EVENT_BYTES: usize = 2 * 1024;

/// Cuts a chat stream's bytes into whole events (CR, LF and CRLF all end a line). An event with a
/// line over [`MAX_LINE_BYTES`] or over [`MAX_EVENT_BYTES`] in all is skipped: its bytes are dropped
/// as they arrive, never buffered whole, and what was read of it before the excess (its `id:`) is
/// kept, so one oversized message cannot stop a stream that would replay it on every reconnect.
/// It also reads `retry:` lines, because the decoder drops an event that carries nothing else.
#[derive(Debug, Default)]
pub struct EventFramer {
    /// The current event's bytes from earlier chunks (never more than the caps allow).
    pending: Vec<u8>,
    line: usize,
    event: usize,
    /// The previous byte ended a line (a CR just now means a following LF is not a new line).
    after_cr: bool,
    at_line_start: bool,
    /// The start of the current line, while it may still be a field this reads itself.
    field: Vec<u8>,
    /// The current event's `id:`.
    id: Option<String>,
    /// The current event is over a cap and is being dropped.
    skipping: bool,
}

/// A piece of a chat stream, in stream order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framed {
    /// One whole event, its blank line included, for the decoder.
    Event(Bytes),
    /// An event over a cap, dropped; its `id:` when that came before the excess.
    Skipped {
        /// The event's id, if it was read.
        id: Option<String>,
        /// How many bytes of it were dropped (line ends not counted).
        bytes: usize,
    },
    /// A `retry:` field: the server's reconnect delay, in milliseconds.
    Retry(u64),
}

const RETRY_FIELD: &[u8] = b"retry:";
const ID_FIELD: &[u8] = b"id:";
/// Ids longer than this are not kept (the service's are a few dozen bytes).
const MAX_ID_BYTES: usize = 256;
/// How much of a line's start is kept to read `retry:` and `id:` fields.
const FIELD_BYTES: usize = ID_FIELD.len() + 1 + MAX_ID_BYTES;

impl EventFramer {
    /// Takes the next chunk and appends to `out` what it completes, in order.
    pub fn feed(&mut self, chunk: &Bytes, out: &mut Vec<Framed>) {
        // Where the current event's bytes begin in this chunk.
        let mut event_start = 0;
        let mut at = 0;
        while at < chunk.len() {
            // Everything up to the next CR or LF belongs to the current line.
            let next = memchr::memchr2(b'\r', b'\n', &chunk[at..]).map_or(chunk.len(), |i| at + i);
            let run = &chunk[at..next];
            if !run.is_empty() {
                self.after_cr = false;
                self.at_line_start = false;
                let room = FIELD_BYTES.saturating_sub(self.field.len());
                self.field.extend_from_slice(&run[..run.len().min(room)]);
                self.line += run.len();
                self.event += run.len();
                if !self.skipping && (self.line > MAX_LINE_BYTES || self.event > MAX_EVENT_BYTES) {
                    self.skipping = true;
                    self.pending = Vec::new();
                }
            }
            if next == chunk.len() {
                break;
            }
            let b = chunk[next];
            if b == b'\n' && self.after_cr {
                self.after_cr = false;
            } else {
                self.end_field(out);
                if self.at_line_start {
                    // An empty line ends the event.
                    out.extend(self.end_event(chunk, event_start, next + 1));
                    event_start = next + 1;
                }
                self.line = 0;
                self.at_line_start = true;
                self.after_cr = b == b'\r';
            }
            at = next + 1;
        }
        if !self.skipping {
            self.pending.extend_from_slice(&chunk[event_start..]);
        }
    }

    /// How many bytes of an unfinished event it holds: at most [`MAX_EVENT_BYTES`] and the line ends
    /// between them, and none while it drops an oversized event. Read by the fuzz targets, which
    /// check that no stream makes it hold more.
    pub fn buffered(&self) -> usize {
        self.pending.len()
    }

    /// The event that ends at `chunk[..end]`, if it has anything in it, and a fresh start for the
    /// next.
    fn end_event(&mut self, chunk: &Bytes, start: usize, end: usize) -> Option<Framed> {
        let id = self.id.take();
        let bytes = std::mem::take(&mut self.event);
        if std::mem::take(&mut self.skipping) {
            return Some(Framed::Skipped { id, bytes });
        }
        if bytes == 0 {
            // Line ends alone say nothing to the decoder. Handing each on would make a chunk of
            // bare CRs (each one an event) cost about 100 bytes of heap per byte read, as the
            // fuzz targets' allocation limit showed; dropped here, it costs nothing.
            self.pending.clear();
            return None;
        }
        let mut whole = if self.pending.is_empty() {
            chunk.slice(start..end)
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(&chunk[start..end]);
            Bytes::from(joined)
        };
        // A CR may end the event with its LF still to come: the decoder is given the LF now, so it
        // need not wait for a byte that belongs to the next event.
        if whole.last() == Some(&b'\r') {
            let mut owned = whole.to_vec();
            owned.push(b'\n');
            whole = Bytes::from(owned);
        }
        Some(Framed::Event(whole))
    }

    fn end_field(&mut self, out: &mut Vec<Framed>) {
        // A line longer than what is kept was not a field this reads.
        if self.line <= self.field.len() {
            if let Some(value) = self.field.strip_prefix(RETRY_FIELD) {
                let value = value.strip_prefix(b" ").unwrap_or(value);
                if let Some(ms) = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    out.push(Framed::Retry(ms));
                }
            } else if let Some(value) = self.field.strip_prefix(ID_FIELD) {
                let value = value.strip_prefix(b" ").unwrap_or(value);
                // As the SSE rules say, an id with a NUL in it is no id. The line fits what is kept
                // with one byte to spare for the space, so without the space the id itself can be
                // one byte too long: it is not kept either.
                self.id = std::str::from_utf8(value)
                    .ok()
                    .filter(|v| v.len() <= MAX_ID_BYTES && !v.contains('\0'))
                    .map(str::to_owned);
            }
        }
        self.field.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skipped_event_is_never_held_whole() {
        let mut framer = EventFramer::default();
        let mut out = Vec::new();
        framer.feed(&Bytes::from_static(b"id: huge\ndata: "), &mut out);
        let piece = Bytes::from(vec![b'a'; 1024]);
        for _ in 0..1024 {
            framer.feed(&piece, &mut out);
            assert!(
                framer.pending.len() <= MAX_LINE_BYTES + 1024,
                "{}",
                framer.pending.len()
            );
        }
        framer.feed(&Bytes::from_static(b"\n\n"), &mut out);
        assert_eq!(
            out,
            [Framed::Skipped {
                id: Some("huge".into()),
                bytes: 8 + 6 + 1024 * 1024
            }]
        );
        assert_eq!(framer.pending.capacity(), 0, "the dropped bytes are let go");
    }

    #[test]
    fn what_it_holds_is_the_unfinished_event_alone() {
        let mut framer = EventFramer::default();
        let mut out = Vec::new();
        framer.feed(
            &Bytes::from_static(b"id: 1\n\nevent: comment\r\ndata: {"),
            &mut out,
        );
        assert_eq!(framer.buffered(), "event: comment\r\ndata: {".len());
        framer.feed(&Bytes::from(vec![b'x'; MAX_LINE_BYTES]), &mut out);
        assert_eq!(framer.buffered(), 0, "an oversized event is dropped as it comes");
        framer.feed(&Bytes::from_static(b"}\n\n"), &mut out);
        assert_eq!(framer.buffered(), 0);
        assert_eq!(out.len(), 2);
    }

    /// Found by the `chat_framer` fuzz target's allocation limit: a chunk of bare line ends was
    /// handed on as one event per CR, each copied to add its LF.
    #[test]
    fn line_ends_alone_are_no_event() {
        let mut framer = EventFramer::default();
        let mut out = Vec::new();
        framer.feed(&Bytes::from_static(b"\r\n\r\r\r\n\n\r"), &mut out);
        framer.feed(&Bytes::from(vec![b'\r'; 4096]), &mut out);
        framer.feed(&Bytes::from_static(b"data: x\r\r\n\n"), &mut out);
        assert_eq!(out, [Framed::Event(Bytes::from_static(b"data: x\r\r\n"))]);
        assert_eq!(framer.buffered(), 0);
    }

    /// Found by the `chat_framer` fuzz target: `id:` with no space kept an id of 257 bytes.
    #[test]
    fn ids_longer_than_kept_are_not_kept() {
        let skipped = |id_line: &[u8]| {
            let mut framer = EventFramer::default();
            let mut out = Vec::new();
            framer.feed(&Bytes::from([id_line, b"\ndata: "].concat()), &mut out);
            framer.feed(&Bytes::from(vec![b'x'; MAX_LINE_BYTES + 1]), &mut out);
            framer.feed(&Bytes::from_static(b"\n\n"), &mut out);
            match &out[..] {
                [Framed::Skipped { id, .. }] => id.clone(),
                other => panic!("{other:?}"),
            }
        };
        let longest = "i".repeat(MAX_ID_BYTES);
        assert_eq!(skipped(format!("id:{longest}").as_bytes()), Some(longest.clone()));
        assert_eq!(
            skipped(format!("id: {longest}").as_bytes()),
            Some(longest.clone())
        );
        assert_eq!(skipped(format!("id:{longest}i").as_bytes()), None);
        assert_eq!(skipped(format!("id: {longest}i").as_bytes()), None);
    }

    #[test]
    fn an_event_at_the_cap_passes_and_one_byte_more_is_skipped() {
        // Lines at the line cap, as many as make the event cap exactly (line ends not counted).
        let lines = MAX_EVENT_BYTES / MAX_LINE_BYTES;
        let line = format!("data:{}", "y".repeat(MAX_LINE_BYTES - 5));
        let at_cap = vec![line.as_str(); lines].join("\n");
        let mut framer = EventFramer::default();
        let mut out = Vec::new();
        framer.feed(&Bytes::from(format!("{at_cap}\n\n")), &mut out);
        framer.feed(&Bytes::from(format!("{at_cap}\nx\n\n")), &mut out);
        match &out[..] {
            [Framed::Event(whole), skipped] => {
                assert_eq!(whole.len(), MAX_EVENT_BYTES + lines + 1);
                assert_eq!(
                    *skipped,
                    Framed::Skipped {
                        id: None,
                        bytes: MAX_EVENT_BYTES + 1
                    }
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lines_at_the_cap_pass_whatever_ends_them() {
        let mut framer = EventFramer::default();
        let mut out = Vec::new();
        let line = "z".repeat(MAX_LINE_BYTES);
        for ending in ["\n", "\r", "\r\n"] {
            framer.feed(&Bytes::from(format!("{line}{ending}")), &mut out);
            framer.feed(&Bytes::from_static(b"\n"), &mut out);
        }
        // CRLF split across chunks is one line end.
        framer.feed(&Bytes::from(format!("{line}\r")), &mut out);
        framer.feed(&Bytes::from(format!("\n{line}\n\n")), &mut out);
        // "\r" then "\n" is one line end, so the second line joins the third's event.
        assert_eq!(out.len(), 3);
        assert!(
            out.iter().all(|piece| matches!(piece, Framed::Event(_))),
            "{out:?}"
        );
    }
}
