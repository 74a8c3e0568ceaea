//! Token mode's operator side (contract "Token mode in a desktop app"): sign-in with the operator
//! (authorization code + PKCE, RFC 8252), the rotating refresh token in the secret store, and
//! minting restream tokens at the operator's token endpoint.
//!
//! Only declares and re-exports: `config.rs` says where the operator is, `sign_in.rs` holds a
//! sign-in's types, `client.rs` talks to the operator.

mod client;
mod config;
mod sign_in;

pub(crate) use client::OperatorMinter;
pub use client::{Operator, REFRESH_TOKEN_SECRET};
pub use config::OperatorConfig;
pub use sign_in::{PendingSignIn, SignInError, SignInRoute};
