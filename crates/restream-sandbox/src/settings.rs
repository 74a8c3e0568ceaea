//! Knobs a test or the admin surface can turn while the sandbox runs. One owner: `Settings`,
//! read by copy so no lock is held across an await.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::platform::Platform;

/// A viewer count that moves: `base * (1 + amplitude * sin(2πt / period))`, plus a little noise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ViewerCurve {
    pub base: u32,
    pub amplitude: f64,
    pub period_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tunables {
    /// Simulated incoming chat, per live destination.
    pub chat_rate_per_second: f64,
    /// Platforms whose outgoing chat (`POST /chat`) is refused with `platform_rejected`.
    pub chat_fail_platforms: Vec<Platform>,
    pub start_delay_ms: u64,
    pub stop_delay_ms: u64,
    pub retry_delay_ms: u64,
    pub keep_alive_ms: u64,
    /// The `retry:` each chat stream opens with (the contract's 2,000 ms; tests shorten it).
    pub stream_retry_ms: u64,
    /// Lifetime of restream tokens minted for the operator role (`/operator/restream-token`).
    pub restream_token_ttl_seconds: u32,
    pub operator_access_ttl_seconds: u32,
    pub authorization_ttl_seconds: u32,
    pub viewer_curves: BTreeMap<Platform, ViewerCurve>,
}

impl Tunables {
    pub fn defaults(chat_rate_per_second: f64) -> Tunables {
        let curve = |base| ViewerCurve {
            base,
            amplitude: 0.25,
            period_seconds: 120,
        };
        Tunables {
            chat_rate_per_second,
            chat_fail_platforms: Vec::new(),
            start_delay_ms: 1_000,
            stop_delay_ms: 1_000,
            retry_delay_ms: 1_000,
            keep_alive_ms: 15_000,
            stream_retry_ms: 2_000,
            restream_token_ttl_seconds: 900,
            operator_access_ttl_seconds: 3_600,
            authorization_ttl_seconds: 600,
            viewer_curves: BTreeMap::from([
                (Platform::Twitch, curve(120)),
                (Platform::Kick, curve(45)),
                (Platform::Youtube, curve(80)),
                (Platform::Facebook, curve(30)),
                (Platform::Instagram, curve(25)),
            ]),
        }
    }

    pub fn start_delay(&self) -> Duration {
        Duration::from_millis(self.start_delay_ms)
    }

    pub fn stop_delay(&self) -> Duration {
        Duration::from_millis(self.stop_delay_ms)
    }

    pub fn retry_delay(&self) -> Duration {
        Duration::from_millis(self.retry_delay_ms)
    }

    pub fn keep_alive(&self) -> Duration {
        Duration::from_millis(self.keep_alive_ms.max(1))
    }

    pub fn stream_retry(&self) -> Duration {
        Duration::from_millis(self.stream_retry_ms)
    }
}

/// A partial update from `PUT /sandbox/settings`: absent fields stay as they are.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TunablesPatch {
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub chat_rate_per_second: Option<f64>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub chat_fail_platforms: Option<Vec<Platform>>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub start_delay_ms: Option<u64>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub stop_delay_ms: Option<u64>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub retry_delay_ms: Option<u64>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub keep_alive_ms: Option<u64>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub stream_retry_ms: Option<u64>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub restream_token_ttl_seconds: Option<u32>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub operator_access_ttl_seconds: Option<u32>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub authorization_ttl_seconds: Option<u32>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub viewer_curves: Option<BTreeMap<Platform, ViewerCurve>>,
}

impl TunablesPatch {
    /// Checks ranges; the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(rate) = self.chat_rate_per_second
            && !(0.0..=1_000.0).contains(&rate)
        {
            return Err("chatRatePerSecond must be between 0 and 1000".into());
        }
        for (name, value) in [
            ("startDelayMs", self.start_delay_ms),
            ("stopDelayMs", self.stop_delay_ms),
            ("retryDelayMs", self.retry_delay_ms),
            ("keepAliveMs", self.keep_alive_ms),
            ("streamRetryMs", self.stream_retry_ms),
        ] {
            if value.is_some_and(|v| v > 600_000) {
                return Err(format!("{name} must be at most 600000"));
            }
        }
        if self.keep_alive_ms == Some(0) {
            return Err("keepAliveMs must be at least 1".into());
        }
        for (name, value) in [
            ("restreamTokenTtlSeconds", self.restream_token_ttl_seconds),
            ("operatorAccessTtlSeconds", self.operator_access_ttl_seconds),
            ("authorizationTtlSeconds", self.authorization_ttl_seconds),
        ] {
            if value.is_some_and(|v| !(1..=86_400).contains(&v)) {
                return Err(format!("{name} must be between 1 and 86400"));
            }
        }
        if let Some(curves) = &self.viewer_curves {
            for (platform, curve) in curves {
                if curve.period_seconds == 0 || !(0.0..=1.0).contains(&curve.amplitude) {
                    return Err(format!(
                        "viewerCurves.{}: periodSeconds must be ≥ 1 and amplitude within 0..1",
                        platform.as_str()
                    ));
                }
            }
        }
        Ok(())
    }
}

pub struct Settings {
    current: Mutex<Tunables>,
}

impl Settings {
    pub fn new(initial: Tunables) -> Settings {
        Settings {
            current: Mutex::new(initial),
        }
    }

    pub fn get(&self) -> Tunables {
        self.current.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn apply(&self, patch: TunablesPatch) -> Tunables {
        let mut t = self.current.lock().unwrap_or_else(|p| p.into_inner());
        macro_rules! take {
            ($($field:ident),*) => { $(if let Some(v) = patch.$field { t.$field = v; })* };
        }
        take!(
            chat_rate_per_second,
            chat_fail_platforms,
            start_delay_ms,
            stop_delay_ms,
            retry_delay_ms,
            keep_alive_ms,
            stream_retry_ms,
            restream_token_ttl_seconds,
            operator_access_ttl_seconds,
            authorization_ttl_seconds
        );
        if let Some(curves) = patch.viewer_curves {
            t.viewer_curves.extend(curves);
        }
        t.clone()
    }
}
