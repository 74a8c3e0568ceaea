//! Starting, restarting and reconfiguring the OBS link: the saved settings and the keychain
//! password in, a running link and its driver out. The wiring between the link's owner
//! (`owner`) and its driver (`driver`).

use std::sync::Arc;
use std::time::Duration;

use restream_obs::{ObsConfig, ObsLink, Retry};
use restream_settings::obs_link::{OBS_PASSWORD_SECRET, ObsLinkSettings};
use secrecy::SecretString;
use tauri::{AppHandle, Manager};
use tokio::sync::mpsc;

use crate::obs::control::Control;
use crate::obs::driver;
use crate::obs::owner::{ObsState, pilot_settings};
use crate::obs::view::ObsView;
use crate::studio::service;
use crate::support::app_error::AppError;

/// How long to wait for OBS to answer a request.
const OBS_TIMEOUT: Duration = Duration::from_secs(5);

/// obs-websocket's password from the keychain.
async fn password(app: &AppHandle) -> Option<SecretString> {
    let (secrets, _) = service::ensure_secrets(app).await;
    tokio::task::spawn_blocking(move || secrets.load(OBS_PASSWORD_SECRET))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten()
}

/// Saves or removes the password (empty removes it), and shows whether one is kept.
pub async fn save_password(app: &AppHandle, password: String) -> Result<(), AppError> {
    let (secrets, _) = service::ensure_secrets(app).await;
    let kept = !password.is_empty();
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
        Ok(Ok(())) => {
            app.state::<ObsState>()
                .update(app, |view| view.has_password = kept);
            Ok(())
        }
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
    state.save_settings(settings.clone()).map_err(|why| {
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

/// Turns one of the switches over (the tray's menu), as the window's switch does.
pub fn flip_switch(app: &AppHandle, go_live: bool) {
    let mut settings = app.state::<ObsState>().settings();
    if go_live {
        settings.go_live_when_obs_starts = !settings.go_live_when_obs_starts;
    } else {
        settings.stop_when_obs_stops = !settings.stop_when_obs_stops;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = save(&app, settings, false).await {
            tracing::warn!(cause = %e.cause, "the tray could not change an OBS switch");
        }
    });
}

/// (Re)starts the link from the saved settings: the old driver ends first.
pub async fn restart(app: AppHandle) {
    let state = app.state::<ObsState>();
    state.end_link();
    let settings = state.settings();
    let before = state.view();
    if !settings.enabled {
        // Off (as shipped): the keychain is not asked, so a start with the link off does no
        // keychain work for it; whether a password is kept stays as last known.
        let mut fresh = ObsView::new(settings, before.has_password);
        fresh.activity = before.activity;
        state.update(&app, |view| *view = fresh);
        return;
    }
    let password = password(&app).await;
    let mut fresh = ObsView::new(settings.clone(), password.is_some());
    fresh.activity = before.activity;
    state.update(&app, |view| *view = fresh);
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
    state.set_driver(tx);
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
