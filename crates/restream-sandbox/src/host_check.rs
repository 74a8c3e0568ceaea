//! Refuses requests whose `Host` is not the sandbox's own loopback address, so a web page that
//! rebinds its DNS name to 127.0.0.1 cannot drive the sandbox.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;

#[derive(Clone)]
pub struct AllowedHosts(pub std::sync::Arc<[String]>);

impl AllowedHosts {
    pub fn for_port(port: u16) -> Self {
        AllowedHosts(vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")].into())
    }
}

pub async fn require_own_host(State(allowed): State<AllowedHosts>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    match host {
        Some(host) if allowed.0.contains(&host) => next.run(request).await,
        _ => ApiError::host_not_allowed().into_response(),
    }
}
