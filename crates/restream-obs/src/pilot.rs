//! The rules that go live and stop with OBS, as a state machine without I/O: the caller feeds it
//! what OBS says, what the service says about live sessions and the job, and the time; it answers
//! with steps to take. Pure, so every rule is tested on canned inputs.
//!
//! - Starting needs OBS to report `STARTED` (not `STARTING`: a stream that fails to connect must
//!   not go live anywhere) *and*, where the service runs an ingest, a live session from that
//!   ingest, waited for up to `session_wait`. With no ingest the form's session id is used.
//! - With an ingest, the service's reconnect window ends the session and so the job: OBS stopping
//!   or reconnecting stops nothing here. For other jobs, "stop when OBS stops" stops them once
//!   OBS has stayed stopped for `stop_grace`, but never a job started by hand with that switch off.

use std::time::{Duration, Instant};

use crate::stream::OutputState;

/// The streamer's switches and the waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PilotSettings {
    /// "Go live everywhere when OBS starts streaming".
    pub go_live_on_start: bool,
    /// "Stop when OBS stops".
    pub stop_on_stop: bool,
    /// How long to wait after OBS started for the ingest's session.
    pub session_wait: Duration,
    /// How long OBS must stay stopped before a job not from the ingest is stopped.
    pub stop_grace: Duration,
}

impl Default for PilotSettings {
    fn default() -> Self {
        PilotSettings {
            go_live_on_start: false,
            stop_on_stop: false,
            session_wait: Duration::from_secs(30),
            stop_grace: Duration::from_secs(10),
        }
    }
}

/// A live publisher session as the pilot needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSeen {
    pub id: String,
    /// Its media comes from the service's ingest (RTMP or WHIP), so OBS is probably its encoder.
    pub from_ingest: bool,
}

/// The current job as the pilot needs it (only queued or running jobs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSeen {
    pub id: String,
    pub session_id: String,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Go live on the armed destinations with this session.
    GoLive { session_id: String },
    /// No ingest: go live with the session id in the window's form.
    GoLiveWithForm,
    /// Stop this job.
    Stop { job_id: String },
    /// Tell the streamer.
    Say(PilotNews),
}

/// What the pilot did or is waiting for, for the window and a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PilotNews {
    /// OBS started; waiting for the service to see the ingest's session.
    WaitingForSession { wait: Duration },
    /// OBS started, but no session from the ingest came within the wait.
    NoSessionFromIngest { waited: Duration },
    /// Going live with the ingest's session.
    GoingLive { session_id: String },
    /// Going live with the form's session id (no ingest).
    GoingLiveWithForm,
    /// OBS stopped; this job stops after the grace unless OBS starts again.
    StoppingSoon { job_id: String, grace: Duration },
    /// OBS came back within the grace: nothing stops.
    StopCancelled,
    /// OBS stayed stopped: stopping the job.
    Stopping { job_id: String },
    /// OBS stopped a stream whose session comes from the ingest: the service ends it when its
    /// reconnect window passes.
    EndsWithIngestWindow,
}

/// Which rule ends the current job, for the window to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopRule {
    /// Its session is the ingest's: the service ends it when the encoder stays away past the
    /// reconnect window.
    IngestWindow,
    /// It stops once OBS has stayed stopped for the grace.
    AfterGrace(Duration),
    /// "Stop when OBS stops" is off: only the streamer stops it.
    SwitchOff,
    /// Started by hand while the switch was off: OBS stopping never stops it.
    StartedByHand,
}

/// The job the pilot follows, with what it learned when it first saw it.
#[derive(Debug, Clone)]
struct Followed {
    job: JobSeen,
    from_ingest: bool,
    /// Started by hand while "stop when OBS stops" was off.
    exempt: bool,
}

/// The state machine.
#[derive(Debug, Default)]
pub struct Pilot {
    settings: PilotSettings,
    ingest_offered: bool,
    sessions: Vec<SessionSeen>,
    job: Option<Followed>,
    /// Go live on the next `STARTED` even with the switch off (the studio's own start button).
    start_requested: bool,
    /// Waiting for the ingest's session until then.
    awaiting_session: Option<Instant>,
    /// Stopping this job then, unless OBS starts again.
    stopping: Option<(Instant, String)>,
    /// A go-live the pilot asked for, until the job it made is seen.
    launching: bool,
}

impl Pilot {
    pub fn new(settings: PilotSettings) -> Pilot {
        Pilot {
            settings,
            ..Pilot::default()
        }
    }

    /// The switches changed. A pending stop whose switch went off is cancelled.
    pub fn set_settings(&mut self, settings: PilotSettings) -> Vec<Step> {
        self.settings = settings;
        if !settings.stop_on_stop && self.stopping.take().is_some() {
            return vec![Step::Say(PilotNews::StopCancelled)];
        }
        Vec::new()
    }

    /// The studio's own "start streaming in OBS and go live": the next `STARTED` goes live.
    pub fn request_start(&mut self) {
        self.start_requested = true;
    }

    /// The request to OBS failed: forget it.
    pub fn cancel_start(&mut self) {
        self.start_requested = false;
    }

    /// What the service offers and the sessions live now.
    pub fn sessions(&mut self, ingest_offered: bool, sessions: Vec<SessionSeen>) -> Vec<Step> {
        self.ingest_offered = ingest_offered;
        self.sessions = sessions;
        if let Some(followed) = &mut self.job
            && !followed.from_ingest
        {
            followed.from_ingest = self
                .sessions
                .iter()
                .any(|s| s.from_ingest && s.id == followed.job.session_id);
        }
        if self.awaiting_session.is_some()
            && self.job.is_none()
            && let Some(session) = self.ingest_session()
        {
            self.awaiting_session = None;
            return self.go_live(session);
        }
        Vec::new()
    }

    /// The current job (queued or running), or none.
    pub fn job(&mut self, job: Option<JobSeen>) -> Vec<Step> {
        let Some(job) = job else {
            self.job = None;
            self.stopping = None;
            return Vec::new();
        };
        if self.job.as_ref().is_some_and(|f| f.job.id == job.id) {
            return Vec::new();
        }
        let from_ingest = self
            .sessions
            .iter()
            .any(|s| s.from_ingest && s.id == job.session_id);
        let by_pilot = std::mem::take(&mut self.launching);
        self.job = Some(Followed {
            exempt: !by_pilot && !self.settings.stop_on_stop,
            from_ingest,
            job,
        });
        // A job is live: nothing more to wait for.
        self.awaiting_session = None;
        Vec::new()
    }

    /// The pilot's go-live failed: it starts nothing more for this stream.
    pub fn go_live_failed(&mut self) {
        self.launching = false;
    }

    /// OBS's stream output changed.
    pub fn obs(&mut self, at: Instant, state: &OutputState) -> Vec<Step> {
        match state {
            OutputState::Started => {
                let mut steps = self.cancel_stop();
                let wanted = std::mem::take(&mut self.start_requested) || self.settings.go_live_on_start;
                if wanted && self.job.is_none() && !self.launching {
                    steps.extend(self.start(at));
                }
                steps
            }
            OutputState::Reconnecting | OutputState::Reconnected | OutputState::Starting => {
                self.cancel_stop()
            }
            OutputState::Stopped => {
                self.awaiting_session = None;
                self.start_requested = false;
                // A go-live through the window's form reports no failure here: one that made no
                // job is forgotten with the stream it was for.
                self.launching = false;
                self.obs_stopped(at)
            }
            OutputState::Stopping | OutputState::Other(_) => Vec::new(),
        }
    }

    /// Time passed: a wait ran out, or a grace did.
    pub fn tick(&mut self, now: Instant) -> Vec<Step> {
        let mut steps = Vec::new();
        if self.awaiting_session.is_some_and(|until| now >= until) {
            self.awaiting_session = None;
            steps.push(Step::Say(PilotNews::NoSessionFromIngest {
                waited: self.settings.session_wait,
            }));
        }
        if let Some((_, job_id)) = self.stopping.take_if(|(at, _)| now >= *at) {
            steps.push(Step::Say(PilotNews::Stopping {
                job_id: job_id.clone(),
            }));
            steps.push(Step::Stop { job_id });
        }
        steps
    }

    /// When [`tick`](Self::tick) next has something to do.
    pub fn next_deadline(&self) -> Option<Instant> {
        [self.awaiting_session, self.stopping.as_ref().map(|(at, _)| *at)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Which rule ends the current job, if there is one.
    pub fn stop_rule(&self) -> Option<StopRule> {
        let followed = self.job.as_ref()?;
        Some(if followed.from_ingest {
            StopRule::IngestWindow
        } else if followed.exempt {
            StopRule::StartedByHand
        } else if self.settings.stop_on_stop {
            StopRule::AfterGrace(self.settings.stop_grace)
        } else {
            StopRule::SwitchOff
        })
    }

    /// Whether the pilot waits for the ingest's session now.
    pub fn awaiting_session(&self) -> bool {
        self.awaiting_session.is_some()
    }

    /// When the pending stop happens, if one is pending.
    pub fn stopping_at(&self) -> Option<Instant> {
        self.stopping.as_ref().map(|(at, _)| *at)
    }

    fn start(&mut self, at: Instant) -> Vec<Step> {
        if !self.ingest_offered {
            self.launching = true;
            return vec![Step::Say(PilotNews::GoingLiveWithForm), Step::GoLiveWithForm];
        }
        if let Some(session) = self.ingest_session() {
            return self.go_live(session);
        }
        self.awaiting_session = Some(at + self.settings.session_wait);
        vec![Step::Say(PilotNews::WaitingForSession {
            wait: self.settings.session_wait,
        })]
    }

    fn go_live(&mut self, session_id: String) -> Vec<Step> {
        self.launching = true;
        vec![
            Step::Say(PilotNews::GoingLive {
                session_id: session_id.clone(),
            }),
            Step::GoLive { session_id },
        ]
    }

    /// The newest session from the ingest (the service lists newest first).
    fn ingest_session(&self) -> Option<String> {
        self.sessions.iter().find(|s| s.from_ingest).map(|s| s.id.clone())
    }

    fn obs_stopped(&mut self, at: Instant) -> Vec<Step> {
        match self.stop_rule() {
            Some(StopRule::IngestWindow) => vec![Step::Say(PilotNews::EndsWithIngestWindow)],
            Some(StopRule::AfterGrace(grace)) if self.stopping.is_none() => {
                let job_id = self.job.as_ref().map(|f| f.job.id.clone()).unwrap_or_default();
                self.stopping = Some((at + grace, job_id.clone()));
                vec![Step::Say(PilotNews::StoppingSoon { job_id, grace })]
            }
            _ => Vec::new(),
        }
    }

    fn cancel_stop(&mut self) -> Vec<Step> {
        if self.stopping.take().is_some() {
            vec![Step::Say(PilotNews::StopCancelled)]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
#[path = "pilot_tests.rs"]
mod tests;
