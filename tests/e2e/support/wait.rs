//! Waiting for a condition, never for a length of time: how long the harness gives the app, how
//! often it looks again, and the polling loop every wait goes through.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};

/// Long enough for a cold WebKit start on a loaded 2-core machine.
pub const UI_TIMEOUT: Duration = Duration::from_secs(45);

/// How often a wait looks again.
pub const POLL: Duration = Duration::from_millis(100);

/// Polls `check` until it yields `Some`, for at most `UI_TIMEOUT`. A condition, not a sleep.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            bail!("timed out after {} s waiting for {what}", UI_TIMEOUT.as_secs());
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until something listens on `port` of 127.0.0.1.
pub async fn wait_for_port(port: u16) -> Result<()> {
    eventually(&format!("port {port}"), || async move {
        Ok(tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()
            .map(|_| ()))
    })
    .await
}
