//! The soak as a picture: each run writes its readings to `docs/figures/soak-<app>.csv`, dated
//! with its commit, and `docs/soak.svg` is drawn again from every such file, so the studio's and
//! the peer's soaks (separate runs, `FIGURES_ONLY=studio|peer`) show as one picture. The files are
//! kept with the docs, not in `target/`: an hour's run of one app must not need the other's run
//! again, on this clone or any other, for the picture to be drawn.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use plotters::prelude::*;

use crate::figures::SoakSample;

/// Soaks shorter than this are a quick look: they are not saved nor drawn.
pub const CHART_FROM_MINUTES: u64 = 60;

/// One app's soak as read back from its file.
struct Series {
    label: String,
    samples: Vec<SoakSample>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn command_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .current_dir(root())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Saves `samples` as `app`'s soak (`studio` or `peer`) and draws the picture again.
pub fn save_soak(app: &str, samples: &[SoakSample]) -> Result<PathBuf> {
    let heading = format!(
        "{app} {} {}",
        command_line("git", &["rev-parse", "--short", "HEAD"]),
        command_line("date", &["-u", "+%F"]),
    );
    let picture = root().join("docs/soak.svg");
    save_in(&root().join("docs/figures"), &picture, app, &heading, samples)?;
    Ok(picture)
}

/// Writes `app`'s file in `dir` and draws `picture` from every app's file there.
fn save_in(dir: &Path, picture: &Path, app: &str, heading: &str, samples: &[SoakSample]) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut csv = format!("# {heading}\nminute,pss_mib,cpu_percent\n");
    for s in samples {
        writeln!(csv, "{:.1},{:.1},{:.2}", s.minute, s.pss_mib, s.cpu)?;
    }
    std::fs::write(dir.join(format!("soak-{app}.csv")), csv)?;
    draw(&read_all(dir)?, picture)
}

fn read_all(dir: &Path) -> Result<Vec<Series>> {
    let mut all = Vec::new();
    for app in ["studio", "peer"] {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("soak-{app}.csv"))) else {
            continue;
        };
        let mut lines = text.lines();
        let label = lines
            .next()
            .and_then(|l| l.strip_prefix("# "))
            .context("a soak file without its heading")?
            .to_owned();
        let samples = lines
            .skip(1)
            .filter_map(|line| {
                let mut fields = line.split(',').map(|f| f.parse::<f64>().ok());
                Some(SoakSample {
                    minute: fields.next()??,
                    pss_mib: fields.next()??,
                    cpu: fields.next()??,
                })
            })
            .collect();
        all.push(Series { label, samples });
    }
    Ok(all)
}

/// PSS (top) and CPU (bottom) against minutes, one line per app.
fn draw(series: &[Series], path: &Path) -> Result<()> {
    let area = SVGBackend::new(path, (900, 600)).into_drawing_area();
    area.fill(&WHITE)?;
    let (top, bottom) = area.split_vertically(300);
    let minutes = series
        .iter()
        .flat_map(|s| s.samples.iter().map(|p| p.minute))
        .fold(1.0, f64::max);
    let most = |pick: fn(&SoakSample) -> f64| {
        series
            .iter()
            .flat_map(|s| s.samples.iter().map(pick))
            .filter(|v| v.is_finite())
            .fold(1.0, f64::max)
            * 1.15
    };
    let colours = [RGBColor(0, 90, 200), RGBColor(200, 90, 0)];
    for (part, caption, unit, pick) in [
        (
            &top,
            "PSS of the app and its WebKit processes",
            "MiB",
            (|p: &SoakSample| p.pss_mib) as fn(&SoakSample) -> f64,
        ),
        (
            &bottom,
            "CPU over each 30 s",
            "% of one core",
            |p: &SoakSample| p.cpu,
        ),
    ] {
        let mut chart = ChartBuilder::on(part)
            .caption(caption, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(55)
            .build_cartesian_2d(0.0..minutes, 0.0..most(pick))?;
        chart
            .configure_mesh()
            .x_desc("minutes at 50 comments/s")
            .y_desc(unit)
            .draw()?;
        for (s, colour) in series.iter().zip(colours) {
            chart
                .draw_series(LineSeries::new(
                    s.samples.iter().map(|p| (p.minute, pick(p))),
                    colour.stroke_width(2),
                ))?
                .label(s.label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
    }
    area.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` readings 30 s apart, PSS rising by 1 MiB a reading from `pss`, CPU steady.
    fn samples(count: u32, pss: f64, cpu: f64) -> Vec<SoakSample> {
        (1..=count)
            .map(|n| SoakSample {
                minute: f64::from(n) / 2.0,
                pss_mib: pss + f64::from(n),
                cpu,
            })
            .collect()
    }

    #[test]
    fn draws_both_apps_soaks_as_one_picture() {
        let dir = tempfile::tempdir().unwrap();
        let line = |pss| samples(8, pss, 20.0);
        let series = [
            Series {
                label: "studio abc1234 2026-12-03".into(),
                samples: line(300.0),
            },
            Series {
                label: "peer abc1234 2026-12-03".into(),
                samples: line(350.0),
            },
        ];
        let path = dir.path().join("soak.svg");
        draw(&series, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert_drawn_for_both(&svg, ["studio abc1234", "peer abc1234"]);
    }

    /// `svg` is a picture with both apps' lines in it, labelled `labels`.
    fn assert_drawn_for_both(svg: &str, labels: [&str; 2]) {
        assert!(svg.starts_with("<svg"));
        for label in labels {
            assert!(svg.contains(label), "{label} in the legend");
        }
        for colour in ["#005AC8", "#C85A00"] {
            let lines = svg
                .lines()
                .filter(|l| l.contains("<polyline") && l.contains(colour))
                .count();
            assert!(lines >= 2, "PSS and CPU drawn for each app ({colour}: {lines})");
        }
    }

    /// One app's run is saved beside the other's earlier run, and the picture holds both.
    #[test]
    fn a_soak_saved_later_is_drawn_beside_the_one_saved_before() {
        let dir = tempfile::tempdir().unwrap();
        let picture = dir.path().join("soak.svg");
        let samples = samples(4, 280.0, 15.25);
        save_in(dir.path(), &picture, "peer", "peer abc1234 2026-12-03", &samples).unwrap();
        save_in(
            dir.path(),
            &picture,
            "studio",
            "studio def5678 2026-12-04",
            &samples,
        )
        .unwrap();

        let read = read_all(dir.path()).unwrap();
        let labels: Vec<&str> = read.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["studio def5678 2026-12-04", "peer abc1234 2026-12-03"]);
        let back = &read[1].samples;
        assert_eq!(back.len(), 4);
        assert_eq!(
            (back[3].minute, back[3].pss_mib, back[3].cpu),
            (2.0, 284.0, 15.25)
        );
        let svg = std::fs::read_to_string(&picture).unwrap();
        assert_drawn_for_both(&svg, ["studio def5678", "peer abc1234"]);
    }
}
