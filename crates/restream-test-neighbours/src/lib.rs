//! Real neighbours for the tests that need them: an RTMP ingest (nginx with Debian's RTMP module,
//! its publish hooks pointed where the test says), ffmpeg publishing a test picture to it, and a
//! real OBS Studio (Debian's 29 with obs-websocket 5.1) under its own Xvfb display and D-Bus
//! session, and Debian's Chromium over WebDriver (what OBS's browser source is underneath). Each runs on free loopback ports with its own config and log folder, leads a process
//! group of its own, and is killed with that group when dropped: a test leaves nothing running. A
//! missing tool fails with the command that installs it.

#![cfg(unix)]

pub mod chromium;
mod group;
pub mod obs;
pub mod rtmp;

pub use group::{Running, free_port};

/// Fails, naming how to install it, unless `tool` is on the PATH (or in /usr/sbin, where Debian
/// puts nginx).
fn require(tool: &str, install: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
        .unwrap_or(false)
        || std::path::Path::new("/usr/sbin").join(tool).is_file();
    assert!(found, "{tool} is not installed: {install}");
}
