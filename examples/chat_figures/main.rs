//! The chat figures in `docs/benchmarks.md`: the release studio against the sandbox, beside the
//! in-webview alternative (a blank Tauri window whose page reads the chat with EventSource and
//! fetch, as the web SDK does). Not a test: it prints a Markdown report.
//!
//! ```sh
//! npm run figures                 # builds both apps in release, then runs this
//! SOAK_MINUTES=1 npm run figures  # a shorter soak for a quick look
//! FIGURES_ONLY=studio npm run figures   # one of the two (studio or peer)
//! FIGURES_DETAIL=1 npm run figures   # where each process's PSS lies, mapping by mapping
//! FIGURES_IDLE_ONLY=1 npm run figures   # start-up and idle figures alone, about a minute
//! ```
//!
//! Each app runs on its own X display and D-Bus session, one after the other, with the sandbox
//! in this process. For each it measures: start to interactive; PSS and CPU idle; sender→DOM
//! latency at 200 comments/s merged from five platforms (the sender's stamp is the comment's
//! timestamp; the page records `Date.now()` on the frame after the row appears, so paint is in);
//! PSS and CPU after `SOAK_MINUTES` (default 30) at 50/s; then a 10 s burst at 2,000/s (comments
//! lost from the UI's state, longest gap between animation frames, PSS after it). The floor is
//! the peer before it connects: a blank Tauri window.
//!
//! The example shares the end-to-end tests' harness (by path): launching an app on a desktop of
//! its own, WebDriver helpers, the sandbox's surfaces.

mod figures;
mod load;
mod processes;
mod report;
mod sender;
#[path = "../../tests/e2e/support/mod.rs"]
#[allow(
    dead_code,
    unused_imports,
    reason = "the tests' harness; the figures use part of it"
)]
mod support;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use restream_sandbox::{Ready, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::json;

use figures::{Figures, Subject};
use load::{run_load, settle};
use processes::pss_mib;
use report::print_report;
use support::{Launch, link_platforms};

const PLATFORMS: [&str; 5] = ["twitch", "kick", "youtube", "facebook", "instagram"];

#[tokio::main]
async fn main() -> Result<()> {
    let soak_minutes: u64 = std::env::var("SOAK_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(30);
    let release = support::app_binary()?
        .parent()
        .map(PathBuf::from)
        .context("the release directory")?;
    let studio = Subject {
        name: "Restream Studio (Rust client)",
        binary: release.join("restream-studio"),
        interactive: "[data-testid=platform-list] li",
        taken: "return Number(document.querySelector('[data-testid=chat-list]')?.dataset.commentsTaken ?? 0)",
    };
    let peer = Subject {
        name: "In-webview peer (EventSource + fetch in the page)",
        binary: release.join("restream-studio-peer"),
        interactive: "#state",
        taken: "return window.__added",
    };
    for subject in [&studio, &peer] {
        if !subject.binary.exists() {
            bail!("{} is not built: run `npm run figures`", subject.binary.display());
        }
    }

    let dir = tempfile::tempdir()?;
    let mut config = SandboxConfig::new(dir.path().join("sandbox.db"));
    config.settings.chat_rate_per_second = 0.0;
    config.settings.start_delay_ms = 200;
    let sandbox = Sandbox::start(config).await?;
    let ready = sandbox.ready().clone();

    // FIGURES_ONLY=studio (or peer) measures one of the two.
    let only = std::env::var("FIGURES_ONLY").unwrap_or_default();
    let mut rows = Vec::new();
    if only != "peer" {
        let figures = measure_studio(&studio, &sandbox, dir.path(), soak_minutes).await?;
        eprintln!("studio: {figures:#?}");
        rows.push((&studio, figures));
    }
    if only != "studio" {
        let figures = measure_peer(&peer, &ready, soak_minutes).await?;
        eprintln!("peer: {figures:#?}");
        rows.push((&peer, figures));
    }
    print_report(&rows.iter().map(|(s, f)| (*s, f)).collect::<Vec<_>>());
    sandbox.shutdown().await
}

async fn measure_studio(
    subject: &Subject,
    sandbox: &RunningSandbox,
    dir: &std::path::Path,
    soak: u64,
) -> Result<Figures> {
    let ready = sandbox.ready().clone();
    let launch = Launch::new("figures-studio")
        .binary(subject.binary.clone())
        .service(sandbox)
        .env("RESTREAM_STUDIO_LOG", "warn")
        .browser(dir.join("browser.log"));
    let started = Instant::now();
    let app = launch.start().await?;
    app.wait_for_texts(subject.interactive, |t| t.len() == PLATFORMS.len())
        .await?;
    let mut figures = Figures {
        start_to_interactive: started.elapsed(),
        ..Figures::default()
    };
    link_platforms(&app, &PLATFORMS).await?;
    app.type_into("[data-testid=session-id]", "sess_figures").await?;
    app.click("[data-testid=go-live]").await?;
    app.wait_for_texts("[data-testid=chat-status]", |t| t == ["Live"])
        .await?;
    run_load(&app, subject, &ready, &mut figures, soak).await?;
    let _ = app.client.clone().close().await;
    Ok(figures)
}

async fn measure_peer(subject: &Subject, ready: &Ready, soak: u64) -> Result<Figures> {
    let started = Instant::now();
    let app = Launch::new("figures-peer")
        .binary(subject.binary.clone())
        .start()
        .await?;
    app.wait_for_texts(subject.interactive, |t| !t.is_empty()).await?;
    let mut figures = Figures {
        start_to_interactive: started.elapsed(),
        ..Figures::default()
    };
    // Before it connects, the page is a blank Tauri window: the framework's floor.
    settle().await;
    figures.floor_pss_mib = Some(pss_mib(&app.desktop.display)?);
    let args = json!({
        "base": ready.base_url,
        "key": ready.publishable_key,
        "user": ready.user_id,
    });
    app.client
        .execute("window.startPeer(arguments[0]); return true;", vec![args])
        .await?;
    app.wait_for_texts("#state", |t| t == ["live"]).await?;
    run_load(&app, subject, ready, &mut figures, soak).await?;
    let _ = app.client.clone().close().await;
    Ok(figures)
}
