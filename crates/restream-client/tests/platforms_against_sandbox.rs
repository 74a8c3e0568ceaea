//! `Studio::platforms` against the real sandbox on loopback, and against tiny in-process peers for
//! faults the sandbox will not produce (silence, a foreign server, oversize answers).

use std::time::Duration;

use restream_client::{ApiBase, Credential, Platform, Studio, StudioConfig};
use restream_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

async fn sandbox() -> (tempfile::TempDir, RunningSandbox) {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxConfig::new(dir.path().join("sandbox.db")))
        .await
        .unwrap();
    (dir, sandbox)
}

fn studio(api_base: &str, credential: Credential) -> Studio {
    Studio::new(StudioConfig::new(ApiBase::parse(api_base).unwrap(), credential)).unwrap()
}

fn demo_credential(sandbox: &RunningSandbox, origin: &str) -> Credential {
    let ready = sandbox.ready();
    Credential::publishable_key(
        ready.publishable_key.clone().unwrap(),
        ready.user_id.clone().unwrap(),
        origin,
    )
}

#[tokio::test]
async fn lists_the_platforms_with_a_publishable_key() {
    let (_dir, sandbox) = sandbox().await;
    let studio = studio(
        &sandbox.ready().base_url,
        demo_credential(&sandbox, &sandbox.ready().origin),
    );
    let platforms = studio.platforms().await.unwrap();
    let names: Vec<Platform> = platforms.iter().map(|p| p.platform).collect();
    assert_eq!(
        names,
        [
            Platform::Twitch,
            Platform::Kick,
            Platform::Youtube,
            Platform::Facebook,
            Platform::Instagram
        ]
    );
    assert_eq!(platforms[0].display_name, "Twitch");
}

#[tokio::test]
async fn a_refused_origin_keeps_status_code_and_message() {
    let (_dir, sandbox) = sandbox().await;
    let studio = studio(
        &sandbox.ready().base_url,
        demo_credential(&sandbox, "tauri://other"),
    );
    let err = studio.platforms().await.unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (403, "origin_not_allowed"));
    assert!(err.message.contains("tauri://other"));
    assert!(err.advice().fix.contains("operator"));
}

#[tokio::test]
async fn a_wrong_key_is_a_401() {
    let (_dir, sandbox) = sandbox().await;
    let credential = Credential::publishable_key("pk_test_wrong", "u", sandbox.ready().origin.clone());
    let err = studio(&sandbox.ready().base_url, credential)
        .platforms()
        .await
        .unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (401, "invalid_credential"));
}

#[tokio::test]
async fn nothing_listening_is_status_zero() {
    // Bind then drop, so the port is (almost certainly) closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let studio = studio(&format!("http://127.0.0.1:{port}"), Credential::token("t"));
    let err = studio.platforms().await.unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (0, "network"));
    assert!(err.is_network());
    assert!(err.message.to_lowercase().contains("connect"), "{}", err.message);
}

/// A peer that answers every connection with `response` after reading the request head.
async fn peer(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                if response.is_empty() {
                    // Say nothing, keep the socket open: the client must time out.
                    std::future::pending::<()>().await;
                }
                let _ = socket.write_all(&response).await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_silent_server_times_out_as_status_zero() {
    let base = peer(Vec::new()).await;
    let mut config = StudioConfig::new(ApiBase::parse(&base).unwrap(), Credential::token("t"));
    config.timeout = Duration::from_millis(300);
    let err = Studio::new(config).unwrap().platforms().await.unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (0, "timeout"));
}

#[tokio::test]
async fn a_foreign_server_is_an_unexpected_response() {
    let html = b"HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\ncontent-length: 13\r\nconnection: close\r\n\r\n<h1>nope</h1>".to_vec();
    let err = studio(&peer(html).await, Credential::token("t"))
        .platforms()
        .await
        .unwrap_err();
    assert_eq!((err.status, err.code.as_str()), (404, "unexpected_response"));
    assert!(err.advice().fix.contains("API base"));
}

#[tokio::test]
async fn an_oversize_answer_is_an_error_not_a_crash() {
    let mut response =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_vec();
    response.extend(std::iter::repeat_n(b' ', 5 * 1024 * 1024));
    let err = studio(&peer(response).await, Credential::token("t"))
        .platforms()
        .await
        .unwrap_err();
    assert_eq!(err.code, "response_too_large");
}
