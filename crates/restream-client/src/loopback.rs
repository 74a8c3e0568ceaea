//! The loopback redirect of RFC 8252 §7.3: when the OS does not hand the studio its sign-in deep
//! link (no scheme handler registered, a browser that blocks custom schemes), the operator
//! redirects the browser to a one-request-at-a-time HTTP listener on 127.0.0.1 instead.
//!
//! The listener only forwards what arrives; whether a request is the sign-in's answer is decided
//! by the same check a deep link goes through (path, and the state compared in constant time).

use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// The path the operator redirects to on the loopback listener.
pub const CALLBACK_PATH: &str = "/signin/callback";

/// A listener bound to an ephemeral port on 127.0.0.1, not serving yet.
pub struct LoopbackListener {
    listener: TcpListener,
    address: SocketAddr,
}

/// Decides whether a callback URL is the awaited answer (and takes it if so).
type Answer = std::sync::Arc<dyn Fn(&str) -> bool + Send + Sync>;

#[derive(Clone)]
struct Served {
    address: SocketAddr,
    answer: Answer,
}

impl LoopbackListener {
    /// Binds 127.0.0.1 on a port the OS picks. The IP literal, not `localhost`, as RFC 8252 §8.3
    /// advises: a name could resolve elsewhere, or to an interface another user listens on.
    pub async fn bind() -> std::io::Result<LoopbackListener> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        Ok(LoopbackListener { listener, address })
    }

    /// The redirect URI to register with this sign-in.
    pub fn redirect_uri(&self) -> String {
        format!("http://{}{CALLBACK_PATH}", self.address)
    }

    /// Serves until `stop` is cancelled. Each request to the callback path is handed to `answer`
    /// as the full URL the browser asked for.
    pub async fn serve(self, answer: impl Fn(&str) -> bool + Send + Sync + 'static, stop: CancellationToken) {
        let served = Served {
            address: self.address,
            answer: std::sync::Arc::new(answer),
        };
        let app = Router::new()
            .route(CALLBACK_PATH, get(callback))
            .fallback(|| async { page(StatusCode::NOT_FOUND, "Nothing here.") })
            .with_state(served);
        let shutdown = async move { stop.cancelled().await };
        if let Err(error) = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::warn!(%error, "the sign-in listener stopped");
        }
    }
}

async fn callback(State(served): State<Served>, uri: Uri, headers: HeaderMap) -> Response {
    // A page that rebinds its own name to 127.0.0.1 reaches this port with its own Host; a
    // browser following the operator's redirect sends exactly ours.
    let own_host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h == served.address.to_string());
    if !own_host {
        return page(
            StatusCode::MISDIRECTED_REQUEST,
            "This address only answers the studio's own sign-in.",
        );
    }
    let url = format!("http://{}{uri}", served.address);
    if (served.answer)(&url) {
        page(
            StatusCode::OK,
            "The studio has your sign-in. You can close this tab and go back to Restream Studio.",
        )
    } else {
        page(
            StatusCode::BAD_REQUEST,
            "This is not the sign-in the studio is waiting for. Start signing in again from the studio.",
        )
    }
}

/// A plain page with nothing to load, nothing to run and no referrer to leak the code through.
fn page(status: StatusCode, text: &str) -> Response {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>Restream Studio</title><p>{}</p>",
        text.replace('&', "&amp;").replace('<', "&lt;")
    );
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn started(answer: impl Fn(&str) -> bool + Send + Sync + 'static) -> (String, CancellationToken) {
        let listener = LoopbackListener::bind().await.unwrap();
        let uri = listener.redirect_uri();
        let stop = CancellationToken::new();
        tokio::spawn(listener.serve(answer, stop.clone()));
        (uri, stop)
    }

    #[tokio::test]
    async fn hands_the_full_callback_url_to_the_answer() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let (uri, stop) = started(move |url| {
            tx.send(url.to_owned()).unwrap();
            url.contains("state=good")
        })
        .await;
        assert!(uri.starts_with("http://127.0.0.1:") && uri.ends_with(CALLBACK_PATH));
        let client = reqwest::Client::new();

        let good = client
            .get(format!("{uri}?code=c&state=good"))
            .send()
            .await
            .unwrap();
        assert_eq!(good.status(), 200);
        assert_eq!(good.headers()["referrer-policy"], "no-referrer");
        assert_eq!(rx.recv().await.unwrap(), format!("{uri}?code=c&state=good"));

        let forged = client
            .get(format!("{uri}?code=c&state=bad"))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 400);
        assert!(forged.text().await.unwrap().contains("Start signing in again"));

        let elsewhere = client
            .get(uri.replace(CALLBACK_PATH, "/other"))
            .send()
            .await
            .unwrap();
        assert_eq!(elsewhere.status(), 404);
        stop.cancel();
    }

    #[tokio::test]
    async fn a_foreign_host_header_is_refused_before_the_answer_sees_it() {
        let (uri, stop) = started(|_| panic!("a rebound page must not reach the answer")).await;
        let response = reqwest::Client::new()
            .get(format!("{uri}?state=x"))
            .header("host", "attacker.example")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 421);
        stop.cancel();
    }

    #[tokio::test]
    async fn stops_listening_when_cancelled() {
        let listener = LoopbackListener::bind().await.unwrap();
        let uri = listener.redirect_uri();
        let stop = CancellationToken::new();
        let served = tokio::spawn(listener.serve(|_| true, stop.clone()));
        stop.cancel();
        served.await.unwrap();
        assert!(reqwest::get(&uri).await.is_err(), "the port should be closed");
    }
}
