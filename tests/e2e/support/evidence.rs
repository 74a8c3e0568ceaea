//! What a run leaves behind: a screenshot of every launch's last screen, and on failure the page
//! source too, under `test-artifacts/e2e/`. WebKit's screenshot waits for a painted frame, and a
//! window painting without compositing paints none while the page is still, so the page keeps a
//! transparent pixel repainting while one is taken.

use anyhow::{Context, Result};

use super::launch::AppSession;
use super::paths::artifacts_dir;
use super::wait::UI_TIMEOUT;

/// Page script: repaints a transparent 1 px element outside `<body>` for 120 frames, then removes it.
const KEEP_PAINTING: &str = "
    const pixel = document.createElement('div');
    pixel.setAttribute('aria-hidden', 'true');
    pixel.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none';
    document.documentElement.append(pixel);
    let frame = 0;
    (function paint() {
        pixel.style.background = frame++ % 2 ? 'rgba(0,0,0,0.01)' : 'transparent';
        if (frame < 120) requestAnimationFrame(paint); else pixel.remove();
    })();
";

impl AppSession {
    /// Runs `body`; on failure saves a screenshot and the page source before returning the error.
    pub async fn run(self, body: impl AsyncFnOnce(&AppSession) -> Result<()>) -> Result<()> {
        let outcome = self.check(body).await;
        let _ = self.client.clone().close().await;
        outcome
    }

    /// Runs `body` and keeps the app running; on failure saves a screenshot and the page source.
    pub async fn check(&self, body: impl AsyncFnOnce(&AppSession) -> Result<()>) -> Result<()> {
        let outcome = body(self).await;
        if let Err(error) = &outcome {
            let saved = self.save_evidence().await;
            eprintln!("{}: failed: {error:#}\n{saved}", self.name());
        } else {
            // Screens of passing runs are kept too: they are what the app looked like.
            let _ = self.screenshot("").await;
        }
        outcome
    }

    async fn save_evidence(&self) -> String {
        let shot = self.screenshot("-failure").await;
        let source = match self.client.source().await {
            Ok(html) => {
                let path = artifacts_dir().map(|d| d.join(format!("{}-failure.html", self.name())));
                match path.and_then(|p| std::fs::write(&p, html).map(|()| p).map_err(Into::into)) {
                    Ok(p) => format!("page source: {}", p.display()),
                    Err(e) => format!("page source not saved: {e}"),
                }
            }
            Err(e) => format!("page source unavailable: {e}"),
        };
        format!("{shot}\n{source}")
    }

    async fn screenshot(&self, suffix: &str) -> String {
        let result = async {
            let path = artifacts_dir()?.join(format!("{}{suffix}.png", self.name()));
            self.save_screen(&path).await?;
            anyhow::Ok(path)
        }
        .await;
        match result {
            Ok(path) => format!("screenshot: {}", path.display()),
            Err(e) => format!("screenshot not saved: {e:#}"),
        }
    }

    /// Saves what the window shows with `css` scrolled to the top as
    /// `test-artifacts/e2e/readme/<file>`: the README's pictures, current with every run
    /// (`npm run screenshots` copies them to docs/screenshots/).
    pub async fn readme_picture(&self, file: &str, css: &str) -> Result<()> {
        let scroll = "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' });";
        self.client.execute(scroll, vec![serde_json::json!(css)]).await?;
        let dir = artifacts_dir()?.join("readme");
        std::fs::create_dir_all(&dir)?;
        self.save_screen(&dir.join(file)).await
    }

    async fn save_screen(&self, path: &std::path::Path) -> Result<()> {
        // Let WebKit paint what the DOM holds before capturing it.
        let paint =
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));";
        self.client.execute_async(paint, vec![]).await?;
        // WebKit's screenshot waits for the next painted frame, and a window painting without
        // compositing (the studio's default) paints none while nothing on the page changes:
        // the command would wait forever. The page keeps painting a transparent pixel for a
        // couple of seconds, outside <body>, so that frame comes.
        self.client.execute(KEEP_PAINTING, vec![]).await?;
        let png = tokio::time::timeout(UI_TIMEOUT, self.client.screenshot())
            .await
            .context("WebKit painted no frame for the screenshot")??;
        std::fs::write(path, png)?;
        Ok(())
    }
}
