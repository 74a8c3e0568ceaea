//! The report: the figures of each app side by side, as the Markdown table of
//! `docs/benchmarks.md`.

use crate::figures::{Figures, Subject};
use crate::start::{median, median_steps};

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
    line("start: exec → platforms drawn, median (range)", &|f| {
        let times: Vec<f64> = f.starts.iter().map(|r| r.drawn_ms / 1e3).collect();
        let (low, high) = spread(&times);
        format!(
            "{:.2} s ({low:.2}–{high:.2}, {} launches)",
            median(&times),
            times.len()
        )
    });
    line("blank Tauri window PSS (floor)", &|f| {
        f.floor_pss_mib.map_or("–".into(), |p| format!("{p:.0} MiB"))
    });
    line("PSS live, idle", &|f| format!("{:.0} MiB", f.idle_pss_mib));
    line("CPU live, idle: median (range)", &|f| {
        let (low, high) = spread(&f.idle_cpu);
        format!(
            "{:.2} % ({low:.2}–{high:.2}, {} windows)",
            median(&f.idle_cpu),
            f.idle_cpu.len()
        )
    });
    line("sender→DOM at 200/s, p50 / p95 / p99", &|f| {
        format!(
            "{:.0} / {:.0} / {:.0} ms ({} samples)",
            f.p50, f.p95, f.p99, f.samples
        )
    });
    line("after the soak at 50/s: PSS", &|f| {
        format!("{:.0} MiB ({} min)", f.soak_end().pss_mib, f.soak_minutes)
    });
    line(
        "soak: PSS growth from minute 5 to the end / CPU range after minute 5",
        &|f| {
            let settled: Vec<_> = f.soak.iter().filter(|s| s.minute >= 5.0).collect();
            match (settled.first(), settled.last()) {
                (Some(first), Some(last)) => {
                    let cpu: Vec<f64> = settled.iter().map(|s| s.cpu).collect();
                    let (low, high) = spread(&cpu);
                    format!("{:+.1} MiB / {low:.1}–{high:.1} %", last.pss_mib - first.pss_mib)
                }
                _ => "– (under 5 min)".into(),
            }
        },
    );
    line(
        "soak at 50/s: CPU over its last 30 s, no probe in the page",
        &|f| format!("{:.1} %", f.soak_end().cpu),
    );
    line("sender→DOM at 50/s after the soak, p50 / p99", &|f| {
        format!("{:.0} / {:.0} ms", f.soak_p50, f.soak_p99)
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
    line("OBS linked, overlay open: rows it shows after the load", &|f| {
        f.overlay_rows.map_or("–".into(), |n| n.to_string())
    });
}

/// Where each app's start went: each step's median over the launches, in ms after exec.
pub fn print_start_breakdown(rows: &[(&Subject, &Figures)]) {
    for (subject, figures) in rows {
        println!(
            "\n{} — start, median of {} launches (ms after exec):\n",
            subject.name,
            figures.starts.len()
        );
        println!("| step | at | since the step before |\n| --- | --- | --- |");
        let mut before = 0.0;
        for (name, at) in median_steps(&figures.starts) {
            println!("| {name} | {at:.0} | {:.0} |", at - before);
            before = at;
        }
    }
}

/// The lowest and highest of `values`.
fn spread(values: &[f64]) -> (f64, f64) {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (low, high)
}
