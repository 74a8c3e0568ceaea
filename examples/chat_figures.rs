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

#[path = "../tests/e2e/support/mod.rs"]
#[allow(
    dead_code,
    unused_imports,
    reason = "the tests' harness; the figures use part of it"
)]
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use restream_sandbox::{Ready, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::json;

use support::{AppSession, Launch, current_job, eventually, link_platforms};

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

/// What each app is asked, through WebDriver.
pub struct Subject {
    pub name: &'static str,
    pub binary: PathBuf,
    /// CSS of what shows once the window can be used.
    pub interactive: &'static str,
    /// JavaScript answering how many distinct comments the UI's state has taken.
    pub taken: &'static str,
}

/// One app's figures, as the report prints them.
#[derive(Default, Debug)]
pub struct Figures {
    pub start_to_interactive: Duration,
    pub floor_pss_mib: Option<f64>,
    pub idle_pss_mib: f64,
    pub idle_cpu: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub samples: usize,
    pub burst_sent: u64,
    pub burst_lost: i64,
    pub burst_max_frame_gap: f64,
    pub burst_max_timer_late: f64,
    pub burst_p99: f64,
    pub soak_minutes: u64,
    pub soak_pss_mib: f64,
    pub soak_cpu: f64,
    pub burst_pss_mib: f64,
}

/// Records, in the page, when each chat row first appears (on the next frame, so paint is in),
/// the longest gap between animation frames, and a 10 ms timer's longest lateness.
const INSTRUMENT: &str = r#"
  if (!window.__fig) {
    const fig = { lat: [], seen: new Set(), maxGap: 0, last: 0, maxLate: 0 };
    window.__fig = fig;
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        const rows = node.matches("[data-comment-id]") ? [node] : node.querySelectorAll("[data-comment-id]");
        for (const row of rows) {
          const id = row.dataset.commentId;
          if (fig.seen.has(id)) continue;
          fig.seen.add(id);
          const time = row.querySelector("time[datetime]");
          if (!time) continue;
          const sent = Date.parse(time.dateTime);
          requestAnimationFrame(() => fig.lat.push(Date.now() - sent));
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
    const frame = (t) => {
      if (fig.last) fig.maxGap = Math.max(fig.maxGap, t - fig.last);
      fig.last = t;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    let expected = performance.now() + 10;
    setInterval(() => {
      const now = performance.now();
      fig.maxLate = Math.max(fig.maxLate, now - expected);
      expected = now + 10;
    }, 10);
  }
  return true;
"#;

/// Lets start-up work finish before an idle figure is read.
pub async fn settle() {
    tokio::time::sleep(Duration::from_secs(5)).await;
}

/// Idle, 200/s, the soak, and the burst, against a live job with five destinations.
pub async fn run_load(
    app: &AppSession,
    subject: &Subject,
    ready: &Ready,
    figures: &mut Figures,
    soak: u64,
) -> Result<()> {
    let job = running_job(ready).await?;
    // Idle figures come first, before the page carries the measuring script.
    settle().await;
    figures.idle_pss_mib = pss_mib(&app.desktop.display)?;
    figures.idle_cpu = cpu_percent(&app.desktop.display, Duration::from_secs(10)).await?;
    if std::env::var_os("FIGURES_IDLE_ONLY").is_some() {
        return Ok(());
    }
    app.client.execute(INSTRUMENT, vec![]).await?;

    // 200/s for 10 s (the first second is warm-up and not counted).
    send_at(ready, &job, 200, Duration::from_secs(1)).await?;
    reset(app).await?;
    send_at(ready, &job, 200, Duration::from_secs(10)).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let latencies = read_latencies(app).await?;
    figures.samples = latencies.len();
    figures.p50 = percentile(&latencies, 0.50);
    figures.p95 = percentile(&latencies, 0.95);
    figures.p99 = percentile(&latencies, 0.99);

    // The soak: 50/s for `soak` minutes, CPU over its last 10 s, PSS at its end. It comes before
    // the burst, whose high-water mark WebKit keeps, so it shows what a long session alone costs.
    figures.soak_minutes = soak;
    let load = Duration::from_secs(soak * 60).saturating_sub(Duration::from_secs(10));
    send_at(ready, &job, 50, load).await?;
    let (sent, cpu) = tokio::join!(
        send_at(ready, &job, 50, Duration::from_secs(10)),
        cpu_percent(&app.desktop.display, Duration::from_secs(10))
    );
    sent?;
    figures.soak_cpu = cpu?;
    figures.soak_pss_mib = pss_mib(&app.desktop.display)?;

    // 2,000/s for 10 s.
    let before = taken(app, subject).await?;
    reset(app).await?;
    figures.burst_sent = send_at(ready, &job, 2000, Duration::from_secs(10)).await?;
    let expected = before + figures.burst_sent as i64;
    let after = eventually_or_last(
        Duration::from_secs(20),
        || taken(app, subject),
        |n| *n >= expected,
    )
    .await?;
    figures.burst_lost = expected - after;
    let fig = app
        .client
        .execute(
            "return { gap: window.__fig.maxGap, late: window.__fig.maxLate }",
            vec![],
        )
        .await?;
    figures.burst_max_frame_gap = fig["gap"].as_f64().unwrap_or_default();
    figures.burst_max_timer_late = fig["late"].as_f64().unwrap_or_default();
    figures.burst_p99 = percentile(&read_latencies(app).await?, 0.99);
    figures.burst_pss_mib = pss_mib(&app.desktop.display)?;
    Ok(())
}

async fn reset(app: &AppSession) -> Result<()> {
    app.client
        .execute("window.__fig.lat = []; window.__fig.maxGap = 0; window.__fig.last = 0; window.__fig.maxLate = 0; return true;", vec![])
        .await?;
    Ok(())
}

async fn read_latencies(app: &AppSession) -> Result<Vec<f64>> {
    let value = app.client.execute("return window.__fig.lat", vec![]).await?;
    Ok(serde_json::from_value(value)?)
}

async fn taken(app: &AppSession, subject: &Subject) -> Result<i64> {
    Ok(app
        .client
        .execute(subject.taken, vec![])
        .await?
        .as_i64()
        .unwrap_or_default())
}

/// Polls `read` until `done` or `within` passes; answers the last value either way.
async fn eventually_or_last<T, F, Fut>(within: Duration, mut read: F, done: impl Fn(&T) -> bool) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        let value = read().await?;
        if done(&value) || Instant::now() > deadline {
            return Ok(value);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn running_job(ready: &Ready) -> Result<String> {
    eventually("a live job", || async {
        let job = current_job(ready).await?;
        Ok((job["status"] == "running").then(|| job["id"].as_str().unwrap_or_default().to_owned()))
    })
    .await
}

/// Sends audience comments at `per_second` for `length`, in 20 bursts a second, spread over the
/// job's five destinations; answers how many were sent.
async fn send_at(ready: &Ready, job: &str, per_second: u64, length: Duration) -> Result<u64> {
    let http = reqwest::Client::new();
    // The most ticks a second, up to 20, that divide the rate evenly.
    let ticks_per_second = (1..=20.min(per_second.max(1)))
        .rev()
        .find(|t| per_second.is_multiple_of(*t))
        .unwrap_or(1);
    let each = per_second / ticks_per_second;
    let mut ticker = tokio::time::interval(Duration::from_secs(1) / ticks_per_second as u32);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let ticks = (length.as_secs_f64() * ticks_per_second as f64).round() as u64;
    let mut sent = 0;
    for _ in 0..ticks {
        ticker.tick().await;
        let answer = http
            .post(format!("{}/sandbox/jobs/{job}/comments", ready.base_url))
            .bearer_auth(&ready.admin_token)
            .json(&json!({ "count": each }))
            .send()
            .await?;
        if !answer.status().is_success() {
            bail!("the sandbox refused a burst: {}", answer.status());
        }
        sent += each;
    }
    Ok(sent)
}

/// The app's processes on this display: the app itself and its WebKit helpers.
fn processes(display: &str) -> Result<Vec<u32>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let (Ok(comm), Ok(environ)) = (
            std::fs::read_to_string(format!("/proc/{pid}/comm")),
            std::fs::read(format!("/proc/{pid}/environ")),
        ) else {
            continue;
        };
        let comm = comm.trim();
        let ours = environ
            .split(|b| *b == 0)
            .any(|var| var == format!("DISPLAY={display}").as_bytes());
        let app_or_webkit =
            comm.starts_with("restream-studio") || (comm.starts_with("WebKit") && comm != "WebKitWebDriver");
        if ours && app_or_webkit {
            found.push(pid);
        }
    }
    if found.is_empty() {
        bail!("no app process on display {display}");
    }
    Ok(found)
}

/// Proportional set size of the app and its WebKit processes, in MiB (each one is logged).
pub fn pss_mib(display: &str) -> Result<f64> {
    let mut kib = 0u64;
    let mut each = Vec::new();
    for pid in processes(display)? {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let pss = rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        each.push(format!("{} {} MiB", name.trim(), pss / 1024));
        if std::env::var_os("FIGURES_DETAIL").is_some() {
            print_pss_detail(pid, name.trim(), &rollup);
        }
        kib += pss;
    }
    eprintln!("PSS: {}", each.join(", "));
    Ok(kib as f64 / 1024.0)
}

/// Where a process's PSS lies: anonymous, file and shared memory, and its largest mappings.
fn print_pss_detail(pid: u32, name: &str, rollup: &str) {
    let split: Vec<&str> = rollup
        .lines()
        .filter(|l| l.starts_with("Pss_"))
        .map(str::trim)
        .collect();
    eprintln!("  {name} ({pid}): {}", split.join(", "));
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut by_mapping: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut current = String::new();
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or_default();
        if first.contains('-') && !first.ends_with(':') {
            current = line.split_whitespace().nth(5).unwrap_or("[anon]").to_string();
        } else if let Some(v) = line.strip_prefix("Pss:") {
            let kib: u64 = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
            *by_mapping.entry(current.clone()).or_default() += kib;
        }
    }
    let mut largest: Vec<_> = by_mapping.into_iter().collect();
    largest.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    for (mapping, kib) in largest.into_iter().take(15) {
        eprintln!("    {:>7} KiB {mapping}", kib);
    }
}

fn cpu_ticks(display: &str) -> Result<std::collections::BTreeMap<u32, u64>> {
    let mut ticks = std::collections::BTreeMap::new();
    for pid in processes(display)? {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Fields after the parenthesised name: utime and stime are the 12th and 13th.
        let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
        let fields: Vec<&str> = after.split_whitespace().collect();
        let of = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        ticks.insert(pid, of(11) + of(12));
    }
    Ok(ticks)
}

/// CPU of the app and its WebKit processes over `window`, in percent of one core.
pub async fn cpu_percent(display: &str, window: Duration) -> Result<f64> {
    let hz = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
        .unwrap_or(100.0);
    let before = cpu_ticks(display)?;
    tokio::time::sleep(window).await;
    let after = cpu_ticks(display)?;
    let percent = |ticks: u64| ticks as f64 / hz / window.as_secs_f64() * 100.0;
    let mut total = 0.0;
    let mut each = Vec::new();
    for (pid, ticks) in after {
        let used = percent(ticks.saturating_sub(before.get(&pid).copied().unwrap_or(0)));
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        each.push(format!("{} {used:.1} %", name.trim()));
        total += used;
    }
    eprintln!("CPU: {}", each.join(", "));
    Ok(total)
}

pub fn print_report(rows: &[(&Subject, &Figures)]) {
    println!(
        "| | {} |",
        rows.iter().map(|(s, _)| s.name).collect::<Vec<_>>().join(" | ")
    );
    println!("| --- |{}", " --- |".repeat(rows.len()));
    let line = |label: &str, value: &dyn Fn(&Figures) -> String| {
        println!(
            "| {label} | {} |",
            rows.iter().map(|(_, f)| value(f)).collect::<Vec<_>>().join(" | ")
        );
    };
    line("start to interactive", &|f| {
        format!("{:.2} s", f.start_to_interactive.as_secs_f64())
    });
    line("blank Tauri window PSS (floor)", &|f| {
        f.floor_pss_mib.map_or("–".into(), |p| format!("{p:.0} MiB"))
    });
    line("PSS live, idle", &|f| format!("{:.0} MiB", f.idle_pss_mib));
    line("CPU live, idle", &|f| format!("{:.1} %", f.idle_cpu));
    line("sender→DOM at 200/s, p50 / p95 / p99", &|f| {
        format!(
            "{:.0} / {:.0} / {:.0} ms ({} samples)",
            f.p50, f.p95, f.p99, f.samples
        )
    });
    line("after the soak at 50/s: PSS", &|f| {
        format!("{:.0} MiB ({} min)", f.soak_pss_mib, f.soak_minutes)
    });
    line("during the soak at 50/s: CPU", &|f| {
        format!("{:.1} %", f.soak_cpu)
    });
    line("burst 2,000/s × 10 s: lost from state", &|f| {
        format!("{} of {}", f.burst_lost, f.burst_sent)
    });
    line("burst: longest frame gap / timer lateness", &|f| {
        format!("{:.0} / {:.0} ms", f.burst_max_frame_gap, f.burst_max_timer_late)
    });
    line("burst: sender→DOM p99 (rows drawn)", &|f| {
        format!("{:.0} ms", f.burst_p99)
    });
    line("after the burst: PSS", &|f| format!("{:.0} MiB", f.burst_pss_mib));
}
