//! Where the start's time goes: the steps from `main` to the window's first list of the
//! service's platforms, logged once as one line, so a slow start on a user's machine says where
//! its time went. The window marks its own steps (`performance.mark`, ui/src/startMarks.ts);
//! the start figure in docs/benchmarks.md joins the two by wall-clock time.

use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The log target of the timeline's line (`RESTREAM_STUDIO_LOG=warn,restream_studio::start=info`
/// keeps it while quieting the rest).
pub const TARGET: &str = "restream_studio::start";

struct Timeline {
    began: Instant,
    /// When `began` was, in milliseconds since the Unix epoch: the page's marks are on that clock.
    began_epoch_ms: f64,
    /// Each step's first time, in milliseconds after `began`, in the order they happened.
    steps: Vec<(&'static str, f64)>,
    logged: bool,
}

static TIMELINE: Mutex<Option<Timeline>> = Mutex::new(None);

/// Starts the timeline: the first thing the app does.
pub fn begin() {
    let began_epoch_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1e3)
        .unwrap_or_default();
    *lock() = Some(Timeline {
        began: Instant::now(),
        began_epoch_ms,
        steps: Vec::new(),
        logged: false,
    });
}

/// Records that `step` happened now, if it is its first time.
pub fn step(step: &'static str) {
    if let Some(timeline) = lock().as_mut() {
        let at = timeline.began.elapsed().as_secs_f64() * 1e3;
        timeline.record(step, at);
    }
}

/// Records the last step, `last`, and logs the timeline (once).
pub fn finish(last: &'static str) {
    let mut guard = lock();
    let Some(timeline) = guard.as_mut() else {
        return;
    };
    let at = timeline.began.elapsed().as_secs_f64() * 1e3;
    if let Some(steps) = timeline.close(last, at) {
        tracing::info!(
            target: TARGET,
            main_epoch_ms = %format!("{:.1}", timeline.began_epoch_ms),
            steps = %steps,
            "start timeline"
        );
    }
}

impl Timeline {
    /// Keeps `step` at `at` ms if it is the step's first time and the start is not over: a step
    /// after the line was logged (a service restarted later, say) is not the start.
    fn record(&mut self, step: &'static str, at: f64) {
        if !self.logged && !self.steps.iter().any(|(name, _)| *name == step) {
            self.steps.push((step, at));
        }
    }

    /// Records `last` and answers the steps as `name=12.3 other=45.6`, the first time only.
    fn close(&mut self, last: &'static str, at: f64) -> Option<String> {
        self.record(last, at);
        if std::mem::replace(&mut self.logged, true) {
            return None;
        }
        let steps = self.steps.iter().map(|(name, at)| format!("{name}={at:.1}"));
        Some(steps.collect::<Vec<_>>().join(" "))
    }
}

/// Locks ignoring poison: the timeline is only ever appended to, so a panic cannot tear it.
fn lock() -> std::sync::MutexGuard<'static, Option<Timeline>> {
    TIMELINE.lock().unwrap_or_else(|poison| poison.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline() -> Timeline {
        Timeline {
            began: Instant::now(),
            began_epoch_ms: 0.0,
            steps: Vec::new(),
            logged: false,
        }
    }

    #[test]
    fn the_line_holds_each_steps_first_time_in_order_once() {
        let mut timeline = timeline();
        timeline.record("setup", 12.34);
        timeline.record("window", 80.0);
        timeline.record("setup", 99.0);
        assert_eq!(
            timeline.close("drawn", 120.06).as_deref(),
            Some("setup=12.3 window=80.0 drawn=120.1")
        );
        assert_eq!(timeline.close("drawn", 500.0), None, "logged once");
    }

    #[test]
    fn steps_after_the_start_are_not_the_start() {
        let mut timeline = timeline();
        assert!(timeline.close("drawn", 100.0).is_some());
        timeline.record("service-up", 9_000.0);
        assert_eq!(timeline.steps, vec![("drawn", 100.0)]);
    }
}
