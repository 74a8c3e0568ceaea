//! The service side of a test: a sandbox of the test's own playing the Restream Service, the
//! environment that points the app at it (publishable-key or token mode), and the sandbox's
//! surfaces a test reads and drives: the streamer's current job as the app sees it, and the admin
//! surface that plays the platforms' side of the world.

use std::ops::Deref;
use std::path::PathBuf;

use anyhow::Result;
use restream_sandbox::{Ready, RunningSandbox, Sandbox, SandboxConfig, Tunables};
use serde_json::json;

use super::launch::Launch;

/// A running sandbox and the folder holding its database and the stand-in browser's logs. It
/// stops when dropped; it derefs to the [`RunningSandbox`].
pub struct Service {
    sandbox: RunningSandbox,
    dir: tempfile::TempDir,
}

impl Service {
    /// A sandbox whose jobs start and stop in 200 ms, its audience chatting at the usual rate.
    pub async fn start() -> Result<Service> {
        Service::start_with(|_| {}).await
    }

    /// A sandbox whose audience says nothing unless a test makes it (bursts through the admin
    /// surface).
    pub async fn quiet() -> Result<Service> {
        Service::start_with(|settings| settings.chat_rate_per_second = 0.0).await
    }

    /// A quiet sandbox offering the v1.1 ingest at `rtmp_url` (the RTMP server in front calls
    /// its hook, [`Ready::ingest_hook_url`]), with a reconnect window of `grace_ms`.
    pub async fn with_ingest(rtmp_url: &str, grace_ms: u64) -> Result<Service> {
        let rtmp_url = rtmp_url.to_owned();
        Service::start_configured(move |config| {
            config.settings.chat_rate_per_second = 0.0;
            config.ingest_rtmp_url = Some(rtmp_url);
            config.publish_grace_ms = grace_ms;
        })
        .await
    }

    async fn start_with(adjust: impl FnOnce(&mut Tunables)) -> Result<Service> {
        Service::start_configured(|config| adjust(&mut config.settings)).await
    }

    async fn start_configured(adjust: impl FnOnce(&mut SandboxConfig)) -> Result<Service> {
        let dir = tempfile::tempdir()?;
        let mut config = SandboxConfig::new(dir.path().join("sandbox.db"));
        config.settings.start_delay_ms = 200;
        config.settings.stop_delay_ms = 200;
        adjust(&mut config);
        let sandbox = Sandbox::start(config).await?;
        Ok(Service { sandbox, dir })
    }

    /// `file` in this service's folder (a browser log, say).
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// The app pointed at this service with its demo publishable key, and the stand-in browser
    /// logging to `browser.log` here.
    pub fn launch(&self, name: &'static str) -> Launch {
        Launch::new(name).service(self).browser(self.path("browser.log"))
    }

    /// The app in token mode against this service (the sandbox plays the operator), and the
    /// stand-in browser logging to `browser.log` here.
    pub fn launch_token_mode(&self, name: &'static str) -> Launch {
        Launch::new(name)
            .token_mode(self)
            .browser(self.path("browser.log"))
    }
}

impl Deref for Service {
    type Target = RunningSandbox;

    fn deref(&self) -> &RunningSandbox {
        &self.sandbox
    }
}

impl Launch {
    /// Points the app at the service at `api_base`, with the publishable key `key` acting for
    /// `user`.
    pub fn publishable_key(self, api_base: &str, key: &str, user: &str) -> Launch {
        self.env("RESTREAM_STUDIO_API_BASE", api_base)
            .env("RESTREAM_STUDIO_PUBLISHABLE_KEY", key)
            .env("RESTREAM_STUDIO_USER_ID", user)
    }

    /// Points the app at `sandbox` with its demo publishable key.
    pub fn service(self, sandbox: &RunningSandbox) -> Launch {
        let ready = sandbox.ready();
        self.publishable_key(
            &ready.base_url,
            ready.publishable_key.as_deref().unwrap_or_default(),
            ready.user_id.as_deref().unwrap_or_default(),
        )
        .env("RESTREAM_STUDIO_ORIGIN", &ready.origin)
    }

    /// Token mode against `sandbox`: the streamer signs in, the sandbox playing the operator.
    pub fn token_mode(self, sandbox: &RunningSandbox) -> Launch {
        self.env("RESTREAM_STUDIO_API_BASE", &sandbox.ready().base_url)
            .env("RESTREAM_STUDIO_OPERATOR_CLIENT_ID", "demo")
    }
}

/// The streamer's current job, read from the service as the app would, with the demo key.
pub async fn current_job(ready: &Ready) -> Result<serde_json::Value> {
    as_streamer(ready, "/api/v1/jobs/current").await
}

/// `GET path` of the service as the streamer's app, with the demo key.
pub async fn as_streamer(ready: &Ready, path: &str) -> Result<serde_json::Value> {
    Ok(reqwest::Client::new()
        .get(format!("{}{path}", ready.base_url))
        .header(
            "X-Publishable-Key",
            ready.publishable_key.as_deref().unwrap_or_default(),
        )
        .header("X-User-Id", ready.user_id.as_deref().unwrap_or_default())
        .header("Origin", &ready.origin)
        .send()
        .await?
        .json()
        .await?)
}

/// The current job's status (`running`, `stopping`, …).
pub async fn job_status(ready: &Ready) -> Result<String> {
    Ok(current_job(ready).await?["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// Calls the sandbox's admin surface (the platforms' side of the world).
pub async fn admin(
    ready: &Ready,
    method: reqwest::Method,
    path: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value> {
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", ready.base_url))
        .bearer_auth(&ready.admin_token)
        .json(&body)
        .send()
        .await?;
    anyhow::ensure!(response.status().is_success(), "{path}: {}", response.status());
    Ok(response.json().await.unwrap_or(serde_json::Value::Null))
}

/// `platform` refuses the current job's stream with `message`, as the platform's side would.
pub async fn fail_destination(ready: &Ready, platform: &str, message: &str) -> Result<()> {
    let job = current_job(ready).await?;
    admin(
        ready,
        reqwest::Method::POST,
        &format!(
            "/sandbox/jobs/{}/broadcasts/{platform}/fail",
            job["id"].as_str().unwrap_or_default()
        ),
        json!({ "code": "platform_rejected", "message": message }),
    )
    .await?;
    Ok(())
}
