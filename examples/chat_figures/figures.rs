//! What is measured: the two apps (subjects) and the figures taken of each.

use std::path::PathBuf;

use crate::start::StartRun;

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
    /// Each launch's start, from the binary's exec to the platforms drawn.
    pub starts: Vec<StartRun>,
    pub floor_pss_mib: Option<f64>,
    pub idle_pss_mib: f64,
    /// CPU over each idle window, in percent of one core.
    pub idle_cpu: Vec<f64>,
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
    /// PSS and CPU through the soak, every 30 s.
    pub soak: Vec<SoakSample>,
    /// Sender→DOM at the soak's rate, read after it.
    pub soak_p50: f64,
    pub soak_p99: f64,
    pub burst_pss_mib: f64,
    /// Rows the overlay showed after the load, when it was open (the studio with companions).
    pub overlay_rows: Option<usize>,
}

/// One reading through the soak.
#[derive(Debug, Clone, Copy)]
pub struct SoakSample {
    /// Minutes since the soak began.
    pub minute: f64,
    pub pss_mib: f64,
    /// CPU over the 30 s before, in percent of one core.
    pub cpu: f64,
}

impl Figures {
    /// The soak's last reading.
    pub fn soak_end(&self) -> SoakSample {
        self.soak.last().copied().unwrap_or(SoakSample {
            minute: 0.0,
            pss_mib: f64::NAN,
            cpu: f64::NAN,
        })
    }
}
