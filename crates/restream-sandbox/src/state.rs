//! Everything a request handler or a simulation task needs, shared behind one `Arc`.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::db::Db;
use crate::faults::Faults;
use crate::hub::Hub;
use crate::settings::Settings;
use crate::stats::Stats;

/// What the admin surface says about a publisher session; sessions it never mentioned are live
/// with audio and video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionFault {
    pub live: bool,
    pub audio: bool,
}

/// The v1.1 ingest in front of the sandbox.
pub struct IngestSetup {
    /// Where encoders publish (`rtmp://…`), with each user's stream key.
    pub rtmp_url: String,
    /// The secret in the hook's path.
    pub hook_secret: String,
    /// How long a session whose publish was lost waits for the encoder to come back.
    pub publish_grace: std::time::Duration,
}

pub struct Shared {
    pub db: Db,
    pub settings: Settings,
    pub stats: Arc<Stats>,
    pub faults: Faults,
    pub hub: Hub,
    pub sessions: Mutex<HashMap<String, SessionFault>>,
    /// `http://127.0.0.1:<port>`, for URLs the sandbox hands out (consent, watch pages, avatars).
    pub base_url: String,
    pub admin_token: String,
    pub admin_enabled: bool,
    /// v1.1: the ingest, when the sandbox offers one.
    pub ingest: Option<IngestSetup>,
    /// v1.1: whether chat moderation is offered.
    pub moderation: bool,
    /// Cancelled at shutdown: ends streams and simulation tasks.
    pub shutdown: CancellationToken,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl Shared {
    pub fn session_fault(&self, session_id: &str) -> Option<SessionFault> {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(session_id)
            .copied()
    }

    pub fn set_session_fault(&self, session_id: String, fault: SessionFault) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(session_id, fault);
    }
}
