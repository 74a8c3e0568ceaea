//! The streamer's steps with OBS: linking it in Settings, and the streamer's own hands on OBS
//! (its Start and Stop buttons, its settings) as a second obs-websocket client.

use std::time::Duration;

use anyhow::Result;
use restream_obs::{ObsConfig, ObsEvent, ObsSession};
use restream_test_neighbours::obs::PASSWORD;
use secrecy::SecretString;
use tokio::sync::mpsc;

use super::launch::AppSession;
use super::wait::eventually;

/// Replaces a field's text as a streamer would: select all, delete, type.
async fn replace_text(app: &AppSession, css: &str, text: &str) -> Result<()> {
    // Ctrl+A, release the modifier, Backspace.
    app.type_into(css, "\u{E009}a\u{E000}\u{E003}").await?;
    app.type_into(css, text).await
}

/// Turns the OBS link on in Settings, at `port` with `password`.
pub async fn link_obs(app: &AppSession, port: u16, password: &str) -> Result<()> {
    app.open_settings().await?;
    app.element("[data-testid=obs-settings]").await?;
    app.click("[data-testid=obs-enabled]").await?;
    replace_text(app, "[data-testid=obs-port]", &port.to_string()).await?;
    app.type_into("[data-testid=obs-password]", password).await?;
    app.click("[data-testid=obs-save]").await?;
    app.wait_for_text_containing("[data-testid=obs-settings] [role=status]", "Saved.")
        .await?;
    app.click("[data-testid=open-settings]").await?;
    Ok(())
}

/// A line of the test's own to OBS, as the streamer's hands on OBS's buttons, and what OBS says
/// on it.
pub async fn obs_session(port: u16) -> Result<(ObsSession, mpsc::Receiver<ObsEvent>)> {
    let config = ObsConfig {
        host: "127.0.0.1".to_owned(),
        port,
        password: Some(SecretString::from(PASSWORD.to_owned())),
        timeout: Duration::from_secs(10),
    };
    eventually("OBS's WebSocket server to answer", || {
        let config = config.clone();
        async move { Ok(ObsSession::connect(&config).await.ok()) }
    })
    .await
}

/// Sets OBS up from the OBS card (the preview must be open already, or is opened here) and waits
/// until the window says it is done.
pub async fn set_up_obs(app: &AppSession) -> Result<()> {
    if app.texts("[data-testid=obs-setup]").await?.is_empty() {
        app.click("[data-testid=obs-set-up]").await?;
    }
    app.click("[data-testid=obs-setup-confirm]").await?;
    app.wait_for_text_containing("[data-testid=obs-setup-done]", "now streams")
        .await?;
    Ok(())
}

/// Turns "Go live everywhere when OBS starts streaming" on from the OBS card, and waits until
/// it is saved (the switch shows what Rust saved).
pub async fn go_live_with_obs(app: &AppSession) -> Result<()> {
    app.click("[data-testid=obs-switch-go-live]").await?;
    eventually("the switch to be saved", || async {
        let on = app
            .element("[data-testid=obs-switch-go-live]")
            .await?
            .prop("checked")
            .await?;
        Ok((on.as_deref() == Some("true")).then_some(()))
    })
    .await?;
    Ok(())
}
