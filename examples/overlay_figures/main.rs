//! The chat overlay's figures in `docs/benchmarks.md`: the release studio live on five platforms
//! against the sandbox, its overlay page open in Debian's Chromium (what OBS's browser source is
//! underneath) with no hold. Not a test: it prints a Markdown report.
//!
//! ```sh
//! npm run figures:overlay                          # about 32 minutes
//! OVERLAY_SOAK_MINUTES=2 npm run figures:overlay   # a quick look
//! ```
//!
//! 1. **Sender → drawn in the overlay** at 200 comments/s merged from five platforms, for 10 s
//!    after a second of warm-up: the sender's stamp is the comment's timestamp (the sandbox, in
//!    this process, stamps it as it sends); the page records `Date.now()` on the animation frame
//!    after the row enters its DOM, so paint is in. This bounds "received by the studio → drawn"
//!    from above by the loopback hop from the sandbox to the studio.
//! 2. **The overlay page's memory at 50 comments/s** for `OVERLAY_SOAK_MINUTES` (default 30): the
//!    PSS of Chromium's renderer process(es) for the page, and of all of this Chromium's processes,
//!    every 30 s. The measuring script of (1) is gone by then, and nothing else is added to the
//!    page, so what grows is the page's own.

#[path = "../chat_figures/processes.rs"]
#[allow(dead_code, reason = "shared with the chat figures; these use part of it")]
mod processes;
#[path = "../chat_figures/sender.rs"]
mod sender;
#[path = "../../tests/e2e/support/mod.rs"]
#[allow(
    dead_code,
    unused_imports,
    reason = "the tests' harness; the figures use part of it"
)]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;

use sender::send_at;
use support::{OverlayPage, Service, current_job, go_live_with};

const PLATFORMS: [&str; 5] = ["twitch", "kick", "youtube", "facebook", "instagram"];
const SAMPLE_EVERY: Duration = Duration::from_secs(30);

/// Records, in the overlay page, each row's sender→drawn latency.
const INSTRUMENT: &str = r#"
  window.__lat = [];
  window.__latObserver = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (!(node instanceof Element) || !node.dataset.saidAt || node.classList.contains("sample")) continue;
      const said = Number(node.dataset.saidAt);
      requestAnimationFrame(() => window.__lat.push(Date.now() - said));
    }
  });
  window.__latObserver.observe(document.getElementById("chat"), { childList: true });
  return true;
"#;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// PSS in MiB of this Chromium's processes: (renderers, all).
fn chromium_pss(profile: &Path) -> Result<(f64, f64)> {
    let marker = profile.to_string_lossy().into_owned();
    let (mut renderers, mut all) = (0u64, 0u64);
    for entry in std::fs::read_dir("/proc")? {
        let name = entry?.file_name();
        let Ok(pid) = name.to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if !cmdline.contains(&marker) {
            continue;
        }
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let kib = rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        all += kib;
        if cmdline.contains("--type=renderer") {
            renderers += kib;
        }
    }
    if all == 0 {
        bail!("no Chromium process with profile {marker}");
    }
    Ok((renderers as f64 / 1024.0, all as f64 / 1024.0))
}

#[tokio::main]
async fn main() -> Result<()> {
    let soak_minutes: u64 = std::env::var("OVERLAY_SOAK_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(30);
    let release = support::app_binary()?
        .parent()
        .map(PathBuf::from)
        .context("the release directory")?
        .join("restream-studio");
    if !release.exists() {
        bail!(
            "{} is not built: run `npm run figures:overlay`",
            release.display()
        );
    }
    let service = Service::quiet().await?;
    let ready = service.ready().clone();
    let app = service
        .launch("overlay-figures")
        .binary(release)
        .keyring()
        .start()
        .await?;
    let mut latencies = Vec::new();
    let mut samples: Vec<(f64, f64, f64)> = Vec::new();
    let mut sent_in_soak = 0;
    app.run(async |app| {
        go_live_with(app, &PLATFORMS, "sess_overlay_figures").await?;
        let mut settings = app.call_from_page("overlay_view", json!({})).await?["settings"].clone();
        settings["holdSeconds"] = json!(0);
        app.call_from_page("save_overlay_settings", json!({ "settings": settings }))
            .await?;
        let address = app.call_from_page("overlay_address", json!({})).await?;
        let page = OverlayPage::open_unwatched(address.as_str().context("the address")?).await?;
        let job = current_job(&ready).await?["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();

        page.eval(INSTRUMENT).await?;
        send_at(&ready, &job, 200, Duration::from_secs(1)).await?;
        page.eval("window.__lat = []; return true;").await?;
        send_at(&ready, &job, 200, Duration::from_secs(10)).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let read = page.eval("return window.__lat;").await?;
        latencies = read
            .as_array()
            .context("the latencies")?
            .iter()
            .filter_map(serde_json::Value::as_f64)
            .collect();
        latencies.sort_by(f64::total_cmp);
        // The soak measures the page alone: the measuring script lets go of what it held.
        page.eval("window.__latObserver.disconnect(); window.__lat = null; return true;")
            .await?;

        let started = Instant::now();
        let profile = page.chromium().profile().to_owned();
        let (renderer, all) = chromium_pss(&profile)?;
        samples.push((0.0, renderer, all));
        while started.elapsed() < Duration::from_secs(soak_minutes * 60) {
            sent_in_soak += send_at(&ready, &job, 50, SAMPLE_EVERY).await?;
            let (renderer, all) = chromium_pss(&profile)?;
            let minutes = started.elapsed().as_secs_f64() / 60.0;
            eprintln!("{minutes:.1} min: renderer {renderer:.1} MiB, Chromium {all:.1} MiB");
            samples.push((minutes, renderer, all));
        }
        page.close().await
    })
    .await?;

    println!(
        "## Overlay figures ({} comments at 200/s; {soak_minutes} min at 50/s)\n",
        latencies.len()
    );
    println!("| sender → drawn in the overlay | p50 | p95 | p99 | max |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| ms | {:.0} | {:.0} | {:.0} | {:.0} |\n",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    println!("Soak: {sent_in_soak} comments sent.\n");
    println!("| minute | renderer PSS MiB | all Chromium PSS MiB |");
    println!("| --- | --- | --- |");
    for (minute, renderer, all) in &samples {
        println!("| {minute:.1} | {renderer:.1} | {all:.1} |");
    }
    let after_five: Vec<_> = samples.iter().filter(|(m, _, _)| *m >= 5.0).collect();
    if let (Some(first), Some(last)) = (after_five.first(), after_five.last()) {
        let low = after_five.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
        let high = after_five.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
        println!(
            "\nRenderer from minute {:.1} to {:.1}: {:+.1} MiB (range {:.1} MiB).",
            first.0,
            last.0,
            last.1 - first.1,
            high - low
        );
    }
    Ok(())
}
