//! Past-tense facts Rust tells the UI. Wire names are pinned so that renaming a type never
//! renames an event.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::service::ServiceStatus;

/// The service the studio talks to changed state (demo service starting, up, or down).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "service-status-changed")]
pub struct ServiceStatusChanged(pub ServiceStatus);

/// A deep link reached the app. Only its scheme, host and path cross: the query may carry
/// authorization codes, and nothing in a link is trusted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "deep-link-received")]
#[serde(rename_all = "camelCase")]
pub struct DeepLinkReceived {
    /// Counts links from 1 in this run, so a UI merging a snapshot with events can de-duplicate.
    pub sequence: u32,
    /// `scheme://host/path`, without query or fragment.
    pub link: String,
    /// Names of the query parameters it carried (values withheld).
    pub parameters: Vec<String>,
    /// Milliseconds since the Unix epoch, as a decimal string (timestamps cross as strings).
    pub received_at: String,
}
