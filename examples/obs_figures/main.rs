//! The OBS link's figures in `docs/benchmarks.md`: the release studio beside a real OBS (Debian's
//! 29 under Xvfb), a real RTMP ingest (nginx's RTMP module, its hooks calling the sandbox) and the
//! sandbox with its ingest on. Not a test: it prints a Markdown report.
//!
//! ```sh
//! npm run figures:obs     # builds the studio in release, then runs this (about 20 minutes)
//! OBS_IDLE_SECONDS=30 npm run figures:obs   # shorter idle windows for a quick look
//! ```
//!
//! 1. **OBS's `STARTED` → the studio's `POST /jobs`**, ten times: the streamer's hands (a second
//!    obs-websocket client) press Start in OBS; the clock starts when OBS says
//!    `OBS_WEBSOCKET_OUTPUT_STARTED` to them and stops at the job's `createdAt` in the sandbox
//!    (same machine, same clock, milliseconds). The path between: nginx's `on_publish` hook, the
//!    sandbox's session, its `session` event on the studio's chat stream, the studio's pilot, and
//!    its `POST /jobs`.
//! 2. **Idle with the link on against off**: the studio open and not live, its processes' CPU over
//!    `OBS_IDLE_SECONDS` (default 120) three times, and their PSS after each, first with the link
//!    off, then on (linked to an OBS that is not streaming), in the same process.

#[path = "../chat_figures/processes.rs"]
mod processes;
#[path = "../../tests/e2e/support/mod.rs"]
#[allow(
    dead_code,
    unused_imports,
    reason = "the tests' harness; the figures use part of it"
)]
mod support;

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use restream_obs::{ObsEvent, OutputState};
use restream_test_neighbours::free_port;
use restream_test_neighbours::obs::{PASSWORD, RealObs};
use restream_test_neighbours::rtmp::Nginx;
use tokio::sync::mpsc;

use processes::{cpu_percent, pss_mib, ticks_per_second};
use support::{
    Service, current_job, eventually, go_live_with_obs, link_obs, link_platforms, obs_session, set_up_obs,
};

/// The service's reconnect window: short, so each of the ten streams ends quickly.
const GRACE_MS: u64 = 1_000;
const RUNS: usize = 10;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Waits for OBS to tell the hands `wanted`; returns when it did, in ms since the epoch.
async fn until_output(events: &mut mpsc::Receiver<ObsEvent>, wanted: OutputState) -> Result<i64> {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(60), events.recv())
            .await
            .with_context(|| format!("OBS never said {wanted:?}"))?
            .context("OBS went away")?;
        if let ObsEvent::StreamState { state, .. } = event
            && state == wanted
        {
            return Ok(now_ms());
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn spread(values: &[f64]) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

#[tokio::main]
async fn main() -> Result<()> {
    let idle = Duration::from_secs(
        std::env::var("OBS_IDLE_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(120),
    );
    let release = support::app_binary()?
        .parent()
        .map(PathBuf::from)
        .context("the release directory")?
        .join("restream-studio");
    if !release.exists() {
        bail!("{} is not built: run `npm run figures:obs`", release.display());
    }

    let rtmp_port = free_port();
    let service = Service::with_ingest(&format!("rtmp://127.0.0.1:{rtmp_port}/live"), GRACE_MS).await?;
    let ready = service.ready().clone();
    let hook = ready
        .ingest_hook_url
        .clone()
        .context("the sandbox's ingest hook")?;
    let _nginx = Nginx::with_hooks(&service.path("ingest"), rtmp_port, &hook);
    let obs = RealObs::start_on(free_port(), "rtmp://127.0.0.1:9/nowhere");
    let app = service
        .launch("obs-figures")
        .binary(release)
        .keyring()
        .start()
        .await?;
    let display = app.desktop.display.clone();
    let (mut latencies, mut off, mut on) = (Vec::new(), Vec::new(), Vec::new());
    app.run(async |app| {
        link_platforms(app, &["twitch", "kick"]).await?;
        // Idle with the link off (as shipped), settled first. Settings are opened and closed
        // first, as linking OBS does later, so the window's cost of having drawn them is in both
        // figures and the difference is the link's.
        app.wait_for_texts("[data-testid=platform-list] li", |t| t.len() == 5)
            .await?;
        app.click("[data-testid=open-settings]").await?;
        app.element("[data-testid=obs-settings]").await?;
        app.click("[data-testid=open-settings]").await?;
        tokio::time::sleep(Duration::from_secs(10)).await;
        for _ in 0..3 {
            off.push((cpu_percent(&display, idle).await?, pss_mib(&display)?));
        }

        // Linked to OBS (not streaming), settled first.
        link_obs(app, obs.websocket_port, PASSWORD).await?;
        app.wait_for_text_containing("[data-testid=obs-link]", "Linked to OBS")
            .await?;
        tokio::time::sleep(Duration::from_secs(10)).await;
        for _ in 0..3 {
            on.push((cpu_percent(&display, idle).await?, pss_mib(&display)?));
        }

        // Set up OBS, turn the switch on, and go live from OBS ten times.
        set_up_obs(app).await?;
        go_live_with_obs(app).await?;
        let (hands, mut events) = obs_session(obs.websocket_port).await?;
        for run in 0..RUNS {
            let before = current_job(&ready).await?["id"].clone();
            hands.start_stream().await?;
            let started = until_output(&mut events, OutputState::Started).await?;
            let job = eventually("the studio's go-live", || async {
                let job = current_job(&ready).await?;
                Ok((job["id"] != before && job["id"].is_string()).then_some(job))
            })
            .await?;
            let created = job["createdAt"].as_i64().context("the job's createdAt")?;
            let latency = created - started;
            eprintln!("run {run}: STARTED → POST /jobs {latency} ms");
            latencies.push(latency as f64);
            hands.stop_stream().await?;
            until_output(&mut events, OutputState::Stopped).await?;
            eventually("the job to end with the reconnect window", || async {
                let status = current_job(&ready).await?["status"].clone();
                Ok((status != "running" && status != "queued").then_some(()))
            })
            .await?;
        }
        Ok(())
    })
    .await?;

    let hz = ticks_per_second();
    let resolution = 100.0 / hz / idle.as_secs_f64();
    println!("## The OBS link\n");
    let (low, high) = spread(&latencies);
    println!(
        "OBS's STARTED → the studio's POST /jobs, {RUNS} runs: median {:.0} ms (min {low:.0}, max {high:.0}).",
        median(&mut latencies.clone())
    );
    println!(
        "The sandbox's job start delay: 200 ms (after the POST, not in this figure); reconnect window {GRACE_MS} ms.\n"
    );
    println!(
        "| idle, not live, over {} s ×3 | CPU (app + WebKit) | PSS after |",
        idle.as_secs()
    );
    println!("| --- | --- | --- |");
    for (name, runs) in [("OBS link off", &off), ("OBS link on, linked", &on)] {
        let mut cpu: Vec<f64> = runs.iter().map(|r| r.0).collect();
        let mut pss: Vec<f64> = runs.iter().map(|r| r.1).collect();
        let (cpu_low, cpu_high) = spread(&cpu);
        let (pss_low, pss_high) = spread(&pss);
        println!(
            "| {name} | {:.2} % ({cpu_low:.2}–{cpu_high:.2}) | {:.1} MiB ({pss_low:.1}–{pss_high:.1}) |",
            median(&mut cpu),
            median(&mut pss)
        );
    }
    println!(
        "\nCPU from /proc/<pid>/stat (utime + stime) at {hz} ticks/s: one tick over the window is {resolution:.4} % of a core."
    );
    Ok(())
}
