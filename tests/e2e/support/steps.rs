//! The streamer's steps that many journeys share: seeing the platforms listed, linking platforms
//! through the stand-in browser, going live, and copying the diagnostics from Settings.

use anyhow::Result;

use super::launch::AppSession;
use super::wait::eventually;

/// The platforms the sandbox offers, in the order the app lists them.
const PLATFORM_NAMES: [&str; 5] = ["Twitch", "Kick", "YouTube", "Facebook", "Instagram"];

/// Whether `texts` (of `[data-testid=platform-list] li`) name every platform, in order.
fn platform_names_shown(texts: &[String]) -> bool {
    texts.len() == PLATFORM_NAMES.len() && texts.iter().zip(PLATFORM_NAMES).all(|(t, n)| t.contains(n))
}

/// Waits until the platform list names every platform the service offers, in order.
pub async fn platforms_listed(app: &AppSession) -> Result<()> {
    app.wait_for_texts("[data-testid=platform-list] li", platform_names_shown)
        .await?;
    Ok(())
}

/// Links `platforms` through the stand-in browser.
pub async fn link_platforms(app: &AppSession, platforms: &[&str]) -> Result<()> {
    for platform in platforms {
        app.click(&format!("[data-testid=connect-{platform}]")).await?;
        app.wait_for_texts(&format!("[data-testid=linked-{platform}]"), |t| !t.is_empty())
            .await?;
    }
    Ok(())
}

/// Goes live with `session` on what is linked, and waits until the job is live.
pub async fn go_live(app: &AppSession, session: &str) -> Result<()> {
    app.type_into("[data-testid=session-id]", session).await?;
    app.click("[data-testid=go-live]").await?;
    app.wait_for_texts("[data-testid=job-status]", |t| t == ["Live"])
        .await?;
    Ok(())
}

/// Links `platforms` through the stand-in browser and goes live with `session`, chat and all.
pub async fn go_live_with(app: &AppSession, platforms: &[&str], session: &str) -> Result<()> {
    link_platforms(app, platforms).await?;
    go_live(app, session).await?;
    app.wait_for_texts("[data-testid=chat-status]", |t| t == ["Live"])
        .await?;
    Ok(())
}

/// Copies the diagnostics from Settings and returns their text.
async fn diagnostics(app: &AppSession) -> Result<String> {
    app.open_settings().await?;
    app.click("[data-testid=copy-diagnostics]").await?;
    eventually("the diagnostics", || async {
        let value = app
            .client
            .execute(
                "return document.querySelector('[data-testid=diagnostics-text]')?.value ?? ''",
                vec![],
            )
            .await?;
        let text = value.as_str().unwrap_or_default().to_owned();
        Ok(text.contains("Recent problems").then_some(text))
    })
    .await
}

/// Copies the diagnostics from Settings and checks they say `mentions`; returns their text.
pub async fn diagnostics_mentioning(app: &AppSession, mentions: &str) -> Result<String> {
    let text = diagnostics(app).await?;
    anyhow::ensure!(text.contains(mentions), "{text}");
    Ok(text)
}
