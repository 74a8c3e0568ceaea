//! Follows the studio's changes for what lives outside the window: the live status the tray
//! shows, and the moments worth a desktop notification (a destination failing, the stream
//! ending or being taken over, sign-in needed), rate-limited so a flapping destination cannot
//! bury the desktop in notifications. Pure state: `desktop` feeds it events and acts on it.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use restream_client::{
    AuthStatus, BroadcastStatus, ChatStatus, Connection, ConnectionStatus, Job, JobStatus, Platform,
    StudioEvent,
};

use crate::preferences::NotificationChoices;

/// What the tray says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveStatus {
    Idle,
    Starting {
        platforms: usize,
    },
    /// `live` of the job's `of` destinations are live.
    Live {
        live: usize,
        of: usize,
    },
    /// Live, but the studio is reconnecting to the service.
    Reconnecting,
    SignInRequired,
}

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

/// The studio's state as far as the tray and notifications need it.
#[derive(Debug, Default)]
pub struct LiveWatch {
    job: Option<Job>,
    reconnecting: bool,
    sign_in_required: bool,
    armed: Vec<Platform>,
    /// Platforms whose link works.
    linked: Vec<Platform>,
}

impl LiveWatch {
    /// Starts from a snapshot: what is already so is not news.
    pub fn new(snapshot: restream_client::Snapshot) -> LiveWatch {
        LiveWatch {
            reconnecting: matches!(snapshot.chat, ChatStatus::Reconnecting { .. }),
            sign_in_required: matches!(snapshot.auth, AuthStatus::SignInRequired { .. }),
            armed: snapshot.armed,
            linked: usable(&snapshot.connections),
            job: snapshot.job,
        }
    }

    /// Takes in one change; returns what is news.
    pub fn apply(&mut self, event: &StudioEvent) -> Vec<Notice> {
        match event {
            StudioEvent::Job(job) => {
                let next = job.as_deref().cloned();
                let notices = news(self.job.as_ref(), next.as_ref());
                self.job = next;
                notices
            }
            StudioEvent::Chat(status) => {
                self.reconnecting = matches!(status, ChatStatus::Reconnecting { .. });
                Vec::new()
            }
            StudioEvent::Auth(status) => {
                let was = std::mem::replace(
                    &mut self.sign_in_required,
                    matches!(status, AuthStatus::SignInRequired { .. }),
                );
                match status {
                    AuthStatus::SignInRequired { reason } if !was => {
                        vec![Notice::SignInRequired {
                            reason: reason.clone(),
                        }]
                    }
                    _ => Vec::new(),
                }
            }
            StudioEvent::Superseded { .. } => vec![Notice::Superseded],
            StudioEvent::Armed(armed) => {
                self.armed = armed.clone();
                Vec::new()
            }
            StudioEvent::Connections(list) => {
                self.linked = usable(list);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    pub fn status(&self) -> LiveStatus {
        if self.sign_in_required {
            return LiveStatus::SignInRequired;
        }
        let Some(job) = self.job.as_ref().filter(|job| job.status.is_active()) else {
            return LiveStatus::Idle;
        };
        if self.reconnecting {
            return LiveStatus::Reconnecting;
        }
        match job.status {
            JobStatus::Queued => LiveStatus::Starting {
                platforms: job.destinations.len(),
            },
            _ => LiveStatus::Live {
                live: job
                    .broadcasts
                    .iter()
                    .filter(|b| b.status == BroadcastStatus::Live)
                    .count(),
                of: job.destinations.len(),
            },
        }
    }

    /// The destinations a go-live would use, as the window's form picks them: the armed ones that
    /// are linked, else every linked platform.
    pub fn destinations(&self) -> Vec<Platform> {
        let armed: Vec<Platform> = self
            .armed
            .iter()
            .copied()
            .filter(|p| self.linked.contains(p))
            .collect();
        if armed.is_empty() {
            self.linked.clone()
        } else {
            armed
        }
    }

    pub fn live(&self) -> bool {
        self.job.as_ref().is_some_and(|job| job.status.is_active())
    }
}

fn usable(connections: &[Connection]) -> Vec<Platform> {
    connections
        .iter()
        .filter(|c| c.status == ConnectionStatus::Ok)
        .map(|c| c.platform)
        .collect()
}

/// What changed from `before` to `after` that the streamer should hear about.
fn news(before: Option<&Job>, after: Option<&Job>) -> Vec<Notice> {
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
    use restream_client::{Broadcast, JobError};

    fn job(id: &str, status: JobStatus, broadcasts: &[(Platform, BroadcastStatus)]) -> Job {
        let mut job: Job = serde_json::from_value(serde_json::json!({
            "id": id,
            "status": "running",
            "destinations": [],
            "publisherSessionId": "s",
            "trackNames": ["video", "audio"],
            "overlay": {"enabled": false, "htmlBanner": null, "topBanner": null, "bottomBanner": null,
                        "hideTop": false, "hideBottom": false},
            "recording": false,
            "createdAt": 0,
            "broadcasts": [],
        }))
        .expect("a job as the service sends it");
        job.status = status;
        job.destinations = broadcasts.iter().map(|(p, _)| *p).collect();
        job.broadcasts = broadcasts
            .iter()
            .map(|(platform, status)| Broadcast {
                platform: *platform,
                status: *status,
                watch_url: None,
                broadcast_id: None,
                error: (*status == BroadcastStatus::Failed).then(|| JobError {
                    code: "destination_failed".into(),
                    message: "the platform hung up".into(),
                }),
            })
            .collect();
        job
    }

    fn watching(job: Job) -> LiveWatch {
        let mut watch = LiveWatch::default();
        watch.apply(&event(job));
        watch
    }

    fn event(job: Job) -> StudioEvent {
        StudioEvent::Job(Some(Box::new(job)))
    }

    use BroadcastStatus::{Failed, Live};
    use Platform::{Kick, Twitch, Youtube};

    #[test]
    fn the_tray_counts_live_destinations() {
        let mut watch = LiveWatch::default();
        assert_eq!(watch.status(), LiveStatus::Idle);
        watch.apply(&event(job(
            "j1",
            JobStatus::Queued,
            &[(Twitch, BroadcastStatus::Connecting)],
        )));
        assert_eq!(watch.status(), LiveStatus::Starting { platforms: 1 });
        watch.apply(&event(job(
            "j1",
            JobStatus::Running,
            &[(Twitch, Live), (Kick, Live), (Youtube, Failed)],
        )));
        assert_eq!(watch.status(), LiveStatus::Live { live: 2, of: 3 });
        watch.apply(&StudioEvent::Chat(ChatStatus::Reconnecting {
            attempt: 1,
            delay_ms: 500,
        }));
        assert_eq!(watch.status(), LiveStatus::Reconnecting);
        watch.apply(&StudioEvent::Chat(ChatStatus::Live));
        watch.apply(&event(job(
            "j1",
            JobStatus::Stopped,
            &[(Twitch, BroadcastStatus::Stopped)],
        )));
        assert_eq!(watch.status(), LiveStatus::Idle);
        assert!(!watch.live());
    }

    #[test]
    fn a_destination_failing_is_news_once() {
        let mut watch = watching(job("j1", JobStatus::Running, &[(Twitch, Live), (Kick, Live)]));
        let notices = watch.apply(&event(job(
            "j1",
            JobStatus::Running,
            &[(Twitch, Live), (Kick, Failed)],
        )));
        assert_eq!(
            notices,
            vec![Notice::DestinationFailed {
                platform: Kick,
                reason: Some("the platform hung up".into())
            }]
        );
        let again = watch.apply(&event(job(
            "j1",
            JobStatus::Running,
            &[(Twitch, Live), (Kick, Failed)],
        )));
        assert!(again.is_empty(), "the same failure polled again is not news");
    }

    #[test]
    fn the_job_ending_is_news_but_a_stop_is_not() {
        let running = || job("j1", JobStatus::Running, &[(Twitch, Live)]);
        let mut watch = watching(running());
        assert_eq!(
            watch.apply(&event(job(
                "j1",
                JobStatus::Ended,
                &[(Twitch, BroadcastStatus::Stopped)]
            ))),
            vec![Notice::JobEnded { reason: None }]
        );
        let mut watch = watching(running());
        assert!(
            watch
                .apply(&event(job(
                    "j1",
                    JobStatus::Stopped,
                    &[(Twitch, BroadcastStatus::Stopped)]
                )))
                .is_empty()
        );
        assert_eq!(
            watch.apply(&StudioEvent::Superseded {
                job_id: "j1".into(),
                by: "j2".into()
            }),
            vec![Notice::Superseded]
        );
    }

    #[test]
    fn go_live_uses_the_armed_linked_platforms_or_every_linked_one() {
        let connection = |platform, status| Connection {
            platform,
            platform_username: "demo".into(),
            platform_user_id: None,
            connected_at: 0,
            status,
        };
        let mut watch = LiveWatch::default();
        assert!(watch.destinations().is_empty());
        watch.apply(&StudioEvent::Connections(vec![
            connection(Twitch, ConnectionStatus::Ok),
            connection(Kick, ConnectionStatus::Ok),
            connection(Youtube, ConnectionStatus::ReauthRequired),
        ]));
        assert_eq!(watch.destinations(), vec![Twitch, Kick]);
        watch.apply(&StudioEvent::Armed(vec![Kick, Youtube]));
        assert_eq!(watch.destinations(), vec![Kick], "armed, and linked");
    }

    #[test]
    fn sign_in_required_is_news_when_it_starts() {
        let mut watch = LiveWatch::default();
        let required = StudioEvent::Auth(AuthStatus::SignInRequired {
            reason: "Your sign-in expired.".into(),
        });
        assert_eq!(
            watch.apply(&required),
            vec![Notice::SignInRequired {
                reason: "Your sign-in expired.".into()
            }]
        );
        assert!(watch.apply(&required).is_empty());
        assert_eq!(watch.status(), LiveStatus::SignInRequired);
    }

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
