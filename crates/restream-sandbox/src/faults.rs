//! Injected faults: the next N requests to a route answer a given status, or wait first.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    /// `METHOD /path` exactly as the route table writes it, e.g. `GET /api/v1/jobs/{id}`.
    pub route: String,
    /// How many requests it applies to.
    pub count: u32,
    /// Answer with this status instead of serving (4xx or 5xx).
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub status: Option<u16>,
    /// The error code to answer with; defaults from the status.
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub code: Option<String>,
    /// With 429: the `Retry-After` seconds.
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub retry_after_seconds: Option<u32>,
    /// Wait this long before serving (or answering the status).
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub latency_ms: Option<u64>,
}

/// What to do with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injected {
    pub status: Option<(StatusCode, String)>,
    pub retry_after_seconds: Option<u32>,
    pub latency: Option<Duration>,
}

pub struct Faults {
    /// Every `METHOD /path` of the route table, handed in at start so that the admin surface can
    /// refuse a fault on a route that does not exist without reaching back into the router.
    routes: HashSet<String>,
    by_route: Mutex<HashMap<String, FaultSpec>>,
}

pub fn default_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "invalid_json",
        401 => "invalid_credential",
        403 => "missing_scope",
        404 => "not_found",
        409 => "job_not_active",
        413 => "payload_too_large",
        422 => "invalid_request",
        429 => "rate_limited",
        503 => "unavailable",
        _ => "internal",
    }
}

impl Faults {
    /// No faults yet, for the routes of the route table, each written `METHOD /path`.
    pub fn for_routes(routes: impl IntoIterator<Item = String>) -> Self {
        Faults {
            routes: routes.into_iter().collect(),
            by_route: Mutex::default(),
        }
    }

    /// Whether `route` (`METHOD /path/{param}`) is in the route table.
    pub fn knows(&self, route: &str) -> bool {
        self.routes.contains(route)
    }

    pub fn add(&self, spec: FaultSpec) -> Result<(), String> {
        if let Some(status) = spec.status
            && !(400..=599).contains(&status)
        {
            return Err("status must be a 4xx or 5xx".into());
        }
        if spec.status.is_none() && spec.latency_ms.is_none() {
            return Err("give a status, a latencyMs, or both".into());
        }
        self.lock().insert(spec.route.clone(), spec);
        Ok(())
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Takes one use of the fault on `route`, if any.
    pub fn take(&self, route: &str) -> Option<Injected> {
        let mut faults = self.lock();
        let spec = faults.get_mut(route)?;
        spec.count = spec.count.saturating_sub(1);
        let injected = Injected {
            status: spec.status.and_then(|s| StatusCode::from_u16(s).ok()).map(|s| {
                let code = spec.code.clone().unwrap_or_else(|| default_code(s).to_owned());
                (s, code)
            }),
            retry_after_seconds: spec.retry_after_seconds,
            latency: spec.latency_ms.map(Duration::from_millis),
        };
        if spec.count == 0 {
            faults.remove(route);
        }
        Some(injected)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, FaultSpec>> {
        self.by_route.lock().unwrap_or_else(|p| p.into_inner())
    }
}
