//! A local implementation of the Restream Service wire contract (`docs/api/openapi.yaml`), for
//! development, the studio's demo mode and tests.
//!
//! Start it from a test or the app with [`Sandbox::start`], or from a shell with the
//! `restream-sandbox` binary, which prints one `READY {json}` line when it accepts requests.

mod api_error;
mod auth;
mod db;
mod host_check;
mod platform;
mod ready;
mod router;
mod routes;
mod seed;
mod server;

pub use platform::Platform;
pub use ready::Ready;
pub use router::operations;
pub use server::{RunningSandbox, Sandbox, SandboxConfig};
