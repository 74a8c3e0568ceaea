//! The chat overlay as OBS's browser source shows it: the page opened in Debian's Chromium over
//! WebDriver, with a MutationObserver installed at once that logs every message row that ever
//! enters the page's DOM, and when, for the whole test. A marker on `window` tells whether the
//! page was ever reloaded.

use anyhow::{Context, Result};
use fantoccini::{Client, ClientBuilder};
use restream_test_neighbours::chromium::Chromium;
use serde_json::json;

use super::paths::artifacts_dir;

/// What the observer logs, and the marker.
const WATCH: &str = r#"
    window.__marker = arguments[0];
    window.__added = [];
    new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node.nodeType === 1 && node.dataset && node.dataset.id && !node.classList.contains("sample"))
            window.__added.push({ id: node.dataset.id, at: Date.now() });
    }).observe(document.getElementById("chat"), { childList: true, subtree: true });
"#;

pub struct OverlayPage {
    pub client: Client,
    chromium: Chromium,
}

/// A row the page ever added, and when (this computer's clock, ms since the epoch).
#[derive(Debug, Clone)]
pub struct Added {
    pub id: String,
    pub at: i64,
}

impl OverlayPage {
    /// Opens `address` in Chromium and starts logging, with `marker` set on `window`.
    pub async fn open(address: &str, marker: &str) -> Result<OverlayPage> {
        let page = Self::open_unwatched(address).await?;
        page.client.execute(WATCH, vec![json!(marker)]).await?;
        Ok(page)
    }

    /// Opens `address` in Chromium with nothing added to the page (the log of every row would
    /// grow with the chat, which a measure of the page's memory must not count).
    pub async fn open_unwatched(address: &str) -> Result<OverlayPage> {
        let chromium = Chromium::start(&artifacts_dir()?.join("overlay-chromium"));
        let client = ClientBuilder::rustls()?
            .capabilities(chromium.capabilities())
            .connect(&chromium.webdriver_url())
            .await
            .with_context(|| format!("a Chromium session (see {})", chromium.log().display()))?;
        client.goto(address).await?;
        Ok(OverlayPage { client, chromium })
    }

    /// Every row ever added, in order.
    pub async fn added(&self) -> Result<Vec<Added>> {
        let log = self.client.execute("return window.__added;", vec![]).await?;
        Ok(log
            .as_array()
            .context("the page's log")?
            .iter()
            .map(|entry| Added {
                id: entry["id"].as_str().unwrap_or_default().to_owned(),
                at: entry["at"].as_i64().unwrap_or_default(),
            })
            .collect())
    }

    /// The ids of the rows on the page now, top to bottom.
    pub async fn shown(&self) -> Result<Vec<String>> {
        let ids = self
            .client
            .execute(
                "return [...document.querySelectorAll('#chat .row:not(.sample)')].map((r) => r.dataset.id);",
                vec![],
            )
            .await?;
        Ok(super::page::string_list(&ids))
    }

    /// The Chromium this page runs in.
    #[allow(dead_code, reason = "the overlay figures read its processes' memory")]
    pub fn chromium(&self) -> &Chromium {
        &self.chromium
    }

    /// Evaluates `script` in the page.
    pub async fn eval(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        drop(self.chromium);
        Ok(())
    }
}
