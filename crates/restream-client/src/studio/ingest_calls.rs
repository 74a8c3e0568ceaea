//! v1.1 ingest and live sessions as studio actions: what the service offers the encoder, a new
//! stream key, and the sessions that carry media now. Against a v1 service each reports "not
//! offered" (or no sessions), and nothing else changes.

use reqwest::Method;

use crate::error::{ApiError, Concern};
use crate::ingest::{Ingest, IngestOffer, LiveSession, LiveSessionList};

use super::handle::Studio;

/// A 404 from a v1.1 route: the route is not offered (`ingest_not_offered`), or the service
/// speaks v1 only (`not_found`).
fn not_offered(error: &ApiError) -> bool {
    error.status == 404 && matches!(error.code.as_str(), "ingest_not_offered" | "not_found")
}

impl Studio {
    /// `GET /ingest`: where the streamer's encoder sends media. The stream key is a secret.
    pub async fn ingest(&self) -> Result<IngestOffer, ApiError> {
        self.ask_ingest(Method::GET, "/ingest").await
    }

    /// `POST /ingest/rotate`: new ingest secrets; the old ones refuse new publishes (one already
    /// running goes on).
    pub async fn rotate_ingest(&self) -> Result<IngestOffer, ApiError> {
        self.ask_ingest(Method::POST, "/ingest/rotate").await
    }

    async fn ask_ingest(&self, method: Method, path: &str) -> Result<IngestOffer, ApiError> {
        match self.inner.api.call::<Ingest>(method, path, None, &[]).await {
            Ok((_, ingest)) => {
                self.succeeded(Concern::Job);
                Ok(IngestOffer::Offered(ingest))
            }
            Err(e) if not_offered(&e) => Ok(IngestOffer::NotOffered),
            Err(e) => Err(self.fail(Concern::Job, e)),
        }
    }

    /// `GET /sessions/live`: the streamer's publisher sessions that carry media now, newest
    /// first; none on a service without them.
    pub async fn live_sessions(&self) -> Result<Vec<LiveSession>, ApiError> {
        match self
            .inner
            .api
            .call::<LiveSessionList>(Method::GET, "/sessions/live", None, &[])
            .await
        {
            Ok((_, list)) => {
                self.succeeded_unattended(Concern::Job);
                Ok(list.sessions)
            }
            Err(e) if not_offered(&e) => Ok(Vec::new()),
            Err(e) => Err(self.fail_unattended(Concern::Job, e)),
        }
    }
}
