//! The studio and its bridge to the controller: which service runs and the `Studio` handle
//! (`service`), how the controller is wired to the app (`controller`), the commands the window
//! calls, the chat inbox, the feed the window reads it on and the tap that fills it (with the
//! overlay), and deep links as the OS hands them over.

pub mod chat_feed;
pub mod chat_inbox;
pub mod chat_tap;
pub mod commands;
pub mod controller;
pub mod deep_link;
pub mod link_scheme;
pub mod live_commands;
pub mod service;
pub mod settings_commands;
