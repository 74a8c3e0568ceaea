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
