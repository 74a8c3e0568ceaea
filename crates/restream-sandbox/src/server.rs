use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::db::Db;
use crate::faults::Faults;
use crate::host_check::AllowedHosts;
use crate::hub::Hub;
use crate::random_token::random_token;
use crate::ready::Ready;
use crate::settings::{Settings, Tunables};
use crate::state::{AppState, IngestSetup, Shared};
use crate::stats::Stats;
use crate::{router, seed, serve, session_sim, sim};

/// How to run a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The SQLite file, created and migrated when absent.
    pub db_path: PathBuf,
    /// Seed the demo client, keys and user (idempotent).
    pub seed_demo: bool,
    /// Bearer token for `/sandbox/*`; random when `None`.
    pub admin_token: Option<String>,
    /// Serve the `/sandbox/*` admin surface at all.
    pub admin: bool,
    /// The studio's deep-link scheme, whose redirect URIs the demo client accepts.
    pub studio_scheme: String,
    /// Timings, chat rate, token lifetimes, viewer curves; changeable later through the admin
    /// surface. Tests shorten the intervals here.
    pub settings: Tunables,
    /// v1.1: the RTMP address of the ingest in front of the sandbox (`rtmp://` or `rtmps://`);
    /// `None` offers no ingest (`/ingest` answers 404 `ingest_not_offered`).
    pub ingest_rtmp_url: Option<String>,
    /// v1.1: how long a session whose publish was lost waits for a publish on the same key.
    pub publish_grace_ms: u64,
    /// v1.1: offer chat moderation. Off, the sandbox answers as a v1 service would: no
    /// `moderation` in `GET /platforms`, and 404 on `/chat/moderation`.
    pub moderation: bool,
}

impl SandboxConfig {
    /// A seeded sandbox on a free port with the admin surface on and default timings.
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        SandboxConfig {
            port: 0,
            db_path: db_path.into(),
            seed_demo: true,
            admin_token: None,
            admin: true,
            studio_scheme: seed::STUDIO_SCHEME.to_owned(),
            settings: Tunables::defaults(1.0),
            ingest_rtmp_url: None,
            publish_grace_ms: 10_000,
            moderation: true,
        }
    }
}

/// Refuses an ingest address that an encoder could not publish to.
fn check_rtmp_url(url: &str) -> anyhow::Result<()> {
    let parsed = url::Url::parse(url).with_context(|| format!("the ingest RTMP URL `{url}` is not a URL"))?;
    anyhow::ensure!(
        matches!(parsed.scheme(), "rtmp" | "rtmps") && parsed.host_str().is_some(),
        "the ingest RTMP URL `{url}` must be rtmp:// or rtmps:// with a host, e.g. rtmp://127.0.0.1:1935/live"
    );
    Ok(())
}

/// Entry point for starting a sandbox in-process.
pub struct Sandbox;

impl Sandbox {
    /// Opens the database, seeds it when asked, binds 127.0.0.1, resumes the jobs an earlier run
    /// left going, and starts serving. Returns once the listener accepts connections.
    pub async fn start(config: SandboxConfig) -> anyhow::Result<RunningSandbox> {
        if let Some(url) = &config.ingest_rtmp_url {
            check_rtmp_url(url)?;
        }
        let db_path = config.db_path.clone();
        let seed_demo = config.seed_demo;
        let scheme = config.studio_scheme.clone();
        let (db, seed) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let db = Db::open(&db_path)?;
            let seed = if seed_demo {
                Some(
                    db.call_now(move |conn| seed::seed_demo(conn, &scheme))
                        .context("seeding the demo client")?,
                )
            } else {
                None
            };
            Ok((db, seed))
        })
        .await??;

        let listener = TcpListener::bind(("127.0.0.1", config.port))
            .await
            .with_context(|| format!("binding 127.0.0.1:{}", config.port))?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let admin_token = config.admin_token.unwrap_or_else(|| random_token(32));
        let mut ready = Ready {
            base_url: base_url.clone(),
            publishable_key: seed.as_ref().map(|s| s.publishable_key.clone()),
            secret_key: seed.as_ref().map(|s| s.secret_key.clone()),
            user_id: seed.as_ref().map(|s| s.user_id.clone()),
            origin: seed::STUDIO_ORIGIN.to_owned(),
            browser_origin: seed::BROWSER_ORIGIN.to_owned(),
            admin_token: admin_token.clone(),
            redirect_uri: seed::redirect_uris(&config.studio_scheme)[0].clone(),
            ingest_hook_url: None,
            publish_grace_ms: None,
        };
        let ingest = config.ingest_rtmp_url.map(|rtmp_url| IngestSetup {
            rtmp_url,
            hook_secret: random_token(32),
            publish_grace: std::time::Duration::from_millis(config.publish_grace_ms),
        });
        if let Some(ingest) = &ingest {
            ready.ingest_hook_url = Some(format!("{base_url}/ingest/rtmp/{}", ingest.hook_secret));
            ready.publish_grace_ms = Some(config.publish_grace_ms);
        }
        let shutdown = CancellationToken::new();
        let state = AppState(Arc::new(Shared {
            db,
            settings: Settings::new(config.settings),
            stats: Arc::new(Stats::default()),
            faults: Faults::for_routes(router::operations().into_iter().map(|(m, p)| format!("{m} {p}"))),
            hub: Hub::default(),
            sessions: Mutex::new(HashMap::new()),
            base_url,
            admin_token,
            admin_enabled: config.admin,
            ingest,
            moderation: config.moderation,
            shutdown: shutdown.clone(),
        }));
        sim::recover(&state)
            .await
            .context("resuming the jobs of an earlier run")?;
        session_sim::recover(&state)
            .await
            .context("resuming the reconnect windows of an earlier run")?;
        let app = router::build(state, AllowedHosts::for_port(addr.port()));
        let stop = shutdown.clone();
        let task = tokio::spawn(async move {
            // Cancelling the token first ends every chat stream, so the graceful shutdown that
            // follows is not held open by them.
            serve::serve(listener, app, stop).await
        });
        tracing::info!(%addr, "sandbox listening");
        Ok(RunningSandbox {
            ready,
            addr,
            shutdown,
            task: Some(task),
        })
    }
}

/// A sandbox that is serving. Dropping it shuts the server down.
pub struct RunningSandbox {
    ready: Ready,
    addr: SocketAddr,
    shutdown: CancellationToken,
    /// `None` once the server task's result has been taken.
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningSandbox {
    pub fn ready(&self) -> &Ready {
        &self.ready
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Ends every stream and timer, stops accepting, lets in-flight requests finish, and returns
    /// when the server has ended.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.stopped().await
    }

    /// Resolves when the server has ended (after [`shutdown`](Self::shutdown), or on its own after
    /// an accept-loop error). Cancel-safe: dropping the future keeps the server running.
    pub async fn stopped(&mut self) -> anyhow::Result<()> {
        let Some(task) = self.task.as_mut() else {
            return Ok(());
        };
        let result = task.await;
        self.task = None;
        result.context("sandbox task")??;
        Ok(())
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
