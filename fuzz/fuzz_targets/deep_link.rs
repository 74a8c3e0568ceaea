//! Deep links as the OS hands them to the studio: any text, from any app that can open a URL.
//! Each goes through what the app does with it: the summary it logs and shows, then the connect
//! callback's parser and the `golive` session id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restream_client::{MAX_LINK_BYTES, golive_session_id, parse_connect_link, summarize_deep_link};
use restream_fuzz::LimitedAllocator;

#[global_allocator]
static ALLOCATOR: LimitedAllocator = LimitedAllocator;

const SCHEME: &str = "dev.restreamstudio";
const CONNECT_REDIRECT: &str = "dev.restreamstudio://connect/callback";

fuzz_target!(|data: &[u8]| {
    // The OS hands over text; bytes that are not UTF-8 arrive replaced, as here.
    let raw = String::from_utf8_lossy(data);
    let raw = raw.as_ref();

    if let Ok(summary) = summarize_deep_link(raw, SCHEME) {
        assert!(raw.len() <= MAX_LINK_BYTES, "a link over the limit was read");
        assert!(
            summary.link.starts_with("dev.restreamstudio://"),
            "{:?}",
            summary.link
        );
        // What is shown and logged carries no query and no fragment: their values may be codes.
        assert!(
            !summary.link.contains('?') && !summary.link.contains('#'),
            "{:?}",
            summary.link
        );
        for (i, name) in summary.parameters.iter().enumerate() {
            assert!(!summary.parameters[..i].contains(name), "{name:?} listed twice");
        }
    }

    if let Ok(link) = parse_connect_link(raw, CONNECT_REDIRECT) {
        assert!(raw.len() <= MAX_LINK_BYTES, "a link over the limit was read");
        let url = url::Url::parse(raw).expect("an accepted link is a URL");
        assert_eq!(url.scheme(), SCHEME);
        assert_eq!(url.host_str(), Some("connect"));
        assert_eq!(url.path(), "/callback");
        let states = url.query_pairs().filter(|(k, _)| k == "state").count();
        assert_eq!(states, 1, "a link with {states} states was accepted");
        let platform = url
            .query_pairs()
            .find(|(k, _)| k == "platform")
            .map(|(_, v)| v.into_owned());
        assert_eq!(platform.as_deref(), Some(link.platform.as_str()));
    }

    // The app reads the session id from any link of its scheme that parses.
    if let Ok(url) = url::Url::parse(raw)
        && let Some(id) = golive_session_id(&url)
    {
        assert!((1..=256).contains(&id.len()), "{id:?}");
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-_~:".contains(&b)),
            "{id:?}"
        );
        let ids = url.query_pairs().filter(|(k, _)| k == "sessionId").count();
        assert_eq!(ids, 1, "an id taken from a link with {ids} of them");
    }
});
