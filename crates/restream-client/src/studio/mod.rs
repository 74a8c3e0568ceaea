//! The controller: one streamer's Restream Service, as the seed's `RestreamStudio`. It owns the
//! state the seed's hook returns, runs one task per concern (job poller, viewer poller, chat
//! stream), and publishes every change as a [`StudioEvent`](crate::events::StudioEvent).
//!
//! Only declares and re-exports. One handle (`handle.rs`) owns every piece of state (`state.rs`),
//! each under its own lock, and no action holds a lock across an await. Its methods are grouped by
//! concern: setup (`config.rs`), linked platforms (`connections.rs`), the stream (`live.rs`), the
//! current job (`job_state.rs`), the tasks that follow it (`followers.rs`, `chat_stream.rs`),
//! token mode's sign-in (`sign_in.rs`), the pages both wait on in the system browser
//! (`browser_waits.rs`, over the list in `wait_list.rs`), and v1.1's ingest and live sessions
//! (`ingest_calls.rs`, `sessions.rs`) and moderation (`moderation_calls.rs`).

mod browser_waits;
mod chat_stream;
mod config;
mod connections;
mod followers;
mod handle;
mod ingest_calls;
mod job_state;
mod live;
mod moderation_calls;
mod sessions;
mod sign_in;
mod state;
mod wait_list;

pub use config::{ChatTap, DEFAULT_TIMEOUT, NoBrowser, NoTap, StudioConfig, Timing, UrlOpener};
pub use handle::Studio;
pub use sessions::MediaNow;
pub use state::Snapshot;
