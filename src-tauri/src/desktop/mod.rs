//! The desktop around the studio: the window and how it paints, the tray and notifications, the
//! global shortcuts, the companion preferences that shape the window, and the words they speak.

pub mod companion;
pub mod global_shortcuts;
pub mod live_watch;
pub mod notices;
pub mod obs_words;
pub mod rendering;
pub mod tray;
pub mod window;
pub mod words;
