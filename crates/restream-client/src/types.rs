//! The contract's data shapes as the client reads and sends them. Timestamps are milliseconds since
//! the Unix epoch: far below 2^53, so they cross to TypeScript as plain numbers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::platforms::Platform;

/// A linked platform account (`GET /connections`). Platform tokens are never exposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub platform: Platform,
    /// The display name on the platform.
    pub platform_username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_user_id: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub connected_at: i64,
    pub status: ConnectionStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    Ok,
    /// The platform revoked access: the streamer must reconnect.
    ReauthRequired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    Stopping,
    Stopped,
    Failed,
    Ended,
}

impl JobStatus {
    /// Queued or running: what the seed calls live.
    pub fn is_active(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }

    /// Stopped, failed or ended: nothing more will happen to the job.
    pub fn is_settled(self) -> bool {
        matches!(self, JobStatus::Stopped | JobStatus::Failed | JobStatus::Ended)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum BroadcastStatus {
    Connecting,
    Live,
    Failed,
    Stopped,
}

/// Why a job or a destination failed (`session_not_live`, `no_audio_track`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JobError {
    pub code: String,
    pub message: String,
}

/// One destination of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Broadcast {
    pub platform: Platform,
    pub status: BroadcastStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broadcast_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<JobError>,
}

/// The overlay as a job reports it; unset banners are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Overlay {
    pub enabled: bool,
    pub html_banner: Option<String>,
    pub top_banner: Option<String>,
    pub bottom_banner: Option<String>,
    pub hide_top: bool,
    pub hide_bottom: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Track {
    Audio,
    Video,
}

/// A restream job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    pub status: JobStatus,
    pub destinations: Vec<Platform>,
    pub publisher_session_id: String,
    pub track_names: Vec<Track>,
    pub overlay: Overlay,
    pub recording: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub started_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub ended_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<JobError>,
    /// Set when a newer go-live took over this job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    #[serde(default)]
    pub broadcasts: Vec<Broadcast>,
}

/// Viewer counts (`GET /jobs/{id}/viewers`), polled about every 10 s while live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Viewers {
    pub total: u32,
    pub platforms: BTreeMap<Platform, u32>,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub updated_at: i64,
}

/// One chat message from any destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// Unique per service and stable across replays: the de-duplication key.
    pub id: String,
    pub platform: Platform,
    pub author: String,
    pub author_avatar: Option<String>,
    pub message: String,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub timestamp: i64,
    /// The streamer's own sent message, echoed by each platform that took it.
    #[serde(default)]
    pub own: bool,
}

/// Overlay options at go-live; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OverlayInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html_banner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_banner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bottom_banner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_top: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_bottom: Option<bool>,
}

/// What `go_live` takes. Empty `destinations` means the armed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GoLiveParams {
    pub publisher_session_id: String,
    #[serde(default)]
    pub destinations: Vec<Platform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlay: Option<OverlayInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_names: Option<Vec<Track>>,
}

/// A banner change for `PATCH /jobs/{id}/overlay`: `None` leaves a field as it is,
/// `Some(Change::Remove)` removes a banner or resets a hide flag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverlayUpdate {
    pub top_banner: Option<Change<String>>,
    pub bottom_banner: Option<Change<String>>,
    pub hide_top: Option<Change<bool>>,
    pub hide_bottom: Option<Change<bool>>,
}

/// Set a value, or remove it (`null` on the wire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    Set(T),
    Remove,
}

impl OverlayUpdate {
    /// The PATCH body: absent fields omitted, removals as `null`.
    pub fn to_json(&self) -> serde_json::Value {
        fn put<T: Serialize>(
            map: &mut serde_json::Map<String, serde_json::Value>,
            key: &str,
            change: &Option<Change<T>>,
        ) {
            match change {
                None => {}
                Some(Change::Remove) => {
                    map.insert(key.to_owned(), serde_json::Value::Null);
                }
                Some(Change::Set(v)) => {
                    map.insert(
                        key.to_owned(),
                        serde_json::to_value(v).unwrap_or(serde_json::Value::Null),
                    );
                }
            }
        }
        let mut map = serde_json::Map::new();
        put(&mut map, "topBanner", &self.top_banner);
        put(&mut map, "bottomBanner", &self.bottom_banner);
        put(&mut map, "hideTop", &self.hide_top);
        put(&mut map, "hideBottom", &self.hide_bottom);
        serde_json::Value::Object(map)
    }
}

/// One platform's outcome of `send_chat`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SendResult {
    pub platform: Platform,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SendResults {
    pub results: Vec<SendResult>,
}

#[derive(Deserialize)]
pub(crate) struct ConnectionList {
    pub connections: Vec<Connection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuthorizeAnswer {
    pub authorize_url: String,
    pub expires_in: u32,
}

/// `GET /connections/authorizations/{state}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct AuthorizationStatus {
    pub status: String,
    pub platform: Platform,
    #[serde(default)]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_update_distinguishes_absent_and_null() {
        let update = OverlayUpdate {
            top_banner: Some(Change::Remove),
            hide_bottom: Some(Change::Set(true)),
            ..OverlayUpdate::default()
        };
        assert_eq!(
            update.to_json(),
            serde_json::json!({ "topBanner": null, "hideBottom": true })
        );
    }

    #[test]
    fn a_job_decodes_with_optional_fields_absent() {
        let job: Job = serde_json::from_str(
            r#"{"id":"j","status":"queued","destinations":["twitch"],"publisherSessionId":"s","trackNames":["video"],
            "overlay":{"enabled":true,"htmlBanner":null,"topBanner":null,"bottomBanner":null,"hideTop":false,"hideBottom":false},
            "recording":false,"createdAt":1,"broadcasts":[{"platform":"twitch","status":"connecting"}]}"#,
        )
        .unwrap();
        assert_eq!(job.status, JobStatus::Queued);
        assert_eq!(job.superseded_by, None);
        assert_eq!(job.broadcasts[0].watch_url, None);
    }
}
