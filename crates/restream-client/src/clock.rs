//! The service's clock as seen from here: each answer's `Date` header against the local time it
//! arrived, so elapsed times and expiries are right even when this computer's clock is off.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch of `time` (0 before the epoch).
pub fn unix_ms(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// How far the service's clock is ahead of the local one (negative when behind).
#[derive(Debug, Default)]
pub struct ServerClock {
    offset_ms: AtomicI64,
    known: std::sync::atomic::AtomicBool,
}

impl ServerClock {
    /// Records an answer's `Date` header received at local time `received`. `Date` has whole
    /// seconds, so offsets under a second are noise and ignored.
    pub fn observe(&self, date_header: Option<&str>, received: SystemTime) {
        let Some(server) = date_header.and_then(|d| httpdate::parse_http_date(d).ok()) else {
            return;
        };
        let offset = unix_ms(server) - unix_ms(received);
        let offset = if offset.abs() < 1_000 { 0 } else { offset };
        self.offset_ms.store(offset, Ordering::Relaxed);
        self.known.store(true, Ordering::Relaxed);
    }

    /// The service's clock minus the local one, in milliseconds (0 until an answer arrived).
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// The service's "now", in Unix milliseconds.
    pub fn server_now_ms(&self) -> i64 {
        unix_ms(SystemTime::now()) + self.offset_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn learns_the_offset_from_date_headers() {
        let clock = ServerClock::default();
        let local = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let server = httpdate::fmt_http_date(local + Duration::from_secs(90));
        clock.observe(Some(&server), local);
        assert_eq!(clock.offset_ms(), 90_000);
        clock.observe(
            Some(&httpdate::fmt_http_date(local)),
            local + Duration::from_millis(400),
        );
        assert_eq!(
            clock.offset_ms(),
            0,
            "sub-second differences are the header's rounding"
        );
        clock.observe(Some("garbage"), local);
        assert_eq!(clock.offset_ms(), 0);
    }
}
