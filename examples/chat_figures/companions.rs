//! What sits beside the studio through a stream, on while it is measured: OBS linked over its
//! WebSocket (a real OBS, not streaming) and the chat overlay open in Chromium, as OBS's browser
//! source would hold it. `FIGURES_COMPANIONS=0` measures the studio alone.

use anyhow::{Context, Result};
use restream_test_neighbours::free_port;
use restream_test_neighbours::obs::{PASSWORD, RealObs};
use serde_json::json;

use crate::support::{AppSession, OverlayPage, link_obs};

pub struct Companions {
    overlay: OverlayPage,
    // Dropped last: OBS and its display stop with it.
    _obs: RealObs,
}

/// Whether this run measures the studio with its companions (the default).
pub fn wanted() -> bool {
    std::env::var("FIGURES_COMPANIONS").as_deref() != Ok("0")
}

impl Companions {
    /// Links the studio to a new OBS and opens its overlay with the streamer's saved settings.
    pub async fn attach(app: &AppSession) -> Result<Companions> {
        let obs = RealObs::start_on(free_port(), "rtmp://127.0.0.1:9/nowhere");
        link_obs(app, obs.websocket_port, PASSWORD).await?;
        app.wait_for_text_containing("[data-testid=obs-link]", "Linked to OBS")
            .await?;
        let address = app.call_from_page("overlay_address", json!({})).await?;
        let overlay = OverlayPage::open_unwatched(address.as_str().context("the overlay's address")?).await?;
        Ok(Companions { overlay, _obs: obs })
    }

    /// How many rows the overlay shows now: that it is drawing the chat, not just open.
    pub async fn overlay_rows(&self) -> Result<usize> {
        Ok(self.overlay.shown().await?.len())
    }

    pub async fn detach(self) -> Result<()> {
        self.overlay.close().await
    }
}
