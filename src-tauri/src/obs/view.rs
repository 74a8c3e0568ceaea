//! What the window shows of OBS: the link's state (with what it needs to say cause and fix), OBS's
//! stream output and health, which rule ends the current job, and what the studio did on its own
//! lately. Plain data, built from `restream-obs`'s types; the window words it in its language.

use restream_obs::{Health, LinkState, OutputState, PilotNews, StopRule};
use restream_settings::obs_link::ObsLinkSettings;
use serde::{Deserialize, Serialize};
use specta::Type;

/// How many automatic actions the window lists.
pub const ACTIVITY_KEPT: usize = 6;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum ObsLinkView {
    /// The streamer has not turned the link on.
    Off,
    Connecting,
    #[serde(rename_all = "camelCase")]
    Connected {
        obs_version: String,
        websocket_version: String,
    },
    /// Refused: OBS is not running, or its WebSocket server is off. Tried again every few seconds.
    NotListening {
        address: String,
    },
    #[serde(rename_all = "camelCase")]
    WrongPassword {
        password_given: bool,
    },
    #[serde(rename_all = "camelCase")]
    TooOld {
        websocket_version: String,
    },
    Failed {
        error: String,
    },
}

impl From<&LinkState> for ObsLinkView {
    fn from(state: &LinkState) -> Self {
        match state {
            LinkState::Connecting => ObsLinkView::Connecting,
            LinkState::Connected(v) => ObsLinkView::Connected {
                obs_version: v.obs.clone(),
                websocket_version: v.websocket.clone(),
            },
            LinkState::NotListening { address } => ObsLinkView::NotListening {
                address: address.clone(),
            },
            LinkState::WrongPassword { password_given } => ObsLinkView::WrongPassword {
                password_given: *password_given,
            },
            LinkState::TooOld { websocket_version } => ObsLinkView::TooOld {
                websocket_version: websocket_version.clone(),
            },
            LinkState::Failed { error } => ObsLinkView::Failed { error: error.clone() },
        }
    }
}

/// OBS's stream output as last reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ObsOutput {
    Unknown,
    Stopped,
    Starting,
    Streaming,
    Reconnecting,
    Stopping,
}

impl ObsOutput {
    /// The output after `state`; `None` for a state that changes nothing shown.
    pub fn after(state: &OutputState) -> Option<ObsOutput> {
        Some(match state {
            OutputState::Starting => ObsOutput::Starting,
            OutputState::Started | OutputState::Reconnected => ObsOutput::Streaming,
            OutputState::Reconnecting => ObsOutput::Reconnecting,
            OutputState::Stopping => ObsOutput::Stopping,
            OutputState::Stopped => ObsOutput::Stopped,
            OutputState::Other(_) => return None,
        })
    }

    /// Whether OBS sends (or tries to send) a stream, so its health is worth asking for.
    pub fn active(self) -> bool {
        matches!(self, ObsOutput::Streaming | ObsOutput::Reconnecting)
    }
}

/// OBS's stream health, asked every 2 s while it streams.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ObsHealthView {
    pub bitrate_kbps: Option<u32>,
    pub skipped_frames: u32,
    pub total_frames: u32,
    /// Skipped over the last interval, in percent.
    pub dropped_percent: f64,
    /// 0–1, where OBS says.
    pub congestion: Option<f64>,
    pub reconnecting: bool,
}

impl From<&Health> for ObsHealthView {
    fn from(h: &Health) -> Self {
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        ObsHealthView {
            bitrate_kbps: h.bitrate_kbps,
            skipped_frames: small(h.skipped_frames),
            total_frames: small(h.total_frames),
            dropped_percent: (h.recent_dropped_share * 1000.0).round() / 10.0,
            congestion: h.congestion,
            reconnecting: h.reconnecting,
        }
    }
}

/// Which rule ends the current job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "rule", rename_all = "camelCase")]
pub enum StopRuleView {
    IngestWindow,
    AfterGrace { seconds: u32 },
    SwitchOff,
    StartedByHand,
}

impl From<StopRule> for StopRuleView {
    fn from(rule: StopRule) -> Self {
        match rule {
            StopRule::IngestWindow => StopRuleView::IngestWindow,
            StopRule::AfterGrace(grace) => StopRuleView::AfterGrace {
                seconds: seconds(grace),
            },
            StopRule::SwitchOff => StopRuleView::SwitchOff,
            StopRule::StartedByHand => StopRuleView::StartedByHand,
        }
    }
}

fn seconds(d: std::time::Duration) -> u32 {
    u32::try_from(d.as_secs()).unwrap_or(u32::MAX)
}

/// Something the studio did or waits for on its own because of OBS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ObsNews {
    WaitingForSession {
        seconds: u32,
    },
    NoSessionFromIngest {
        seconds: u32,
    },
    #[serde(rename_all = "camelCase")]
    GoingLive {
        session_id: String,
    },
    GoingLiveWithForm,
    StoppingSoon {
        seconds: u32,
    },
    StopCancelled,
    Stopping,
    EndsWithIngestWindow,
    /// The go-live the studio started for OBS failed.
    GoLiveFailed {
        cause: String,
        fix: String,
    },
    /// The stop the studio started failed.
    StopFailed {
        cause: String,
        fix: String,
    },
    /// OBS skipped more than 5 % of its frames for 30 s.
    DroppingFrames {
        percent: f64,
    },
    /// OBS lost its connection to the ingest and is trying again.
    ObsReconnecting,
}

impl From<&PilotNews> for ObsNews {
    fn from(news: &PilotNews) -> Self {
        match news {
            PilotNews::WaitingForSession { wait } => ObsNews::WaitingForSession {
                seconds: seconds(*wait),
            },
            PilotNews::NoSessionFromIngest { waited } => ObsNews::NoSessionFromIngest {
                seconds: seconds(*waited),
            },
            PilotNews::GoingLive { session_id } => ObsNews::GoingLive {
                session_id: session_id.clone(),
            },
            PilotNews::GoingLiveWithForm => ObsNews::GoingLiveWithForm,
            PilotNews::StoppingSoon { grace, .. } => ObsNews::StoppingSoon {
                seconds: seconds(*grace),
            },
            PilotNews::StopCancelled => ObsNews::StopCancelled,
            PilotNews::Stopping { .. } => ObsNews::Stopping,
            PilotNews::EndsWithIngestWindow => ObsNews::EndsWithIngestWindow,
        }
    }
}

/// One line of the studio's automatic actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ObsActivity {
    /// Milliseconds since the Unix epoch, as a decimal string.
    pub at: String,
    pub news: ObsNews,
}

/// Everything the window shows of OBS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ObsView {
    pub settings: ObsLinkSettings,
    /// A password is kept in the keychain (it never crosses to the window). Read from the
    /// keychain only while the link is on; with it off, as last saved in this run.
    pub has_password: bool,
    pub link: ObsLinkView,
    pub output: ObsOutput,
    /// While OBS streams.
    pub health: Option<ObsHealthView>,
    /// The rule that ends the current job, while there is one.
    pub stop_rule: Option<StopRuleView>,
    /// Waiting for the ingest's session after OBS started.
    pub awaiting_session: bool,
    /// When the job stops unless OBS starts again (milliseconds since the Unix epoch, as a
    /// decimal string).
    pub stopping_at: Option<String>,
    /// Newest first.
    pub activity: Vec<ObsActivity>,
}

impl ObsView {
    pub fn new(settings: ObsLinkSettings, has_password: bool) -> ObsView {
        let link = if settings.enabled {
            ObsLinkView::Connecting
        } else {
            ObsLinkView::Off
        };
        ObsView {
            settings,
            has_password,
            link,
            output: ObsOutput::Unknown,
            health: None,
            stop_rule: None,
            awaiting_session: false,
            stopping_at: None,
            activity: Vec::new(),
        }
    }

    /// Adds a line, newest first, keeping the last few.
    pub fn record(&mut self, news: ObsNews) {
        let at = epoch_ms(std::time::SystemTime::now());
        self.activity.insert(0, ObsActivity { at, news });
        self.activity.truncate(ACTIVITY_KEPT);
    }
}

/// Milliseconds since the Unix epoch, as a decimal string (timestamps cross as strings).
pub fn epoch_ms(at: std::time::SystemTime) -> String {
    at.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_keeps_the_newest_few() {
        let mut view = ObsView::new(ObsLinkSettings::default(), false);
        assert_eq!(view.link, ObsLinkView::Off);
        for _ in 0..ACTIVITY_KEPT {
            view.record(ObsNews::Stopping);
        }
        view.record(ObsNews::StopCancelled);
        assert_eq!(view.activity.len(), ACTIVITY_KEPT);
        assert_eq!(view.activity[0].news, ObsNews::StopCancelled);
    }

    #[test]
    fn health_crosses_as_percent_and_small_numbers() {
        let health = Health {
            bitrate_kbps: Some(2500),
            skipped_frames: u64::MAX,
            total_frames: 10,
            recent_dropped_share: 0.0567,
            congestion: Some(0.2),
            reconnecting: false,
        };
        let view = ObsHealthView::from(&health);
        assert_eq!(view.skipped_frames, u32::MAX);
        assert_eq!(view.dropped_percent, 5.7);
    }

    #[test]
    fn waits_cross_in_whole_seconds_and_times_as_epoch_milliseconds() {
        use std::time::{Duration, UNIX_EPOCH};
        assert_eq!(
            StopRuleView::from(StopRule::AfterGrace(Duration::from_secs(10))),
            StopRuleView::AfterGrace { seconds: 10 }
        );
        assert_eq!(
            ObsNews::from(&PilotNews::WaitingForSession {
                wait: Duration::from_secs(30)
            }),
            ObsNews::WaitingForSession { seconds: 30 }
        );
        assert_eq!(epoch_ms(UNIX_EPOCH + Duration::from_millis(1_234)), "1234");
    }

    #[test]
    fn reconnected_is_streaming_again_and_only_streaming_is_worth_asking_about() {
        assert_eq!(
            ObsOutput::after(&OutputState::Reconnected),
            Some(ObsOutput::Streaming)
        );
        assert_eq!(ObsOutput::after(&OutputState::Other("PAUSED".into())), None);
        assert!(ObsOutput::Reconnecting.active() && !ObsOutput::Starting.active());
    }
}
