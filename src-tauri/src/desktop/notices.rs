//! The moments worth a desktop notification (a destination failing, the stream ending or being
//! taken over, sign-in needed), and the rate limit that keeps a flapping destination from
//! burying the desktop in them. Pure: `live_watch` finds them, `tray` shows them.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use restream_client::{BroadcastStatus, Job, JobStatus, Platform};

use crate::settings::preferences::NotificationChoices;

/// Something worth interrupting the streamer for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    DestinationFailed {
        platform: Platform,
        reason: Option<String>,
    },
    /// The publisher session ended or the job failed (a stop the streamer asked for is not news).
    JobEnded {
        reason: Option<String>,
    },
    Superseded,
    SignInRequired {
        reason: String,
    },
}

impl Notice {
    /// Whether the streamer wants this kind.
    pub fn wanted(&self, choices: &NotificationChoices) -> bool {
        match self {
            Notice::DestinationFailed { .. } => choices.destination_failed,
            Notice::JobEnded { .. } | Notice::Superseded => choices.job_ended,
            Notice::SignInRequired { .. } => choices.sign_in_required,
        }
    }

    /// Notices with the same key are one story: repeats within `REPEAT_AFTER` are dropped.
    fn key(&self) -> String {
        match self {
            Notice::DestinationFailed { platform, .. } => format!("failed:{}", platform.as_str()),
            Notice::JobEnded { .. } => "ended".into(),
            Notice::Superseded => "superseded".into(),
            Notice::SignInRequired { .. } => "sign-in".into(),
        }
    }
}

/// What changed from `before` to `after` that the streamer should hear about.
pub fn news(before: Option<&Job>, after: Option<&Job>) -> Vec<Notice> {
    let Some(after) = after else {
        return Vec::new();
    };
    let same = before.filter(|b| b.id == after.id);
    let was_failed = |platform: Platform| {
        same.is_some_and(|b| {
            b.broadcasts
                .iter()
                .any(|x| x.platform == platform && x.status == BroadcastStatus::Failed)
        })
    };
    let mut notices = Vec::new();
    // A destination failing on its own, while the job runs on (when the whole job fails, every
    // destination fails with it: one notice says that).
    if after.status.is_active() {
        for broadcast in &after.broadcasts {
            if broadcast.status == BroadcastStatus::Failed && !was_failed(broadcast.platform) {
                notices.push(Notice::DestinationFailed {
                    platform: broadcast.platform,
                    reason: broadcast.error.as_ref().map(|e| e.message.clone()),
                });
            }
        }
    }
    let was_active = same.is_some_and(|b| b.status.is_active());
    if was_active
        && after.superseded_by.is_none()
        && matches!(after.status, JobStatus::Ended | JobStatus::Failed)
    {
        notices.push(Notice::JobEnded {
            reason: after.error.as_ref().map(|e| e.message.clone()),
        });
    }
    notices
}

/// The same story at most once a minute, and at most five notifications a minute in all.
pub const REPEAT_AFTER: Duration = Duration::from_secs(60);
const BURST: usize = 5;

#[derive(Debug, Default)]
pub struct RateLimit {
    last_by_key: HashMap<String, Instant>,
    recent: VecDeque<Instant>,
}

impl RateLimit {
    /// Whether `notice` may be shown at `now` (and records it if so).
    pub fn allow(&mut self, notice: &Notice, now: Instant) -> bool {
        let key = notice.key();
        if self
            .last_by_key
            .get(&key)
            .is_some_and(|last| now.duration_since(*last) < REPEAT_AFTER)
        {
            return false;
        }
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= REPEAT_AFTER)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= BURST {
            return false;
        }
        self.recent.push_back(now);
        self.last_by_key.insert(key, now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Platform::{Kick, Twitch, Youtube};

    #[test]
    fn repeats_and_bursts_are_held_back() {
        let start = Instant::now();
        let mut limit = RateLimit::default();
        let failed = |platform| Notice::DestinationFailed {
            platform,
            reason: None,
        };
        assert!(limit.allow(&failed(Twitch), start));
        assert!(!limit.allow(&failed(Twitch), start + Duration::from_secs(30)));
        assert!(limit.allow(&failed(Twitch), start + REPEAT_AFTER));

        let mut limit = RateLimit::default();
        let kinds = [
            failed(Twitch),
            failed(Kick),
            failed(Youtube),
            failed(Platform::Facebook),
            failed(Platform::Instagram),
        ];
        for notice in &kinds {
            assert!(limit.allow(notice, start));
        }
        assert!(
            !limit.allow(&Notice::Superseded, start + Duration::from_secs(1)),
            "a sixth in a minute"
        );
        assert!(limit.allow(&Notice::Superseded, start + REPEAT_AFTER));
    }

    #[test]
    fn each_kind_can_be_switched_off() {
        let choices = NotificationChoices {
            destination_failed: false,
            ..NotificationChoices::default()
        };
        assert!(
            !Notice::DestinationFailed {
                platform: Twitch,
                reason: None
            }
            .wanted(&choices)
        );
        assert!(Notice::Superseded.wanted(&choices));
    }
}
