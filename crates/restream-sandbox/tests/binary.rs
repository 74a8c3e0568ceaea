//! The `restream-sandbox` binary as a shell or a test harness uses it: one READY line on stdout,
//! logs on stderr, a clean exit on SIGTERM that closes open streams.
// SIGTERM is Unix's; on Windows the binary stops with Ctrl+C or its process.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use serde_json::Value;

#[tokio::test]
async fn prints_ready_serves_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_restream-sandbox"))
        .args(["--port", "0", "--seed-demo", "--admin-token", "admin-t", "--db"])
        .arg(dir.path().join("s.db"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let json = line.strip_prefix("READY ").expect("a READY line first").trim();
    let ready: Value = serde_json::from_str(json).unwrap();
    for field in [
        "baseUrl",
        "publishableKey",
        "secretKey",
        "userId",
        "origin",
        "browserOrigin",
        "adminToken",
        "redirectUri",
    ] {
        assert!(
            ready[field].as_str().is_some_and(|v| !v.is_empty()),
            "{field} missing: {ready}"
        );
    }
    assert_eq!(ready["adminToken"], "admin-t");
    assert!(
        ready["baseUrl"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );

    let base = ready["baseUrl"].as_str().unwrap();
    let http = reqwest::Client::new();
    let platforms = http
        .get(format!("{base}/api/v1/platforms"))
        .header("X-Publishable-Key", ready["publishableKey"].as_str().unwrap())
        .header("X-User-Id", ready["userId"].as_str().unwrap())
        .header("Origin", ready["origin"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(platforms.status(), 200);
    let mut stream = http
        .get(format!("{base}/api/v1/comments/stream"))
        .header("X-Publishable-Key", ready["publishableKey"].as_str().unwrap())
        .header("X-User-Id", ready["userId"].as_str().unwrap())
        .header("Origin", ready["origin"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    stream.chunk().await.unwrap();

    // SIGTERM: the open stream ends cleanly and the process exits 0.
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let end = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(_chunk) = stream.chunk().await.transpose() {}
    })
    .await;
    assert!(end.is_ok(), "the stream did not end at shutdown");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");

    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "stdout carries the READY line only");
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(logs.contains("sandbox listening"), "{logs}");
    assert!(
        !logs.contains(ready["secretKey"].as_str().unwrap()),
        "secrets stay out of the logs"
    );
}
