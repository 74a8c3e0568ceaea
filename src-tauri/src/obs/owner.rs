//! The one owner of the OBS link in the app: the saved settings, the password in the keychain, the
//! running link and its driver task (restarted when where or how to link changes), and the view
//! the window and the tray show.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use restream_obs::{ObsConfig, ObsLink, PilotSettings, Retry};
use restream_settings::obs_link::{OBS_PASSWORD_SECRET, ObsLinkSettings, ObsLinkState};
use secrecy::SecretString;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::mpsc;

use crate::events::ObsChanged;
use crate::obs::driver::{self, Control};
use crate::obs::view::{ObsNews, ObsView};
use crate::studio::service;
use crate::support::app_error::AppError;

/// How long to wait for OBS to answer a request.
const OBS_TIMEOUT: Duration = Duration::from_secs(5);

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
            if let Err(e) = ObsChanged(view).emit(app) {
                tracing::warn!(error = %e, "could not emit the OBS view");
            }
            crate::desktop::tray::refresh(app);
        }
    }

    /// Records an automatic action or a health alert: in the window, and as a notification.
    pub fn say(&self, app: &AppHandle, news: ObsNews) {
        tracing::info!(?news, "OBS");
        self.update(app, |view| view.record(news.clone()));
        crate::desktop::tray::notify_obs(app, &news);
    }
}

/// obs-websocket's password from the keychain.
async fn password(app: &AppHandle) -> Option<SecretString> {
    let (secrets, _) = service::ensure_secrets(app).await;
    tokio::task::spawn_blocking(move || secrets.load(OBS_PASSWORD_SECRET))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten()
}

/// Saves or removes the password (empty removes it).
pub async fn save_password(app: &AppHandle, password: String) -> Result<(), AppError> {
    let (secrets, _) = service::ensure_secrets(app).await;
    let secret = SecretString::from(password);
    let outcome = tokio::task::spawn_blocking(move || {
        use secrecy::ExposeSecret;
        if secret.expose_secret().is_empty() {
            secrets.delete(OBS_PASSWORD_SECRET)
        } else {
            secrets.save(OBS_PASSWORD_SECRET, &secret)
        }
    })
    .await;
    match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(AppError::new(
            "obs_password_not_saved",
            format!("The OBS password could not be kept in the keychain: {e}"),
            "Unlock the keychain (or start its service) and save again.",
        )),
        Err(e) => Err(AppError::new(
            "obs_password_not_saved",
            format!("The OBS password could not be saved: {e}"),
            "Save again.",
        )),
    }
}

/// Saves the settings whole (checked first) and applies them: a change of where or how to link
/// restarts the link (as `relink` asks for, after a new password); the switches alone reach the
/// running pilot.
pub async fn save(app: &AppHandle, settings: ObsLinkSettings, relink: bool) -> Result<(), AppError> {
    let state = app.state::<ObsState>();
    let before = state.settings();
    state.settings.save(settings.clone()).map_err(|why| {
        AppError::new(
            "obs_settings_invalid",
            why,
            "Correct the field named and save again; nothing was changed.",
        )
    })?;
    let relink = relink
        || before.enabled != settings.enabled
        || before.host != settings.host
        || before.port != settings.port;
    if relink {
        restart(app.clone()).await;
    } else {
        state.update(app, |view| view.settings = settings.clone());
        state.tell(Control::Settings(pilot_settings(&settings)));
    }
    Ok(())
}

/// (Re)starts the link from the saved settings: the old driver ends first.
pub async fn restart(app: AppHandle) {
    let state = app.state::<ObsState>();
    lock(&state.driver).take();
    lock(&state.link).take();
    let settings = state.settings();
    let password = password(&app).await;
    let has_password = password.is_some();
    let mut fresh = ObsView::new(settings.clone(), has_password);
    fresh.activity = state.view().activity;
    state.update(&app, |view| *view = fresh);
    if !settings.enabled {
        return;
    }
    let link = ObsLink::start(
        ObsConfig {
            host: settings.host.clone(),
            port: settings.port,
            password,
            timeout: OBS_TIMEOUT,
        },
        Retry::default(),
    );
    let (tx, rx) = mpsc::unbounded_channel();
    *lock(&state.driver) = Some(tx);
    tauri::async_runtime::spawn(driver::run(
        app.clone(),
        Arc::new(link),
        pilot_settings(&settings),
        rx,
    ));
}

/// Starts the link at launch, if the streamer turned it on.
pub fn start(app: &AppHandle) {
    tauri::async_runtime::spawn(restart(app.clone()));
}
