//! The settings commands: where secrets are kept, the saved service settings, checking a draft
//! by the rules that start the service, and saving it (which restarts the studio). Each is listed
//! in `bridge::specta_builder` and granted by name in `capabilities/main-window.json`.

use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::settings::keychain::SecretStorage;
use crate::settings::{brand, service_config, settings_file};
use crate::studio::service::{self, ServiceState};
use crate::support::app_error::AppError;

/// Where the studio keeps secrets (`null` when nothing secret needs keeping).
#[tauri::command]
#[specta::specta]
pub fn secret_storage(service: State<'_, ServiceState>) -> Option<SecretStorage> {
    service.storage()
}

/// The settings form's starting point.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The saved settings, without the publishable key.
    pub draft: settings_file::SettingsDraft,
    /// Whether a publishable key is saved (leave the field empty to keep it).
    pub has_publishable_key: bool,
    /// The environment chooses the service; saving changes nothing until it does not.
    pub from_environment: bool,
    /// Where a saved key or sign-in is kept: with no keychain, only until the app quits, which
    /// the form says before the streamer saves.
    pub secrets: SecretStorage,
}

/// What is wrong with a draft, and what only deserves a warning.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsCheck {
    pub problem: Option<AppError>,
    pub warning: Option<String>,
}

/// The app's settings folder, or why there is none.
fn config_dir(app: &tauri::AppHandle) -> Result<std::path::PathBuf, AppError> {
    use tauri::Manager;
    app.path().app_config_dir().map_err(|e| {
        AppError::new(
            "no_config_dir",
            format!("The app has no settings folder: {e}"),
            "Check your home folder's permissions.",
        )
    })
}

/// The saved settings.
#[tauri::command]
#[specta::specta]
pub async fn settings_view(app: tauri::AppHandle) -> Result<SettingsView, AppError> {
    let (secrets, storage) = service::ensure_secrets(&app).await;
    let dir = config_dir(&app)?;
    let mut draft =
        settings_file::load(&dir, &*secrets).unwrap_or_else(|| brand::default_draft(brand::brand()));
    let has_publishable_key = !draft.publishable_key.is_empty();
    draft.publishable_key.clear();
    Ok(SettingsView {
        draft,
        has_publishable_key,
        from_environment: service::from_environment(),
        secrets: storage,
    })
}

/// Judges a draft with the same rules that start the service.
#[tauri::command]
#[specta::specta]
pub fn check_settings(draft: settings_file::SettingsDraft) -> SettingsCheck {
    judge(&draft)
}

fn judge(draft: &settings_file::SettingsDraft) -> SettingsCheck {
    use service_config::ServiceChoice;
    let problem = match brand::choose(
        brand::brand(),
        service_config::SettingsSource::Settings,
        draft.vars(),
    ) {
        ServiceChoice::Invalid { cause, fix } => Some(AppError::new("settings_invalid", cause, fix)),
        _ => None,
    };
    let loopback = restream_client::ApiBase::parse(&draft.api_base)
        .is_ok_and(|base| service_config::is_loopback_base(&base));
    let warning =
        (draft.mode == settings_file::SettingsMode::PublishableKey && problem.is_none() && !loopback)
            .then(|| service_config::PUBLISHABLE_KEY_WARNING.to_owned());
    SettingsCheck { problem, warning }
}

/// Saves the settings and restarts the studio with them.
#[tauri::command]
#[specta::specta]
pub async fn save_settings(
    app: tauri::AppHandle,
    mut draft: settings_file::SettingsDraft,
) -> Result<(), AppError> {
    if service::from_environment() {
        return Err(AppError::new(
            "settings_from_environment",
            "This studio's service is set by environment variables.",
            "Unset RESTREAM_STUDIO_API_BASE to use the settings saved here.",
        ));
    }
    let (secrets, _) = service::ensure_secrets(&app).await;
    let dir = config_dir(&app)?;
    // An empty key field keeps the saved key.
    if draft.mode == settings_file::SettingsMode::PublishableKey
        && draft.publishable_key.trim().is_empty()
        && let Some(saved) = settings_file::load(&dir, &*secrets)
    {
        draft.publishable_key = saved.publishable_key;
    }
    if let Some(problem) = judge(&draft).problem {
        return Err(problem);
    }
    settings_file::save(&dir, &*secrets, &draft).map_err(|why| {
        AppError::new(
            "settings_not_saved",
            format!("The settings could not be saved: {why}"),
            "Check the app's settings folder is writable.",
        )
    })?;
    service::restart(app).await;
    Ok(())
}
