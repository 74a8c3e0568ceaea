//! The controller: one streamer's Restream Service, as the seed's `RestreamStudio`. It owns the
//! state the seed's hook returns, runs one task per concern (job poller, viewer poller, chat
//! stream), and publishes every change as a [`StudioEvent`].

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use reqwest::Method;
use serde_json::json;
use tokio::sync::{broadcast, oneshot};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::api::{Api, Auth};
use crate::api_base::ApiBase;
use crate::chat::{self, ChatSink, ChatStatus, ChatTiming, ChatTransport, Opened};
use crate::clock::ServerClock;
use crate::connect::{ConnectOutcome, LinkVerdict, PendingConnects, parse_connect_link};
use crate::credential::Credential;
use crate::error::{ApiError, codes};
use crate::events::{AuthStatus, StudioEvent};
use crate::feed::CommentFeed;
use crate::http::transport_error;
use crate::loopback::LoopbackListener;
use crate::operator::{Operator, OperatorMinter, PendingSignIn, SignInError, SignInRoute};
use crate::platforms::{Platform, PlatformInfo, decode_platforms};
use crate::secret_store::{MemorySecretStore, SecretStore};
use crate::token_source::TokenSource;
use crate::types::{
    AuthorizationStatus, AuthorizeAnswer, Comment, Connection, ConnectionList, GoLiveParams, Job, JobStatus,
    OverlayUpdate, SendResult, SendResults, Viewers,
};
use crate::url_token::random_url_token;

/// The seed's `timeoutMs` default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Opens a URL in the system browser. The app implements it; it must validate what it opens.
pub trait UrlOpener: Send + Sync {
    /// Opens `url`; `Err` says why it could not, in words for the streamer.
    fn open(&self, url: &Url) -> Result<(), String>;
}

/// An opener for headless use: refuses, so a connect fails with a clear message.
pub struct NoBrowser;

impl UrlOpener for NoBrowser {
    fn open(&self, _url: &Url) -> Result<(), String> {
        Err("this studio has no browser to open".to_owned())
    }
}

/// How often things happen.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Job status while queued, running or stopping.
    pub job_poll: Duration,
    /// Viewer counts while running (the seed: about every 10 s).
    pub viewer_poll: Duration,
    /// Authorization status while a connect waits for its deep link.
    pub authorization_poll: Duration,
    /// How long a connect waits for an answer.
    pub connect_timeout: Duration,
    /// Backoff after a failed poll: full jitter up to this.
    pub poll_backoff_cap: Duration,
    /// Stall detection and reconnect backoff of the chat stream.
    pub chat: ChatTiming,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            job_poll: Duration::from_secs(2),
            viewer_poll: Duration::from_secs(10),
            authorization_poll: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(600),
            poll_backoff_cap: Duration::from_secs(30),
            chat: ChatTiming::default(),
        }
    }
}

/// What a [`Studio`] talks to, as whom, and with what around it.
#[derive(Clone)]
pub struct StudioConfig {
    /// The service's address.
    pub api_base: ApiBase,
    /// Who the studio acts as.
    pub credential: Credential,
    /// Deadline for each request, from sending to the last byte of the answer.
    pub timeout: Duration,
    /// Where the operator refresh token is kept (token mode).
    pub secret_store: Arc<dyn SecretStore>,
    /// Opens hosted pages (connect, sign-in) in the system browser.
    pub url_opener: Arc<dyn UrlOpener>,
    /// The deep link the service redirects a connect to (registered for the client).
    pub connect_redirect_uri: String,
    /// The deep link the operator redirects a sign-in to.
    pub sign_in_redirect_uri: String,
    /// Poll intervals, timeouts and backoffs.
    pub timing: Timing,
}

impl StudioConfig {
    /// Defaults for everything else: 15 s timeout, secrets in memory, no browser, the default deep links.
    pub fn new(api_base: ApiBase, credential: Credential) -> Self {
        StudioConfig {
            api_base,
            credential,
            timeout: DEFAULT_TIMEOUT,
            secret_store: Arc::new(MemorySecretStore::default()),
            url_opener: Arc::new(NoBrowser),
            connect_redirect_uri: "dev.restreamstudio://connect/callback".to_owned(),
            sign_in_redirect_uri: "dev.restreamstudio://signin/callback".to_owned(),
            timing: Timing::default(),
        }
    }
}

impl std::fmt::Debug for StudioConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StudioConfig")
            .field("api_base", &self.api_base)
            .field("credential", &self.credential)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// What the seed's `useRestream` returns, minus the actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The streamer's linked platforms.
    pub connections: Vec<Connection>,
    /// The current job, whatever its status; `None` until one is known.
    pub job: Option<Job>,
    /// The latest viewer counts of the running job.
    pub viewers: Option<Viewers>,
    /// The latest 200, oldest first.
    pub comments: Vec<Comment>,
    /// The latest failure.
    pub error: Option<ApiError>,
    /// The chat stream's state.
    pub chat: ChatStatus,
    /// Whether requests can be made as the streamer.
    pub auth: AuthStatus,
    /// Destinations pre-selected for go-live.
    pub armed: Vec<Platform>,
}

struct State {
    connections: Vec<Connection>,
    job: Option<Job>,
    viewers: Option<Viewers>,
    error: Option<ApiError>,
    chat: ChatStatus,
    auth: AuthStatus,
    armed: Vec<Platform>,
    /// The go-live intent whose `Idempotency-Key` a retry reuses.
    intent: Option<(GoLiveParams, String)>,
    /// The job whose supersede was last said, so it is said once.
    superseded_said: Option<String>,
}

/// Cancels the tasks that follow the current job.
#[derive(Default)]
struct Followers {
    job: Option<(String, CancellationToken)>,
    viewers: Option<CancellationToken>,
    chat: Option<CancellationToken>,
}

struct Inner {
    config: StudioConfig,
    api: Arc<Api>,
    sse_http: reqwest::Client,
    operator: Option<Arc<Operator>>,
    tokens: Option<Arc<TokenSource>>,
    state: Mutex<State>,
    feed: Mutex<CommentFeed>,
    events: broadcast::Sender<StudioEvent>,
    followers: Mutex<Followers>,
    root: CancellationToken,
    connects: PendingConnects,
    sign_in: Mutex<Option<SignInSlot>>,
    /// Counts sign-ins as they are asked for, so the latest ask wins whatever finishes first.
    sign_in_asked: std::sync::atomic::AtomicU64,
}

/// A sign-in in progress: what the answer must match, and who waits for it.
struct SignInSlot {
    /// When it was asked for (`sign_in_asked`).
    asked: u64,
    pending: Arc<PendingSignIn>,
    wake: Option<oneshot::Sender<String>>,
}

/// A handle on one streamer's Restream Service. Cheap to clone; every clone is the same studio.
#[derive(Clone)]
pub struct Studio {
    inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Studio {
    /// Builds a studio; nothing is sent until [`start`](Self::start) or an action.
    pub fn new(config: StudioConfig) -> Result<Studio, ApiError> {
        let setup =
            |e: reqwest::Error| ApiError::new(0, "client_setup", format!("Could not set up HTTP: {e}"));
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            // The contract has no redirects; following one could send the credential elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("RestreamStudio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(setup)?;
        // A total timeout would kill a long stream: the chat stream gets connect and read timeouts.
        let read_timeout = config.timing.chat.stall_after + Duration::from_secs(5);
        let sse_http = reqwest::Client::builder()
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .read_timeout(read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("RestreamStudio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(setup)?;
        let timeout_secs = config.timeout.as_secs().max(1);
        let (auth, operator, tokens, auth_status) = match &config.credential {
            Credential::PublishableKey { key, user_id, origin } => (
                Auth::Publishable {
                    key: key.clone(),
                    user_id: user_id.clone(),
                    origin: origin.clone(),
                },
                None,
                None,
                AuthStatus::NotRequired,
            ),
            Credential::Token(token) => (Auth::Static(token.clone()), None, None, AuthStatus::NotRequired),
            Credential::Operator(operator_config) => {
                let operator = Arc::new(Operator::new(
                    http.clone(),
                    timeout_secs,
                    (**operator_config).clone(),
                    Arc::clone(&config.secret_store),
                ));
                let tokens = Arc::new(TokenSource::new(Box::new(OperatorMinter(Arc::clone(&operator)))));
                let status = if operator.has_sign_in() {
                    AuthStatus::SignedIn
                } else {
                    AuthStatus::SignInRequired {
                        reason: "Sign in to your streaming account.".to_owned(),
                    }
                };
                (
                    Auth::Minted(Arc::clone(&tokens)),
                    Some(operator),
                    Some(tokens),
                    status,
                )
            }
        };
        let api = Arc::new(Api {
            base: config.api_base.clone(),
            http,
            timeout_secs,
            auth,
            clock: Arc::new(ServerClock::default()),
        });
        let (events, _) = broadcast::channel(1024);
        Ok(Studio {
            inner: Arc::new(Inner {
                config,
                api,
                sse_http,
                operator,
                tokens,
                state: Mutex::new(State {
                    connections: Vec::new(),
                    job: None,
                    viewers: None,
                    error: None,
                    chat: ChatStatus::Stopped {
                        reason: "no live job".to_owned(),
                    },
                    auth: auth_status,
                    armed: Vec::new(),
                    intent: None,
                    superseded_said: None,
                }),
                feed: Mutex::new(CommentFeed::default()),
                events,
                followers: Mutex::new(Followers::default()),
                root: CancellationToken::new(),
                connects: PendingConnects::default(),
                sign_in: Mutex::new(None),
                sign_in_asked: std::sync::atomic::AtomicU64::new(0),
            }),
        })
    }

    /// The configuration the studio was built with.
    pub fn config(&self) -> &StudioConfig {
        &self.inner.config
    }

    /// Every change from now on. A slow subscriber that falls 1,024 events behind misses the
    /// oldest (`RecvError::Lagged`) and can read [`snapshot`](Self::snapshot) to catch up.
    pub fn subscribe(&self) -> broadcast::Receiver<StudioEvent> {
        self.inner.events.subscribe()
    }

    /// The current state, all at once.
    pub fn snapshot(&self) -> Snapshot {
        let state = lock(&self.inner.state);
        Snapshot {
            connections: state.connections.clone(),
            job: state.job.clone(),
            viewers: state.viewers.clone(),
            comments: lock(&self.inner.feed).comments(),
            error: state.error.clone(),
            chat: state.chat.clone(),
            auth: state.auth.clone(),
            armed: state.armed.clone(),
        }
    }

    /// The service's clock minus this computer's, in milliseconds (for elapsed times).
    pub fn server_clock_offset_ms(&self) -> i64 {
        self.inner.api.clock.offset_ms()
    }

    fn emit(&self, event: StudioEvent) {
        // No subscribers is fine.
        let _ = self.inner.events.send(event);
    }

    /// Records `error` as the latest (the seed's `error`) and returns it, for `?`.
    fn fail(&self, error: ApiError) -> ApiError {
        if error.code == codes::SIGN_IN_REQUIRED {
            self.sign_in_required(error.message.clone());
        }
        lock(&self.inner.state).error = Some(error.clone());
        self.emit(StudioEvent::Error(error.clone()));
        error
    }

    fn sign_in_required(&self, reason: String) {
        let status = AuthStatus::SignInRequired { reason };
        let changed = {
            let mut state = lock(&self.inner.state);
            let changed = state.auth != status;
            state.auth = status.clone();
            changed
        };
        if changed {
            // Nothing can be polled or streamed as nobody: stop until the streamer signs in.
            self.stop_followers();
            self.emit(StudioEvent::Auth(status));
        }
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, ApiError> {
        self.inner
            .api
            .call(method, path, body, &[])
            .await
            .map(|(_, v)| v)
            .map_err(|e| self.fail(e))
    }

    /// Loads connections and the current job, and resumes following a job that is still active.
    pub async fn start(&self) -> Result<(), ApiError> {
        if matches!(lock(&self.inner.state).auth, AuthStatus::SignInRequired { .. }) {
            return Err(ApiError::new(
                401,
                codes::SIGN_IN_REQUIRED,
                "Sign in to your streaming account.",
            ));
        }
        self.list_connections().await?;
        self.refresh_job().await?;
        Ok(())
    }

    /// `GET /platforms`: the platforms and whether the operator enabled each for this client.
    pub async fn platforms(&self) -> Result<Vec<PlatformInfo>, ApiError> {
        let answer = self.inner.api.send(Method::GET, "/platforms", None, &[]).await;
        answer
            .and_then(crate::api::success)
            .and_then(|a| decode_platforms(&a.body))
            .map_err(|e| self.fail(e))
    }

    /// `GET /connections` (the seed's `listConnections`).
    pub async fn list_connections(&self) -> Result<Vec<Connection>, ApiError> {
        let list: ConnectionList = self.call(Method::GET, "/connections", None).await?;
        lock(&self.inner.state).connections = list.connections.clone();
        self.emit(StudioEvent::Connections(list.connections.clone()));
        Ok(list.connections)
    }

    /// Links `platform`: opens the hosted page in the system browser and completes on the deep
    /// link ([`complete_connect`](Self::complete_connect)) or by polling the authorization,
    /// whichever answers first.
    pub async fn connect(&self, platform: Platform) -> Result<ConnectOutcome, ApiError> {
        let state = random_url_token();
        let body = json!({ "redirectUri": self.inner.config.connect_redirect_uri, "state": state });
        let path = format!("/connections/{}/authorize", platform.as_str());
        let answer: AuthorizeAnswer = self.call(Method::POST, &path, Some(&body)).await?;
        let url = Url::parse(&answer.authorize_url).map_err(|_| {
            self.fail(ApiError::new(
                200,
                codes::UNEXPECTED_RESPONSE,
                "The service gave an authorize URL that does not parse",
            ))
        })?;
        let mut link = self.inner.connects.add(state.clone(), platform);
        if let Err(why) = self.inner.config.url_opener.open(&url) {
            self.inner.connects.remove(&state);
            return Err(self.fail(ApiError::new(
                0,
                codes::CONNECT_FAILED,
                format!("Could not open the browser: {why}"),
            )));
        }
        let deadline = tokio::time::Instant::now()
            + self
                .inner
                .config
                .timing
                .connect_timeout
                .min(Duration::from_secs(u64::from(answer.expires_in.max(1)) + 5));
        let poll = self.inner.config.timing.authorization_poll;
        let outcome = loop {
            // The link only wakes us early; what happened is always asked of the service.
            tokio::select! {
                () = self.inner.root.cancelled() => break ConnectOutcome::Cancelled { platform },
                () = tokio::time::sleep_until(deadline) => break ConnectOutcome::TimedOut { platform },
                _ = &mut link => {}
                () = tokio::time::sleep(poll) => {}
            }
            let status: Result<AuthorizationStatus, ApiError> = self
                .inner
                .api
                .call(
                    Method::GET,
                    &format!("/connections/authorizations/{state}"),
                    None,
                    &[],
                )
                .await
                .map(|(_, s)| s);
            match status {
                Ok(s) => match s.status.as_str() {
                    "connected" => break ConnectOutcome::Connected { platform },
                    "expired" => break ConnectOutcome::Expired { platform },
                    "error" if s.error.as_deref() == Some("access_denied") => {
                        break ConnectOutcome::Denied { platform };
                    }
                    "error" => {
                        break ConnectOutcome::Failed {
                            platform,
                            error: s.error.unwrap_or_else(|| "unknown".to_owned()),
                        };
                    }
                    _ => {}
                },
                // A poll that fails is retried at the next tick; the deadline bounds it.
                Err(e) if e.code == codes::SIGN_IN_REQUIRED => {
                    self.inner.connects.remove(&state);
                    return Err(self.fail(e));
                }
                Err(e) => tracing::debug!(error = %e, "authorization status poll"),
            }
        };
        self.inner.connects.remove(&state);
        if matches!(outcome, ConnectOutcome::Connected { .. }) {
            self.list_connections().await?;
        }
        Ok(outcome)
    }

    /// Hands the studio a deep link the OS delivered. Untrusted: it is acted on only when it
    /// matches a pending connect (state, platform, not expired, not used), and even then only
    /// to ask the service what happened.
    pub fn complete_connect(&self, url: &str) -> LinkVerdict {
        let link = match parse_connect_link(url, &self.inner.config.connect_redirect_uri) {
            Ok(link) => link,
            Err(reason) => return LinkVerdict::Rejected { reason },
        };
        match self.inner.connects.accept(&link) {
            Ok(platform) => LinkVerdict::Accepted {
                platform: Some(platform),
            },
            Err(reason) => LinkVerdict::Rejected { reason },
        }
    }

    /// `DELETE /connections/{platform}`, then reloads the list.
    pub async fn disconnect(&self, platform: Platform) -> Result<(), ApiError> {
        let path = format!("/connections/{}", platform.as_str());
        self.inner
            .api
            .call_empty(Method::DELETE, &path)
            .await
            .map_err(|e| self.fail(e))?;
        self.list_connections().await?;
        Ok(())
    }

    /// Pre-selects destinations, so go-live needs only a session id (the seed's `arm`).
    pub fn arm(&self, destinations: Vec<Platform>) {
        lock(&self.inner.state).armed = destinations.clone();
        self.emit(StudioEvent::Armed(destinations));
    }

    /// `POST /jobs`. Empty destinations mean the armed ones. A retry of the same intent reuses its
    /// `Idempotency-Key`, so double clicks and retries start one job.
    pub async fn go_live(&self, mut params: GoLiveParams) -> Result<Job, ApiError> {
        if params.destinations.is_empty() {
            params.destinations = lock(&self.inner.state).armed.clone();
        }
        params.publisher_session_id = params.publisher_session_id.trim().to_owned();
        let key = {
            let mut state = lock(&self.inner.state);
            match &state.intent {
                Some((intent, key)) if *intent == params => key.clone(),
                _ => {
                    let key = random_url_token();
                    state.intent = Some((params.clone(), key.clone()));
                    key
                }
            }
        };
        let body =
            serde_json::to_value(&params).map_err(|e| ApiError::new(0, "client_setup", e.to_string()))?;
        let answer = self
            .inner
            .api
            .call::<Job>(
                Method::POST,
                "/jobs",
                Some(&body),
                &[("Idempotency-Key", key.as_str())],
            )
            .await;
        let job = match answer {
            Ok((_, job)) => job,
            Err(e) => {
                // A network failure may have started the job: keep the key so a retry finds it.
                if !e.is_network() {
                    lock(&self.inner.state).intent = None;
                }
                return Err(self.fail(e));
            }
        };
        lock(&self.inner.state).intent = None;
        self.adopt(job.clone());
        Ok(job)
    }

    /// `POST /jobs/{id}/stop` of the current job.
    pub async fn stop_live(&self) -> Result<Job, ApiError> {
        let Some(id) = lock(&self.inner.state).job.as_ref().map(|j| j.id.clone()) else {
            return Err(self.fail(ApiError::new(0, "no_job", "There is no stream to stop.")));
        };
        match self
            .call::<Job>(Method::POST, &format!("/jobs/{id}/stop"), None)
            .await
        {
            Ok(job) => {
                self.apply_job(job.clone());
                Ok(job)
            }
            Err(e) if e.code == "superseded" => {
                // Never retried: a newer go-live owns the stream now. Say who took over, and
                // follow the stream that did.
                if let Ok((_, job)) = self
                    .inner
                    .api
                    .call::<Job>(Method::GET, &format!("/jobs/{id}"), None, &[])
                    .await
                    && let Some(by) = job.superseded_by
                {
                    self.superseded(&job.id, by);
                }
                let _ = self.refresh_job().await;
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// Re-reads the current job (`GET /jobs/current`) and follows it while it is active.
    pub async fn refresh_job(&self) -> Result<Option<Job>, ApiError> {
        match self
            .inner
            .api
            .call::<Job>(Method::GET, "/jobs/current", None, &[])
            .await
        {
            Ok((_, job)) => {
                self.adopt(job.clone());
                Ok(Some(job))
            }
            Err(e) if e.code == "no_job" => Ok(None),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// `POST /jobs/{id}/broadcasts/{platform}/retry`: restarts one failed destination.
    pub async fn retry_destination(&self, platform: Platform) -> Result<Job, ApiError> {
        let id = self.current_job_id()?;
        let path = format!("/jobs/{id}/broadcasts/{}/retry", platform.as_str());
        let job: Job = self.call(Method::POST, &path, None).await?;
        self.apply_job(job.clone());
        Ok(job)
    }

    /// `PATCH /jobs/{id}/overlay` of the current job.
    pub async fn update_overlay(&self, update: OverlayUpdate) -> Result<Job, ApiError> {
        let id = self.current_job_id()?;
        let job: Job = self
            .call(
                Method::PATCH,
                &format!("/jobs/{id}/overlay"),
                Some(&update.to_json()),
            )
            .await?;
        self.apply_job(job.clone());
        Ok(job)
    }

    /// `POST /chat`: to every destination, or to `platforms`; one result per platform.
    pub async fn send_chat(
        &self,
        message: &str,
        platforms: Option<Vec<Platform>>,
    ) -> Result<Vec<SendResult>, ApiError> {
        let mut body = json!({ "message": message });
        if let Some(platforms) = platforms {
            body["platforms"] = json!(platforms);
        }
        let results: SendResults = self.call(Method::POST, "/chat", Some(&body)).await?;
        Ok(results.results)
    }

    fn current_job_id(&self) -> Result<String, ApiError> {
        lock(&self.inner.state)
            .job
            .as_ref()
            .map(|j| j.id.clone())
            .ok_or_else(|| self.fail(ApiError::new(0, "no_job", "There is no stream right now.")))
    }

    /// Makes `job` the current job and follows it while it is active.
    fn adopt(&self, job: Job) {
        let id = job.id.clone();
        let active = !job.status.is_settled();
        // Another job takes over from one we were following: learn how the old one ended, so a
        // supersede is said even when its last state never reached us (the stream was not open yet).
        let replaced = lock(&self.inner.state)
            .job
            .as_ref()
            .filter(|old| old.id != id && !old.status.is_settled())
            .map(|old| old.id.clone());
        if let Some(old) = replaced {
            let studio = self.clone();
            tokio::spawn(async move { studio.learn_fate(old).await });
        }
        self.apply_job(job);
        if active {
            self.follow(id);
        }
    }

    /// Reads job `id` once and says so if a newer go-live superseded it.
    async fn learn_fate(&self, id: String) {
        if let Ok((_, old)) = self
            .inner
            .api
            .call::<Job>(Method::GET, &format!("/jobs/{id}"), None, &[])
            .await
            && let Some(by) = old.superseded_by
        {
            self.superseded(&old.id, by);
        }
    }

    /// Says once per job that a newer go-live took it over.
    fn superseded(&self, job_id: &str, by: String) {
        {
            let mut state = lock(&self.inner.state);
            if state.superseded_said.as_deref() == Some(job_id) {
                return;
            }
            state.superseded_said = Some(job_id.to_owned());
            state.error = Some(ApiError::new(
                409,
                "superseded",
                format!("Job {job_id} was superseded by {by}"),
            ));
        }
        let error = lock(&self.inner.state).error.clone();
        self.emit(StudioEvent::Superseded {
            job_id: job_id.to_owned(),
            by,
        });
        if let Some(error) = error {
            self.emit(StudioEvent::Error(error));
        }
    }

    /// Takes a job state from any source (an answer, a poll, a stream event).
    fn apply_job(&self, job: Job) {
        let superseded = {
            let mut state = lock(&self.inner.state);
            let current = state.job.as_ref().map(|j| j.id.clone());
            // Only the current job, or a newer one, changes the state.
            if current.as_deref().is_some_and(|c| c != job.id) && job.status.is_settled() {
                return;
            }
            if state.job.as_ref() == Some(&job) {
                // The same state from another source (a poll and a stream event): nothing changed.
                return;
            }
            let was_superseded = state.job.as_ref().is_some_and(|j| j.superseded_by.is_some());
            state.job = Some(job.clone());
            job.superseded_by.clone().filter(|_| !was_superseded)
        };
        self.emit(StudioEvent::Job(Some(Box::new(job.clone()))));
        if let Some(by) = superseded {
            self.superseded(&job.id, by);
            // Follow the stream that took over.
            let studio = self.clone();
            tokio::spawn(async move {
                let _ = studio.refresh_job().await;
            });
        }
        match job.status {
            JobStatus::Running => self.follow_viewers(job.id.clone()),
            status if status.is_settled() => {
                self.stop_followers();
                // Counts of a stream that ended are not "watching" any more.
                if lock(&self.inner.state).viewers.take().is_some() {
                    self.emit(StudioEvent::Viewers(None));
                }
            }
            _ => {}
        }
    }

    fn stop_followers(&self) {
        let mut followers = lock(&self.inner.followers);
        for token in [
            followers.job.take().map(|(_, t)| t),
            followers.viewers.take(),
            followers.chat.take(),
        ]
        .into_iter()
        .flatten()
        {
            token.cancel();
        }
    }

    /// Starts the job poller (and the chat stream) for job `id`, unless already following it.
    fn follow(&self, id: String) {
        let mut followers = lock(&self.inner.followers);
        if followers.job.as_ref().is_some_and(|(current, _)| *current == id) {
            return;
        }
        if let Some((_, old)) = followers.job.take() {
            old.cancel();
        }
        let token = self.inner.root.child_token();
        followers.job = Some((id.clone(), token.clone()));
        let studio = self.clone();
        tokio::spawn(async move { studio.poll_job(id, token).await });
        if followers.chat.is_none() {
            let token = self.inner.root.child_token();
            followers.chat = Some(token.clone());
            let studio = self.clone();
            tokio::spawn(async move { studio.run_chat(token).await });
        }
    }

    fn follow_viewers(&self, id: String) {
        let mut followers = lock(&self.inner.followers);
        if followers.viewers.is_some() {
            return;
        }
        let token = self.inner.root.child_token();
        followers.viewers = Some(token.clone());
        let studio = self.clone();
        tokio::spawn(async move { studio.poll_viewers(id, token).await });
    }

    /// Full-jitter backoff for the pollers, with the service's `Retry-After` as a floor.
    fn poll_delay(&self, failures: u32, error: &ApiError) -> Duration {
        let cap = self.inner.config.timing.poll_backoff_cap;
        let ceiling = Duration::from_millis(500)
            .saturating_mul(2u32.saturating_pow(failures.min(16)))
            .min(cap);
        let jitter = Duration::from_millis(
            rand::rng().random_range(0..=u64::try_from(ceiling.as_millis()).unwrap_or(0)),
        );
        jitter.max(error.retry_after.unwrap_or_default())
    }

    async fn poll_job(&self, id: String, token: CancellationToken) {
        let every = self.inner.config.timing.job_poll;
        self.poll(&format!("/jobs/{id}"), every, &token, true, |studio, job: Job| {
            let settled = job.status.is_settled();
            studio.apply_job(job);
            !settled
        })
        .await;
    }

    async fn poll_viewers(&self, id: String, token: CancellationToken) {
        let every = self.inner.config.timing.viewer_poll;
        // A missed viewer count is not worth an error banner; the next one will do.
        self.poll(
            &format!("/jobs/{id}/viewers"),
            every,
            &token,
            false,
            |studio, viewers: Viewers| {
                lock(&studio.inner.state).viewers = Some(viewers.clone());
                studio.emit(StudioEvent::Viewers(Some(viewers)));
                true
            },
        )
        .await;
    }

    /// GETs `path` every `every` (one request in flight; no catch-up burst after a stall), hands
    /// each answer to `on_answer` until it returns false, backs off with full jitter on failure,
    /// and gives up on answers no retry will change (403, 404, sign-in required).
    async fn poll<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        every: Duration,
        token: &CancellationToken,
        report_failures: bool,
        mut on_answer: impl FnMut(&Self, T) -> bool,
    ) {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failures = 0u32;
        loop {
            tokio::select! {
                () = token.cancelled() => return,
                _ = interval.tick() => {}
            }
            match self.inner.api.call::<T>(Method::GET, path, None, &[]).await {
                Ok((_, answer)) => {
                    failures = 0;
                    if !on_answer(self, answer) {
                        return;
                    }
                }
                Err(e) if e.code == codes::SIGN_IN_REQUIRED || e.status == 404 || e.status == 403 => {
                    self.fail(e);
                    return;
                }
                Err(e) => {
                    failures += 1;
                    let delay = self.poll_delay(failures, &e);
                    if report_failures {
                        self.fail(e);
                    } else {
                        tracing::debug!(%path, error = %e, "poll failed");
                    }
                    tokio::select! {
                        () = token.cancelled() => return,
                        () = tokio::time::sleep(delay) => {}
                    }
                }
            }
        }
    }

    async fn run_chat(&self, token: CancellationToken) {
        let transport = HttpChat { studio: self.clone() };
        let final_status = chat::run(&transport, self, self.inner.config.timing.chat, token).await;
        tracing::debug!(?final_status, "chat stream ended");
    }

    /// Starts a sign-in with the operator (token mode): opens the sign-in page in the system
    /// browser and returns once the answer came back, by deep link
    /// ([`complete_sign_in`](Self::complete_sign_in)) or on the loopback listener, per `route`.
    /// A newer sign-in replaces one still waiting, which then ends with [`SignInError::Replaced`].
    pub async fn sign_in(&self, route: SignInRoute) -> Result<(), SignInError> {
        // Taken before anything is awaited: the order of asking decides which sign-in stands.
        let asked = self
            .inner
            .sign_in_asked
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        let Some(operator) = self.inner.operator.clone() else {
            return Err(SignInError::Refused(
                "this studio does not use token mode".to_owned(),
            ));
        };
        // Whatever serves this sign-in stops with it, however it ends (even if the caller drops it).
        let stop = self.inner.root.child_token();
        let _stop_on_exit = stop.clone().drop_guard();
        let redirect_uri = match route {
            SignInRoute::DeepLink => self.inner.config.sign_in_redirect_uri.clone(),
            SignInRoute::Loopback => {
                let listener = LoopbackListener::bind().await.map_err(|e| {
                    SignInError::Refused(format!("could not listen on 127.0.0.1 for the sign-in: {e}"))
                })?;
                let redirect_uri = listener.redirect_uri();
                let studio = self.clone();
                let answered =
                    move |url: &str| matches!(studio.complete_sign_in(url), LinkVerdict::Accepted { .. });
                tokio::spawn(listener.serve(answered, stop.clone()));
                redirect_uri
            }
        };
        let pending = Arc::new(operator.begin_sign_in(&redirect_uri));
        let url = pending.url.clone();
        let (tx, rx) = oneshot::channel();
        {
            let mut slot = lock(&self.inner.sign_in);
            // A sign-in asked for later got here first (its route had less to set up).
            if slot.as_ref().is_some_and(|s| s.asked > asked) {
                return Err(SignInError::Replaced);
            }
            *slot = Some(SignInSlot {
                asked,
                pending: Arc::clone(&pending),
                wake: Some(tx),
            });
        }
        if let Err(why) = self.inner.config.url_opener.open(&url) {
            lock(&self.inner.sign_in).take();
            return Err(SignInError::Refused(format!("could not open the browser: {why}")));
        }
        let callback = tokio::select! {
            () = self.inner.root.cancelled() => return Err(SignInError::Denied),
            // The sender goes only when a newer sign-in takes the slot.
            answer = rx => answer.map_err(|_| SignInError::Replaced)?,
        };
        {
            let mut slot = lock(&self.inner.sign_in);
            if slot.as_ref().is_some_and(|s| Arc::ptr_eq(&s.pending, &pending)) {
                slot.take();
            }
        }
        operator.finish_sign_in(&pending, &callback).await?;
        self.signed_in();
        Ok(())
    }

    /// Hands the studio the deep link a sign-in came back on. Untrusted: a link whose state does
    /// not match the pending sign-in is ignored.
    pub fn complete_sign_in(&self, url: &str) -> LinkVerdict {
        let mut slot = lock(&self.inner.sign_in);
        let Some(sign_in) = slot.as_mut() else {
            return LinkVerdict::Rejected {
                reason: "no sign-in is in progress".to_owned(),
            };
        };
        if !sign_in.pending.matches(url) {
            return LinkVerdict::Rejected {
                reason: "not this sign-in's link".to_owned(),
            };
        }
        match sign_in.wake.take() {
            Some(wake) => {
                let _ = wake.send(url.to_owned());
                LinkVerdict::Accepted { platform: None }
            }
            None => LinkVerdict::Rejected {
                reason: "already answered".to_owned(),
            },
        }
    }

    fn signed_in(&self) {
        if let Some(tokens) = &self.inner.tokens {
            tokens.clear();
        }
        lock(&self.inner.state).auth = AuthStatus::SignedIn;
        self.emit(StudioEvent::Auth(AuthStatus::SignedIn));
    }

    /// Signs out (token mode): revokes the sign-in at the operator, wipes it from the secret
    /// store, stops every task and clears the state.
    pub async fn sign_out(&self) -> Result<(), SignInError> {
        self.stop_followers();
        if let Some(tokens) = &self.inner.tokens {
            tokens.clear();
        }
        let result = match &self.inner.operator {
            Some(operator) => operator.sign_out().await,
            None => Ok(()),
        };
        {
            let mut state = lock(&self.inner.state);
            state.connections.clear();
            state.job = None;
            state.viewers = None;
            state.error = None;
            state.intent = None;
            state.auth = AuthStatus::SignInRequired {
                reason: "Signed out.".to_owned(),
            };
        }
        lock(&self.inner.feed).clear();
        self.emit(StudioEvent::Connections(Vec::new()));
        self.emit(StudioEvent::Job(None));
        self.emit(StudioEvent::Viewers(None));
        self.emit(StudioEvent::Auth(AuthStatus::SignInRequired {
            reason: "Signed out.".to_owned(),
        }));
        result
    }

    /// Stops every task and stream. The handle stays usable for reading its last state.
    pub fn shutdown(&self) {
        self.stop_followers();
        self.inner.root.cancel();
    }
}

impl ChatSink for Studio {
    fn status(&self, status: ChatStatus) {
        lock(&self.inner.state).chat = status.clone();
        self.emit(StudioEvent::Chat(status));
    }

    fn comments(&self, comments: Vec<Comment>, backfill: bool) {
        let added = lock(&self.inner.feed).apply(comments);
        if added.is_empty() {
            return;
        }
        let batch: Arc<[Comment]> = added.into();
        self.emit(StudioEvent::Comments {
            comments: Arc::clone(&batch),
            backfill,
        });
        for comment in batch.iter() {
            self.emit(StudioEvent::Comment(Arc::new(comment.clone())));
        }
    }

    fn job(&self, job: Job) {
        let newer = lock(&self.inner.state)
            .job
            .as_ref()
            .is_none_or(|current| current.id != job.id);
        if newer && job.status.is_active() {
            self.adopt(job);
        } else {
            self.apply_job(job);
        }
    }

    fn server_now_ms(&self) -> i64 {
        self.inner.api.clock.server_now_ms()
    }
}

/// The chat stream over HTTP, with the current credential on every attempt.
struct HttpChat {
    studio: Studio,
}

impl ChatTransport for HttpChat {
    fn open(
        &self,
        last_event_id: Option<String>,
    ) -> futures_util::future::BoxFuture<'_, Result<Opened, ApiError>> {
        Box::pin(async move {
            let inner = &self.studio.inner;
            let mut request = inner
                .sse_http
                .get(inner.api.base.endpoint("/comments/stream"))
                .header(reqwest::header::ACCEPT, "text/event-stream");
            if let Some(id) = last_event_id {
                request = request.header("Last-Event-ID", id);
            }
            let (request, generation) = inner.api.authorize(request).await?;
            let response = request
                .send()
                .await
                .map_err(|e| transport_error(&e, inner.api.timeout_secs))?;
            let status = response.status().as_u16();
            let date = response
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|v| v.to_str().ok());
            inner.api.clock.observe(date, std::time::SystemTime::now());
            if status == 200 {
                use futures_util::StreamExt;
                let body = response
                    .bytes_stream()
                    .map(|chunk| chunk.map_err(|e| e.to_string()));
                return Ok(Opened::Stream(Box::pin(body)));
            }
            if status == 401 {
                inner.api.rejected(generation);
            }
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let body = response.bytes().await.unwrap_or_default();
            Ok(Opened::Refused(
                crate::http::decode_error(status, &body).with_retry_after(retry_after),
            ))
        })
    }
}
