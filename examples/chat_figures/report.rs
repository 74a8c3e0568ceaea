//! The report: the figures of each app side by side, as the Markdown table of
//! `docs/benchmarks.md`.

use crate::figures::{Figures, Subject};

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
