//! Follows the studio's changes for what lives outside the window: the live status the tray
//! shows, and (through `notices`) the moments worth a desktop notification. Pure state: `tray`
//! feeds it events and acts on it.

use restream_client::{
    AuthStatus, BroadcastStatus, ChatStatus, Connection, ConnectionStatus, Job, JobStatus, Platform,
    StudioEvent,
};

use crate::desktop::notices::{Notice, news};

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
            reconnecting: chat_waits(&snapshot.chat),
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
                self.reconnecting = chat_waits(status);
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

/// Whether chat waits to try again (after a failure, or a refusal it retries slowly).
fn chat_waits(status: &ChatStatus) -> bool {
    matches!(
        status,
        ChatStatus::Reconnecting { .. } | ChatStatus::Refused { .. }
    )
}

fn usable(connections: &[Connection]) -> Vec<Platform> {
    connections
        .iter()
        .filter(|c| c.status == ConnectionStatus::Ok)
        .map(|c| c.platform)
        .collect()
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
            last_error: "503 unavailable".into(),
        }));
        assert_eq!(watch.status(), LiveStatus::Reconnecting);
        watch.apply(&StudioEvent::Chat(ChatStatus::Live));
        assert_eq!(watch.status(), LiveStatus::Live { live: 2, of: 3 });
        watch.apply(&StudioEvent::Chat(ChatStatus::Refused {
            last_error: "403 missing_scope".into(),
            cause: "Missing required scope: read.".into(),
            fix: "Ask your operator.".into(),
            delay_ms: 60_000,
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
}
