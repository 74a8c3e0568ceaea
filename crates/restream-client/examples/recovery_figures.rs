//! How fast the studio recovers by itself, against a real sandbox over loopback HTTP and SSE,
//! with the client's shipped timings (nothing shortened):
//!
//! - fault storm over → chat live: the service refuses the chat stream, the job poll and the
//!   viewer poll with 503s for `STORM_SECONDS`, then answers again;
//! - service back → error gone: from the same moment to the studio's "service" error clearing
//!   (what takes the window's red banner away);
//! - oversized comment → next comment: a comment over the client's 64 KiB line limit is stored
//!   while the studio is away and replayed when it comes back; then the time until the comment
//!   after it is handed to the window.
//!
//! ```sh
//! cargo run --release -p restream-client --example recovery_figures   # TRIALS=5 STORM_SECONDS=16
//! ```

use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::Method;
use restream_client::{
    ChatStatus, Concern, Credential, GoLiveParams, Platform, Studio, StudioConfig, StudioEvent, UrlOpener,
};
use restream_sandbox::{Ready, Sandbox, SandboxConfig};
use serde_json::{Value, json};
use tokio::sync::broadcast::Receiver;
use tokio::time::Instant;
use url::Url;

/// Approves a consent page as the streamer would (the studio learns it by polling).
struct Approve;

impl UrlOpener for Approve {
    fn open(&self, url: &Url) -> Result<(), String> {
        let url = url.clone();
        tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client");
            let _ = http
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("decision=approve")
                .send()
                .await;
        });
        Ok(())
    }
}

async fn admin(ready: &Ready, method: Method, path: &str, body: Value) -> anyhow::Result<Value> {
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", ready.base_url))
        .bearer_auth(&ready.admin_token)
        .json(&body)
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        bail!("{path}: {status} {}", response.text().await.unwrap_or_default());
    }
    Ok(response.json().await.unwrap_or(Value::Null))
}

/// Waits up to five minutes for an event `pick` accepts; answers when it came.
async fn until(
    events: &mut Receiver<StudioEvent>,
    what: &str,
    pick: impl Fn(&StudioEvent) -> bool,
) -> anyhow::Result<Instant> {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Err(_) => bail!("no {what} within 5 minutes"),
            Ok(Ok(event)) if pick(&event) => return Ok(Instant::now()),
            Ok(Ok(_)) | Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(e)) => bail!("events ended: {e}"),
        }
    }
}

/// One sandbox and one studio live on Twitch with its chat open.
async fn live() -> anyhow::Result<(
    tempfile::TempDir,
    restream_sandbox::RunningSandbox,
    Studio,
    Receiver<StudioEvent>,
    String,
)> {
    let dir = tempfile::tempdir()?;
    let mut config = SandboxConfig::new(dir.path().join("sandbox.db"));
    config.settings.chat_rate_per_second = 0.0;
    let sandbox = Sandbox::start(config).await?;
    let ready = sandbox.ready().clone();
    let credential = Credential::publishable_key(
        ready.publishable_key.clone().context("a demo key")?,
        ready.user_id.clone().context("a demo user")?,
        ready.origin.clone(),
    );
    let mut config = StudioConfig::new(restream_client::ApiBase::parse(&ready.base_url)?, credential);
    config.url_opener = std::sync::Arc::new(Approve);
    let studio = Studio::new(config)?;
    studio.connect(Platform::Twitch).await?;
    let mut events = studio.subscribe();
    let job = studio
        .go_live(GoLiveParams {
            publisher_session_id: "sess_recovery".into(),
            destinations: vec![Platform::Twitch],
            ..GoLiveParams::default()
        })
        .await?;
    until(&mut events, "chat live", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Live))
    })
    .await?;
    Ok((dir, sandbox, studio, events, job.id))
}

/// Seconds from the storm's end to chat live, and to the service's error clearing.
async fn storm(seconds: u64) -> anyhow::Result<(f64, f64)> {
    let (_dir, sandbox, studio, mut events, _) = live().await?;
    let ready = sandbox.ready().clone();
    for route in [
        "GET /api/v1/comments/stream",
        "GET /api/v1/jobs/{id}",
        "GET /api/v1/jobs/{id}/viewers",
    ] {
        let fault = json!({ "route": route, "count": 1_000_000, "status": 503, "retryAfterSeconds": 30 });
        admin(&ready, Method::POST, "/sandbox/faults", fault).await?;
    }
    admin(&ready, Method::POST, "/sandbox/streams/drop", Value::Null).await?;
    until(&mut events, "the service's error", |e| {
        matches!(
            e,
            StudioEvent::Error {
                concern: Concern::Service,
                ..
            }
        )
    })
    .await?;
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    admin(&ready, Method::DELETE, "/sandbox/faults", Value::Null).await?;
    let over = Instant::now();
    let mut chat = None;
    let mut cleared = None;
    while chat.is_none() || cleared.is_none() {
        let at = until(&mut events, "recovery", |e| {
            matches!(
                e,
                StudioEvent::Chat(ChatStatus::Live) | StudioEvent::Recovered(Concern::Service)
            )
        })
        .await?;
        if matches!(studio.snapshot().chat, ChatStatus::Live) && chat.is_none() {
            chat = Some(at);
        }
        if studio.snapshot().errors.is_empty() && cleared.is_none() {
            cleared = Some(at);
        }
    }
    studio.shutdown();
    let since = |at: Option<Instant>| at.map_or(f64::NAN, |at| (at - over).as_secs_f64());
    Ok((since(chat), since(cleared)))
}

/// Seconds from storing the comment after an oversized one to the studio handing it on.
async fn oversized() -> anyhow::Result<f64> {
    let (_dir, sandbox, studio, mut events, job) = live().await?;
    let ready = sandbox.ready().clone();
    let burst = format!("/sandbox/jobs/{job}/comments");
    // The studio is away (its first reconnect is refused) while both are stored.
    let refuse = json!({ "route": "GET /api/v1/comments/stream", "count": 1, "status": 503 });
    admin(&ready, Method::POST, "/sandbox/faults", refuse).await?;
    admin(&ready, Method::POST, "/sandbox/streams/drop", Value::Null).await?;
    admin(
        &ready,
        Method::POST,
        &burst,
        json!({ "count": 1, "messageBytes": 70_000 }),
    )
    .await?;
    let stored = Instant::now();
    let after = admin(
        &ready,
        Method::POST,
        &burst,
        json!({ "count": 1, "message": "after" }),
    )
    .await?;
    let id = after["ids"][0].as_str().context("the comment's id")?.to_owned();
    let shown = until(
        &mut events,
        "the comment after",
        |e| matches!(e, StudioEvent::Comment(c) if c.id == id),
    )
    .await?;
    studio.shutdown();
    Ok((shown - stored).as_secs_f64())
}

fn summary(name: &str, mut values: Vec<f64>) {
    values.sort_by(f64::total_cmp);
    let median = values[values.len() / 2];
    let (min, max) = (values[0], values[values.len() - 1]);
    let all: Vec<String> = values.iter().map(|v| format!("{v:.2}")).collect();
    println!(
        "{name}: median {median:.2} s (min {min:.2}, max {max:.2}; {})",
        all.join(", ")
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let trials = env("TRIALS", 5);
    let seconds = env("STORM_SECONDS", 16);
    let (mut chat, mut cleared, mut next) = (Vec::new(), Vec::new(), Vec::new());
    for trial in 1..=trials {
        let (c, e) = storm(seconds).await?;
        let n = oversized().await?;
        eprintln!("trial {trial}: chat live {c:.2} s, error gone {e:.2} s, next comment {n:.2} s");
        chat.push(c);
        cleared.push(e);
        next.push(n);
    }
    println!("{trials} trials, a {seconds} s fault storm, shipped timings:");
    summary("fault storm over → chat live", chat);
    summary("service back → error gone", cleared);
    summary("oversized comment → next comment", next);
    Ok(())
}
