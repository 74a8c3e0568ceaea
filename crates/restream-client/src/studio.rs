use std::time::Duration;

use crate::api_base::ApiBase;
use crate::credential::Credential;
use crate::error::ApiError;
use crate::http::{ensure_success, send};
use crate::platforms::{PlatformInfo, decode_platforms};

/// The seed's `timeoutMs` default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// What a [`Studio`] talks to and as whom.
#[derive(Debug, Clone)]
pub struct StudioConfig {
    pub api_base: ApiBase,
    pub credential: Credential,
    /// Deadline for each request, from sending to the last byte of the answer.
    pub timeout: Duration,
}

impl StudioConfig {
    pub fn new(api_base: ApiBase, credential: Credential) -> Self {
        StudioConfig {
            api_base,
            credential,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// A handle on one streamer's Restream Service: construct it from a config and call its actions.
#[derive(Debug, Clone)]
pub struct Studio {
    config: StudioConfig,
    http: reqwest::Client,
}

impl Studio {
    pub fn new(config: StudioConfig) -> Result<Studio, ApiError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            // The contract has no redirects; following one could send the credential elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("RestreamStudio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::new(0, "client_setup", format!("Could not set up HTTP: {e}")))?;
        Ok(Studio { config, http })
    }

    pub fn config(&self) -> &StudioConfig {
        &self.config
    }

    /// `GET /platforms`: the platforms and whether the operator enabled each for this client.
    pub async fn platforms(&self) -> Result<Vec<PlatformInfo>, ApiError> {
        let (status, body) = self.get("/platforms").await?;
        ensure_success(status, &body)?;
        decode_platforms(&body)
    }

    async fn get(&self, path: &str) -> Result<(u16, Vec<u8>), ApiError> {
        let request = self.http.get(self.config.api_base.endpoint(path));
        let request = self.config.credential.apply(request);
        send(request, self.config.timeout.as_secs()).await
    }
}
