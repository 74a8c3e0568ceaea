//! The HTTP/1.1 accept loop. hyper answers a request head it will not parse with a bare status and
//! no body, so its own limits are set well above the sandbox's: every head the sandbox refuses
//! reaches [`head_limits`](crate::head_limits) and gets the contract's JSON error instead.
//! Only a URL of 64 KiB or more (hyper's fixed limit) or a head over [`HEAD_BUFFER_BYTES`] is
//! still refused by hyper itself, before there is a request to answer.

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::head_limits::{MAX_HEAD_BYTES, MAX_HEADERS};

/// hyper's read buffer: room for the largest head the sandbox still answers itself, with margin.
pub const HEAD_BUFFER_BYTES: usize = 4 * MAX_HEAD_BYTES;
/// hyper's header count: ten times what the sandbox answers itself, so a head just over the
/// sandbox's count is parsed and answered in JSON.
const PARSED_HEADERS: usize = 10 * MAX_HEADERS;
/// A client that opens a connection and sends no complete head is dropped after this.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `stop` is cancelled, then lets in-flight requests finish and
/// closes idle connections.
pub async fn serve(listener: TcpListener, app: Router, stop: CancellationToken) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_headers(PARSED_HEADERS)
        .max_buf_size(HEAD_BUFFER_BYTES);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Too many open files and the like: the listener stays good, so keep accepting.
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stop.cancelled() => break,
        };
        // Chat answers are small events that must leave at once.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
