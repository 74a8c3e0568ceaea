//! The load an app is measured under, against a live job with five destinations: idle first,
//! then 200 comments/s, the soak at 50/s, and a burst at 2,000/s. The page carries a measuring
//! script that records each row's sender→DOM latency and the longest frame gap and timer lateness.

use std::time::{Duration, Instant};

use anyhow::Result;
use restream_sandbox::Ready;

use crate::figures::{Figures, SoakSample, Subject};
use crate::processes::{cpu_percent, pss_mib};
use crate::sender::send_at;
use crate::support::{AppSession, current_job, eventually};

/// Records, in the page, when each chat row first appears (on the next frame, so paint is in).
/// Installed once, on until `PROBES_OFF`; it costs a callback per batch and a frame per row, so
/// the soak's CPU is read with it off: what the app costs as shipped.
const LATENCY_PROBE: &str = r#"
  if (!window.__fig) {
    const fig = { lat: [], seen: new Set(), maxGap: 0, last: 0, maxLate: 0, frames: false, timer: 0 };
    window.__fig = fig;
    fig.observer = new MutationObserver((records) => {
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
    });
  }
  window.__fig.observer.observe(document.body, { childList: true, subtree: true });
  return true;
"#;

/// Adds, for the burst, the longest gap between animation frames and a 10 ms timer's longest
/// lateness. It asks for every frame and wakes 100 times a second, so it runs for the burst only.
const FRAME_PROBE: &str = r#"
  const fig = window.__fig;
  fig.frames = true;
  fig.last = 0;
  const frame = (t) => {
    if (!fig.frames) return;
    if (fig.last) fig.maxGap = Math.max(fig.maxGap, t - fig.last);
    fig.last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  let expected = performance.now() + 10;
  fig.timer = setInterval(() => {
    const now = performance.now();
    fig.maxLate = Math.max(fig.maxLate, now - expected);
    expected = now + 10;
  }, 10);
  return true;
"#;

/// Takes every probe out of the page, and what they kept.
const PROBES_OFF: &str = r#"
  const fig = window.__fig;
  fig.observer.disconnect();
  fig.frames = false;
  clearInterval(fig.timer);
  fig.lat = [];
  fig.seen.clear();
  return true;
"#;

/// The soak's PSS and CPU are read this often (its CPU over each such window).
const SOAK_SAMPLE: Duration = Duration::from_secs(30);

/// Idle CPU is read over this many windows, and the median reported.
const IDLE_WINDOWS: usize = 3;

/// Each idle window's length: `IDLE_SECONDS`, else two minutes (long enough that a tick of
/// 10 ms is under a hundredth of a percent, and that a 10 s poller shows twelve times).
fn idle_seconds() -> u64 {
    std::env::var("IDLE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120)
}

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
    // An experiment's change to the page before the idle figures (what does the clock cost?):
    // `FIGURES_IDLE_SCRIPT='document.querySelector("[data-testid=elapsed]").remove()'`.
    if let Ok(script) = std::env::var("FIGURES_IDLE_SCRIPT") {
        app.client.execute(&script, vec![]).await?;
    }
    figures.idle_pss_mib = pss_mib(&app.desktop.display)?;
    for _ in 0..IDLE_WINDOWS {
        let window = Duration::from_secs(idle_seconds());
        figures
            .idle_cpu
            .push(cpu_percent(&app.desktop.display, window).await?);
    }
    if std::env::var_os("FIGURES_IDLE_ONLY").is_some() {
        return Ok(());
    }
    let latencies = latencies_at(app, ready, &job, 200).await?;
    figures.samples = latencies.len();
    figures.p50 = percentile(&latencies, 0.50);
    figures.p95 = percentile(&latencies, 0.95);
    figures.p99 = percentile(&latencies, 0.99);

    // The soak: 50/s for `soak` minutes with no probe in the page, PSS and CPU every
    // `SOAK_SAMPLE`. It comes before the burst, whose high-water mark WebKit keeps, so it shows
    // what a long session alone costs.
    app.client.execute(PROBES_OFF, vec![]).await?;
    // An experiment's counter for the soak (how many DOM writes a batch costs?), printed after
    // it: `FIGURES_SOAK_SCRIPT='window.__soak = …'`, read back as `window.__soak`.
    if let Ok(script) = std::env::var("FIGURES_SOAK_SCRIPT") {
        app.client.execute(&script, vec![]).await?;
    }
    figures.soak_minutes = soak;
    let samples = (soak * 60).div_ceil(SOAK_SAMPLE.as_secs()).max(1);
    for n in 1..=samples {
        let (sent, cpu) = tokio::join!(
            send_at(ready, &job, 50, SOAK_SAMPLE),
            cpu_percent(&app.desktop.display, SOAK_SAMPLE)
        );
        sent?;
        figures.soak.push(SoakSample {
            minute: (n * SOAK_SAMPLE.as_secs()) as f64 / 60.0,
            pss_mib: pss_mib(&app.desktop.display)?,
            cpu: cpu?,
        });
    }

    if std::env::var_os("FIGURES_SOAK_SCRIPT").is_some() {
        let read = app.client.execute("return window.__soak", vec![]).await?;
        eprintln!("the soak's experiment: {read}");
    }

    // Then latency at the soak's rate, so its CPU is not bought by drawing late.
    let latencies = latencies_at(app, ready, &job, 50).await?;
    figures.soak_p50 = percentile(&latencies, 0.50);
    figures.soak_p99 = percentile(&latencies, 0.99);

    // 2,000/s for 10 s.
    let before = taken(app, subject).await?;
    app.client.execute(FRAME_PROBE, vec![]).await?;
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

/// Sender→DOM latencies at `per_second` for 10 s, with the latency probe in the page (the first
/// second is warm-up and not counted).
async fn latencies_at(app: &AppSession, ready: &Ready, job: &str, per_second: u64) -> Result<Vec<f64>> {
    app.client.execute(LATENCY_PROBE, vec![]).await?;
    send_at(ready, job, per_second, Duration::from_secs(1)).await?;
    reset(app).await?;
    send_at(ready, job, per_second, Duration::from_secs(10)).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    read_latencies(app).await
}

async fn reset(app: &AppSession) -> Result<()> {
    app.client
        .execute(
            "window.__fig.lat = []; window.__fig.maxGap = 0; window.__fig.last = 0; window.__fig.maxLate = 0; return true;",
            vec![],
        )
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
