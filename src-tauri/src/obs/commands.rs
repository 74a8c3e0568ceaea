//! The OBS commands the window calls: the view, saving the link's settings (the password to the
//! keychain), "Set up OBS", and "Start streaming in OBS and go live". Each is listed in
//! `bridge::specta_builder` and granted by name in `capabilities/main-window.json`.

use restream_settings::obs_link::ObsLinkSettings;
use tauri::{AppHandle, Manager, State};

use crate::obs::control::Control;
use crate::obs::lifecycle;
use crate::obs::owner::ObsState;
use crate::obs::setup::{self, SetupPreview};
use crate::obs::view::ObsView;
use crate::studio::service::ServiceState;
use crate::support::app_error::AppError;

/// The longest password the form takes (obs-websocket's are 6–64 characters; room to spare).
pub const MAX_OBS_PASSWORD_CHARS: usize = 256;

/// Everything the window shows of OBS.
#[tauri::command]
#[specta::specta]
pub fn obs_view(obs: State<'_, ObsState>) -> ObsView {
    obs.view()
}

/// Saves the OBS link's settings. `password`: absent keeps the saved one, empty removes it.
#[tauri::command]
#[specta::specta]
pub async fn save_obs_settings(
    app: AppHandle,
    settings: ObsLinkSettings,
    password: Option<String>,
) -> Result<ObsView, AppError> {
    if let Some(password) = &password
        && password.chars().count() > MAX_OBS_PASSWORD_CHARS
    {
        return Err(AppError::new(
            "obs_settings_invalid",
            format!("OBS password: at most {MAX_OBS_PASSWORD_CHARS} characters"),
            "Paste the password shown in OBS: Tools → WebSocket Server Settings → Show Connect Info.",
        ));
    }
    settings.check().map_err(|why| {
        AppError::new(
            "obs_settings_invalid",
            why,
            "Correct the field named and save again; nothing was changed.",
        )
    })?;
    let password_changed = password.is_some();
    if let Some(password) = password {
        lifecycle::save_password(&app, password).await?;
    }
    // A new password needs a new handshake.
    lifecycle::save(&app, settings, password_changed).await?;
    Ok(app.state::<ObsState>().view())
}

/// What "Set up OBS" would change: where OBS streams now and where it will (keys masked).
#[tauri::command]
#[specta::specta]
pub async fn obs_setup_preview(
    service: State<'_, ServiceState>,
    obs: State<'_, ObsState>,
) -> Result<SetupPreview, AppError> {
    let session = obs.session()?;
    let ingest = setup::rtmp_ingest(&service.studio()?).await?;
    setup::preview(&session, &ingest).await
}

/// Points OBS's stream at the service's ingest (refused while OBS streams).
#[tauri::command]
#[specta::specta]
pub async fn obs_setup_apply(
    service: State<'_, ServiceState>,
    obs: State<'_, ObsState>,
) -> Result<(), AppError> {
    let session = obs.session()?;
    let ingest = setup::rtmp_ingest(&service.studio()?).await?;
    setup::apply(&session, &ingest).await
}

/// Starts streaming in OBS; once OBS reports the stream started (and, with an ingest, the
/// service sees its session), the studio goes live on the armed destinations.
#[tauri::command]
#[specta::specta]
pub async fn obs_start_and_go_live(obs: State<'_, ObsState>) -> Result<(), AppError> {
    let session = obs.session()?;
    obs.tell(Control::RequestStart);
    if let Err(e) = session.start_stream().await {
        obs.tell(Control::CancelStart);
        return Err(AppError::new(
            "obs_request_failed",
            format!("OBS did not start streaming: {e}"),
            "Check OBS's stream settings (Set up OBS fills them in), then try again.",
        ));
    }
    Ok(())
}
