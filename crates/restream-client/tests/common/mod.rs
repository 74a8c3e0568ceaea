//! Shared by the integration tests: a sandbox with short intervals, a scripted "system browser",
//! and waiting on studio events.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use restream_client::{
    ApiBase, ChatStatus, ChatTiming, Credential, GoLiveParams, Job, Platform, Studio, StudioConfig,
    StudioEvent, Timing, UrlOpener,
};
use restream_sandbox::{Ready, RunningSandbox, Sandbox, SandboxConfig};
use serde_json::Value;
use tokio::sync::broadcast;
use url::Url;

pub struct Service {
    pub _dir: tempfile::TempDir,
    pub sandbox: RunningSandbox,
    pub ready: Ready,
    pub http: reqwest::Client,
}

impl Service {
    pub async fn start() -> Service {
        Service::start_with(|_| {}).await
    }

    /// A sandbox with the short intervals below, changed by `configure`.
    pub async fn start_with(configure: impl FnOnce(&mut SandboxConfig)) -> Service {
        let dir = tempfile::tempdir().unwrap();
        let mut config = SandboxConfig::new(dir.path().join("sandbox.db"));
        config.settings.start_delay_ms = 50;
        config.settings.stop_delay_ms = 50;
        config.settings.retry_delay_ms = 50;
        config.settings.keep_alive_ms = 200;
        config.settings.stream_retry_ms = 50;
        config.settings.chat_rate_per_second = 0.0;
        configure(&mut config);
        let sandbox = Sandbox::start(config).await.unwrap();
        let ready = sandbox.ready().clone();
        Service {
            _dir: dir,
            sandbox,
            ready,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.ready.base_url)
    }

    pub fn api_base(&self) -> ApiBase {
        ApiBase::parse(&self.ready.base_url).unwrap()
    }

    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.ready.admin_token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(
            response.status().is_success(),
            "admin {path}: {}",
            response.status()
        );
        response.json().await.unwrap_or(Value::Null)
    }

    pub async fn stats(&self) -> Value {
        self.admin(reqwest::Method::GET, "/sandbox/stats", None).await
    }

    /// The demo key's credential.
    pub fn publishable(&self) -> Credential {
        Credential::publishable_key(
            self.ready.publishable_key.clone().unwrap(),
            self.ready.user_id.clone().unwrap(),
            self.ready.origin.clone(),
        )
    }

    pub fn config(&self, credential: Credential, browser: Arc<Browser>) -> StudioConfig {
        let mut config = StudioConfig::new(self.api_base(), credential);
        config.url_opener = browser;
        config.timing = Timing {
            job_poll: Duration::from_millis(100),
            viewer_poll: Duration::from_millis(200),
            viewer_poll_unseen: Duration::from_secs(3600),
            authorization_poll: Duration::from_millis(100),
            connect_timeout: Duration::from_secs(20),
            browser_hint_after: Duration::from_secs(60),
            poll_backoff_cap: Duration::from_millis(500),
            chat: ChatTiming {
                stall_after: Duration::from_secs(2),
                backoff_base: Duration::from_millis(50),
                backoff_cap: Duration::from_millis(300),
                refused_retry: Duration::from_millis(400),
            },
        };
        config
    }

    pub fn studio(&self, browser: Arc<Browser>) -> Studio {
        Studio::new(self.config(self.publishable(), browser)).unwrap()
    }
}

/// What the scripted browser does with a page it is asked to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Deny,
    /// Leave the page open, answer nothing.
    Ignore,
}

/// A stand-in for the system browser: answers hosted pages over HTTP, and (unless told to
/// withhold it) hands the resulting deep link back to the studio, as the OS would.
pub struct Browser {
    pub decision: Mutex<Decision>,
    pub deliver_link: Mutex<bool>,
    pub studio: Mutex<Option<Studio>>,
    pub opened: Mutex<Vec<Url>>,
    pub links: Mutex<Vec<String>>,
}

impl Browser {
    pub fn new(decision: Decision) -> Arc<Browser> {
        Arc::new(Browser {
            decision: Mutex::new(decision),
            deliver_link: Mutex::new(true),
            studio: Mutex::new(None),
            opened: Mutex::new(Vec::new()),
            links: Mutex::new(Vec::new()),
        })
    }

    pub fn attach(&self, studio: &Studio) {
        *self.studio.lock().unwrap() = Some(studio.clone());
    }

    /// Waits until the studio asked for a page (30 s at most), naming `what` if it never did.
    pub async fn until_opened(&self, what: &str) {
        let opened = async {
            while self.opened.lock().unwrap().is_empty() {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(30), opened)
            .await
            .unwrap_or_else(|_| panic!("{what} was never opened"));
    }
}

impl UrlOpener for Browser {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.opened.lock().unwrap().push(url.clone());
        let decision = *self.decision.lock().unwrap();
        if decision == Decision::Ignore {
            return Ok(());
        }
        let deliver = *self.deliver_link.lock().unwrap();
        let studio = self.studio.lock().unwrap().clone();
        let url = url.clone();
        let links = Arc::new(Mutex::new(Vec::new()));
        tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let sign_in = url.path() == "/operator/authorize";
            let form = match (sign_in, decision) {
                (true, Decision::Approve) => {
                    format!(
                        "{}&user_id=demo-streamer&decision=approve",
                        url.query().unwrap_or_default()
                    )
                }
                (true, _) => format!("{}&decision=deny", url.query().unwrap_or_default()),
                (false, Decision::Approve) => "decision=approve".to_owned(),
                (false, _) => "decision=deny".to_owned(),
            };
            let target = if sign_in {
                url.as_str().split('?').next().unwrap().to_owned()
            } else {
                url.to_string()
            };
            let response = http
                .post(target)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap();
            let location = response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned());
            // An http redirect (the loopback sign-in route) is followed, as any browser would.
            if let Some(loopback) = location.as_deref().filter(|l| l.starts_with("http://")) {
                let page = http.get(loopback).send().await.unwrap();
                links
                    .lock()
                    .unwrap()
                    .push(format!("{} {loopback}", page.status().as_u16()));
                return;
            }
            if let (Some(location), true, Some(studio)) = (location, deliver, studio) {
                links.lock().unwrap().push(location.clone());
                if sign_in {
                    studio.complete_sign_in(&location);
                } else {
                    studio.complete_connect(&location);
                }
            }
        });
        Ok(())
    }
}

/// Waits (bounded) for an event that `pick` accepts.
pub async fn wait_for<T>(
    events: &mut tokio::sync::broadcast::Receiver<StudioEvent>,
    what: &str,
    mut pick: impl FnMut(&StudioEvent) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
        match event {
            Ok(event) => {
                if let Some(found) = pick(&event) {
                    return found;
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(e) => panic!("events ended: {e}"),
        }
    }
}

/// A studio linked to Twitch and live there, with its chat stream open.
pub async fn live_on_twitch(service: &Service) -> (Studio, broadcast::Receiver<StudioEvent>, Job) {
    let browser = Browser::new(Decision::Approve);
    let studio = service.studio(browser.clone());
    browser.attach(&studio);
    let (events, job) = go_live_on_twitch(&studio).await;
    (studio, events, job)
}

/// Links Twitch and goes live there with `studio`; answers once its chat stream is open.
pub async fn go_live_on_twitch(studio: &Studio) -> (broadcast::Receiver<StudioEvent>, Job) {
    studio.connect(Platform::Twitch).await.unwrap();
    let mut events = studio.subscribe();
    let job = studio
        .go_live(GoLiveParams {
            publisher_session_id: "sess_live".to_owned(),
            destinations: vec![Platform::Twitch],
            ..GoLiveParams::default()
        })
        .await
        .unwrap();
    wait_for(&mut events, "chat live", |e| {
        matches!(e, StudioEvent::Chat(ChatStatus::Live)).then_some(())
    })
    .await;
    (events, job)
}
