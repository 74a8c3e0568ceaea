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
    /// Its address with the port, by IP or `localhost`, and the bare IP literal: nginx's RTMP
    /// module calls the ingest hook with `Host: 127.0.0.1`, dropping the port. A rebinding page
    /// sends its own host name, never an IP literal, so the literal lets none in.
    pub fn for_port(port: u16) -> Self {
        AllowedHosts(
            vec![
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                "127.0.0.1".to_owned(),
            ]
            .into(),
        )
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
