//! What OBS says about its stream: the output's state from `StreamStateChanged`, its numbers from
//! `GetStreamStatus`, and where it streams to (`GetStreamServiceSettings`, whose key is a secret).

use secrecy::SecretString;

use crate::error::LinkError;
use serde::Deserialize;

/// The stream output's state, from `StreamStateChanged`'s `outputState`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputState {
    /// Asked to start; not connected yet.
    Starting,
    /// Connected and sending.
    Started,
    /// Asked to stop.
    Stopping,
    /// Stopped.
    Stopped,
    /// The connection to the server dropped; OBS is trying again.
    Reconnecting,
    /// Back after a drop.
    Reconnected,
    /// A state this client does not know (a newer obs-websocket).
    Other(String),
}

impl OutputState {
    /// Reads obs-websocket's `OBS_WEBSOCKET_OUTPUT_*` name.
    pub fn parse(name: &str) -> OutputState {
        match name.strip_prefix("OBS_WEBSOCKET_OUTPUT_").unwrap_or(name) {
            "STARTING" => OutputState::Starting,
            "STARTED" => OutputState::Started,
            "STOPPING" => OutputState::Stopping,
            "STOPPED" => OutputState::Stopped,
            "RECONNECTING" => OutputState::Reconnecting,
            "RECONNECTED" => OutputState::Reconnected,
            _ => OutputState::Other(name.to_owned()),
        }
    }
}

/// What OBS tells a linked studio by itself.
#[derive(Debug, Clone, PartialEq)]
pub enum ObsEvent {
    /// `StreamStateChanged`.
    StreamState {
        /// Whether the stream output runs.
        active: bool,
        /// Its state.
        state: OutputState,
    },
    /// The link ended; the last event.
    Closed(LinkError),
}

/// `GetStreamStatus`'s answer. Every number may be missing or `null`: obs-websocket before 5.4
/// sends `outputCongestion: null` after a failed connect.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamStatus {
    /// Whether the stream output runs.
    #[serde(default)]
    pub output_active: Option<bool>,
    /// Whether OBS is reconnecting to the server.
    #[serde(default)]
    pub output_reconnecting: Option<bool>,
    /// Bytes sent so far.
    #[serde(default)]
    pub output_bytes: Option<u64>,
    /// Frames skipped (dropped) so far.
    #[serde(default)]
    pub output_skipped_frames: Option<u64>,
    /// Frames sent so far.
    #[serde(default)]
    pub output_total_frames: Option<u64>,
    /// 0 to 1: how congested the connection is.
    #[serde(default)]
    pub output_congestion: Option<f64>,
    /// How long it has streamed, in milliseconds.
    #[serde(default)]
    pub output_duration: Option<u64>,
}

/// Where OBS streams to now.
#[derive(Debug, Clone)]
pub struct StreamService {
    /// OBS's service type: `rtmp_custom` for a server and key of one's own, `rtmp_common` for a
    /// service from OBS's list.
    pub kind: String,
    /// The server, where OBS has one.
    pub server: Option<String>,
    /// The stream key, where OBS has one: a secret.
    pub key: Option<SecretString>,
}

/// A custom RTMP server and key, as OBS's "Custom" service takes them.
#[derive(Debug, Clone)]
pub struct RtmpService {
    /// `rtmp://` or `rtmps://`.
    pub server: String,
    /// The stream key: a secret.
    pub key: SecretString,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServiceAnswer {
    pub(crate) stream_service_type: String,
    #[serde(default)]
    pub(crate) stream_service_settings: Option<ServiceSettings>,
}

#[derive(Deserialize)]
pub(crate) struct ServiceSettings {
    #[serde(default)]
    pub(crate) server: Option<String>,
    #[serde(default)]
    pub(crate) key: Option<SecretString>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_from_obs_websocket_5_1_after_a_failed_connect_decodes() {
        let status: StreamStatus = serde_json::from_value(serde_json::json!({
            "outputActive": false, "outputReconnecting": false, "outputTimecode": "00:00:00.000",
            "outputDuration": 0, "outputCongestion": null, "outputBytes": 0,
            "outputSkippedFrames": 0, "outputTotalFrames": 0
        }))
        .unwrap();
        assert_eq!(status.output_congestion, None);
        assert_eq!(status.output_active, Some(false));
    }

    #[test]
    fn output_states_read_with_or_without_their_prefix() {
        assert_eq!(
            OutputState::parse("OBS_WEBSOCKET_OUTPUT_STARTED"),
            OutputState::Started
        );
        assert_eq!(
            OutputState::parse("OBS_WEBSOCKET_OUTPUT_RECONNECTING"),
            OutputState::Reconnecting
        );
        assert_eq!(
            OutputState::parse("OBS_WEBSOCKET_OUTPUT_PAUSED"),
            OutputState::Other("OBS_WEBSOCKET_OUTPUT_PAUSED".into())
        );
    }
}
