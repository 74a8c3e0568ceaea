//! The studio beside OBS: the link over obs-websocket (in `restream-obs`), owned here with its
//! settings and password; the driver that goes live and stops with OBS and watches its health;
//! "Set up OBS"; and what the window and the tray show of it.

pub mod commands;
pub mod control;
pub mod driver;
pub mod lifecycle;
pub mod owner;
pub mod setup;
pub mod view;
