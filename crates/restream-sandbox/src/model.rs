//! The contract's data shapes, as the sandbox stores and serves them.

use serde::{Deserialize, Serialize};

use crate::platform::Platform;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Stopping => "stopping",
            JobStatus::Stopped => "stopped",
            JobStatus::Failed => "failed",
            JobStatus::Ended => "ended",
        }
    }

    /// Queued or running: the job a new go-live supersedes, and the one chat belongs to.
    pub fn is_active(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BroadcastStatus {
    Connecting,
    Live,
    Failed,
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
}

impl ErrorInfo {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ErrorInfo {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Broadcast {
    pub platform: Platform,
    pub status: BroadcastStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watch_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broadcast_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
}

/// The overlay as a Job returns it: unset banners are `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Overlay {
    pub enabled: bool,
    pub html_banner: Option<String>,
    pub top_banner: Option<String>,
    pub bottom_banner: Option<String>,
    pub hide_top: bool,
    pub hide_bottom: bool,
}

impl Default for Overlay {
    fn default() -> Self {
        Overlay {
            enabled: true,
            html_banner: None,
            top_banner: None,
            bottom_banner: None,
            hide_top: false,
            hide_bottom: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Track {
    Audio,
    Video,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    pub status: JobStatus,
    pub destinations: Vec<Platform>,
    pub publisher_session_id: String,
    pub track_names: Vec<Track>,
    pub overlay: Overlay,
    pub recording: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    pub broadcasts: Vec<Broadcast>,
}

impl Job {
    pub fn broadcast_mut(&mut self, platform: Platform) -> Option<&mut Broadcast> {
        self.broadcasts.iter_mut().find(|b| b.platform == platform)
    }

    /// Ends the job with `status`, settling every broadcast that is still going.
    pub fn settle(&mut self, status: JobStatus, now: i64) {
        self.status = status;
        self.ended_at.get_or_insert(now);
        for b in &mut self.broadcasts {
            if matches!(b.status, BroadcastStatus::Connecting | BroadcastStatus::Live) {
                b.status = if status == JobStatus::Failed {
                    BroadcastStatus::Failed
                } else {
                    BroadcastStatus::Stopped
                };
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: String,
    pub platform: Platform,
    pub author: String,
    /// v1.1: the platform's id of the author, stable across their comments; always present,
    /// `null` on comments stored before v1.1.
    #[serde(default)]
    pub author_id: Option<String>,
    /// Always present, `null` when the author has none.
    pub author_avatar: Option<String>,
    pub message: String,
    pub timestamp: i64,
    pub own: bool,
}

/// The banner URL rule as `docs/api/openapi.yaml` states it (a test keeps the two equal): https
/// to a named host, or http to a loopback address; an optional port; then anything printable. The
/// host is ASCII letters, digits, single hyphens and dots, its last label starting with a letter,
/// so that every URL the pattern admits also parses (no IDNA punycode, no malformed IPv4).
pub const BANNER_URL_PATTERN: &str = concat!(
    r"^(https://([A-Za-z0-9]+(-[A-Za-z0-9]+)*\.)*[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*",
    r"|http://(localhost|127\.0\.0\.1|\[::1\]))",
    r"(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?",
    r"([/?#][!-~]*)?$",
);

/// Whether `raw` is a URL the contract accepts for a banner: https, or http on loopback.
pub fn banner_url_ok(raw: &str) -> bool {
    static RULE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(BANNER_URL_PATTERN).expect("the banner pattern compiles")
    });
    // The pattern admits no user info and only URLs that parse; parsing again guards that claim.
    RULE.is_match(raw) && url::Url::parse(raw).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_urls() {
        assert!(banner_url_ok("https://cdn.example.com/top.png"));
        assert!(banner_url_ok("http://127.0.0.1:4000/banner.png"));
        assert!(banner_url_ok("http://localhost/b.png"));
        assert!(banner_url_ok("https://cdn-1.example.com:8443/a/b.png?v=2#x"));
        assert!(banner_url_ok("https://example.com"));
        assert!(banner_url_ok("http://[::1]:65535/"));
        assert!(!banner_url_ok("http://127.0.0.1:65536/"));
        assert!(!banner_url_ok("https://"));
        assert!(!banner_url_ok(""));
        assert!(!banner_url_ok("https://xn--a.com/"));
        assert!(!banner_url_ok("https://1.2.3.4.5/"));
        assert!(!banner_url_ok("https://a.com\\@evil.com/"));
        assert!(!banner_url_ok("https://a.com/ x"));
        assert!(!banner_url_ok("https://a.com/\n"));
        assert!(!banner_url_ok("http://cdn.example.com/top.png"));
        assert!(!banner_url_ok("javascript:alert(1)"));
        assert!(!banner_url_ok("https://user:pw@cdn.example.com/x.png"));
        assert!(!banner_url_ok("not a url"));
    }

    #[test]
    fn job_json_has_null_banners_and_no_absent_optionals() {
        let job = Job {
            id: "job_1".into(),
            status: JobStatus::Queued,
            destinations: vec![Platform::Twitch],
            publisher_session_id: "s".into(),
            track_names: vec![Track::Audio, Track::Video],
            overlay: Overlay::default(),
            recording: false,
            title: None,
            created_at: 1,
            started_at: None,
            ended_at: None,
            error: None,
            superseded_by: None,
            broadcasts: vec![],
        };
        let json = serde_json::to_value(&job).unwrap();
        assert_eq!(json["overlay"]["topBanner"], serde_json::Value::Null);
        assert!(json.get("supersededBy").is_none());
        assert_eq!(json["trackNames"], serde_json::json!(["audio", "video"]));
    }
}
