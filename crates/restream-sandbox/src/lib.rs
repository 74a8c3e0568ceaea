//! A local implementation of the Restream Service wire contract (`docs/api/openapi.yaml`), for
//! development, the studio's demo mode and tests: credentials and scopes, connections with hosted
//! consent pages, jobs that start, stop and supersede on timers, merged chat over SSE, viewer
//! counts, the operator role for token mode, and an admin surface for faults.
//!
//! Start it from a test or the app with [`Sandbox::start`], or from a shell with the
//! `restream-sandbox` binary, which prints one `READY {json}` line when it accepts requests.

mod api_error;
mod auth;
mod chat_sequence;
mod corpus;
mod cors;
mod db;
mod faults;
mod head_limits;
mod host_check;
mod hub;
mod ingest_keys;
mod live_sessions;
mod model;
mod moderation;
mod platform;
mod random_token;
mod ready;
mod router;
mod routes;
mod seed;
mod serve;
mod server;
mod session_sim;
mod settings;
mod sim;
mod state;
mod stats;
mod store;

pub use model::BANNER_URL_PATTERN;
pub use platform::Platform;
pub use ready::Ready;
pub use router::{Surface, operations, routes};
pub use seed::STUDIO_SCHEME;
pub use server::{RunningSandbox, Sandbox, SandboxConfig};
pub use settings::{Tunables, ViewerCurve};
