//! v1.1 live sessions as studio state: the list of the streamer's sessions that carry media now,
//! changed by the chat stream's `session` events and read again after every (re)connect (those
//! events carry no id and are not replayed), and, where the service offers an ingest, the chat
//! stream kept open with no job so that a session going live is heard before any go-live.

use reqwest::Method;

use crate::events::StudioEvent;
use crate::ingest::{Ingest, LiveSession, SessionEvent, SessionStatus};

use super::handle::Studio;
use super::state::lock;

/// See [`Studio::media_now`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaNow {
    /// The service runs an ingest for the streamer's encoder.
    pub ingest_offered: bool,
    /// The publisher sessions that carry media now, newest first.
    pub live_sessions: Vec<LiveSession>,
    /// The current job while queued or running: its id and its session's.
    pub active_job: Option<(String, String)>,
}

/// How often a list read while `session` events arrived is read again before the events alone
/// are trusted (each event already changed the list).
const STALE_READS: usize = 3;

impl Studio {
    /// A `session` event: the list changes, and both are said.
    pub(super) fn session_changed(&self, event: SessionEvent) {
        let list = {
            let mut state = lock(&self.inner.state);
            state.session_events += 1;
            let list = &mut state.live_sessions;
            list.retain(|s| s.publisher_session_id != event.publisher_session_id);
            if event.status == SessionStatus::Live {
                list.insert(
                    0,
                    LiveSession {
                        publisher_session_id: event.publisher_session_id.clone(),
                        source: event.source,
                        started_at: event.started_at,
                        tracks: event.tracks.clone(),
                    },
                );
            }
            list.clone()
        };
        self.emit(StudioEvent::Session(event));
        self.emit(StudioEvent::LiveSessions(list));
    }

    /// Reads `GET /sessions/live` and takes it, unless a `session` event arrived while it was on
    /// its way (then the answer may predate it: read again).
    pub(super) async fn refresh_live_sessions(&self) {
        for _ in 0..STALE_READS {
            let asked_after = lock(&self.inner.state).session_events;
            let Ok(list) = self.live_sessions().await else {
                return;
            };
            let changed = {
                let mut state = lock(&self.inner.state);
                if state.session_events != asked_after {
                    continue;
                }
                let changed = state.live_sessions != list;
                state.live_sessions = list.clone();
                changed
            };
            if changed {
                self.emit(StudioEvent::LiveSessions(list));
            }
            return;
        }
    }

    /// At start: whether the service offers an ingest. If it does, the chat stream opens now and
    /// stays open between jobs. A failure here is not the streamer's concern: the studio works
    /// as with a v1 service until the next start.
    pub(super) async fn learn_ingest(&self) {
        let offered = match self
            .inner
            .api
            .call::<Ingest>(Method::GET, "/ingest", None, &[])
            .await
        {
            Ok(_) => true,
            Err(e) => {
                tracing::debug!(error = %e, "no ingest offered");
                false
            }
        };
        lock(&self.inner.state).ingest_offered = offered;
        if offered {
            self.open_chat();
        }
    }

    /// What is known now of the encoder's side, without asking the service: whether it offers an
    /// ingest, the sessions live now (newest first), and the current job while it is queued or
    /// running (`(job id, its session id)`). Cheap: for followers that react to changes.
    pub fn media_now(&self) -> MediaNow {
        let state = lock(&self.inner.state);
        MediaNow {
            ingest_offered: state.ingest_offered,
            live_sessions: state.live_sessions.clone(),
            active_job: state
                .job
                .as_ref()
                .filter(|job| job.status.is_active())
                .map(|job| (job.id.clone(), job.publisher_session_id.clone())),
        }
    }

    /// Forgets every session (sign-out): says so when there were any.
    pub(super) fn forget_sessions(&self) {
        let had = {
            let mut state = lock(&self.inner.state);
            state.ingest_offered = false;
            !std::mem::take(&mut state.live_sessions).is_empty()
        };
        if had {
            self.emit(StudioEvent::LiveSessions(Vec::new()));
        }
    }
}
