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
    /// The linked platform.
    pub platform: Platform,
    /// The display name on the platform.
    pub platform_username: String,
    /// The account's id on the platform, when the service knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_user_id: Option<String>,
    /// When the account was linked.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub connected_at: i64,
    /// Whether the link still works.
    pub status: ConnectionStatus,
}

/// Whether a linked account can still be streamed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    /// The link works.
    Ok,
    /// The platform revoked access: the streamer must reconnect.
    ReauthRequired,
}

/// Where a job is in its life: `queued → running → stopping → stopped`, or `failed`, or `ended`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Accepted; destinations are being set up.
    Queued,
    /// Restreaming to its destinations.
    Running,
    /// A stop was asked for and is being carried out.
    Stopping,
    /// Stopped on request or because a newer job superseded it.
    Stopped,
    /// Could not start or broke down; `error` says why.
    Failed,
    /// The publisher session ended.
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

/// One destination's state within a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum BroadcastStatus {
    /// Setting up the stream to the platform.
    Connecting,
    /// Live on the platform.
    Live,
    /// This destination failed, or its job did; `error` says why when known.
    Failed,
    /// Stopped along with its job.
    Stopped,
}

/// Why a job or a destination failed (`session_not_live`, `no_audio_track`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JobError {
    /// `session_not_live`, `no_audio_track`, `destination_failed`, `platform_rejected` or `internal`.
    pub code: String,
    /// Human-readable detail.
    pub message: String,
}

/// One destination of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Broadcast {
    /// The destination platform.
    pub platform: Platform,
    /// The destination's state.
    pub status: BroadcastStatus,
    /// Where viewers watch; set before the job reports `running`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch_url: Option<String>,
    /// The service's id for this broadcast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broadcast_id: Option<String>,
    /// Why the destination failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<JobError>,
}

/// The overlay as a job reports it; unset banners are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Overlay {
    /// Whether the overlay is shown at all.
    pub enabled: bool,
    /// URL of the HTML banner; set at go-live only.
    pub html_banner: Option<String>,
    /// URL of the top banner.
    pub top_banner: Option<String>,
    /// URL of the bottom banner.
    pub bottom_banner: Option<String>,
    /// Whether the top banner is hidden.
    pub hide_top: bool,
    /// Whether the bottom banner is hidden.
    pub hide_bottom: bool,
}

/// A track of the publisher session that a job restreams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Track {
    /// `audio`
    Audio,
    /// `video`
    Video,
}

/// A restream job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// The job's id.
    pub id: String,
    /// Where the job is in its life.
    pub status: JobStatus,
    /// The platforms it restreams to.
    pub destinations: Vec<Platform>,
    /// The publisher session whose media is restreamed.
    pub publisher_session_id: String,
    /// The tracks of that session that are restreamed.
    pub track_names: Vec<Track>,
    /// The overlay as it stands.
    pub overlay: Overlay,
    /// Whether the stream is recorded.
    pub recording: bool,
    /// The stream title given at go-live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When the job was created.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub created_at: i64,
    /// When the job reached `running`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub started_at: Option<i64>,
    /// When the job stopped, failed or ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub ended_at: Option<i64>,
    /// Why the job failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<JobError>,
    /// Set when a newer go-live took over this job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    /// Each destination's state.
    #[serde(default)]
    pub broadcasts: Vec<Broadcast>,
}

/// Viewer counts (`GET /jobs/{id}/viewers`), polled about every 10 s while live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Viewers {
    /// Viewers across all destinations.
    pub total: u32,
    /// Viewers per destination platform.
    pub platforms: BTreeMap<Platform, u32>,
    /// When the service last counted.
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
    /// The platform it was said on.
    pub platform: Platform,
    /// The author's name on that platform.
    pub author: String,
    /// v1.1: the author's platform user id, stable across comments; `None` from a v1 service.
    #[serde(default)]
    pub author_id: Option<String>,
    /// URL of the author's avatar; `None` when there is none.
    pub author_avatar: Option<String>,
    /// The message text.
    pub message: String,
    /// When it was said.
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
    /// Shows or hides the whole overlay; the service defaults to shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// URL of an HTML banner (`https`); can only be set here, at go-live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html_banner: Option<String>,
    /// URL of the top banner (`https`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_banner: Option<String>,
    /// URL of the bottom banner (`https`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bottom_banner: Option<String>,
    /// Hides the top banner; the service defaults to false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_top: Option<bool>,
    /// Hides the bottom banner; the service defaults to false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hide_bottom: Option<bool>,
}

/// What `go_live` takes. Empty `destinations` means the armed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GoLiveParams {
    /// The live publisher session to restream; surrounding whitespace is trimmed.
    pub publisher_session_id: String,
    /// Platforms to restream to; each must be enabled and connected.
    #[serde(default)]
    pub destinations: Vec<Platform>,
    /// The stream title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Overlay options; none means the service's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlay: Option<OverlayInput>,
    /// Whether to record; the service defaults to false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<bool>,
    /// Tracks to restream; the service defaults to audio and video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_names: Option<Vec<Track>>,
}

/// A banner change for `PATCH /jobs/{id}/overlay`: `None` leaves a field as it is,
/// `Some(Change::Remove)` removes a banner or resets a hide flag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverlayUpdate {
    /// Sets or removes the top banner URL.
    pub top_banner: Option<Change<String>>,
    /// Sets or removes the bottom banner URL.
    pub bottom_banner: Option<Change<String>>,
    /// Sets the top banner's hide flag, or resets it to false.
    pub hide_top: Option<Change<bool>>,
    /// Sets the bottom banner's hide flag, or resets it to false.
    pub hide_bottom: Option<Change<bool>>,
}

/// Set a value, or remove it (`null` on the wire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    /// The new value.
    Set(T),
    /// Clear it: `null` on the wire.
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
    /// The platform this result is for.
    pub platform: Platform,
    /// Whether the platform took the message.
    pub ok: bool,
    /// Why not, when `ok` is false (e.g. `not_a_destination`).
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
