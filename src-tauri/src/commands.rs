//! Commands the UI may call. Each is listed in `bridge::specta_builder` and granted by name in
//! `capabilities/main-window.json`.

use restream_client::PlatformInfo;
use tauri::State;

use crate::app_error::AppError;
use crate::deep_link::DeepLinkInbox;
use crate::events::DeepLinkReceived;
use crate::service::{ServiceState, ServiceStatus};

/// The service's current status (events carry every later change).
#[tauri::command]
#[specta::specta]
pub fn service_status(service: State<'_, ServiceState>) -> ServiceStatus {
    service.status()
}

/// The platforms the service offers and whether the operator enabled each.
#[tauri::command]
#[specta::specta]
pub async fn platforms(service: State<'_, ServiceState>) -> Result<Vec<PlatformInfo>, AppError> {
    let studio = service.studio()?;
    Ok(studio.platforms().await?)
}

/// Deep links received so far, newest last (events carry every later one).
#[tauri::command]
#[specta::specta]
pub fn recent_deep_links(inbox: State<'_, DeepLinkInbox>) -> Vec<DeepLinkReceived> {
    inbox.recent()
}
