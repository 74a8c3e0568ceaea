//! Whether anyone sees the studio's window. What only the window shows (viewer counts) is asked
//! for less often while nobody does, and at once when the window shows again, so the figure seen
//! is never older than one normal period.

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

/// Tells the studio whether its window is on screen. The app keeps the one setter.
#[derive(Debug)]
pub struct WindowSeenSetter(watch::Sender<bool>);

/// What the studio reads: whether the window is on screen now, and a wake when that changes.
#[derive(Debug, Clone)]
pub struct WindowSeen(watch::Receiver<bool>);

/// A setter and its reader; the window starts seen.
pub fn window_seen() -> (WindowSeenSetter, WindowSeen) {
    let (tx, rx) = watch::channel(true);
    (WindowSeenSetter(tx), WindowSeen(rx))
}

impl WindowSeenSetter {
    /// Records whether the window is on screen; readers wake only when that changed.
    pub fn set(&self, seen: bool) {
        self.0
            .send_if_modified(|now| std::mem::replace(now, seen) != seen);
    }

    /// A reader of this setter, for a studio built later (a service restarted).
    pub fn reader(&self) -> WindowSeen {
        WindowSeen(self.0.subscribe())
    }
}

impl WindowSeen {
    /// A window that is always seen: for a studio with no window (tests, tools).
    pub fn always() -> Self {
        window_seen().1
    }

    /// Whether the window is on screen now.
    pub fn now(&self) -> bool {
        *self.0.borrow()
    }

    /// Returns when the window is shown or hidden; never, once the setter is gone.
    async fn changed(&mut self) {
        if self.0.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// How often a poller asks: `every`, or `unseen` while nobody sees the window.
#[derive(Debug, Clone)]
pub(crate) struct Pace {
    every: Duration,
    unseen: Option<(Duration, WindowSeen)>,
}

impl Pace {
    /// The same period whether or not the window is seen.
    pub(crate) fn steady(every: Duration) -> Self {
        Pace { every, unseen: None }
    }

    /// `every` while the window is seen, `unseen` (the longer) while it is not.
    pub(crate) fn while_seen(every: Duration, unseen: Duration, seen: WindowSeen) -> Self {
        Pace {
            every,
            unseen: Some((unseen.max(every), seen)),
        }
    }

    fn period(&self) -> Duration {
        match &self.unseen {
            Some((unseen, seen)) if !seen.now() => *unseen,
            _ => self.every,
        }
    }

    /// Waits until the next ask is due, one period after `last` began. Showing the window
    /// shortens the period at once, so an ask older than `every` is made then.
    pub(crate) async fn next(&mut self, last: Instant) {
        loop {
            let due = last + self.period();
            let Some((_, seen)) = self.unseen.as_mut() else {
                tokio::time::sleep_until(due).await;
                return;
            };
            tokio::select! {
                () = tokio::time::sleep_until(due) => return,
                () = seen.changed() => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY: Duration = Duration::from_secs(10);
    const UNSEEN: Duration = Duration::from_secs(60);

    /// How long `next` waited from `last`, on paused time.
    async fn waited(pace: &mut Pace, last: Instant) -> Duration {
        pace.next(last).await;
        last.elapsed()
    }

    #[tokio::test(start_paused = true)]
    async fn asks_every_period_while_seen_and_the_longer_one_while_not() {
        let (setter, seen) = window_seen();
        let mut pace = Pace::while_seen(EVERY, UNSEEN, seen);
        assert_eq!(waited(&mut pace, Instant::now()).await, EVERY);
        setter.set(false);
        assert_eq!(waited(&mut pace, Instant::now()).await, UNSEEN);
        setter.set(true);
        assert_eq!(waited(&mut pace, Instant::now()).await, EVERY);
    }

    /// How long `next` waits from an ask made with the window `seen_at_ask`, when the window
    /// becomes `then_seen` `after` the ask.
    async fn waited_across(seen_at_ask: bool, after: Duration, then_seen: bool) -> Duration {
        let (setter, seen) = window_seen();
        setter.set(seen_at_ask);
        let mut pace = Pace::while_seen(EVERY, UNSEEN, seen);
        let last = Instant::now();
        let change = async {
            tokio::time::sleep(after).await;
            setter.set(then_seen);
        };
        tokio::join!(waited(&mut pace, last), change).0
    }

    #[tokio::test(start_paused = true)]
    async fn showing_the_window_asks_at_once_when_the_last_ask_is_older_than_the_period() {
        let waited = waited_across(false, Duration::from_secs(25), true).await;
        assert_eq!(waited, Duration::from_secs(25), "asked when shown, not at 60 s");
    }

    #[tokio::test(start_paused = true)]
    async fn showing_the_window_soon_after_an_ask_waits_out_the_period() {
        assert_eq!(waited_across(false, Duration::from_secs(3), true).await, EVERY);
    }

    #[tokio::test(start_paused = true)]
    async fn hiding_the_window_mid_wait_stretches_it() {
        assert_eq!(waited_across(true, Duration::from_secs(5), false).await, UNSEEN);
    }

    #[tokio::test(start_paused = true)]
    async fn a_steady_pace_and_a_studio_without_a_window_ignore_it() {
        assert_eq!(waited(&mut Pace::steady(EVERY), Instant::now()).await, EVERY);
        let mut pace = Pace::while_seen(EVERY, UNSEEN, WindowSeen::always());
        assert!(WindowSeen::always().now());
        assert_eq!(waited(&mut pace, Instant::now()).await, EVERY);
    }

    #[test]
    fn readers_wake_only_on_a_change() {
        let (setter, seen) = window_seen();
        let mut later = setter.reader();
        setter.set(true);
        assert!(
            !later.0.has_changed().unwrap_or(true),
            "the same value wakes nobody"
        );
        setter.set(false);
        assert!(later.0.has_changed().unwrap_or(false));
        assert!(!seen.now() && !later.now());
        later.0.mark_unchanged();
    }
}
