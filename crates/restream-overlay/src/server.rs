//! Serves the overlay on a loopback port: `/overlay/<secret>/chat`, its script and styles, and the
//! `events` feed the page follows. A wrong secret gets 404, a request whose `Host` is not this
//! port on loopback gets 421 (a web page that rebinds its DNS name to 127.0.0.1 cannot read chat),
//! and every answer carries a CSP that lets the page load only its own script and styles, connect
//! only to its own feed and show only `data:` images.

use std::convert::Infallible;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt, stream};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_stream::wrappers::BroadcastStream;

use crate::hub::{OverlayHub, PageNews, Screen};
use crate::secret::AddressSecret;

const PAGE: &str = include_str!("page/chat.html");
const SCRIPT: &str = include_str!("page/chat.js");
const STYLES: &str = include_str!("page/chat.css");

/// The page may run its own script and styles, follow its own feed and show `data:` pictures;
/// nothing else. `frame-ancestors` lets the studio's window show it as a preview.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; \
    connect-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors tauri://localhost http://tauri.localhost";

/// How long the page waits before reconnecting after the feed drops.
const RECONNECT: Duration = Duration::from_secs(1);
/// A comment line on the feed this often keeps proxies and the page's connection awake.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The overlay's address on `port`.
pub fn address(port: u16, secret: &str) -> String {
    format!("http://127.0.0.1:{port}/overlay/{secret}/chat")
}

/// Takes `port` on loopback, or says why not and what to do.
pub async fn bind(port: u16) -> Result<TcpListener, String> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .map_err(|e| refused(port, &e))
}

/// Why `port` could not be taken, and what to do.
fn refused(port: u16, error: &std::io::Error) -> String {
    match error.kind() {
        ErrorKind::AddrInUse => format!(
            "Port {port} is in use by another program. Choose another port for the chat overlay in Settings, then paste the new address into OBS."
        ),
        ErrorKind::PermissionDenied => format!(
            "Port {port} needs administrator rights. Choose a port from 1024 to 65535 for the chat overlay in Settings."
        ),
        _ => format!("The chat overlay could not listen on port {port}: {error}"),
    }
}

#[derive(Clone)]
struct Pages {
    hub: Arc<OverlayHub>,
    secret: Arc<AddressSecret>,
    hosts: Arc<[String]>,
}

/// Serves the overlay on `listener` until the returned future is dropped.
pub async fn serve(listener: TcpListener, hub: Arc<OverlayHub>, secret: Arc<AddressSecret>) {
    let port = listener.local_addr().map_or(0, |a| a.port());
    let pages = Pages {
        hub,
        secret,
        hosts: vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")].into(),
    };
    let router = Router::new()
        .route("/overlay/{secret}/{file}", get(file))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(pages.clone(), own_host_only))
        .layer(middleware::map_response(guarded))
        .with_state(pages);
    if let Err(e) = axum::serve(listener, router).await {
        tracing::warn!(error = %e, "the chat overlay stopped serving");
    }
}

async fn guarded(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn own_host_only(State(pages): State<Pages>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    match host {
        Some(host) if pages.hosts.contains(&host) => next.run(request).await,
        _ => (
            StatusCode::MISDIRECTED_REQUEST,
            "This address serves the chat overlay to this computer only.",
        )
            .into_response(),
    }
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

async fn file(State(pages): State<Pages>, Path((secret, file)): Path<(String, String)>) -> Response {
    if !pages.secret.matches(&secret) {
        return not_found().await;
    }
    let typed =
        |kind: &'static str, body: &'static str| ([(header::CONTENT_TYPE, kind)], body).into_response();
    match file.as_str() {
        "chat" => typed("text/html; charset=utf-8", PAGE),
        "chat.js" => typed("text/javascript; charset=utf-8", SCRIPT),
        "chat.css" => typed("text/css; charset=utf-8", STYLES),
        "events" => events(&pages).into_response(),
        _ => not_found().await,
    }
}

fn event(name: &str, data: &impl serde::Serialize) -> Event {
    Event::default()
        .event(name)
        .json_data(data)
        .unwrap_or_else(|_| Event::default().comment("unwritable"))
}

fn reset(screen: &Screen) -> Event {
    event(
        "reset",
        &json!({ "comments": screen.shown, "settled": screen.settled }),
    )
}

/// The feed of one page: how chat looks and what shows now, then each change, until the page goes
/// or the address's secret changes.
fn events(pages: &Pages) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let (screen, news) = pages.hub.join();
    let hub = Arc::clone(&pages.hub);
    let mut ended = pages.secret.watch();
    let first = stream::iter([event("look", &screen.look).retry(RECONNECT), reset(&screen)]);
    let rest = BroadcastStream::new(news).map(move |news| match news {
        Ok(PageNews::Show(comment)) => event("show", &comment),
        Ok(PageNews::Remove(ids)) => event("remove", &ids),
        Ok(PageNews::Look(look)) => event("look", &look),
        // Settled, or fell behind: the screen afresh (the page keeps rows it already has).
        Ok(PageNews::Settled) | Err(_) => reset(&hub.screen()),
    });
    let feed = first
        .chain(rest)
        .take_until(async move {
            let _ = ended.changed().await;
        })
        .map(Ok);
    Sse::new(feed).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_port_says_why_and_what_to_do() {
        let refusal = |kind| refused(80, &std::io::Error::from(kind));
        assert!(refusal(ErrorKind::AddrInUse).starts_with("Port 80 is in use by another program"));
        assert!(refusal(ErrorKind::PermissionDenied).starts_with("Port 80 needs administrator rights"));
        assert!(
            refusal(ErrorKind::AddrNotAvailable)
                .starts_with("The chat overlay could not listen on port 80: ")
        );
    }
}
