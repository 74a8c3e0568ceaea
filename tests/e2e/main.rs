//! End to end: the real app, in a real WebKit window under Xvfb, against a real sandbox. One test
//! binary (`cargo test --test e2e`), a module for each journey of the streamer's, and the harness
//! they share in `support`.

mod chat;
mod companion;
mod connect;
mod live;
mod moderation;
mod obs;
mod overlay;
mod recovery;
mod security;
mod settings;
mod sign_in;
mod support;
