//! OBS's stream health from its `GetStreamStatus` answers, asked every couple of seconds while it
//! streams: the outgoing bitrate (from the growth of `outputBytes`), dropped frames, congestion,
//! and whether OBS is reconnecting; and the rule for when that deserves a notification. Pure: the
//! caller asks OBS and passes the time, so the rule is tested on canned answers.

use std::time::{Duration, Instant};

use crate::stream::StreamStatus;

/// When bad health is worth interrupting the streamer for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealthRule {
    /// Dropped frames above this share of the frames sent…
    pub dropped_share: f64,
    /// …for at least this long.
    pub sustained: Duration,
}

impl Default for HealthRule {
    fn default() -> Self {
        HealthRule {
            dropped_share: 0.05,
            sustained: Duration::from_secs(30),
        }
    }
}

/// What the window shows beside the destinations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Health {
    /// Kilobits per second over the last interval; `None` until two answers are known.
    pub bitrate_kbps: Option<u32>,
    /// Frames OBS skipped since the stream started…
    pub skipped_frames: u64,
    /// …of the frames it tried to send.
    pub total_frames: u64,
    /// The share of frames skipped over the last interval (0 when none were sent).
    pub recent_dropped_share: f64,
    /// The network's congestion, 0–1, where OBS says.
    pub congestion: Option<f64>,
    /// OBS lost its connection and is trying again.
    pub reconnecting: bool,
}

/// A moment in the stream's health worth a notification, once per episode.
#[derive(Debug, Clone, PartialEq)]
pub enum HealthAlert {
    /// Dropped frames stayed above the rule's share for its time.
    DroppingFrames {
        /// The share over the last interval.
        share: f64,
    },
    /// OBS is reconnecting.
    Reconnecting,
}

/// Follows one stream's answers.
#[derive(Debug, Default)]
pub struct HealthWatch {
    rule: HealthRule,
    last: Option<(Instant, StreamStatus)>,
    /// Since when the dropped share has been above the rule's.
    dropping_since: Option<Instant>,
    /// The dropping episode was already said.
    said_dropping: bool,
    /// The reconnecting episode was already said.
    said_reconnecting: bool,
}

impl HealthWatch {
    /// A watch that alerts by `rule`.
    pub fn new(rule: HealthRule) -> HealthWatch {
        HealthWatch {
            rule,
            ..HealthWatch::default()
        }
    }

    /// Takes OBS's answer at `at`: the health now, and an alert when one is due.
    pub fn sample(&mut self, at: Instant, status: &StreamStatus) -> (Health, Option<HealthAlert>) {
        let reconnecting = status.output_reconnecting.unwrap_or(false);
        let skipped = status.output_skipped_frames.unwrap_or(0);
        let total = status.output_total_frames.unwrap_or(0);
        let (bitrate_kbps, recent_dropped_share) = match &self.last {
            Some((then, before)) => (
                bitrate(
                    at.saturating_duration_since(*then),
                    before.output_bytes,
                    status.output_bytes,
                ),
                share(
                    skipped.checked_sub(before.output_skipped_frames.unwrap_or(0)),
                    total.checked_sub(before.output_total_frames.unwrap_or(0)),
                ),
            ),
            None => (None, share(Some(skipped), Some(total))),
        };
        self.last = Some((at, status.clone()));
        let health = Health {
            bitrate_kbps,
            skipped_frames: skipped,
            total_frames: total,
            recent_dropped_share,
            congestion: status.output_congestion,
            reconnecting,
        };
        (health, self.alert(at, reconnecting, recent_dropped_share))
    }

    /// The stream stopped: the next answers are a new stream's.
    pub fn reset(&mut self) {
        *self = HealthWatch::new(self.rule);
    }

    fn alert(&mut self, at: Instant, reconnecting: bool, dropped: f64) -> Option<HealthAlert> {
        if reconnecting {
            // Frames are not sent while reconnecting: that is one story, not two.
            self.dropping_since = None;
            if !self.said_reconnecting {
                self.said_reconnecting = true;
                return Some(HealthAlert::Reconnecting);
            }
            return None;
        }
        self.said_reconnecting = false;
        if dropped > self.rule.dropped_share {
            let since = *self.dropping_since.get_or_insert(at);
            if !self.said_dropping && at.saturating_duration_since(since) >= self.rule.sustained {
                self.said_dropping = true;
                return Some(HealthAlert::DroppingFrames { share: dropped });
            }
        } else {
            self.dropping_since = None;
            self.said_dropping = false;
        }
        None
    }
}

/// Kilobits per second between two byte counts; `None` when either is unknown, no time passed, or
/// the count went back (a new stream).
fn bitrate(elapsed: Duration, before: Option<u64>, now: Option<u64>) -> Option<u32> {
    let grown = now?.checked_sub(before?)?;
    let seconds = elapsed.as_secs_f64();
    if seconds <= 0.0 {
        return None;
    }
    let kbps = grown as f64 * 8.0 / 1000.0 / seconds;
    Some(kbps.round().min(f64::from(u32::MAX)) as u32)
}

/// `skipped / total`, 0 when nothing was sent or a count went back.
fn share(skipped: Option<u64>, total: Option<u64>) -> f64 {
    match (skipped, total) {
        (Some(skipped), Some(total)) if total > 0 => (skipped as f64 / total as f64).min(1.0),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY: Duration = Duration::from_secs(2);

    fn status(bytes: u64, skipped: u64, total: u64, reconnecting: bool) -> StreamStatus {
        StreamStatus {
            output_active: Some(true),
            output_reconnecting: Some(reconnecting),
            output_bytes: Some(bytes),
            output_skipped_frames: Some(skipped),
            output_total_frames: Some(total),
            output_congestion: Some(0.1),
            output_duration: None,
        }
    }

    /// Feeds answers two seconds apart from `start`; returns every health and alert.
    fn feed(
        watch: &mut HealthWatch,
        start: Instant,
        answers: &[StreamStatus],
    ) -> Vec<(Health, Option<HealthAlert>)> {
        answers
            .iter()
            .enumerate()
            .map(|(i, answer)| watch.sample(start + EVERY * i as u32, answer))
            .collect()
    }

    #[test]
    fn the_bitrate_comes_from_the_bytes_sent_between_two_answers() {
        let mut watch = HealthWatch::default();
        let start = Instant::now();
        // 750,000 bytes in 2 s is 3,000 kbit/s.
        let seen = feed(
            &mut watch,
            start,
            &[status(1_000_000, 0, 60, false), status(1_750_000, 0, 120, false)],
        );
        assert_eq!(seen[0].0.bitrate_kbps, None, "one answer has no rate");
        assert_eq!(seen[1].0.bitrate_kbps, Some(3_000));
        assert_eq!(seen[1].0.congestion, Some(0.1));
        assert_eq!((seen[1].0.skipped_frames, seen[1].0.total_frames), (0, 120));
    }

    #[test]
    fn a_count_that_goes_back_is_a_new_stream_not_a_negative_rate() {
        let mut watch = HealthWatch::default();
        let seen = feed(
            &mut watch,
            Instant::now(),
            &[status(5_000_000, 10, 600, false), status(100, 0, 5, false)],
        );
        assert_eq!(seen[1].0.bitrate_kbps, None);
        assert_eq!(seen[1].0.recent_dropped_share, 0.0);
    }

    #[test]
    fn dropped_frames_above_five_percent_for_thirty_seconds_alert_once() {
        let mut watch = HealthWatch::default();
        let start = Instant::now();
        // Each interval: 60 frames, 6 skipped (10 %).
        let answers: Vec<_> = (0..=20)
            .map(|i| status(i * 500_000, i * 6, i * 60, false))
            .collect();
        let seen = feed(&mut watch, start, &answers);
        let alerts: Vec<_> = seen
            .iter()
            .enumerate()
            .filter_map(|(i, (_, a))| a.clone().map(|a| (i, a)))
            .collect();
        // Above from the answer at 2 s; 30 s later is the answer at 32 s (index 16).
        assert_eq!(alerts, vec![(16, HealthAlert::DroppingFrames { share: 0.1 })]);
        assert!((seen[5].0.recent_dropped_share - 0.1).abs() < 1e-9);
    }

    #[test]
    fn a_dip_below_the_share_restarts_the_thirty_seconds() {
        let mut watch = HealthWatch::default();
        let start = Instant::now();
        let mut answers = Vec::new();
        let (mut skipped, mut total) = (0, 0);
        for i in 0..30 {
            total += 60;
            // Clean at the answer at 20 s; dropping otherwise.
            skipped += if i == 10 { 0 } else { 6 };
            answers.push(status(i * 500_000, skipped, total, false));
        }
        let seen = feed(&mut watch, start, &answers);
        let first = seen.iter().position(|(_, a)| a.is_some()).unwrap();
        // Dropping again from the answer at 22 s: due at 52 s (index 26), not at 32 s.
        assert_eq!(first, 26);
    }

    #[test]
    fn exactly_five_percent_is_not_above_it() {
        let mut watch = HealthWatch::default();
        let answers: Vec<_> = (0..=20)
            .map(|i| status(i * 500_000, i * 3, i * 60, false))
            .collect();
        assert!(
            feed(&mut watch, Instant::now(), &answers)
                .iter()
                .all(|(_, a)| a.is_none())
        );
    }

    #[test]
    fn reconnecting_alerts_at_once_and_again_only_after_it_recovered() {
        let mut watch = HealthWatch::default();
        let answers = [
            status(0, 0, 0, false),
            status(100, 0, 10, true),
            status(100, 0, 10, true),
            status(200, 0, 20, false),
            status(300, 0, 30, true),
        ];
        let seen = feed(&mut watch, Instant::now(), &answers);
        let alerts: Vec<_> = seen.iter().map(|(_, a)| a.clone()).collect();
        assert_eq!(
            alerts,
            vec![
                None,
                Some(HealthAlert::Reconnecting),
                None,
                None,
                Some(HealthAlert::Reconnecting)
            ]
        );
        assert!(seen[1].0.reconnecting);
    }

    #[test]
    fn after_a_reset_the_next_answer_has_no_rate_and_a_fresh_rule() {
        let mut watch = HealthWatch::default();
        let start = Instant::now();
        feed(&mut watch, start, &[status(0, 0, 0, true)]);
        watch.reset();
        let (health, alert) = watch.sample(start + EVERY, &status(1_000, 0, 10, true));
        assert_eq!(health.bitrate_kbps, None);
        assert_eq!(alert, Some(HealthAlert::Reconnecting));
    }

    #[test]
    fn a_status_with_nothing_known_is_quiet_health() {
        let mut watch = HealthWatch::default();
        let (health, alert) = watch.sample(Instant::now(), &StreamStatus::default());
        assert_eq!(health, Health::default());
        assert_eq!(alert, None);
    }
}
