//! How a studio is set up: what it talks to, as whom, how often it polls, and the browser it opens
//! hosted pages in. Plain data the handle reads and never changes once the studio is built.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::api_base::ApiBase;
use crate::chat::ChatTiming;
use crate::credential::Credential;
use crate::moderation::ModerationEvent;
use crate::secret_store::{MemorySecretStore, SecretStore};
use crate::types::Comment;
use crate::window_seen::WindowSeen;

/// The seed's `timeoutMs` default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Opens a URL in the system browser. The app implements it; it must validate what it opens.
pub trait UrlOpener: Send + Sync {
    /// Whether `url` may be opened at all; `Err` says why not. A page refused here is not shown
    /// to the streamer to open by hand either. `open` must refuse it too.
    fn check(&self, _url: &Url) -> Result<(), String> {
        Ok(())
    }

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

/// Hears the chat as the studio takes it: every batch, skip and moderation, in the stream's order.
/// Unlike [`Studio::subscribe`](crate::Studio::subscribe), whose reader misses the oldest events
/// when it falls 1,024 behind, nothing is ever skipped: calls come straight from the chat loop.
/// So they must return at once: hand what they get over, never wait.
pub trait ChatTap: Send + Sync {
    /// New comments in order (already de-duplicated); `backfill` after a reconnect.
    fn comments(&self, _comments: &Arc<[Comment]>, _backfill: bool) {}
    /// `count` events over the size caps were skipped, after the comments before them.
    fn skipped(&self, _count: u32) {}
    /// A moderation, after the comments before it in the stream.
    fn moderation(&self, _event: &ModerationEvent) {}
}

/// A tap for a studio nobody taps: its chat reaches only the events.
pub struct NoTap;

impl ChatTap for NoTap {}

/// How often things happen.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Job status while queued, running or stopping.
    pub job_poll: Duration,
    /// Viewer counts while running (the seed: about every 10 s).
    pub viewer_poll: Duration,
    /// Viewer counts while running and nobody sees the window (hidden to the tray, minimized).
    pub viewer_poll_unseen: Duration,
    /// Authorization status while a connect waits for its deep link.
    pub authorization_poll: Duration,
    /// How long a connect waits for an answer.
    pub connect_timeout: Duration,
    /// How long a page opened in the system browser waits before the window says what may be
    /// wrong (no browser came up, the page was closed).
    pub browser_hint_after: Duration,
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
            viewer_poll_unseen: Duration::from_secs(60),
            authorization_poll: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(600),
            browser_hint_after: Duration::from_secs(60),
            poll_backoff_cap: Duration::from_secs(30),
            chat: ChatTiming::default(),
        }
    }
}

/// What a `Studio` talks to, as whom, and with what around it.
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
    /// Whether the studio's window is on screen (always, for a studio without one).
    pub window_seen: WindowSeen,
    /// Where the chat goes, losslessly, besides the events.
    pub chat_tap: Arc<dyn ChatTap>,
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
            window_seen: WindowSeen::always(),
            chat_tap: Arc::new(NoTap),
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
