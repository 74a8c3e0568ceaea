//! What the studio reads from files and variables it does not control, with no Tauri in it: the
//! saved service settings (`settings.json` plus the keychain), the streamer's preferences
//! (`preferences.json`), the OBS link's settings (`obs.json`, its password in the keychain), the chat overlay's
//! (`overlay.json`, its address's secret in the keychain, and `overlay-hidden.json`), and
//! the rules that choose the service from them or from the environment.
//! Kept apart from the app shell so these parsers are unit-tested and fuzzed without a webview.

pub mod config_file;
pub mod obs_link;
pub mod overlay;
pub mod overlay_hidden;
pub mod preferences;
pub mod saved;
pub mod service_config;
pub mod settings_file;
