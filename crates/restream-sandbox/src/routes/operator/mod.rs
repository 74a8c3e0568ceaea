//! The operator role for token mode (OAuth 2.0 authorization code + PKCE, RFC 8252), played by the
//! sandbox at the apiBase root: a sign-in page, the token endpoint with rotating refresh tokens,
//! the restream-token route, and revocation. The token endpoint answers errors as RFC 6749 does.

mod restream_token;
mod sign_in;
mod token;

pub use restream_token::restream_token;
pub use sign_in::{sign_in, sign_in_page};
pub use token::{revoke, token};
