//! How much chat the sandbox delivers with many streams open: raises the file limit, opens
//! `CLIENTS` chat streams for one user, bursts `COMMENTS` comments into the live job, and times
//! until every stream has every comment.
//!
//! `cargo bench -p restream-sandbox --bench sse_fanout` (CLIENTS and COMMENTS from the
//! environment, defaults 1000 and 2000). Figures go into docs/benchmarks.md.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use restream_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Counts `event: comment` lines in a byte stream without parsing the rest.
fn count_comments(carry: &mut Vec<u8>, chunk: &[u8]) -> u64 {
    const NEEDLE: &[u8] = b"event: comment\n";
    carry.extend_from_slice(chunk);
    let mut count = 0;
    let mut start = 0;
    while let Some(pos) = carry[start..].windows(NEEDLE.len()).position(|w| w == NEEDLE) {
        count += 1;
        start += pos + NEEDLE.len();
    }
    // Keep a tail that might hold the start of a needle split across chunks.
    let keep = carry.len().saturating_sub(NEEDLE.len() - 1).max(start);
    carry.drain(..keep);
    count
}

/// Each stream is two sockets in this process (client and server side): Unix's default limit on
/// open files (often 1,024) is raised to what `clients` need, as far as the hard limit allows.
#[cfg(unix)]
fn raise_file_limit(clients: usize) -> anyhow::Result<()> {
    let (soft, hard) = rlimit::Resource::NOFILE.get()?;
    let wanted = (clients as u64 * 2 + 512).min(hard);
    if soft < wanted {
        rlimit::Resource::NOFILE.set(wanted, hard)?;
    }
    anyhow::ensure!(
        wanted >= clients as u64 * 2 + 64,
        "the file limit ({hard}) is too low for {clients} clients"
    );
    Ok(())
}

/// Windows has no such per-process limit on sockets.
#[cfg(not(unix))]
fn raise_file_limit(_clients: usize) -> anyhow::Result<()> {
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let clients = env_or("CLIENTS", 1000);
    let comments = env_or("COMMENTS", 2000);
    raise_file_limit(clients)?;

    let dir = tempfile::tempdir()?;
    let mut config = SandboxConfig::new(dir.path().join("bench.db"));
    config.settings.start_delay_ms = 10;
    config.settings.chat_rate_per_second = 0.0;
    let sandbox = Sandbox::start(config).await?;
    let ready = sandbox.ready().clone();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let base = ready.base_url.clone();
    let pk = |req: reqwest::RequestBuilder| {
        req.header("X-Publishable-Key", ready.publishable_key.clone().unwrap())
            .header("X-User-Id", ready.user_id.clone().unwrap())
            .header("Origin", ready.origin.clone())
    };

    // A live job on one platform.
    let auth: Value = pk(http.post(format!("{base}/api/v1/connections/twitch/authorize")))
        .json(&json!({ "redirectUri": ready.redirect_uri, "state": "bench-state-0123456789abc" }))
        .send()
        .await?
        .json()
        .await?;
    http.post(auth["authorizeUrl"].as_str().unwrap())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=approve")
        .send()
        .await?;
    let job: Value = pk(http.post(format!("{base}/api/v1/jobs")))
        .json(&json!({ "publisherSessionId": "bench", "destinations": ["twitch"] }))
        .send()
        .await?
        .json()
        .await?;
    let job_id = job["id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let received = Arc::new(AtomicU64::new(0));
    let mut readers = Vec::with_capacity(clients);
    let open_started = Instant::now();
    for _ in 0..clients {
        let mut response = pk(http.get(format!("{base}/api/v1/comments/stream")))
            .send()
            .await?;
        anyhow::ensure!(response.status() == 200, "stream refused: {}", response.status());
        let received = Arc::clone(&received);
        readers.push(tokio::spawn(async move {
            let mut carry = Vec::new();
            let mut mine = 0u64;
            while let Ok(Some(chunk)) = response.chunk().await {
                let n = count_comments(&mut carry, &chunk);
                mine += n;
                received.fetch_add(n, Ordering::Relaxed);
            }
            mine
        }));
    }
    let open_time = open_started.elapsed();

    let expected = (clients * comments) as u64;
    let started = Instant::now();
    let mut sent = 0;
    while sent < comments {
        let n = (comments - sent).min(500);
        http.post(format!("{base}/sandbox/jobs/{job_id}/comments"))
            .bearer_auth(&ready.admin_token)
            .json(&json!({ "count": n }))
            .send()
            .await?
            .error_for_status()?;
        sent += n;
    }
    let deadline = Instant::now() + Duration::from_secs(300);
    while received.load(Ordering::Relaxed) < expected {
        anyhow::ensure!(
            Instant::now() < deadline,
            "only {} of {expected} deliveries",
            received.load(Ordering::Relaxed)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    sandbox.shutdown().await?;
    for reader in readers {
        let mine = reader.await?;
        anyhow::ensure!(mine == comments as u64, "a client saw {mine} of {comments}");
    }
    println!("clients                 {clients}");
    println!("comments burst          {comments}");
    println!("streams opened in       {:.2} s", open_time.as_secs_f64());
    println!("all delivered in        {:.2} s", elapsed.as_secs_f64());
    println!(
        "chat rate per stream    {:.0} comments/s",
        comments as f64 / elapsed.as_secs_f64()
    );
    println!(
        "deliveries              {:.0} comment-events/s",
        expected as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}
