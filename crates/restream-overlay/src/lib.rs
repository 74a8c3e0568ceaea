//! The chat overlay: the studio's merged chat as a page for OBS's browser source.
//!
//! Every message passes the [`gate`] before it can reach the page: held back for the streamer's
//! hold delay, left out when it is a command or from a hidden name, and dropped when it is
//! deleted, or its author timed out or banned, before the hold ends. The [`hub`] owns the gate and
//! tells each connected page what to show and remove; the [`server`] serves the page on a loopback
//! port behind a secret in its address. A page never receives what the gate has not released, so
//! no reload, reconnect or script on the page can show a removed message.

pub mod gate;
mod held;
pub mod hub;
pub mod look;
pub mod secret;
pub mod server;
