//! The handle: [`Studio`] and the one `Inner` every clone shares. Building it (the HTTP clients,
//! the auth its credential calls for), starting and shutting it down, reading its state, and the
//! plumbing every action uses: publishing events, recording failures, calling the service.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::api::{Api, Auth};
use crate::api_base::proxied_unless_loopback;
use crate::chat::{ChatStatus, ChatWake};
use crate::clock::ServerClock;
use crate::connect::PendingConnects;
use crate::credential::Credential;
use crate::error::{ApiError, Concern, codes};
use crate::events::{AuthStatus, StudioEvent};
use crate::feed::CommentFeed;
use crate::operator::{Operator, OperatorMinter};
use crate::token_source::TokenSource;

use super::config::StudioConfig;
use super::state::{Filed, Followers, SignInSlot, Snapshot, State, lock};
use super::wait_list::WaitList;

/// What every clone of a [`Studio`] shares. Each piece of state has its own lock, never held
/// across an await.
pub(super) struct Inner {
    pub(super) config: StudioConfig,
    pub(super) api: Arc<Api>,
    pub(super) sse_http: reqwest::Client,
    pub(super) operator: Option<Arc<Operator>>,
    pub(super) tokens: Option<Arc<TokenSource>>,
    pub(super) state: Mutex<State>,
    pub(super) feed: Mutex<CommentFeed>,
    pub(super) events: broadcast::Sender<StudioEvent>,
    pub(super) followers: Mutex<Followers>,
    pub(super) root: CancellationToken,
    pub(super) connects: PendingConnects,
    pub(super) browser_waits: WaitList,
    pub(super) sign_in: Mutex<Option<SignInSlot>>,
    /// Counts sign-ins as they are asked for, so the latest ask wins whatever finishes first.
    pub(super) sign_in_asked: std::sync::atomic::AtomicU64,
    /// Cuts the chat stream's wait short: the service answered another call, or the streamer asked.
    pub(super) chat_wake: ChatWake,
}

/// A handle on one streamer's Restream Service. Cheap to clone; every clone is the same studio.
#[derive(Clone)]
pub struct Studio {
    pub(super) inner: Arc<Inner>,
}

impl Studio {
    /// Builds a studio; nothing is sent until [`start`](Self::start) or an action.
    pub fn new(config: StudioConfig) -> Result<Studio, ApiError> {
        let setup =
            |e: reqwest::Error| ApiError::new(0, "client_setup", format!("Could not set up HTTP: {e}"));
        let direct = config.api_base.is_loopback();
        let http = proxied_unless_loopback(reqwest::Client::builder(), direct)
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            // The contract has no redirects; following one could send the credential elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("RestreamStudio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(setup)?;
        // A total timeout would kill a long stream: the chat stream gets connect and read timeouts.
        let read_timeout = config.timing.chat.stall_after + Duration::from_secs(5);
        let sse_http = proxied_unless_loopback(reqwest::Client::builder(), direct)
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
                    errors: Vec::new(),
                    chat: ChatStatus::Stopped {
                        reason: "no live job".to_owned(),
                    },
                    auth: auth_status,
                    armed: Vec::new(),
                    live_sessions: Vec::new(),
                    session_events: 0,
                    ingest_offered: false,
                    platforms: None,
                    intent: None,
                    superseded_said: None,
                    started_here: None,
                    going_live: 0,
                    supersede_held: None,
                }),
                feed: Mutex::new(CommentFeed::default()),
                events,
                followers: Mutex::new(Followers::default()),
                root: CancellationToken::new(),
                connects: PendingConnects::default(),
                browser_waits: WaitList::default(),
                sign_in: Mutex::new(None),
                sign_in_asked: std::sync::atomic::AtomicU64::new(0),
                chat_wake: ChatWake::default(),
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
            error: state.errors.last().map(|(_, e, _)| e.clone()),
            errors: state.errors.iter().map(|(c, e, _)| (*c, e.clone())).collect(),
            chat: state.chat.clone(),
            auth: state.auth.clone(),
            armed: state.armed.clone(),
            browser_waits: self.browser_waits(),
            live_sessions: state.live_sessions.clone(),
        }
    }

    /// The service's clock minus this computer's, in milliseconds (for elapsed times).
    pub fn server_clock_offset_ms(&self) -> i64 {
        self.inner.api.clock.offset_ms()
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
        self.learn_ingest().await;
        Ok(())
    }

    /// Stops every task and stream. The handle stays usable for reading its last state.
    pub fn shutdown(&self) {
        self.stop_followers();
        self.inner.root.cancel();
    }

    pub(super) fn emit(&self, event: StudioEvent) {
        // No subscribers is fine.
        let _ = self.inner.events.send(event);
    }

    /// Files the failure of a streamer's action under its `concern` and says so; returns it, for
    /// `?`. It stays until an action of that concern next works, even when the service was
    /// unreachable: the streamer must not see it vanish because a poll got through meanwhile.
    pub(super) fn fail(&self, concern: Concern, error: ApiError) -> ApiError {
        self.file(concern, error, Filed::ByStreamer)
    }

    /// Files the failure of what the studio does by itself (polls, loading what it shows): no
    /// answer at all is the service's concern, and any later success of the concern clears it.
    pub(super) fn fail_unattended(&self, concern: Concern, error: ApiError) -> ApiError {
        self.file(Concern::owning(&error, concern), error, Filed::Unattended)
    }

    pub(super) fn file(&self, concern: Concern, mut error: ApiError, filed: Filed) -> ApiError {
        let concern = if error.code == codes::SIGN_IN_REQUIRED {
            self.sign_in_required(error.message.clone());
            Concern::SignIn
        } else {
            concern
        };
        error.concern = Some(concern);
        {
            let mut state = lock(&self.inner.state);
            state.errors.retain(|(c, _, _)| *c != concern);
            state.errors.push((concern, error.clone(), filed));
        }
        self.emit(StudioEvent::Error {
            concern,
            error: error.clone(),
        });
        if concern != Concern::Service && error.status != 0 {
            // An answer, if not the one wanted: the service is reachable.
            self.recovered(Concern::Service);
        }
        error
    }

    /// `concern`'s error, if it had one, is no longer true. Answers whether it had.
    pub(super) fn recovered(&self, concern: Concern) -> bool {
        self.clear(concern, |_| true)
    }

    /// Drops `concern`'s error if `which` accepts how it was filed; says so.
    fn clear(&self, concern: Concern, which: impl Fn(Filed) -> bool) -> bool {
        let had = {
            let mut state = lock(&self.inner.state);
            let before = state.errors.len();
            state
                .errors
                .retain(|(c, _, filed)| *c != concern || !which(*filed));
            state.errors.len() != before
        };
        if had {
            self.emit(StudioEvent::Recovered(concern));
        }
        had
    }

    /// A streamer's action of `concern` worked: every error of the concern is no longer true.
    pub(super) fn succeeded(&self, concern: Concern) {
        self.service_answered();
        self.recovered(concern);
    }

    /// Something the studio did by itself for `concern` worked: the concern's unattended error
    /// is no longer true (an action's failure stays until an action works).
    pub(super) fn succeeded_unattended(&self, concern: Concern) {
        self.service_answered();
        self.clear(concern, |filed| filed == Filed::Unattended);
    }

    /// The service answered: if it had been unreachable it is back, so a chat stream waiting for
    /// it tries now (only then: while the service works, a chat stream that fails on its own
    /// keeps its backoff).
    fn service_answered(&self) {
        if self.recovered(Concern::Service) {
            self.inner.chat_wake.service_answered();
        }
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

    pub(super) async fn call<T: serde::de::DeserializeOwned>(
        &self,
        concern: Concern,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, ApiError> {
        self.inner
            .api
            .call(method, path, body, &[])
            .await
            .map(|(_, v)| {
                self.succeeded(concern);
                v
            })
            .map_err(|e| self.fail(concern, e))
    }

    /// GETs what the studio shows by itself (no streamer's action behind it): its failures are
    /// filed as unattended.
    pub(super) async fn load<T: serde::de::DeserializeOwned>(
        &self,
        concern: Concern,
        path: &str,
    ) -> Result<T, ApiError> {
        self.inner
            .api
            .call(Method::GET, path, None, &[])
            .await
            .map(|(_, v)| {
                self.succeeded_unattended(concern);
                v
            })
            .map_err(|e| self.fail_unattended(concern, e))
    }

    /// Ends the chat stream's wait and tries it now (the window's "Retry now").
    pub fn retry_chat(&self) {
        self.inner.chat_wake.retry_now();
    }
}
