//! Settings and secrets: which service the studio talks to and how it is chosen, the saved
//! settings and preferences files (parsed in `restream-settings`, which has no Tauri in it), the
//! brand the build carries, and the OS keychain.

pub mod brand;
pub mod keychain;
mod long_secrets;
pub mod os_language;

pub use restream_settings::{preferences, service_config, settings_file};
