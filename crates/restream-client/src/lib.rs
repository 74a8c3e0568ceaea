//! The Restream Studio controller: everything the studio does with a Restream Service, with no UI
//! framework and no keychain in it. The Rust counterpart of the web SDK's `RestreamStudio`.
//!
//! Build a [`Studio`] from a [`StudioConfig`], [`subscribe`](Studio::subscribe) to its
//! [`StudioEvent`]s, call [`start`](Studio::start), then its actions (`connect`, `go_live`,
//! `send_chat`, …). It owns the state the seed's hook returns ([`Snapshot`]): connections, the
//! job (polled while active), viewers (polled while live), the merged chat (SSE, de-duplicated,
//! latest 200) and the last error. Errors are [`ApiError`]s that keep the HTTP status (0 when no
//! answer came), the service's code and its message, and explain themselves through
//! [`ApiError::advice`].

#![warn(missing_docs)]

mod api;
mod api_base;
mod browser_page;
mod chat;
mod clock;
mod connect;
mod credential;
mod deep_link;
mod error;
mod events;
mod feed;
mod http;
mod ingest;
mod loopback;
mod moderation;
mod operator;
mod platforms;
mod secret_store;
mod sse;
mod studio;
mod token_source;
mod types;
mod url_token;
mod window_seen;

pub use api_base::{ApiBase, ApiBaseError, is_loopback, proxied_unless_loopback};
pub use browser_page::{BrowserPage, BrowserWait};
pub use chat::{
    ChatSink, ChatStatus, ChatTiming, ChatTransport, ChatWake, Opened, full_jitter, run as run_chat,
};
pub use connect::{ConnectLink, ConnectOutcome, LinkVerdict, MAX_LINK_BYTES, parse_connect_link};
pub use credential::Credential;
pub use deep_link::{DeepLinkRejected, DeepLinkSummary, golive_session_id, summarize_deep_link};
pub use error::{Advice, ApiError, Concern, codes};
pub use events::{AuthStatus, StudioEvent};
pub use feed::{COMMENTS_KEPT, CommentFeed};
pub use ingest::{
    Ingest, IngestOffer, LiveSession, RtmpIngest, SessionEvent, SessionSource, SessionStatus, WhipIngest,
};
pub use loopback::{CALLBACK_PATH as LOOPBACK_CALLBACK_PATH, LoopbackListener};
pub use moderation::{
    MAX_TIMEOUT_SECONDS, ModeratedBy, ModerationAction, ModerationEvent, ModerationRequest, ModerationResult,
};
pub use operator::{OperatorConfig, REFRESH_TOKEN_SECRET, SignInError, SignInRoute};
pub use platforms::{Platform, PlatformInfo};
pub use secret_store::{MemorySecretStore, SecretStore, SecretStoreError};
pub use sse::{
    ChatEvent, EventFramer, Framed, MAX_EVENT_BYTES, MAX_LINE_BYTES, StreamError, decode as decode_chat,
};
pub use studio::{
    ChatTap, DEFAULT_TIMEOUT, MediaNow, NoBrowser, NoTap, Snapshot, Studio, StudioConfig, Timing, UrlOpener,
};
pub use types::{
    Broadcast, BroadcastStatus, Change, Comment, Connection, ConnectionStatus, GoLiveParams, Job, JobError,
    JobStatus, Overlay, OverlayInput, OverlayUpdate, SendResult, Track, Viewers,
};
pub use url_token::{random_url_token, same_secret};
pub use window_seen::{WindowSeen, WindowSeenSetter, window_seen};
