//! `settings.json`: the service settings saved from the Settings panel, which anyone can edit
//! between runs. Parsed as the studio reads it, then judged as the studio judges it, both as
//! saved settings and as the same names set in the environment.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restream_fuzz::LimitedAllocator;
use restream_settings::service_config::{ENV_API_BASE, ServiceChoice, SettingsSource, choose, warning_for};
use restream_settings::settings_file;

#[global_allocator]
static ALLOCATOR: LimitedAllocator = LimitedAllocator;

fuzz_target!(|data: &[u8]| {
    // The studio refuses a file that is not UTF-8 before parsing it; replacing the bad bytes
    // instead lets the fuzzer's every mutation reach the parser.
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let Ok(draft) = settings_file::parse(text) else {
        return;
    };

    let saved = serde_json::to_string_pretty(&draft).expect("settings are plain JSON");
    let again = settings_file::parse(&saved).expect("saved settings read back");
    assert_eq!(again, draft, "{saved}");

    let vars = draft.vars();
    for source in [SettingsSource::Settings, SettingsSource::Environment] {
        match choose(source, |name| vars.get(name).cloned()) {
            ServiceChoice::Demo => {
                assert!(!vars.contains_key(ENV_API_BASE), "an API base was ignored")
            }
            ServiceChoice::Configured(config) => {
                assert!(vars.contains_key(ENV_API_BASE), "configured without an API base");
                let _ = warning_for(&config);
            }
            ServiceChoice::Invalid { cause, fix } => {
                assert!(
                    !cause.is_empty() && !fix.is_empty(),
                    "a refusal that says nothing"
                )
            }
        }
    }
});
