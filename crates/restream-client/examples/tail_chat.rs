//! Talk to a Restream Service without the app: list connections, go live, tail the merged chat.
//!
//! Start a sandbox, then pass its READY line (or just the JSON after `READY `):
//!
//! ```sh
//! cargo run -p restream-sandbox -- --port 0 --db /tmp/s.db --seed-demo   # prints READY {...}
//! cargo run -p restream-client --example tail_chat -- 'READY {...}' [session-id] [twitch,kick]
//! ```
//!
//! Platforms not yet linked are linked first: the consent URL is printed for you to open in a
//! browser. It prints chat, viewers, the job, and v1.1's session and moderation events (try
//! `POST /sandbox/moderation` on the sandbox's admin surface). Ctrl-C stops the stream and exits.

use std::sync::Arc;

use anyhow::{Context, bail};
use restream_client::{
    ApiBase, ConnectOutcome, Credential, GoLiveParams, Platform, Studio, StudioConfig, StudioEvent, UrlOpener,
};
use url::Url;

/// Prints URLs for a person to open, instead of launching a browser.
struct PrintUrl;

impl UrlOpener for PrintUrl {
    fn open(&self, url: &Url) -> Result<(), String> {
        println!("Open this page in a browser to approve:\n  {url}");
        Ok(())
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let ready = args
        .next()
        .context("pass the sandbox's READY line (or its JSON) as the first argument")?;
    let ready: serde_json::Value = serde_json::from_str(ready.trim().trim_start_matches("READY").trim())
        .context("the first argument is not the READY JSON")?;
    let field = |name: &str| -> anyhow::Result<String> {
        ready[name]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("READY has no `{name}`"))
    };
    let session = args.next().unwrap_or_else(|| "example-session".to_owned());
    let wanted: Vec<Platform> = match args.next() {
        Some(list) => list
            .split(',')
            .map(|p| Platform::parse(p.trim()).with_context(|| format!("unknown platform `{p}`")))
            .collect::<anyhow::Result<_>>()?,
        None => vec![Platform::Twitch, Platform::Kick],
    };

    let api_base = ApiBase::parse(&field("baseUrl")?)?;
    let credential =
        Credential::publishable_key(field("publishableKey")?, field("userId")?, field("origin")?);
    let mut config = StudioConfig::new(api_base, credential);
    config.url_opener = Arc::new(PrintUrl);
    config.connect_redirect_uri = field("redirectUri")?;
    let studio = Studio::new(config)?;
    let mut events = studio.subscribe();
    studio.start().await?;

    let linked: Vec<Platform> = studio.snapshot().connections.iter().map(|c| c.platform).collect();
    println!("Linked: {linked:?}");
    for platform in wanted.iter().filter(|p| !linked.contains(p)) {
        match studio.connect(*platform).await? {
            ConnectOutcome::Connected { .. } => println!("Linked {platform:?}."),
            other => bail!("linking {platform:?} ended: {other:?}"),
        }
    }

    let job = studio
        .go_live(GoLiveParams {
            publisher_session_id: session,
            destinations: wanted,
            ..GoLiveParams::default()
        })
        .await?;
    println!(
        "Job {} is {:?}. Tailing chat; Ctrl-C stops the stream.",
        job.id, job.status
    );
    for b in &job.broadcasts {
        if let Some(url) = &b.watch_url {
            println!("  Watch on {:?}: {url}", b.platform);
        }
    }

    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            event = events.recv() => match event {
                Ok(StudioEvent::Comments { comments, backfill }) => {
                    for c in comments.iter() {
                        let mark = if backfill { " (earlier)" } else { "" };
                        println!("[{:?}] {}: {}{mark}", c.platform, c.author, c.message);
                    }
                }
                Ok(StudioEvent::Viewers(Some(v))) => println!("viewers: {} {:?}", v.total, v.platforms),
                Ok(StudioEvent::Job(Some(job))) => println!("job: {:?}", job.status),
                Ok(StudioEvent::Chat(status)) => println!("chat: {status:?}"),
                Ok(StudioEvent::Session(s)) => {
                    println!("session {}: {:?} ({:?})", s.publisher_session_id, s.status, s.source)
                }
                Ok(StudioEvent::Moderation { event: m, removed }) => {
                    let done = &m.outcome;
                    let what = done.comment_id.as_deref().or(done.author_id.as_deref()).unwrap_or("?");
                    let left = if removed { " (removed from the feed)" } else { "" };
                    println!("moderation by {:?}: {} {what} on {:?}{left}", m.by, done.action.as_str(), done.platform)
                }
                Ok(StudioEvent::Error { error: e, .. }) => {
                    println!("error: {} — {}", e.advice().cause, e.advice().fix)
                }
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => println!("(skipped {n} events)"),
                Err(_) => break,
            },
        }
    }
    let stopped = studio.stop_live().await?;
    println!("Stopping: {:?}", stopped.status);
    studio.shutdown();
    Ok(())
}
