//! Fan-out of live events to open chat streams, per user. Events are serialized once and shared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;

/// Who a stream belongs to: (client id, user id).
pub type UserKey = (String, String);

#[derive(Debug, Clone)]
pub enum HubEvent {
    /// A stored event of the chat sequence (`kind` is its SSE name: `comment`, or v1.1's
    /// `moderation`): its service-wide order, id and JSON.
    Sequenced {
        seq: i64,
        kind: &'static str,
        id: Arc<str>,
        json: Arc<str>,
    },
    /// A job's new state, as JSON.
    Job { json: Arc<str> },
    /// v1.1: one of the user's publisher sessions started or ended, as JSON.
    Session { json: Arc<str> },
}

/// Buffered events per user before a slow stream is cut (it reconnects with Last-Event-ID).
const CHANNEL_CAPACITY: usize = 4096;

pub struct Hub {
    users: Mutex<HashMap<UserKey, broadcast::Sender<HubEvent>>>,
    /// Cancelled (and replaced) to drop every open stream at once.
    drop_all: Mutex<CancellationToken>,
    stalled: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            users: Mutex::new(HashMap::new()),
            drop_all: Mutex::new(CancellationToken::new()),
            stalled: watch::Sender::new(false),
        }
    }
}

impl Hub {
    pub fn subscribe(&self, user: &UserKey) -> broadcast::Receiver<HubEvent> {
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        users
            .entry(user.clone())
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe()
    }

    pub fn publish(&self, user: &UserKey, event: HubEvent) {
        let users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(sender) = users.get(user) {
            // No receivers is fine: nobody is watching this user's chat right now.
            let _ = sender.send(event);
        }
    }

    /// The token a new stream ends on when "drop every stream" is asked for.
    pub fn drop_token(&self) -> CancellationToken {
        self.drop_all.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn drop_all_streams(&self) {
        let mut token = self.drop_all.lock().unwrap_or_else(|p| p.into_inner());
        token.cancel();
        *token = CancellationToken::new();
    }

    pub fn set_stalled(&self, stalled: bool) {
        self.stalled.send_replace(stalled);
    }

    pub fn stalled(&self) -> watch::Receiver<bool> {
        self.stalled.subscribe()
    }
}
