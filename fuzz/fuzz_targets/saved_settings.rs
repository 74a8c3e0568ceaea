//! `obs.json` and `overlay.json`, which anyone can edit between runs, read over the defaults and
//! checked as the studio reads them. What is read passes its own check and reads back the same
//! once saved; the overlay's colours that reach its page are hex colours and nothing else.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restream_fuzz::LimitedAllocator;
use restream_settings::{obs_link, overlay};

#[global_allocator]
static ALLOCATOR: LimitedAllocator = LimitedAllocator;

fuzz_target!(|data: &[u8]| {
    // The studio refuses a file that is not UTF-8 before parsing it; replacing the bad bytes
    // instead lets the fuzzer's every mutation reach the parser.
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    if let Ok(read) = obs_link::parse(text) {
        assert!(read.check().is_ok());
        let saved = serde_json::to_string_pretty(&read).expect("plain JSON");
        assert_eq!(obs_link::parse(&saved).expect("reads back"), read, "{saved}");
    }
    if let Ok(read) = overlay::parse(text) {
        assert!(read.check().is_ok());
        for colour in [&read.text_color, &read.row_color] {
            assert!(
                colour.starts_with('#') && colour[1..].chars().all(|c| c.is_ascii_hexdigit()),
                "{colour} would reach the page's styles"
            );
        }
        assert!(read.hold_seconds <= overlay::MAX_HOLD_SECONDS);
        let saved = serde_json::to_string_pretty(&read).expect("plain JSON");
        assert_eq!(overlay::parse(&saved).expect("reads back"), read, "{saved}");
    }
});
