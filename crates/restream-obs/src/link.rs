//! Keeping OBS linked: connect, and when OBS is not there yet, or goes away, try again quietly
//! every few seconds, so the studio links by itself when OBS comes up. One task owns the session;
//! its state and OBS's events are published to whoever watches.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use crate::error::LinkError;
use crate::session::{ObsConfig, ObsSession, ObsVersions};
use crate::stream::ObsEvent;

/// The link's state, each with what a streamer can do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Trying for the first time.
    Connecting,
    /// Linked.
    Connected(ObsVersions),
    /// Nothing answers at the address: OBS is not running, or its WebSocket server is off. Tried
    /// again every few seconds.
    NotListening {
        /// `host:port`.
        address: String,
    },
    /// OBS refused the password (or wants one and none is set). Tried again, slowly, in case the
    /// password is changed in OBS to match.
    WrongPassword {
        /// Whether a password was sent.
        password_given: bool,
    },
    /// obs-websocket is older than 5.1.
    TooOld {
        /// What OBS runs.
        websocket_version: String,
    },
    /// Another failure (a timeout, a network error), tried again.
    Failed {
        /// What happened.
        error: String,
    },
}

/// How often to try again.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// After OBS was not there, went away, or failed otherwise.
    pub every: Duration,
    /// After a refused password or an obs-websocket too old: these change only when the
    /// streamer changes something, so asking often achieves nothing.
    pub refused_every: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            every: Duration::from_secs(3),
            refused_every: Duration::from_secs(15),
        }
    }
}

/// A running link to OBS. Dropping it (or [`stop`](Self::stop)) ends the link.
pub struct ObsLink {
    state: watch::Receiver<LinkState>,
    events: broadcast::Sender<ObsEvent>,
    session: Arc<Mutex<Option<Arc<ObsSession>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl ObsLink {
    /// Starts linking to OBS at `config`, trying again as `retry` says.
    pub fn start(config: ObsConfig, retry: Retry) -> ObsLink {
        let (state_tx, state) = watch::channel(LinkState::Connecting);
        let (events, _) = broadcast::channel(64);
        let session: Arc<Mutex<Option<Arc<ObsSession>>>> = Arc::default();
        let task = tokio::spawn(run(config, retry, state_tx, events.clone(), Arc::clone(&session)));
        ObsLink {
            state,
            events,
            session,
            task,
        }
    }

    /// The link's state, now and as it changes.
    pub fn state(&self) -> watch::Receiver<LinkState> {
        self.state.clone()
    }

    /// OBS's stream events from now on (and `Closed` when a session ends).
    pub fn events(&self) -> broadcast::Receiver<ObsEvent> {
        self.events.subscribe()
    }

    /// The linked session, while there is one.
    pub fn session(&self) -> Option<Arc<ObsSession>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Ends the link.
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for ObsLink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(
    config: ObsConfig,
    retry: Retry,
    state: watch::Sender<LinkState>,
    events: broadcast::Sender<ObsEvent>,
    current: Arc<Mutex<Option<Arc<ObsSession>>>>,
) {
    loop {
        let wait = match ObsSession::connect(&config).await {
            Ok((session, mut received)) => {
                state.send_replace(LinkState::Connected(session.versions().clone()));
                *current.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(session));
                while let Some(event) = received.recv().await {
                    let last = matches!(event, ObsEvent::Closed(_));
                    // Nobody watching is fine.
                    let _ = events.send(event);
                    if last {
                        break;
                    }
                }
                current.lock().unwrap_or_else(|p| p.into_inner()).take();
                tracing::info!("OBS went away; linking again when it is back");
                state.send_replace(LinkState::Connecting);
                Duration::ZERO
            }
            Err(error) => {
                let (next, wait) = match error {
                    LinkError::NotListening { address } => (LinkState::NotListening { address }, retry.every),
                    LinkError::WrongPassword { password_given } => {
                        (LinkState::WrongPassword { password_given }, retry.refused_every)
                    }
                    LinkError::TooOld { websocket_version } => {
                        (LinkState::TooOld { websocket_version }, retry.refused_every)
                    }
                    other => (
                        LinkState::Failed {
                            error: other.to_string(),
                        },
                        retry.every,
                    ),
                };
                // Quietly: the same state again is no news to watchers.
                state.send_if_modified(|now| {
                    let changed = *now != next;
                    *now = next;
                    changed
                });
                wait
            }
        };
        tokio::time::sleep(wait).await;
    }
}
