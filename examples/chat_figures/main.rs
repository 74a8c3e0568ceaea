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
//! FIGURES_START_ONLY=1 npm run figures  # the start figure alone (START_LAUNCHES, default 10)
//! START_LAUNCHES=0 npm run figures      # no start figure (an older build without the page's marks)
//! IDLE_SECONDS=60 npm run figures       # each of the three idle windows (default 120 s)
//! FIGURES_IDLE_SCRIPT='…' npm run figures   # runs this in the page before the idle figures
//! FIGURES_SOAK_SCRIPT='…' npm run figures   # this before the soak; `window.__soak` printed after
//! SOAK_MINUTES=60 FIGURES_ONLY=studio npm run figures  # a whole stream's soak, drawn in docs/soak.svg
//! ```
//!
//! Each app runs on its own X display and D-Bus session, one after the other, with the sandbox
//! in this process. First each app is launched `START_LAUNCHES` times, the two in turn, and each
//! start timed from the binary's exec to the frame showing the service's platforms (start.rs).
//! Then, for each: PSS and CPU idle; sender→DOM
//! latency at 200 comments/s merged from five platforms (the sender's stamp is the comment's
//! timestamp; the page records `Date.now()` on the frame after the row appears, so paint is in);
//! PSS and CPU after `SOAK_MINUTES` (default 30) at 50/s; then a 10 s burst at 2,000/s (comments
//! lost from the UI's state, longest gap between animation frames, PSS after it). The floor is
//! the peer before it connects: a blank Tauri window. The studio is measured as a streamer runs
//! it, linked to a real OBS and with its chat overlay open in Chromium (companions.rs); the peer
//! has neither.
//!
//! The example shares the end-to-end tests' harness (by path): launching an app on a desktop of
//! its own, WebDriver helpers, the sandbox's surfaces.

mod chart;
mod companions;
mod figures;
mod load;
mod processes;
mod report;
mod sender;
mod start;
#[path = "../../tests/e2e/support/mod.rs"]
#[allow(
    dead_code,
    unused_imports,
    reason = "the tests' harness; the figures use part of it"
)]
mod support;

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use restream_sandbox::{Ready, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::json;

use companions::Companions;
use figures::{Figures, Subject};
use load::{run_load, settle};
use processes::pss_mib;
use report::{print_report, print_start_breakdown};
use start::StartRun;
use support::{AppSession, Launch, link_platforms};

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
    let mut subjects = Vec::new();
    if only != "peer" {
        let launch = Launch::new("figures-studio-start")
            .service(&sandbox)
            .keyring()
            .env("RESTREAM_STUDIO_LOG", "warn,restream_studio::start=info");
        subjects.push((&studio, launch));
    }
    if only != "studio" {
        let launch = Launch::new("figures-peer-start")
            .env("PEER_API_BASE", &ready.base_url)
            .env(
                "PEER_PUBLISHABLE_KEY",
                ready.publishable_key.clone().unwrap_or_default(),
            )
            .env("PEER_USER_ID", ready.user_id.clone().unwrap_or_default());
        subjects.push((&peer, launch));
    }
    let starts = measure_starts(&subjects).await?;

    let mut rows = Vec::new();
    for ((subject, _), starts) in subjects.iter().zip(starts) {
        let mut figures = Figures {
            starts,
            ..Figures::default()
        };
        if std::env::var_os("FIGURES_START_ONLY").is_none() {
            if std::ptr::eq(*subject, &studio) {
                measure_studio(subject, &sandbox, dir.path(), soak_minutes, &mut figures).await?;
            } else {
                if only == "peer" {
                    // The job the peer reads is started as the streamer would: with the studio,
                    // which then quits (the job runs on in the service).
                    let app = studio_live(&studio, &sandbox, dir.path()).await?;
                    let _ = app.client.clone().close().await;
                }
                measure_peer(subject, &ready, soak_minutes, &mut figures).await?;
            }
        }
        let app = if std::ptr::eq(*subject, &studio) {
            "studio"
        } else {
            "peer"
        };
        if soak_minutes >= chart::CHART_FROM_MINUTES && !figures.soak.is_empty() {
            let picture = chart::save_soak(app, &figures.soak)?;
            eprintln!("the soak is drawn in {}", picture.display());
        }
        eprintln!("{}: {figures:#?}", subject.name);
        rows.push((*subject, figures));
    }
    let table: Vec<_> = rows.iter().map(|(s, f)| (*s, f)).collect();
    print_report(&table);
    print_start_breakdown(&table);
    sandbox.shutdown().await
}

/// Launches each app `START_LAUNCHES` times, taking turns, so the machine's moods fall on both.
async fn measure_starts(subjects: &[(&Subject, Launch)]) -> Result<Vec<Vec<StartRun>>> {
    let dir = tempfile::tempdir()?;
    let mut runs = vec![Vec::new(); subjects.len()];
    for n in 0..start::launches() {
        for (i, (subject, launch)) in subjects.iter().enumerate() {
            let run =
                start::measure_start(launch, &subject.binary, dir.path(), n * subjects.len() + i).await?;
            eprintln!("start of {} #{n}: {:.0} ms", subject.name, run.drawn_ms);
            runs[i].push(run);
        }
    }
    Ok(runs)
}

async fn measure_studio(
    subject: &Subject,
    sandbox: &RunningSandbox,
    dir: &std::path::Path,
    soak: u64,
    figures: &mut Figures,
) -> Result<()> {
    let app = studio_live(subject, sandbox, dir).await?;
    let companions = if companions::wanted() {
        Some(Companions::attach(&app).await?)
    } else {
        None
    };
    run_load(&app, subject, sandbox.ready(), figures, soak).await?;
    if let Some(companions) = companions {
        figures.overlay_rows = Some(companions.overlay_rows().await?);
        companions.detach().await?;
    }
    let _ = app.client.clone().close().await;
    Ok(())
}

/// The studio, launched, with the five platforms linked and a job live on them.
async fn studio_live(
    subject: &Subject,
    sandbox: &RunningSandbox,
    dir: &std::path::Path,
) -> Result<AppSession> {
    let launch = Launch::new("figures-studio")
        .binary(subject.binary.clone())
        .service(sandbox)
        .env("RESTREAM_STUDIO_LOG", "warn")
        .browser(dir.join("browser.log"));
    let app = launch.start().await?;
    app.wait_for_texts(subject.interactive, |t| t.len() == PLATFORMS.len())
        .await?;
    link_platforms(&app, &PLATFORMS).await?;
    app.type_into("[data-testid=session-id]", "sess_figures").await?;
    app.click("[data-testid=go-live]").await?;
    app.wait_for_texts("[data-testid=chat-status]", |t| t == ["Live"])
        .await?;
    Ok(app)
}

async fn measure_peer(subject: &Subject, ready: &Ready, soak: u64, figures: &mut Figures) -> Result<()> {
    // Without a service in its environment the peer's page stays blank until `startPeer`.
    let app = Launch::new("figures-peer")
        .binary(subject.binary.clone())
        .start()
        .await?;
    app.wait_for_texts(subject.interactive, |t| !t.is_empty()).await?;
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
    run_load(&app, subject, ready, figures, soak).await?;
    let _ = app.client.clone().close().await;
    Ok(())
}
