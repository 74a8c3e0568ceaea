//! Restream Studio's link to OBS Studio over obs-websocket v5: the handshake (Hello, Identify with
//! the salted SHA-256 challenge, Identified), requests matched to their answers by id, and the
//! stream's state events. It speaks to obs-websocket 5.1 (OBS 29, as Debian ships it) and newer.
//!
//! Written on tokio-tungstenite rather than the `obws` crate: `obws` refuses obs-websocket older
//! than 5.5 unless its version checks are switched off, and even then its stream status needs an
//! `outputCongestion` that obs-websocket before 5.4 sends as `null` after a failed connect, which is
//! the moment a streamer most needs the status. The protocol the studio needs is small.

mod error;
mod health;
mod link;
mod pilot;
mod protocol;
mod pump;
mod session;
mod stream;

pub use error::LinkError;
pub use health::{Health, HealthAlert, HealthRule, HealthWatch};
pub use link::{LinkState, ObsLink, Retry};
pub use pilot::{JobSeen, Pilot, PilotNews, PilotSettings, SessionSeen, Step, StopRule};
pub use protocol::{MIN_WEBSOCKET_VERSION, auth_string};
pub use session::{ObsConfig, ObsSession, ObsVersions};
pub use stream::{ObsEvent, OutputState, RtmpService, StreamService, StreamStatus};
