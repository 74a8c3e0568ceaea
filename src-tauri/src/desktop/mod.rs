//! The desktop around the studio: the window and how it paints, the tray and notifications, the
//! global shortcuts, the companion preferences that shape the window, and the words they speak.

#[cfg(target_os = "macos")]
pub mod app_menu;
pub mod companion;
pub mod global_shortcuts;
pub mod live_watch;
pub mod notices;
pub mod obs_words;
pub mod rendering;
pub mod tray;
#[cfg_attr(
    not(target_os = "macos"),
    allow(dead_code, reason = "the macOS menu bar's icon; its tests run everywhere")
)]
mod tray_template;
pub mod window;
pub mod words;
