//! The window's chat feed: an EventSource on a loopback port, read by WebKit's network process.
//! Answers to a `next_comments` command carried each batch through the app's main thread and the
//! IPC threads of the app and the web process, both ways, once per answer; on this feed the page is
//! handed each answer as a message event, as a web page reads a service's stream, and nothing is
//! evaluated as script (see chat_inbox.rs for why chat is not pushed as Tauri events). Measured at
//! 50 comments/s: docs/benchmarks.md, "The chat feed on loopback".
//!
//! Only the window can read it: the address holds a secret made for this launch and handed to the
//! window alone (`chat_feed`), a request whose `Host` is not this port on loopback is refused (a
//! web page that rebinds its DNS name to 127.0.0.1), and only the window's own origin is let read
//! the answer. The window's CSP lets it connect to this one port only (lib.rs).

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;

use crate::studio::chat_inbox::{ChatInbox, LONG_POLL};
use crate::support::app_error::AppError;

/// How soon the page's EventSource connects again after the feed drops.
const RECONNECT: Duration = Duration::from_secs(1);

/// Where the feed is served this launch, or why it is not.
pub struct ChatFeed {
    served: Result<Address, String>,
}

#[derive(Clone)]
struct Address {
    port: u16,
    secret: Arc<str>,
}

impl ChatFeed {
    /// Takes a free loopback port for this launch, before the window is built: its CSP must name
    /// the port.
    pub fn bind() -> (ChatFeed, Option<std::net::TcpListener>) {
        let bound = std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).and_then(|l| {
            l.set_nonblocking(true)?;
            Ok((l.local_addr()?.port(), l))
        });
        match bound {
            Ok((port, listener)) => {
                let secret = restream_client::random_url_token().into();
                (
                    ChatFeed {
                        served: Ok(Address { port, secret }),
                    },
                    Some(listener),
                )
            }
            Err(e) => {
                tracing::error!(error = %e, "the window's chat feed could not take a loopback port");
                (
                    ChatFeed {
                        served: Err(e.to_string()),
                    },
                    None,
                )
            }
        }
    }

    /// The source the window's CSP must let it connect to.
    pub fn connect_source(&self) -> Option<String> {
        self.served.as_ref().ok().map(|a| origin(a.port))
    }

    /// Where the window follows chat: the snapshot's cursor goes in `?cursor=`.
    pub fn address(&self) -> Result<String, AppError> {
        match &self.served {
            Ok(a) => Ok(format!("{}/chat/{}/feed", origin(a.port), a.secret)),
            Err(why) => Err(AppError::new(
                "chat_feed_unavailable",
                format!(
                    "New chat cannot reach this window: the studio could not listen on this computer's loopback address (127.0.0.1): {why}."
                ),
                "Check that the loopback network interface is up and no security tool blocks local ports, then restart the studio.",
            )),
        }
    }

    /// Serves the feed from `inbox` for the app's life, to pages from `origins` alone.
    pub fn serve(&self, listener: std::net::TcpListener, inbox: Arc<ChatInbox>, origins: Vec<String>) {
        let Ok(address) = self.served.clone() else { return };
        tauri::async_runtime::spawn(async move {
            match tokio::net::TcpListener::from_std(listener) {
                Ok(listener) => {
                    let router = router(address, inbox, origins);
                    if let Err(e) = axum::serve(listener, router).await {
                        tracing::error!(error = %e, "the window's chat feed stopped");
                    }
                }
                Err(e) => tracing::error!(error = %e, "the window's chat feed could not listen"),
            }
        });
    }
}

fn origin(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

#[derive(Clone)]
struct Served {
    inbox: Arc<ChatInbox>,
    secret: Arc<str>,
    host: Arc<str>,
    origins: Arc<[String]>,
}

fn router(address: Address, inbox: Arc<ChatInbox>, origins: Vec<String>) -> Router {
    let served = Served {
        inbox,
        secret: address.secret,
        host: format!("127.0.0.1:{}", address.port).into(),
        origins: origins.into(),
    };
    Router::new()
        .route("/chat/{secret}/feed", get(follow))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(served)
}

#[derive(Deserialize)]
struct Start {
    cursor: u64,
}

async fn follow(
    State(served): State<Served>,
    Path(secret): Path<String>,
    Query(start): Query<Start>,
    headers: HeaderMap,
) -> Response {
    let field = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if field(header::HOST.as_str()) != Some(&*served.host) {
        return StatusCode::MISDIRECTED_REQUEST.into_response();
    }
    if !restream_client::same_secret(&served.secret, &secret) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let own = |origin: &&HeaderValue| {
        origin
            .to_str()
            .is_ok_and(|origin| served.origins.iter().any(|own| own == origin))
    };
    let Some(origin) = headers.get(header::ORIGIN).filter(own).cloned() else {
        return StatusCode::FORBIDDEN.into_response();
    };
    // A reconnect carries the cursor of the last answer it got; the first request, the snapshot's.
    let cursor = field("last-event-id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(start.cursor);
    let mut response = Sse::new(deliveries(served.inbox, cursor))
        .keep_alive(KeepAlive::default())
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Each answer the inbox gives after `cursor` as one event, its id the cursor to resume from.
/// Answers with nothing in them are not sent: the keep-alive holds the connection open.
fn deliveries(inbox: Arc<ChatInbox>, cursor: u64) -> impl Stream<Item = Result<Event, Infallible>> {
    let first = stream::iter([Ok(Event::default().retry(RECONNECT))]);
    let answers = stream::unfold((inbox, cursor), |(inbox, cursor)| async move {
        loop {
            let delivery = inbox.next(cursor, LONG_POLL).await;
            let next = delivery.cursor.max(cursor);
            if delivery.batches.is_empty() && !delivery.missed && delivery.from <= cursor {
                continue;
            }
            let event = Event::default()
                .id(next.to_string())
                .json_data(&delivery)
                .unwrap_or_else(|_| Event::default().comment("unwritable"));
            return Some((Ok(event), (inbox, next)));
        }
    });
    first.chain(answers)
}

#[cfg(test)]
#[path = "chat_feed_tests.rs"]
mod tests;
