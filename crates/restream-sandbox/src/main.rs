//! `restream-sandbox`: run the local Restream Service from a shell.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use restream_sandbox::{Sandbox, SandboxConfig, Tunables};
use tracing_subscriber::EnvFilter;

/// A local Restream Service for development, demos and tests. Prints `READY {json}` on stdout
/// when it accepts requests; logs go to stderr.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// SQLite database file, created and migrated when absent.
    #[arg(long, default_value = "sandbox.db")]
    db: PathBuf,
    /// Seed the demo client, keys and user.
    #[arg(long)]
    seed_demo: bool,
    /// Bearer token for the /sandbox/* admin surface (random when omitted).
    #[arg(long)]
    admin_token: Option<String>,
    /// Serve no /sandbox/* admin surface.
    #[arg(long)]
    no_admin: bool,
    /// The studio's deep-link scheme, whose redirect URIs the demo client accepts.
    #[arg(long, default_value = restream_sandbox::STUDIO_SCHEME)]
    studio_scheme: String,
    /// Simulated incoming chat, messages per second per live destination.
    #[arg(long, default_value_t = 1.0)]
    chat_rate: f64,
    /// How long a new job stays queued before it runs.
    #[arg(long, default_value_t = 1000)]
    start_delay_ms: u64,
    /// How long a stopping job takes to stop.
    #[arg(long, default_value_t = 1000)]
    stop_delay_ms: u64,
    /// Interval of `: keep-alive` lines on chat streams.
    #[arg(long, default_value_t = 15_000)]
    keep_alive_ms: u64,
    /// Offer the v1.1 ingest: the RTMP address of the server in front (e.g.
    /// rtmp://127.0.0.1:19350/live) that encoders publish to with each user's stream key.
    #[arg(long)]
    ingest_rtmp_url: Option<String>,
    /// With the ingest: how long a session whose publish was lost waits for the encoder to
    /// publish again on the same key before it ends.
    #[arg(long, default_value_t = 10_000)]
    publish_grace_ms: u64,
    /// Answer as a v1 service would about moderation: no `moderation` in GET /platforms and 404
    /// on /chat/moderation (to try a client against a service that does not offer it).
    #[arg(long)]
    no_moderation: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let mut settings = Tunables::defaults(args.chat_rate);
    settings.start_delay_ms = args.start_delay_ms;
    settings.stop_delay_ms = args.stop_delay_ms;
    settings.keep_alive_ms = args.keep_alive_ms.max(1);
    let sandbox = Sandbox::start(SandboxConfig {
        port: args.port,
        db_path: args.db,
        seed_demo: args.seed_demo,
        admin_token: args.admin_token,
        admin: !args.no_admin,
        studio_scheme: args.studio_scheme,
        settings,
        ingest_rtmp_url: args.ingest_rtmp_url,
        publish_grace_ms: args.publish_grace_ms,
        moderation: !args.no_moderation,
    })
    .await?;

    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "READY {}", serde_json::to_string(sandbox.ready())?)?;
    stdout.flush()?;
    drop(stdout);

    tokio::select! {
        result = tokio::signal::ctrl_c() => {
            result.context("waiting for Ctrl-C")?;
            tracing::info!("shutting down");
            sandbox.shutdown().await
        }
        result = terminate() => {
            result?;
            tracing::info!("shutting down");
            sandbox.shutdown().await
        }
    }
}

#[cfg(unix)]
async fn terminate() -> anyhow::Result<()> {
    let mut signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    signal.recv().await;
    Ok(())
}

#[cfg(not(unix))]
async fn terminate() -> anyhow::Result<()> {
    std::future::pending().await
}
