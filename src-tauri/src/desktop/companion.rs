//! The window as a companion beside OBS: the streamer's preferences and what they change about
//! the window (always-on-top, the title bar's theme), and the compact size it snaps to.

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, LogicalSize, Manager, State};

use crate::desktop::window::{COMPACT, MAIN, WIDE, WIDE_FROM};
use crate::settings::preferences::{Language, Preferences, PreferencesState, ThemeChoice};
use crate::support::app_error::AppError;

/// The preferences form's starting point.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PreferencesView {
    pub preferences: Preferences,
    /// The desktop's language, for "System" in the language switch.
    pub system_language: Language,
    /// Global shortcuts another app holds (as keys, e.g. "Ctrl+Shift+F9"): the window says so.
    pub shortcuts_taken: Vec<String>,
}

fn view(preferences: Preferences, shortcuts_taken: Vec<String>) -> PreferencesView {
    PreferencesView {
        preferences,
        system_language: crate::settings::os_language::system_language(),
        shortcuts_taken,
    }
}

/// The saved preferences.
#[tauri::command]
#[specta::specta]
pub fn preferences(state: State<'_, PreferencesState>) -> PreferencesView {
    view(state.get(), Vec::new())
}

/// Saves the preferences and applies them at once.
#[tauri::command]
#[specta::specta]
pub fn save_preferences(
    app: AppHandle,
    state: State<'_, PreferencesState>,
    preferences: Preferences,
) -> Result<PreferencesView, AppError> {
    state.save(preferences).map_err(|why| {
        AppError::new(
            "preferences_not_saved",
            format!("The preferences could not be saved: {why}"),
            "Check the app's settings folder is writable.",
        )
    })?;
    let taken = apply(&app, &preferences);
    // The tray speaks the language just chosen.
    crate::desktop::tray::refresh(&app);
    Ok(view(preferences, taken))
}

/// Makes the window match `preferences`. Each failure is logged, not raised: a window manager
/// that ignores "keep above" must not stop the rest from applying. Returns what the streamer
/// should hear about: the global shortcuts another app holds.
pub fn apply(app: &AppHandle, preferences: &Preferences) -> Vec<String> {
    let taken = crate::desktop::global_shortcuts::apply(app, preferences.global_shortcuts);
    let Some(window) = app.get_webview_window(MAIN) else {
        return taken;
    };
    if let Err(e) = window.set_always_on_top(preferences.always_on_top) {
        tracing::warn!(error = %e, "could not change always-on-top");
    }
    let theme = match preferences.theme {
        ThemeChoice::System => None,
        ThemeChoice::Light => Some(tauri::Theme::Light),
        ThemeChoice::Dark => Some(tauri::Theme::Dark),
    };
    if let Err(e) = window.set_theme(theme) {
        tracing::warn!(error = %e, "could not change the window's theme");
    }
    taken
}

/// The wide size to go back to when leaving compact.
#[derive(Default)]
pub struct WideSize(std::sync::Mutex<Option<(f64, f64)>>);

/// Snaps the window to the compact size, or back to the wide size it had. Returns whether it is
/// compact now.
#[tauri::command]
#[specta::specta]
pub fn toggle_compact(app: AppHandle, wide: State<'_, WideSize>) -> Result<bool, AppError> {
    let failed = |e: tauri::Error| {
        AppError::new(
            "resize_failed",
            format!("The window could not be resized: {e}"),
            "Resize it by dragging its edge.",
        )
    };
    let window = app
        .get_webview_window(MAIN)
        .ok_or_else(|| AppError::new("no_window", "The studio's window is gone.", "Restart the app."))?;
    let scale = window.scale_factor().map_err(failed)?;
    let size = window.inner_size().map_err(failed)?.to_logical::<f64>(scale);
    let mut remembered = wide.0.lock().unwrap_or_else(|e| e.into_inner());
    let (target, compact) = if size.width >= WIDE_FROM {
        *remembered = Some((size.width, size.height));
        (COMPACT, true)
    } else {
        (remembered.unwrap_or(WIDE), false)
    };
    if window.is_maximized().unwrap_or(false) {
        window.unmaximize().map_err(failed)?;
    }
    window
        .set_size(LogicalSize::new(target.0, target.1))
        .map_err(failed)?;
    Ok(compact)
}
