//! `preferences.json`, which anyone can edit between runs, read over the defaults as the studio
//! reads it; and the locale names the studio takes its language from, which it does not control
//! either. What is read must read back the same once saved.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restream_fuzz::LimitedAllocator;
use restream_settings::preferences::{self, Language, system_language};

#[global_allocator]
static ALLOCATOR: LimitedAllocator = LimitedAllocator;

fuzz_target!(|data: &[u8]| {
    // The studio refuses a file that is not UTF-8 before parsing it; replacing the bad bytes
    // instead lets the fuzzer's every mutation reach the parser.
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    if let Ok(read) = preferences::parse(text) {
        let saved = serde_json::to_string_pretty(&read).expect("preferences are plain JSON");
        let again = preferences::parse(&saved).expect("saved preferences read back");
        assert_eq!(again, read, "{saved}");
    }

    let _ = Language::of_locale(text);
    let _ = system_language(|name| (name == "LANGUAGE" || name == "LANG").then(|| text.to_owned()));
});
