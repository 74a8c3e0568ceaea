//! The end-to-end harness: the real debug app in a real WebKit window under Xvfb, driven over
//! WebDriver (tauri-driver + WebKitWebDriver), against a sandbox service in the test's process.
//! Every launch gets its own X display, D-Bus session, XDG directories and ports, because
//! single-instance keys on the app identifier: two launches on one bus would talk to each other.
//!
//! Nothing here skips: a missing tool fails the test with what to install.
//!
//! This file only declares the parts and re-exports what the tests use; the parts import one
//! another directly, never through here. `examples/chat_figures` shares this harness (by path).

mod chat_steps;
mod desktop;
mod evidence;
mod launch;
mod obs_steps;
mod overlay_page;
mod page;
mod paths;
mod process_group;
mod service;
mod shell;
mod steps;
mod wait;

pub use chat_steps::{author_of, platform_moderator, say, stored_ids};
pub use launch::{AppSession, Launch, SINGLE_INSTANCE_NAME};
pub use obs_steps::{go_live_with_obs, link_obs, obs_session, set_up_obs};
pub use overlay_page::OverlayPage;
pub use page::string_list;
pub use paths::app_binary;
pub use service::{Service, admin, as_streamer, current_job, fail_destination, job_status};
pub use steps::{diagnostics_mentioning, go_live, go_live_with, link_platforms, platforms_listed};
pub use wait::{UI_TIMEOUT, eventually};
