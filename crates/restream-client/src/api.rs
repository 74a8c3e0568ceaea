//! The HTTP layer every action goes through: attaches the credential, re-mints a token once on a
//! 401 and retries once, learns the service's clock, and turns answers into values or errors.

use std::sync::Arc;
use std::time::SystemTime;

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use crate::api_base::ApiBase;
use crate::clock::ServerClock;
use crate::error::{ApiError, codes};
use crate::http::{RawAnswer, decode_error, decode_json, send_raw};
use crate::token_source::{MintError, TokenSource};

/// How requests prove who they are.
pub(crate) enum Auth {
    Publishable {
        key: SecretString,
        user_id: String,
        origin: String,
    },
    Static(SecretString),
    Minted(Arc<TokenSource>),
}

impl From<MintError> for ApiError {
    fn from(error: MintError) -> Self {
        match error {
            MintError::SignInRequired(why) => ApiError::new(401, codes::SIGN_IN_REQUIRED, why),
            MintError::Api(e) => e,
        }
    }
}

pub(crate) struct Api {
    pub base: ApiBase,
    pub http: reqwest::Client,
    pub timeout_secs: u64,
    pub auth: Auth,
    pub clock: Arc<ServerClock>,
}

impl Api {
    /// Adds the credential; returns the token generation used, if a minted token was.
    pub async fn authorize(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(reqwest::RequestBuilder, Option<u64>), ApiError> {
        Ok(match &self.auth {
            Auth::Publishable { key, user_id, origin } => (
                request
                    .header("X-Publishable-Key", key.expose_secret())
                    .header("X-User-Id", user_id)
                    .header(reqwest::header::ORIGIN, origin),
                None,
            ),
            Auth::Static(token) => (request.bearer_auth(token.expose_secret()), None),
            Auth::Minted(source) => {
                let issued = source.token().await?;
                (
                    request.bearer_auth(issued.token.expose_secret()),
                    Some(issued.generation),
                )
            }
        })
    }

    /// The service refused the token of `generation`.
    pub fn rejected(&self, generation: Option<u64>) {
        if let (Auth::Minted(source), Some(generation)) = (&self.auth, generation) {
            source.invalidate(generation);
        }
    }

    /// Sends a request (with a JSON body and extra headers), re-minting and retrying once on a 401
    /// in token mode. Answers of any status come back; transport failures are errors.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> Result<RawAnswer, ApiError> {
        let mut attempt = 0;
        loop {
            let mut request = self.http.request(method.clone(), self.base.endpoint(path));
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let (request, generation) = self.authorize(request).await?;
            let answer = send_raw(request, self.timeout_secs).await?;
            self.clock.observe(answer.date.as_deref(), SystemTime::now());
            if answer.status == 401 && generation.is_some() && attempt == 0 {
                self.rejected(generation);
                attempt += 1;
                continue;
            }
            return Ok(answer);
        }
    }

    /// Sends and decodes a 2xx answer as `T`; anything else is the contract's error.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> Result<(u16, T), ApiError> {
        let answer = self.send(method, path, body, headers).await?;
        let status = answer.status;
        Ok((status, decode_json(&success(answer)?.body)?))
    }

    /// Sends and expects a 2xx answer with no body worth reading.
    pub async fn call_empty(&self, method: Method, path: &str) -> Result<(), ApiError> {
        success(self.send(method, path, None, &[]).await?).map(|_| ())
    }
}

/// The answer if it is a 2xx, else its error (with any `Retry-After`).
pub(crate) fn success(answer: RawAnswer) -> Result<RawAnswer, ApiError> {
    if (200..300).contains(&answer.status) {
        Ok(answer)
    } else {
        Err(decode_error(answer.status, &answer.body).with_retry_after(answer.retry_after))
    }
}
