//! The start figure, taken the same way for both apps: from the moment the app's binary is
//! executed to the frame that shows the service's platforms, drawn from the service's answer.
//!
//! Each launch gets its own desktop (X display, D-Bus, XDG folders), started before the clock:
//! WebDriver is told to run a launcher script that writes the time and then `exec`s the app, so
//! the clock starts when the app does. The page marks the frame that shows the platforms
//! (`performance.mark("platforms-drawn")`, on the wall clock through `performance.timeOrigin`);
//! the studio also marks its page's other steps (ui/src/startMarks.ts) and logs its own
//! (src-tauri/src/support/start_timeline.rs), which give the breakdown.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};

use crate::support::{Launch, eventually};

/// Launches measured per app unless `START_LAUNCHES` says otherwise (0: no start figure).
const LAUNCHES: usize = 10;

/// One launch: how long until the platforms were drawn, and the steps on the way (milliseconds
/// after the binary was executed), in the order they happened.
#[derive(Debug, Clone)]
pub struct StartRun {
    pub drawn_ms: f64,
    pub steps: Vec<(String, f64)>,
}

/// How many launches to measure.
pub fn launches() -> usize {
    std::env::var("START_LAUNCHES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(LAUNCHES)
}

/// Launches `launch` (its binary given by a launcher script in `dir`) and times its start;
/// `n` tells this launch's files from the others'.
pub async fn measure_start(launch: &Launch, binary: &Path, dir: &Path, n: usize) -> Result<StartRun> {
    let stamp = dir.join(format!("exec-{n}.ns"));
    let launcher = write_launcher(dir, n, binary, &stamp)?;
    let app = launch.clone().binary(launcher).start().await?;
    let drawn = eventually("the platforms to be drawn", || async {
        let marks = PageMarks::read(&app.client.execute(PAGE_MARKS, vec![]).await?)?;
        Ok(marks.drawn().is_some().then_some(marks))
    })
    .await;
    let page = match drawn {
        Ok(page) => page,
        Err(e) => {
            let text = app.client.execute("return document.body.innerText", vec![]).await;
            return Err(e.context(format!("the page shows: {text:?}")));
        }
    };
    let exec_ms = read_stamp_ms(&stamp)?;
    let mut steps = page.steps(exec_ms);
    steps.extend(app_steps(&app.desktop.home().join("data"), exec_ms).await?);
    steps.sort_by(|a, b| a.1.total_cmp(&b.1));
    let drawn_ms = page.drawn().context("the drawn mark")? - exec_ms;
    let _ = app.client.clone().close().await;
    Ok(StartRun { drawn_ms, steps })
}

/// A script that writes the time (ns since the epoch) to `stamp`, then becomes `binary`.
fn write_launcher(dir: &Path, n: usize, binary: &Path, stamp: &Path) -> Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(format!("launch-{n}.sh"));
    let quote = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', r"'\''"));
    let script = format!(
        "#!/bin/sh\ndate +%s%N > {}\nexec {} \"$@\"\n",
        quote(stamp),
        quote(binary)
    );
    std::fs::write(&path, script)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    Ok(path)
}

fn read_stamp_ms(stamp: &Path) -> Result<f64> {
    let text = std::fs::read_to_string(stamp).with_context(|| format!("reading {}", stamp.display()))?;
    let ns: u128 = text.trim().parse().context("the launcher's time stamp")?;
    Ok(ns as f64 / 1e6)
}

/// The page's marks, on the wall clock: its time origin (the page's navigation start) and each
/// user-timing mark after it.
const PAGE_MARKS: &str = "return { origin: performance.timeOrigin, \
    marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]) }";

struct PageMarks {
    origin: f64,
    marks: Vec<(String, f64)>,
}

impl PageMarks {
    fn read(value: &serde_json::Value) -> Result<PageMarks> {
        let origin = value["origin"].as_f64().context("the page's time origin")?;
        let marks = value["marks"]
            .as_array()
            .context("the page's marks")?
            .iter()
            .filter_map(|mark| Some((mark[0].as_str()?.to_owned(), mark[1].as_f64()?)))
            .collect();
        Ok(PageMarks { origin, marks })
    }

    /// When the platforms were drawn, in ms since the epoch.
    fn drawn(&self) -> Option<f64> {
        self.marks
            .iter()
            .find(|(name, _)| name == "platforms-drawn")
            .map(|(_, at)| self.origin + at)
    }

    /// The page's steps, in ms after `exec_ms`: its navigation start, then each mark.
    fn steps(&self, exec_ms: f64) -> Vec<(String, f64)> {
        let navigation = ("page: navigation start".to_owned(), self.origin - exec_ms);
        let marks = self
            .marks
            .iter()
            .map(|(name, at)| (format!("page: {name}"), self.origin + at - exec_ms));
        std::iter::once(navigation).chain(marks).collect()
    }
}

/// The studio's own steps from its log's `start timeline` line, in ms after `exec_ms`; none for
/// an app that keeps no such log (the peer).
async fn app_steps(data_home: &Path, exec_ms: f64) -> Result<Vec<(String, f64)>> {
    let logs = data_home.join("dev.restreamstudio.studio").join("logs");
    if !logs.exists() {
        return Ok(Vec::new());
    }
    // The log's writer runs on its own thread: the line may land a moment after the answer.
    let line = eventually("the studio's start timeline in its log", || async {
        Ok(timeline_line(&logs))
    })
    .await?;
    parse_timeline(&line, exec_ms)
}

fn timeline_line(logs: &Path) -> Option<String> {
    std::fs::read_dir(logs)
        .ok()?
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
        .flat_map(|text| text.lines().map(str::to_owned).collect::<Vec<_>>())
        .find(|line| line.contains("start timeline"))
}

/// `… start timeline main_epoch_ms=1733.4 steps=setup=12.3 window-built=80.1` → each step in ms
/// after `exec_ms`, `main` first.
fn parse_timeline(line: &str, exec_ms: f64) -> Result<Vec<(String, f64)>> {
    let field = |name: &str| {
        line.split_once(&format!("{name}="))
            .map(|(_, rest)| rest)
            .ok_or_else(|| anyhow!("no `{name}` in the start timeline: {line}"))
    };
    let main_ms: f64 = field("main_epoch_ms")?
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_matches('"')
        .parse()
        .with_context(|| format!("the start timeline's `main_epoch_ms`: {line}"))?;
    let mut steps = vec![("app: main".to_owned(), main_ms - exec_ms)];
    for pair in field("steps")?.trim_matches('"').split_whitespace() {
        let (name, at) = pair
            .split_once('=')
            .ok_or_else(|| anyhow!("a step without a time: {pair}"))?;
        steps.push((format!("app: {name}"), main_ms + at.parse::<f64>()? - exec_ms));
    }
    Ok(steps)
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Each step's median over `runs`, in the order of the median times.
pub fn median_steps(runs: &[StartRun]) -> Vec<(String, f64)> {
    let mut names: Vec<String> = Vec::new();
    for run in runs {
        for (name, _) in &run.steps {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let mut steps: Vec<(String, f64)> = names
        .into_iter()
        .map(|name| {
            let times: Vec<f64> = runs
                .iter()
                .filter_map(|run| run.steps.iter().find(|(n, _)| *n == name).map(|(_, at)| *at))
                .collect();
            (name, median(&times))
        })
        .collect();
    steps.sort_by(|a, b| a.1.total_cmp(&b.1));
    steps
}
