//! A sandbox on an ephemeral port with short intervals, and the requests tests make of it.
#![allow(dead_code)] // each test file uses its own part of this

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use restream_sandbox::{Ready, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::{Value, json};

pub const STATE: &str = "test-state-0123456789abcdefXYZ";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub sandbox: Option<RunningSandbox>,
    pub ready: Ready,
    pub http: reqwest::Client,
    /// What this fixture changes in [`fast_config`], again at every restart.
    configure: std::sync::Arc<dyn Fn(&mut SandboxConfig) + Send + Sync>,
}

/// Timings short enough for tests, real enough to exercise every transition.
pub fn fast_config(db: std::path::PathBuf) -> SandboxConfig {
    let mut config = SandboxConfig::new(db);
    config.settings.start_delay_ms = 50;
    config.settings.stop_delay_ms = 50;
    config.settings.retry_delay_ms = 50;
    config.settings.keep_alive_ms = 300;
    // Tests that want simulated chat turn it on; the rest see only what they cause.
    config.settings.chat_rate_per_second = 0.0;
    config
}

impl Fixture {
    pub async fn start() -> Fixture {
        Fixture::start_with(|_| {}).await
    }

    /// A sandbox with [`fast_config`] changed by `configure`.
    pub async fn start_with(configure: impl Fn(&mut SandboxConfig) + Send + Sync + 'static) -> Fixture {
        let configure = std::sync::Arc::new(configure);
        let dir = tempfile::tempdir().unwrap();
        let mut config = fast_config(dir.path().join("sandbox.db"));
        configure(&mut config);
        let sandbox = Sandbox::start(config).await.unwrap();
        let ready = sandbox.ready().clone();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Fixture {
            dir,
            sandbox: Some(sandbox),
            ready,
            http,
            configure,
        }
    }

    /// Stops the sandbox and starts a new one on the same database (a new port).
    pub async fn restart(&mut self) {
        self.sandbox.take().unwrap().shutdown().await.unwrap();
        let mut config = fast_config(self.dir.path().join("sandbox.db"));
        (self.configure)(&mut config);
        let sandbox = Sandbox::start(config).await.unwrap();
        self.ready = sandbox.ready().clone();
        self.sandbox = Some(sandbox);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.ready.base_url)
    }

    pub fn user_id(&self) -> &str {
        self.ready.user_id.as_deref().unwrap()
    }

    /// A request with the demo publishable key.
    pub fn pk(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header(
                "X-Publishable-Key",
                self.ready.publishable_key.as_deref().unwrap(),
            )
            .header("X-User-Id", self.user_id())
            .header("Origin", &self.ready.origin)
    }

    /// A request with the admin token.
    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.ready.admin_token)
    }

    pub async fn mint(&self, user_id: &str, scopes: Option<&[&str]>) -> String {
        let mut body = json!({ "userId": user_id });
        if let Some(scopes) = scopes {
            body["scopes"] = json!(scopes);
        }
        let response = self
            .http
            .post(self.url("/api/v1/auth/session"))
            .header("X-API-Key", self.ready.secret_key.as_deref().unwrap())
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Links `platform` for the demo user through the hosted consent page, as a browser would.
    pub async fn connect(&self, platform: &str) -> Response {
        let state = format!("{STATE}-{platform}");
        let authorize: Value = self
            .pk(Method::POST, &format!("/api/v1/connections/{platform}/authorize"))
            .json(&json!({ "redirectUri": self.ready.redirect_uri, "state": state }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let consent = authorize["authorizeUrl"]
            .as_str()
            .expect("authorizeUrl")
            .to_owned();
        self.http
            .post(consent)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("decision=approve")
            .send()
            .await
            .unwrap()
    }

    pub async fn go_live(&self, body: Value) -> Response {
        self.pk(Method::POST, "/api/v1/jobs")
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// Connects `platforms`, goes live to them and waits until the job runs.
    pub async fn running_job(&self, platforms: &[&str]) -> Value {
        self.running_job_on("sess_1", platforms).await
    }

    /// A job on publisher session `session` to `platforms` (linked first), once it runs.
    pub async fn running_job_on(&self, session: &str, platforms: &[&str]) -> Value {
        for p in platforms {
            assert_eq!(self.connect(p).await.status(), StatusCode::SEE_OTHER);
        }
        let response = self
            .go_live(json!({ "publisherSessionId": session, "destinations": platforms }))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let job: Value = response.json().await.unwrap();
        self.wait_for_job(job["id"].as_str().unwrap(), |j| j["status"] == "running")
            .await
    }

    pub async fn job(&self, id: &str) -> Value {
        self.pk(Method::GET, &format!("/api/v1/jobs/{id}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Polls the job until `done` holds (bounded; the sandbox's intervals are 50 ms here).
    pub async fn wait_for_job(&self, id: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let job = self.job(id).await;
            if done(&job) {
                return job;
            }
            assert!(
                Instant::now() < deadline,
                "job never reached the expected state: {job}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Asserts the contract's error body and returns its message.
pub async fn expect_error(response: Response, status: StatusCode, code: &str) -> String {
    let got = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(
        (got, body["error"]["code"].as_str()),
        (status, Some(code)),
        "body: {body}"
    );
    body["error"]["message"].as_str().unwrap_or_default().to_owned()
}

/// Sends `request` and reads its answer's JSON body (`Null` when it has none).
pub async fn json_of(request: RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap_or(Value::Null)
}

/// One event read from a chat stream.
#[derive(Debug, Clone)]
pub struct SseEvent {
    pub event: String,
    pub id: String,
    pub data: String,
}

/// An open `GET /comments/stream`.
pub struct ChatStream {
    events: std::pin::Pin<Box<dyn futures_util::Stream<Item = SseEvent> + Send>>,
}

impl ChatStream {
    pub async fn open(request: RequestBuilder) -> ChatStream {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        let events =
            eventsource_stream::EventStream::new(response.bytes_stream()).filter_map(|e| async move {
                e.ok().map(|e| SseEvent {
                    event: e.event,
                    id: e.id,
                    data: e.data,
                })
            });
        ChatStream {
            events: Box::pin(events),
        }
    }

    /// The next event, or `None` when the stream ends; panics after 10 s of nothing.
    pub async fn next(&mut self) -> Option<SseEvent> {
        tokio::time::timeout(Duration::from_secs(10), self.events.next())
            .await
            .expect("no event within 10 s")
    }

    /// The next event named `name` (others skipped); panics when the stream ends first.
    pub async fn next_named(&mut self, name: &str) -> SseEvent {
        loop {
            let event = self.next().await.expect("the stream ended");
            if event.event == name {
                return event;
            }
        }
    }

    /// Reads until `n` comments arrived; returns their ids (other events are skipped).
    pub async fn comments(&mut self, n: usize) -> Vec<String> {
        let mut ids = Vec::new();
        while ids.len() < n {
            let event = self.next().await.expect("stream ended early");
            if event.event == "comment" {
                ids.push(event.id);
            }
        }
        ids
    }
}
