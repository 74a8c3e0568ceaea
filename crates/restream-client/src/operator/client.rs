//! The operator client: exchanging a sign-in's code, keeping the rotating refresh token in the
//! [`SecretStore`] (one refresh at a time, since two would revoke each other), minting restream
//! tokens at the operator's token endpoint, and revoking at sign-out. The one owner of the cached
//! operator access token.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::time::Instant;
use url::Url;

use crate::error::ApiError;
use crate::http::{decode_error, decode_json, send_raw};
use crate::secret_store::SecretStore;
use crate::token_source::{MintError, MintFuture, Minted, TokenMinter, refresh_margin};
use crate::url_token::{random_url_token, same_secret};

use super::config::OperatorConfig;
use super::sign_in::{PendingSignIn, SignInError};

/// The keychain entry holding the operator refresh token.
pub const REFRESH_TOKEN_SECRET: &str = "operator-refresh-token";

#[derive(Deserialize)]
struct OAuthTokens {
    access_token: String,
    refresh_token: String,
    expires_in: u64,
}

#[derive(Deserialize)]
struct OAuthError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RestreamToken {
    token: String,
    expires_in: u64,
}

struct Access {
    token: SecretString,
    refresh_at: Instant,
}

/// Talks to the operator: sign-in, refresh-token rotation, restream-token minting, sign-out.
pub struct Operator {
    http: reqwest::Client,
    timeout_secs: u64,
    config: OperatorConfig,
    store: Arc<dyn SecretStore>,
    access: Mutex<Option<Access>>,
    /// One refresh at a time: refresh tokens rotate, so two at once would revoke each other.
    refreshing: tokio::sync::Mutex<()>,
}

impl Operator {
    pub fn new(
        http: reqwest::Client,
        timeout_secs: u64,
        config: OperatorConfig,
        store: Arc<dyn SecretStore>,
    ) -> Self {
        Operator {
            http,
            timeout_secs,
            config,
            store,
            access: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether a refresh token is kept (the streamer signed in earlier).
    pub fn has_sign_in(&self) -> bool {
        matches!(self.store.load(REFRESH_TOKEN_SECRET), Ok(Some(_)))
    }

    /// Starts a sign-in whose answer comes back to `redirect_uri`.
    pub fn begin_sign_in(&self, redirect_uri: &str) -> PendingSignIn {
        let state = random_url_token();
        let verifier = random_url_token();
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut url = self.config.sign_in_url.clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        PendingSignIn {
            url,
            redirect_uri: redirect_uri.to_owned(),
            state: SecretString::from(state),
            verifier: SecretString::from(verifier),
        }
    }

    /// Finishes a sign-in from the URL the operator redirected to: checks it belongs to `pending`,
    /// exchanges the code, and keeps the refresh token in the secret store.
    pub async fn finish_sign_in(&self, pending: &PendingSignIn, callback: &str) -> Result<(), SignInError> {
        let url = Url::parse(callback).map_err(|_| SignInError::ForeignLink)?;
        let expected = Url::parse(&pending.redirect_uri).map_err(|_| SignInError::ForeignLink)?;
        if url.scheme() != expected.scheme()
            || url.host_str() != expected.host_str()
            || url.path() != expected.path()
        {
            return Err(SignInError::ForeignLink);
        }
        let param = |name: &str| {
            let mut values = url
                .query_pairs()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned());
            match (values.next(), values.next()) {
                (Some(v), None) => Some(v),
                _ => None,
            }
        };
        let state_ok = param("state").is_some_and(|s| same_secret(&s, pending.state.expose_secret()));
        if !state_ok {
            return Err(SignInError::ForeignLink);
        }
        if let Some(error) = param("error") {
            return Err(if error == "access_denied" {
                SignInError::Denied
            } else {
                SignInError::Refused(error)
            });
        }
        let code = param("code").ok_or(SignInError::ForeignLink)?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("code_verifier", pending.verifier.expose_secret()),
            ("client_id", self.config.client_id.as_str()),
            ("redirect_uri", pending.redirect_uri.as_str()),
        ];
        match self.token_request(&form).await? {
            Ok(tokens) => self.keep(tokens),
            Err(refusal) => Err(SignInError::Refused(refusal)),
        }
    }

    fn keep(&self, tokens: OAuthTokens) -> Result<(), SignInError> {
        self.store
            .save(REFRESH_TOKEN_SECRET, &SecretString::from(tokens.refresh_token))
            .map_err(|e| SignInError::Keychain(e.0))?;
        let lifetime = Duration::from_secs(tokens.expires_in);
        *self.access.lock().unwrap_or_else(|p| p.into_inner()) = Some(Access {
            token: SecretString::from(tokens.access_token),
            refresh_at: Instant::now() + lifetime.saturating_sub(refresh_margin(lifetime)),
        });
        Ok(())
    }

    /// POSTs a form to the token endpoint: tokens, or the operator's refusal (RFC 6749 §5.2).
    async fn token_request(&self, form: &[(&str, &str)]) -> Result<Result<OAuthTokens, String>, ApiError> {
        let request = self.http.post(self.config.token_url.clone()).form(form);
        let answer = send_raw(request, self.timeout_secs).await?;
        if (200..300).contains(&answer.status) {
            return Ok(Ok(decode_json(&answer.body)?));
        }
        if matches!(answer.status, 400 | 401 | 403) {
            let why = serde_json::from_slice::<OAuthError>(&answer.body)
                .map(|e| e.error_description.unwrap_or(e.error))
                .unwrap_or_else(|_| format!("HTTP {}", answer.status));
            return Ok(Err(why));
        }
        Err(decode_error(answer.status, &answer.body))
    }

    /// A usable operator access token, refreshing (and rotating the refresh token) when needed.
    async fn access_token(&self, force_refresh: bool) -> Result<SecretString, MintError> {
        let cached = |this: &Self| {
            let access = this.access.lock().unwrap_or_else(|p| p.into_inner());
            access
                .as_ref()
                .filter(|a| Instant::now() < a.refresh_at)
                .map(|a| a.token.clone())
        };
        if !force_refresh && let Some(token) = cached(self) {
            return Ok(token);
        }
        let _one_at_a_time = self.refreshing.lock().await;
        if !force_refresh && let Some(token) = cached(self) {
            return Ok(token);
        }
        let refresh = self
            .store
            .load(REFRESH_TOKEN_SECRET)
            .map_err(|e| MintError::SignInRequired(format!("the keychain could not be read: {e}")))?
            .ok_or_else(|| MintError::SignInRequired("not signed in".to_owned()))?;
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.expose_secret()),
            ("client_id", self.config.client_id.as_str()),
        ];
        match self.token_request(&form).await? {
            Ok(tokens) => {
                let access = SecretString::from(tokens.access_token.clone());
                self.keep(tokens)
                    .map_err(|e| MintError::SignInRequired(e.to_string()))?;
                Ok(access)
            }
            Err(refusal) => {
                // The refresh token is dead; keeping it would only fail again.
                let _ = self.store.delete(REFRESH_TOKEN_SECRET);
                *self.access.lock().unwrap_or_else(|p| p.into_inner()) = None;
                Err(MintError::SignInRequired(refusal))
            }
        }
    }

    /// Mints a restream token at the operator's token endpoint.
    async fn mint_restream_token(&self) -> Result<Minted, MintError> {
        for attempt in 0..2 {
            let access = self.access_token(attempt > 0).await?;
            let request = self
                .http
                .post(self.config.restream_token_url.clone())
                .bearer_auth(access.expose_secret());
            let answer = send_raw(request, self.timeout_secs).await?;
            match answer.status {
                200..=299 => {
                    let minted: RestreamToken = decode_json(&answer.body)?;
                    return Ok(Minted {
                        token: SecretString::from(minted.token),
                        expires_in: Duration::from_secs(minted.expires_in),
                        date: answer.date.and_then(|d| httpdate::parse_http_date(&d).ok()),
                    });
                }
                // The operator access token was refused: refresh it once and try again.
                401 if attempt == 0 => continue,
                401 | 403 => {
                    return Err(MintError::SignInRequired(
                        decode_error(answer.status, &answer.body).message,
                    ));
                }
                status => return Err(MintError::Api(decode_error(status, &answer.body))),
            }
        }
        Err(MintError::SignInRequired(
            "the operator refused a fresh access token".to_owned(),
        ))
    }

    /// Signs out: revokes the refresh token at the operator (best effort) and forgets it.
    pub async fn sign_out(&self) -> Result<(), SignInError> {
        let refresh = self
            .store
            .load(REFRESH_TOKEN_SECRET)
            .map_err(|e| SignInError::Keychain(e.0))?;
        if let (Some(refresh), Some(url)) = (refresh, self.config.revoke_url.clone()) {
            let request = self.http.post(url).form(&[("token", refresh.expose_secret())]);
            if let Err(e) = send_raw(request, self.timeout_secs).await {
                tracing::warn!(error = %e.message, "could not revoke the sign-in at the operator");
            }
        }
        *self.access.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.store
            .delete(REFRESH_TOKEN_SECRET)
            .map_err(|e| SignInError::Keychain(e.0))
    }
}

/// Mints restream tokens through the operator.
pub(crate) struct OperatorMinter(pub Arc<Operator>);

impl TokenMinter for OperatorMinter {
    fn mint(&self) -> MintFuture<'_> {
        Box::pin(self.0.mint_restream_token())
    }
}
