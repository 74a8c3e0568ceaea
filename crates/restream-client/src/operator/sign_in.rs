//! A sign-in with the operator as the studio sees it: the pending sign-in (the URL to open and
//! what the untrusted answer must match), the route the answer comes back on, and how a sign-in
//! can fail. The client that starts and finishes sign-ins is in `client.rs`.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::connect::MAX_LINK_BYTES;
use crate::error::ApiError;
use crate::url_token::same_secret;

/// A sign-in in progress: the URL to open and what the answer must match.
pub struct PendingSignIn {
    pub url: Url,
    pub redirect_uri: String,
    pub(super) state: SecretString,
    pub(super) verifier: SecretString,
}

impl PendingSignIn {
    /// Whether `callback` is this sign-in's answer: the redirect URI's scheme, host and path, at
    /// most 2 KiB, and this sign-in's state (compared in constant time).
    pub fn matches(&self, callback: &str) -> bool {
        if callback.len() > MAX_LINK_BYTES {
            return false;
        }
        let (Ok(url), Ok(expected)) = (Url::parse(callback), Url::parse(&self.redirect_uri)) else {
            return false;
        };
        if url.scheme() != expected.scheme()
            || url.host_str() != expected.host_str()
            || url.path() != expected.path()
        {
            return false;
        }
        let states: Vec<String> = url
            .query_pairs()
            .filter(|(k, _)| k == "state")
            .map(|(_, v)| v.into_owned())
            .collect();
        states.len() == 1 && same_secret(&states[0], self.state.expose_secret())
    }
}

impl std::fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// Where the operator sends the browser back to once the streamer has signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum SignInRoute {
    /// The studio's sign-in deep link (`<scheme>://signin/callback`), delivered by the OS.
    #[default]
    DeepLink,
    /// A listener on 127.0.0.1 (RFC 8252 §7.3), for when the OS does not deliver the deep link.
    Loopback,
}

/// How a sign-in ended, when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// The callback's address or state is not this sign-in's, or it lacks a code.
    #[error("The sign-in link did not match this sign-in; it was ignored.")]
    ForeignLink,
    /// The streamer declined (`access_denied`) on the operator's page.
    #[error("The sign-in was cancelled in the browser.")]
    Denied,
    /// The operator answered with an error, or the sign-in could not start.
    #[error("The operator refused the sign-in: {0}")]
    Refused(String),
    /// The streamer cancelled the wait for the browser, or the studio stopped waiting.
    #[error("The sign-in was cancelled.")]
    Cancelled,
    /// A newer sign-in (say, over the loopback route) took this one's place.
    #[error("A newer sign-in replaced this one.")]
    Replaced,
    /// The secret store could not save or read the refresh token.
    #[error("Could not keep the sign-in in the keychain: {0}")]
    Keychain(String),
    /// A request to the operator failed.
    #[error(transparent)]
    Api(#[from] ApiError),
}
