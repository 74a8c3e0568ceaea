//! Actions on the streamer's linked platforms: listing them, linking one (the hosted page in the
//! system browser, completed by the deep link or by polling the authorization) and unlinking.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use url::Url;

use crate::browser_page::BrowserPage;
use crate::connect::{ConnectOutcome, LinkVerdict, parse_connect_link};
use crate::error::{ApiError, Concern, codes};
use crate::events::StudioEvent;
use crate::platforms::{Platform, PlatformInfo, decode_platforms};
use crate::types::{AuthorizationStatus, AuthorizeAnswer, Connection, ConnectionList};
use crate::url_token::random_url_token;

use super::handle::Studio;
use super::state::lock;

impl Studio {
    /// `GET /platforms`: the platforms and whether the operator enabled each for this client.
    pub async fn platforms(&self) -> Result<Vec<PlatformInfo>, ApiError> {
        let answer = self.inner.api.send(Method::GET, "/platforms", None, &[]).await;
        answer
            .and_then(crate::api::success)
            .and_then(|a| decode_platforms(&a.body))
            .inspect(|list| {
                lock(&self.inner.state).platforms = Some(list.clone());
                self.succeeded_unattended(Concern::Connections);
            })
            .map_err(|e| self.fail_unattended(Concern::Connections, e))
    }

    /// `GET /connections` (the seed's `listConnections`).
    pub async fn list_connections(&self) -> Result<Vec<Connection>, ApiError> {
        let list: ConnectionList = self.load(Concern::Connections, "/connections").await?;
        lock(&self.inner.state).connections = list.connections.clone();
        self.emit(StudioEvent::Connections(list.connections.clone()));
        Ok(list.connections)
    }

    /// Links `platform`: opens the hosted page in the system browser and completes on the deep
    /// link ([`complete_connect`](Self::complete_connect)) or by polling the authorization,
    /// whichever answers first. While it waits, the page is in
    /// [`browser_waits`](Self::browser_waits), to copy, open again or cancel; a newer connect of
    /// the same platform cancels this one.
    pub async fn connect(&self, platform: Platform) -> Result<ConnectOutcome, ApiError> {
        let state = random_url_token();
        // Room is made before the service is asked, so a refusal leaves nothing behind there.
        let Some(mut link) = self.inner.connects.add(state.clone(), platform) else {
            return Err(self.fail(
                Concern::Connections,
                ApiError::new(
                    0,
                    codes::CONNECT_FAILED,
                    "Too many connects are waiting for the browser. Finish or cancel one first.",
                ),
            ));
        };
        let body = json!({ "redirectUri": self.inner.config.connect_redirect_uri, "state": state });
        let path = format!("/connections/{}/authorize", platform.as_str());
        let asked = self
            .call::<AuthorizeAnswer>(Concern::Connections, Method::POST, &path, Some(&body))
            .await
            .and_then(|answer| {
                Url::parse(&answer.authorize_url)
                    .map_err(|_| {
                        self.fail(
                            Concern::Connections,
                            ApiError::new(
                                200,
                                codes::UNEXPECTED_RESPONSE,
                                "The service gave an authorize URL that does not parse",
                            ),
                        )
                    })
                    .map(|url| (answer, url))
            });
        let (answer, url) = match asked {
            Ok(asked) => asked,
            Err(e) => {
                self.inner.connects.remove(&state);
                return Err(e);
            }
        };
        let wait = match self.wait_in_browser(BrowserPage::Connect { platform }, &url) {
            Ok(wait) => wait,
            Err(why) => {
                self.inner.connects.remove(&state);
                return Err(self.fail(
                    Concern::Connections,
                    ApiError::new(
                        200,
                        codes::UNEXPECTED_RESPONSE,
                        format!("The service's consent page was not opened: {why}"),
                    ),
                ));
            }
        };
        let deadline = tokio::time::Instant::now()
            + self
                .inner
                .config
                .timing
                .connect_timeout
                .min(Duration::from_secs(u64::from(answer.expires_in.max(1)) + 5));
        let poll = self.inner.config.timing.authorization_poll;
        let outcome = loop {
            // The link only wakes us early; what happened is always asked of the service.
            tokio::select! {
                // The streamer's Cancel, a newer connect of this platform, or the studio's end.
                () = wait.cancelled() => break ConnectOutcome::Cancelled { platform },
                () = tokio::time::sleep_until(deadline) => break ConnectOutcome::TimedOut { platform },
                _ = &mut link => {}
                () = tokio::time::sleep(poll) => {}
            }
            let status: Result<AuthorizationStatus, ApiError> = self
                .inner
                .api
                .call(
                    Method::GET,
                    &format!("/connections/authorizations/{state}"),
                    None,
                    &[],
                )
                .await
                .map(|(_, s)| s);
            match status {
                Ok(s) => match s.status.as_str() {
                    "connected" => break ConnectOutcome::Connected { platform },
                    "expired" => break ConnectOutcome::Expired { platform },
                    "error" if s.error.as_deref() == Some("access_denied") => {
                        break ConnectOutcome::Denied { platform };
                    }
                    "error" => {
                        break ConnectOutcome::Failed {
                            platform,
                            error: s.error.unwrap_or_else(|| "unknown".to_owned()),
                        };
                    }
                    _ => {}
                },
                // A poll that fails is retried at the next tick; the deadline bounds it.
                Err(e) if e.code == codes::SIGN_IN_REQUIRED => {
                    self.inner.connects.remove(&state);
                    return Err(self.fail(Concern::Connections, e));
                }
                Err(e) => tracing::debug!(error = %e, "authorization status poll"),
            }
        };
        self.inner.connects.remove(&state);
        drop(wait);
        if matches!(outcome, ConnectOutcome::Connected { .. }) {
            self.list_connections().await?;
        }
        Ok(outcome)
    }

    /// Hands the studio a deep link the OS delivered. Untrusted: it is acted on only when it
    /// matches a pending connect (state, platform, not expired, not used), and even then only
    /// to ask the service what happened.
    pub fn complete_connect(&self, url: &str) -> LinkVerdict {
        let link = match parse_connect_link(url, &self.inner.config.connect_redirect_uri) {
            Ok(link) => link,
            Err(reason) => return LinkVerdict::Rejected { reason },
        };
        match self.inner.connects.accept(&link) {
            Ok(platform) => LinkVerdict::Accepted {
                platform: Some(platform),
            },
            Err(reason) => LinkVerdict::Rejected { reason },
        }
    }

    /// `DELETE /connections/{platform}`, then reloads the list.
    pub async fn disconnect(&self, platform: Platform) -> Result<(), ApiError> {
        let path = format!("/connections/{}", platform.as_str());
        self.inner
            .api
            .call_empty(Method::DELETE, &path)
            .await
            .map_err(|e| self.fail(Concern::Connections, e))?;
        self.list_connections().await?;
        Ok(())
    }
}
