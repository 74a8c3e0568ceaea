//! The one owner of the OBS link in the app: the saved settings, the password in the keychain, the
//! running link and its driver task (restarted when where or how to link changes), and the view
//! the window and the tray show.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use restream_obs::{ObsLink, PilotSettings};
use restream_settings::obs_link::{ObsLinkSettings, ObsLinkState};
use tauri::AppHandle;
use tauri_specta::Event;
use tokio::sync::mpsc;

use crate::events::ObsChanged;
use crate::obs::control::Control;
use crate::obs::view::{ObsNews, ObsView};
use crate::support::app_error::AppError;

pub struct ObsState {
    settings: ObsLinkState,
    view: Mutex<ObsView>,
    /// The driver of the running link; dropping its sender ends it (and the link with it).
    driver: Mutex<Option<mpsc::UnboundedSender<Control>>>,
    /// The running link, for the commands that ask OBS something.
    link: Mutex<Option<Arc<ObsLink>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The switches and waits the pilot follows.
pub fn pilot_settings(settings: &ObsLinkSettings) -> PilotSettings {
    PilotSettings {
        go_live_on_start: settings.go_live_when_obs_starts,
        stop_on_stop: settings.stop_when_obs_stops,
        session_wait: Duration::from_secs(settings.session_wait_seconds.into()),
        stop_grace: Duration::from_secs(settings.stop_grace_seconds.into()),
    }
}

impl ObsState {
    pub fn load(dir: Option<std::path::PathBuf>) -> ObsState {
        let settings = ObsLinkState::load(dir);
        let view = ObsView::new(settings.get(), false);
        ObsState {
            settings,
            view: Mutex::new(view),
            driver: Mutex::new(None),
            link: Mutex::new(None),
        }
    }

    pub fn view(&self) -> ObsView {
        lock(&self.view).clone()
    }

    pub fn settings(&self) -> ObsLinkSettings {
        self.settings.get()
    }

    /// OBS's session while linked, or why there is none.
    pub fn session(&self) -> Result<Arc<restream_obs::ObsSession>, AppError> {
        lock(&self.link)
            .as_ref()
            .and_then(|link| link.session())
            .ok_or_else(|| {
                AppError::new(
                    "obs_not_linked",
                    "OBS is not linked.",
                    "Turn the OBS link on in Settings and start OBS; the studio links by itself.",
                )
            })
    }

    /// The driver's link is the one commands use.
    pub fn hold_link(&self, link: Arc<ObsLink>) {
        *lock(&self.link) = Some(link);
    }

    /// The driver of `link` ended; a newer link stays.
    pub fn release_link(&self, link: &Arc<ObsLink>) {
        let mut held = lock(&self.link);
        if held.as_ref().is_some_and(|h| Arc::ptr_eq(h, link)) {
            held.take();
        }
    }

    /// Checks and saves the settings whole.
    pub fn save_settings(&self, settings: ObsLinkSettings) -> Result<(), String> {
        self.settings.save(settings)
    }

    /// Ends the running link and its driver, if any.
    pub fn end_link(&self) {
        lock(&self.driver).take();
        lock(&self.link).take();
    }

    /// The new driver's control channel.
    pub fn set_driver(&self, control: mpsc::UnboundedSender<Control>) {
        *lock(&self.driver) = Some(control);
    }

    /// Tells the running driver, if any.
    pub fn tell(&self, control: Control) -> bool {
        lock(&self.driver)
            .as_ref()
            .is_some_and(|tx| tx.send(control).is_ok())
    }

    /// Changes the view and tells the window and the tray when it changed.
    pub fn update(&self, app: &AppHandle, change: impl FnOnce(&mut ObsView)) {
        let changed = {
            let mut view = lock(&self.view);
            let before = view.clone();
            change(&mut view);
            (*view != before).then(|| view.clone())
        };
        if let Some(view) = changed {
            if let Err(e) = ObsChanged(view.clone()).emit(app) {
                tracing::warn!(error = %e, "could not emit the OBS view");
            }
            crate::desktop::tray::show_obs(app, &view);
        }
    }

    /// Records an automatic action or a health alert: in the window, and as a notification.
    pub fn say(&self, app: &AppHandle, news: ObsNews) {
        tracing::info!(?news, "OBS");
        self.update(app, |view| view.record(news.clone()));
        crate::desktop::tray::notify_obs(app, &news);
    }
}
