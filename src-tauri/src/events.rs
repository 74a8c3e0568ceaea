//! Past-tense facts Rust tells the UI, and the plain data they carry. Wire names are pinned so
//! that renaming a type never renames an event. The bottom layer: it names no owner of state.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ServiceMode {
    /// The bundled sandbox, started by the app on this computer.
    Demo,
    /// An operator's Restream Service.
    Configured,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum ServiceStatus {
    Starting {
        mode: ServiceMode,
    },
    #[serde(rename_all = "camelCase")]
    Up {
        mode: ServiceMode,
        api_base: String,
        /// A risk of this setup the streamer should keep seeing (a publishable key off this
        /// computer).
        warning: Option<String>,
    },
    Down {
        mode: ServiceMode,
        cause: String,
        fix: String,
    },
}

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

/// The streamer's linked accounts changed.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "connections-changed")]
pub struct ConnectionsChanged(pub Vec<restream_client::Connection>);

/// The current job changed (or there is none).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "job-changed")]
pub struct JobChanged(pub Option<restream_client::Job>);

/// New viewer counts.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "viewers-changed")]
pub struct ViewersChanged(pub Option<restream_client::Viewers>);

/// New chat comments, de-duplicated, in order; `backfill` marks a replay after a reconnect. Not an
/// event: the window pulls batches (`chat_inbox`).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct CommentsReceived {
    pub comments: Vec<restream_client::Comment>,
    pub backfill: bool,
    /// Messages too large to show that were skipped after these comments.
    pub skipped: u32,
    /// v1.1: a comment deleted, or an author timed out, banned or unbanned, after these comments
    /// in the stream's order (so it never overtakes the comment it removes).
    pub moderation: Option<restream_client::ModerationEvent>,
}

/// A failure the streamer should see, with its cause and fix, filed under its concern (it replaces
/// that concern's earlier error).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "studio-error")]
pub struct StudioErrorRaised(pub crate::support::app_error::AppError);

/// A concern that had an error succeeded: its error is no longer true, so the window drops it.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "studio-error-cleared")]
pub struct StudioErrorCleared(pub restream_client::Concern);

/// The chat stream's state changed.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "chat-status-changed")]
pub struct ChatStatusChanged(pub restream_client::ChatStatus);

/// Signed in, or a sign-in is required.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "auth-changed")]
pub struct AuthChanged(pub restream_client::AuthStatus);

/// A newer go-live took over job `job_id`.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "job-superseded")]
#[serde(rename_all = "camelCase")]
pub struct JobSuperseded {
    pub job_id: String,
    pub by: String,
}

/// The pages opened in the system browser that the studio waits on changed (one opened,
/// answered, cancelled, or waiting long enough that the window says what may be wrong).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "browser-waits-changed")]
pub struct BrowserWaitsChanged(pub Vec<restream_client::BrowserWait>);

/// The streamer closed the window while live: the UI asks whether to keep streaming, stop, or
/// cancel (and answers with `resolve_close`).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "close-requested-while-live")]
pub struct CloseRequestedWhileLive;

/// A `golive` deep link (from the operator's integration) filled in the session id. It never
/// starts a stream: the streamer still presses Go live.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "go-live-prefilled")]
#[serde(rename_all = "camelCase")]
pub struct GoLivePrefilled {
    pub session_id: String,
}

/// What the window shows of OBS changed (the link, its stream and health, the rule that ends the
/// job, an automatic action).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "obs-changed")]
pub struct ObsChanged(pub crate::obs::view::ObsView);

/// The chat overlay's settings or state changed (never with its address: that holds a secret).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "overlay-changed")]
pub struct OverlayChanged(pub crate::overlay::view::OverlayView);

/// What a global shortcut or the tray asks the window to do, as its own shortcut would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum StudioAction {
    /// Go live with the destinations armed and the form as filled in.
    GoLive,
    /// Stop, after the streamer confirms.
    Stop,
}

/// Rust asks the window to act (a global shortcut or the tray's menu).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[tauri_specta(event_name = "studio-action-requested")]
pub struct StudioActionRequested(pub StudioAction);
