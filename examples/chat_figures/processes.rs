//! What the app's processes cost, read from /proc: the app and its WebKit helpers on one X
//! display, their proportional set size (and where it lies, with `FIGURES_DETAIL`), and their CPU
//! over a window of time.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Result, bail};

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

/// utime + stime, in ticks, from a `stat` file's text (a process's or a thread's).
fn stat_ticks(stat: &str) -> u64 {
    // Fields after the parenthesised name: utime and stime are the 12th and 13th.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let of = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    of(11) + of(12)
}

/// How often a thread was switched out (it waited, or was made to), from its `status` file.
fn status_switches(status: &str) -> u64 {
    status
        .lines()
        .filter(|line| {
            line.starts_with("voluntary_ctxt_switches") || line.starts_with("nonvoluntary_ctxt_switches")
        })
        .filter_map(|line| line.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum()
}

/// Each process's ticks (threads that ended included), and each live thread's, named
/// `process/thread`, so an idle figure can say which thread spent it; and each process's context
/// switches, summed over its live threads: how often its threads woke, which counts the messages
/// and timers that kept it busy whatever the machine's speed that minute.
struct Ticks {
    processes: BTreeMap<u32, u64>,
    threads: BTreeMap<(u32, u32), (String, u64)>,
    switches: BTreeMap<u32, u64>,
}

fn cpu_ticks(display: &str) -> Result<Ticks> {
    let mut ticks = Ticks {
        processes: BTreeMap::new(),
        threads: BTreeMap::new(),
        switches: BTreeMap::new(),
    };
    for pid in processes(display)? {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        ticks.processes.insert(pid, stat_ticks(&stat));
        let process = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            continue;
        };
        for task in tasks.flatten() {
            let Ok(tid) = task.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
            let thread = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            let name = format!("{}/{}", process.trim(), thread.trim());
            ticks.threads.insert((pid, tid), (name, stat_ticks(&stat)));
            let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
            *ticks.switches.entry(pid).or_default() += status_switches(&status);
        }
    }
    Ok(ticks)
}

/// How many CPU ticks `/proc/<pid>/stat` counts per second (the measuring resolution).
pub fn ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
        .unwrap_or(100.0)
}

/// CPU of the app and its WebKit processes over `window`, in percent of one core.
pub async fn cpu_percent(display: &str, window: Duration) -> Result<f64> {
    let hz = ticks_per_second();
    let before = cpu_ticks(display)?;
    tokio::time::sleep(window).await;
    let after = cpu_ticks(display)?;
    let percent = |ticks: u64| ticks as f64 / hz / window.as_secs_f64() * 100.0;
    let mut total = 0.0;
    let mut each = Vec::new();
    for (pid, ticks) in &after.processes {
        let used = percent(ticks.saturating_sub(before.processes.get(pid).copied().unwrap_or(0)));
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let switched = |of: &Ticks| of.switches.get(pid).copied().unwrap_or(0);
        let switches = switched(&after).saturating_sub(switched(&before)) as f64 / window.as_secs_f64();
        each.push(format!(
            "{} {used:.2} % ({switches:.0} context switches/s)",
            name.trim()
        ));
        total += used;
    }
    // The threads that spent the most, to say what ticks.
    let mut threads: Vec<(String, u64)> = after
        .threads
        .iter()
        .map(|(id, (name, ticks))| {
            let spent = ticks.saturating_sub(before.threads.get(id).map_or(0, |(_, t)| *t));
            (name.clone(), spent)
        })
        .filter(|(_, spent)| *spent > 0)
        .collect();
    threads.sort_by_key(|(_, spent)| std::cmp::Reverse(*spent));
    let threads: Vec<String> = threads
        .iter()
        .take(8)
        .map(|(name, spent)| format!("{name} {:.2} %", percent(*spent)))
        .collect();
    eprintln!(
        "CPU over {:.0} s (1 tick = {:.4} %): {}; busiest threads: {}",
        window.as_secs_f64(),
        percent(1),
        each.join(", "),
        threads.join(", ")
    );
    Ok(total)
}
