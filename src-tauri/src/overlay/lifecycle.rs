//! Starting the chat overlay and making it a new address: the owner's work, with the secret store
//! the studio chose (the keychain, or memory for this session) handed to it.

use std::sync::Arc;

use tauri::{AppHandle, Manager};

use crate::overlay::owner::OverlayOwner;
use crate::overlay::view::OverlayView;
use crate::settings::keychain::SecretStorage;
use crate::studio::service;
use crate::support::app_error::AppError;

/// Starts the overlay and its release timer.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let owner = app.state::<OverlayOwner>();
        tauri::async_runtime::spawn(Arc::clone(owner.hub()).run_timer());
        let (secrets, storage) = service::ensure_secrets(&app).await;
        owner
            .start(&app, secrets, storage == SecretStorage::Keychain)
            .await;
    });
}

/// A new address; pages opened with the old one stop at once.
pub async fn rotate(app: &AppHandle) -> Result<OverlayView, AppError> {
    let (secrets, storage) = service::ensure_secrets(app).await;
    app.state::<OverlayOwner>()
        .rotate(app, secrets, storage == SecretStorage::Keychain)
        .await
}
