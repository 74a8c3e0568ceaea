//! The window's commands for the chat overlay and for moderating chat.

use restream_client::{ModerationRequest, ModerationResult};
use restream_settings::overlay::OverlaySettings;
use restream_settings::overlay_hidden::MAX_COMMENT_ID_CHARS;
use tauri::{AppHandle, State};

use crate::overlay::owner::OverlayOwner;
use crate::overlay::view::OverlayView;
use crate::studio::service::ServiceState;
use crate::support::app_error::AppError;

/// Comment and author ids, and a moderation's reason, are the service's or the streamer's; these
/// bounds only keep a hostile webview from handing over megabytes. A hidden message's id is kept
/// between runs, under the same bound.
const MAX_ID_CHARS: usize = MAX_COMMENT_ID_CHARS;
const MAX_REASON_CHARS: usize = 500;

/// The overlay's settings and state.
#[tauri::command]
#[specta::specta]
pub fn overlay_view(owner: State<'_, OverlayOwner>) -> OverlayView {
    owner.view()
}

/// Saves the overlay's settings whole (checked first: a refused save changes nothing). The open
/// pages restyle at once; OBS's source never needs editing.
#[tauri::command]
#[specta::specta]
pub async fn save_overlay_settings(
    app: AppHandle,
    owner: State<'_, OverlayOwner>,
    settings: OverlaySettings,
) -> Result<OverlayView, AppError> {
    owner.save(&app, settings).await
}

/// The page's full address for OBS's browser source (its secret included), while it is served.
#[tauri::command]
#[specta::specta]
pub fn overlay_address(owner: State<'_, OverlayOwner>) -> Result<String, AppError> {
    owner.address()
}

/// A new address: pages opened with the old one stop at once, and OBS needs the new one.
#[tauri::command]
#[specta::specta]
pub async fn rotate_overlay_address(app: AppHandle) -> Result<OverlayView, AppError> {
    crate::overlay::lifecycle::rotate(&app).await
}

fn too_long(what: &str, text: Option<&str>, max: usize) -> Result<(), AppError> {
    match text {
        Some(t) if t.chars().count() > max => Err(AppError::new(
            "invalid_request",
            format!("The {what} is over {max} characters."),
            "Shorten it and try again.",
        )),
        _ => Ok(()),
    }
}

/// Takes one message off the overlay only; the platforms keep it. Held, it never shows.
#[tauri::command]
#[specta::specta]
pub fn hide_from_overlay(owner: State<'_, OverlayOwner>, comment_id: String) -> Result<(), AppError> {
    too_long("comment id", Some(&comment_id), MAX_ID_CHARS)?;
    owner.hide(&comment_id);
    Ok(())
}

/// Deletes a comment, or times out, bans or unbans its author, on the comment's platform. What
/// was done comes back through the chat, in order, and that is what changes the window and the
/// overlay; a refusal changes nothing.
#[tauri::command]
#[specta::specta]
pub async fn moderate_chat(
    service: State<'_, ServiceState>,
    request: ModerationRequest,
) -> Result<ModerationResult, AppError> {
    too_long("comment id", request.comment_id.as_deref(), MAX_ID_CHARS)?;
    too_long("author id", request.author_id.as_deref(), MAX_ID_CHARS)?;
    too_long("reason", request.reason.as_deref(), MAX_REASON_CHARS)?;
    Ok(service.studio()?.moderate(request).await?)
}
