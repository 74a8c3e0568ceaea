//! The task that follows one OBS link: it feeds the pilot what OBS and the studio say, carries out
//! the pilot's steps (go live, stop, tell the streamer), asks OBS for its stream's health every
//! 2 s while it streams, and keeps the view current. It owns the pilot and the health watch; it
//! ends when its control channel closes (the link was restarted or turned off).

use std::sync::Arc;
use std::time::Duration;

use restream_client::{GoLiveParams, SessionSource};
use restream_obs::{
    HealthAlert, HealthWatch, JobSeen, ObsEvent, ObsLink, Pilot, PilotSettings, SessionSeen, Step,
};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::events::{StudioAction, StudioActionRequested};
use crate::obs::control::Control;
use crate::obs::owner::ObsState;
use crate::obs::view::{ObsHealthView, ObsLinkView, ObsNews, ObsOutput};
use crate::studio::service::ServiceState;
use crate::support::app_error::AppError;

/// How often OBS is asked for its stream's health while it streams.
pub const HEALTH_EVERY: Duration = Duration::from_secs(2);

pub async fn run(
    app: AppHandle,
    link: Arc<ObsLink>,
    settings: PilotSettings,
    mut control: mpsc::UnboundedReceiver<Control>,
) {
    app.state::<ObsState>().hold_link(Arc::clone(&link));
    let mut driver = Driver {
        app: app.clone(),
        link: Arc::clone(&link),
        pilot: Pilot::new(settings),
        health: HealthWatch::default(),
        output: ObsOutput::Unknown,
        stopping: None,
    };
    driver.studio_changed();
    let mut state = link.state();
    let mut events = link.events();
    let mut poll = tokio::time::interval(HEALTH_EVERY);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let deadline = driver.pilot.next_deadline().map(Instant::from_std);
        tokio::select! {
            // Control first: a start request must be known before the `STARTED` it leads to.
            biased;
            received = control.recv() => match received {
                Some(message) => driver.control(message),
                None => break,
            },
            changed = state.changed() => {
                if changed.is_err() {
                    break;
                }
                let now = state.borrow_and_update().clone();
                driver.link_changed(ObsLinkView::from(&now)).await;
            }
            event = events.recv() => match event {
                Ok(ObsEvent::StreamState { state, .. }) => driver.output_changed(&state),
                Ok(ObsEvent::Closed(_)) => driver.set_output(ObsOutput::Unknown),
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            },
            _ = poll.tick(), if driver.output.active() => driver.ask_health().await,
            _ = tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                let steps = driver.pilot.tick(std::time::Instant::now());
                driver.carry_out(steps);
            }
        }
        driver.show_pilot();
    }
    app.state::<ObsState>().release_link(&link);
}

struct Driver {
    app: AppHandle,
    link: Arc<ObsLink>,
    pilot: Pilot,
    health: HealthWatch,
    output: ObsOutput,
    /// The pending stop's deadline, and when it is on the wall clock, as shown.
    stopping: Option<(std::time::Instant, String)>,
}

impl Driver {
    fn state(&self) -> tauri::State<'_, ObsState> {
        self.app.state::<ObsState>()
    }

    fn control(&mut self, message: Control) {
        match message {
            Control::StudioChanged => self.studio_changed(),
            Control::Settings(settings) => {
                let steps = self.pilot.set_settings(settings);
                self.carry_out(steps);
            }
            Control::RequestStart => self.pilot.request_start(),
            Control::CancelStart => self.pilot.cancel_start(),
            Control::GoLiveFailed(error) => {
                self.pilot.go_live_failed();
                self.state().say(
                    &self.app,
                    ObsNews::GoLiveFailed {
                        cause: error.cause,
                        fix: error.fix,
                    },
                );
            }
        }
    }

    /// Reads what the studio knows now of sessions and the job.
    fn studio_changed(&mut self) {
        let Ok(studio) = self.app.state::<ServiceState>().studio() else {
            return;
        };
        let media = studio.media_now();
        let sessions = media
            .live_sessions
            .iter()
            .map(|s| SessionSeen {
                id: s.publisher_session_id.clone(),
                from_ingest: matches!(s.source, SessionSource::Rtmp | SessionSource::Whip),
            })
            .collect();
        let mut steps = self.pilot.sessions(media.ingest_offered, sessions);
        steps.extend(
            self.pilot.job(
                media
                    .active_job
                    .map(|(id, session_id)| JobSeen { id, session_id }),
            ),
        );
        self.carry_out(steps);
    }

    async fn link_changed(&mut self, link: ObsLinkView) {
        let connected = matches!(link, ObsLinkView::Connected { .. });
        self.state().update(&self.app, |view| view.link = link);
        if !connected {
            self.set_output(ObsOutput::Unknown);
            return;
        }
        // Linked to an OBS that may already stream: learn it without acting on it (going live
        // takes a `STARTED` seen here).
        if let Some(session) = self.link.session()
            && let Ok(status) = session.stream_status().await
        {
            let output = match (status.output_active, status.output_reconnecting) {
                (_, Some(true)) => ObsOutput::Reconnecting,
                (Some(true), _) => ObsOutput::Streaming,
                _ => ObsOutput::Stopped,
            };
            self.set_output(output);
        }
    }

    fn output_changed(&mut self, state: &restream_obs::OutputState) {
        if let Some(output) = ObsOutput::after(state) {
            self.set_output(output);
        }
        if *state == restream_obs::OutputState::Started {
            // Whether the service offers an ingest is learned at the studio's start, with no
            // event: read it fresh before the pilot decides how to go live.
            self.studio_changed();
        }
        let steps = self.pilot.obs(std::time::Instant::now(), state);
        self.carry_out(steps);
    }

    fn set_output(&mut self, output: ObsOutput) {
        if !output.active() {
            self.health.reset();
        }
        let reconnecting = output == ObsOutput::Reconnecting;
        self.output = output;
        self.state().update(&self.app, |view| {
            view.output = output;
            if !output.active() {
                view.health = None;
            } else if let Some(health) = &mut view.health {
                health.reconnecting = reconnecting;
            }
        });
    }

    async fn ask_health(&mut self) {
        let Some(session) = self.link.session() else {
            return;
        };
        let status = match session.stream_status().await {
            Ok(status) => status,
            Err(e) => {
                tracing::debug!(error = %e, "OBS's stream status");
                return;
            }
        };
        let (health, alert) = self.health.sample(std::time::Instant::now(), &status);
        let shown = ObsHealthView::from(&health);
        self.state().update(&self.app, |view| view.health = Some(shown));
        match alert {
            Some(HealthAlert::Reconnecting) => self.state().say(&self.app, ObsNews::ObsReconnecting),
            Some(HealthAlert::DroppingFrames { share }) => self.state().say(
                &self.app,
                ObsNews::DroppingFrames {
                    percent: (share * 1000.0).round() / 10.0,
                },
            ),
            None => {}
        }
    }

    /// Shows which rule ends the job and what the pilot waits for.
    fn show_pilot(&mut self) {
        let rule = self.pilot.stop_rule().map(Into::into);
        let awaiting = self.pilot.awaiting_session();
        // As a wall-clock time, so the window counts down without hearing from here each second;
        // worked out once per pending stop, so the view does not change with every loop.
        let pending = self.pilot.stopping_at();
        if pending != self.stopping.as_ref().map(|(at, _)| *at) {
            self.stopping = pending.map(|at| {
                let left = at.saturating_duration_since(std::time::Instant::now());
                (
                    at,
                    crate::obs::view::epoch_ms(std::time::SystemTime::now() + left),
                )
            });
        }
        let stopping_at = self.stopping.as_ref().map(|(_, shown)| shown.clone());
        self.state().update(&self.app, |view| {
            view.stop_rule = rule;
            view.awaiting_session = awaiting;
            view.stopping_at = stopping_at;
        });
    }

    fn carry_out(&mut self, steps: Vec<Step>) {
        for step in steps {
            match step {
                Step::Say(news) => self.state().say(&self.app, ObsNews::from(&news)),
                Step::GoLive { session_id } => self.go_live(session_id),
                Step::GoLiveWithForm => {
                    // The window has the form: it goes live as its own shortcut does.
                    if let Err(e) = StudioActionRequested(StudioAction::GoLive).emit(&self.app) {
                        tracing::warn!(error = %e, "could not ask the window to go live");
                    }
                }
                Step::Stop { job_id } => self.stop(job_id),
            }
        }
    }

    fn go_live(&self, session_id: String) {
        let app = self.app.clone();
        tauri::async_runtime::spawn(async move {
            let outcome = match app.state::<ServiceState>().studio() {
                Ok(studio) => {
                    let params = GoLiveParams {
                        publisher_session_id: session_id,
                        destinations: studio.destinations_to_go_live(),
                        ..GoLiveParams::default()
                    };
                    match crate::settings::brand::check_platforms(
                        crate::settings::brand::brand(),
                        &params.destinations,
                    ) {
                        Ok(()) => studio.go_live(params).await.map(drop).map_err(AppError::from),
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            if let Err(error) = outcome {
                app.state::<ObsState>().tell(Control::GoLiveFailed(error));
            }
        });
    }

    fn stop(&self, job_id: String) {
        let app = self.app.clone();
        tauri::async_runtime::spawn(async move {
            let Ok(studio) = app.state::<ServiceState>().studio() else {
                return;
            };
            // Only the job the pilot meant: a newer one started meanwhile is not OBS's to stop.
            if studio.media_now().active_job.is_none_or(|(id, _)| id != job_id) {
                return;
            }
            if let Err(e) = studio.stop_live().await {
                let error = AppError::from(e);
                app.state::<ObsState>().say(
                    &app,
                    ObsNews::StopFailed {
                        cause: error.cause,
                        fix: error.fix,
                    },
                );
            }
        });
    }
}
