//! The chat overlay in the app: its owner (settings, the address's secret, the running server and
//! the hub every message passes), starting and reconfiguring it, the avatars it shows, and the
//! commands the window uses. The rules themselves live in `restream-overlay`.

pub mod avatars;
pub mod commands;
pub mod lifecycle;
pub mod owner;
pub mod view;
