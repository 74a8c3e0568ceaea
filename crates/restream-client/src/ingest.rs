//! v1.1 ingest and live sessions, as the service describes them: where the streamer's encoder
//! sends media (the stream key is a secret: never in a log line or a `Debug`), and the publisher
//! sessions that carry media now.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::types::Track;

/// What the service offers for the streamer's encoder.
#[derive(Debug, Clone)]
pub enum IngestOffer {
    /// The operator runs no ingest (404 `ingest_not_offered`), or the service speaks v1 only.
    NotOffered,
    /// Where to send media.
    Offered(Ingest),
}

/// The ingest's addresses and secrets; a kind the operator does not run is `None`.
#[derive(Debug, Clone, Deserialize)]
pub struct Ingest {
    /// RTMP, as OBS's "Custom" service takes it.
    pub rtmp: Option<RtmpIngest>,
    /// WHIP (WebRTC-HTTP ingestion).
    pub whip: Option<WhipIngest>,
}

/// An RTMP server and the streamer's key on it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RtmpIngest {
    /// `rtmp://` or `rtmps://`: OBS's "Server".
    pub url: String,
    /// OBS's "Stream Key": a secret.
    pub stream_key: SecretString,
}

/// A WHIP endpoint and the streamer's bearer token for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WhipIngest {
    /// The endpoint.
    pub url: String,
    /// A secret.
    pub bearer_token: SecretString,
}

/// Where a publisher session's media comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SessionSource {
    /// The operator's RTMP ingest.
    Rtmp,
    /// The operator's WHIP ingest.
    Whip,
    /// Another way the operator learned of it.
    External,
}

/// A publisher session that carries media now (`GET /sessions/live`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LiveSession {
    /// What going live on it takes.
    pub publisher_session_id: String,
    /// Where its media comes from.
    pub source: SessionSource,
    /// When it started, in the service's milliseconds since the Unix epoch.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub started_at: i64,
    /// The tracks it carries.
    pub tracks: Vec<Track>,
}

/// Whether a session started or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    /// It carries media now.
    Live,
    /// It ended (its reconnect window passed, or the operator ended it).
    Ended,
}

/// An SSE `event: session`: one of the streamer's publisher sessions started or ended. Not
/// replayed: a client reads `GET /sessions/live` after every (re)connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionEvent {
    /// The session.
    pub publisher_session_id: String,
    /// Started or ended.
    pub status: SessionStatus,
    /// Where its media comes from.
    pub source: SessionSource,
    /// When it started.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub started_at: i64,
    /// When it ended, once it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub ended_at: Option<i64>,
    /// The tracks it carries.
    pub tracks: Vec<Track>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct LiveSessionList {
    pub(crate) sessions: Vec<LiveSession>,
}
