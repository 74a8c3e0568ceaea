//! What the window shows of the chat overlay: plain data, never its address (that holds a
//! secret; the window asks for it when the streamer copies it).

use restream_settings::overlay::OverlaySettings;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::support::app_error::AppError;

/// What the window shows of the overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OverlayView {
    pub settings: OverlaySettings,
    /// The port the page is served on now; `None` while off, starting, or refused.
    pub serving_on: Option<u16>,
    /// Why the page is not served (a port in use, say), with what to do.
    pub problem: Option<AppError>,
    /// The keychain could not keep the address's secret: the address changes at the next start.
    pub address_for_this_session_only: bool,
}

/// Whether `url` is the overlay's page as served on `serving_on` (the window's preview may load
/// it; nothing else off the app). The secret is not checked here: a wrong one gets 404.
pub fn is_overlay_page(url: &url::Url, serving_on: Option<u16>) -> bool {
    url.scheme() == "http"
        && url.host_str() == Some("127.0.0.1")
        && serving_on.is_some_and(|port| url.port() == Some(port))
        && url.path().starts_with("/overlay/")
        && url.username().is_empty()
        && url.password().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_page_served_now_is_the_overlay() {
        let page = |u: &str| url::Url::parse(u).unwrap();
        let served = Some(47_651);
        assert!(is_overlay_page(
            &page("http://127.0.0.1:47651/overlay/s/chat?preview"),
            served
        ));
        for other in [
            "http://127.0.0.1:47652/overlay/s/chat",
            "https://127.0.0.1:47651/overlay/s/chat",
            "http://localhost:47651/overlay/s/chat",
            "http://127.0.0.1:47651/",
            "http://127.0.0.1:47651/other",
            "http://u:p@127.0.0.1:47651/overlay/s/chat",
            "http://evil.example:47651/overlay/s/chat",
        ] {
            assert!(!is_overlay_page(&page(other), served), "{other}");
        }
        assert!(
            !is_overlay_page(&page("http://127.0.0.1:47651/overlay/s/chat"), None),
            "not served"
        );
    }
}
