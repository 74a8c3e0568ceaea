use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::db::Db;
use crate::host_check::AllowedHosts;
use crate::ready::Ready;
use crate::{router, seed};

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
}

impl SandboxConfig {
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        SandboxConfig {
            port: 0,
            db_path: db_path.into(),
            seed_demo: true,
            admin_token: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    #[allow(dead_code)] // read by the admin surface
    pub admin_token: Arc<str>,
}

/// Entry point for starting a sandbox in-process.
pub struct Sandbox;

impl Sandbox {
    /// Opens the database, seeds it when asked, binds 127.0.0.1 and starts serving. Returns once
    /// the listener accepts connections.
    pub async fn start(config: SandboxConfig) -> anyhow::Result<RunningSandbox> {
        let db_path = config.db_path.clone();
        let seed_demo = config.seed_demo;
        let (db, seed) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let db = Db::open(&db_path)?;
            let seed = if seed_demo {
                Some(db.call_now(seed::seed_demo).context("seeding the demo client")?)
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
        let admin_token: Arc<str> = config
            .admin_token
            .unwrap_or_else(|| seed::random_token(32))
            .into();
        let ready = Ready {
            base_url: format!("http://{addr}"),
            publishable_key: seed.as_ref().map(|s| s.publishable_key.clone()),
            secret_key: seed.as_ref().map(|s| s.secret_key.clone()),
            user_id: seed.as_ref().map(|s| s.user_id.clone()),
            origin: seed::STUDIO_ORIGIN.to_owned(),
            browser_origin: seed::BROWSER_ORIGIN.to_owned(),
            admin_token: admin_token.to_string(),
            redirect_uri: seed::CONNECT_REDIRECT_URI.to_owned(),
        };
        let state = AppState { db, admin_token };
        let app = router::build(state, AllowedHosts::for_port(addr.port()));
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // Either an explicit shutdown or the handle being dropped ends the server.
                    let _ = shutdown_rx.await;
                })
                .await
        });
        tracing::info!(%addr, "sandbox listening");
        Ok(RunningSandbox {
            ready,
            addr,
            shutdown: Some(shutdown_tx),
            task: Some(task),
        })
    }
}

/// A sandbox that is serving. Dropping it shuts the server down.
pub struct RunningSandbox {
    ready: Ready,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
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

    /// Stops accepting, lets in-flight requests finish, and returns when the server has ended.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
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
