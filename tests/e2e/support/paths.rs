//! Where the harness finds what it runs and keeps what it saves: the app binary, tauri-driver and
//! the other tools (a missing one fails the test with what to install, never skips it), and the
//! folder of screenshots and logs.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

/// The repository root (the root package holds the end-to-end tests).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The debug app binary, next to this test's own target directory.
pub fn app_binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("RESTREAM_STUDIO_BIN") {
        return Ok(PathBuf::from(path));
    }
    // This test runs from target/debug/deps/; the app is target/debug/restream-studio.
    let exe = std::env::current_exe()?;
    let debug_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| anyhow!("cannot locate the target directory from {}", exe.display()))?;
    let bin = debug_dir.join(format!("restream-studio{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        bail!(
            "the app is not built at {}: run `cargo build -p restream-studio` (the test command does)",
            bin.display()
        );
    }
    Ok(bin)
}

/// The tool `name` on the PATH, or an error saying how to `install` it.
pub fn require_tool(name: &str, install: &str) -> Result<PathBuf> {
    which(name).ok_or_else(|| anyhow!("`{name}` is not installed: {install}"))
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// tauri-driver: `TAURI_DRIVER`, else the one `npm ci` installs, else the one on the PATH.
pub fn tauri_driver() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return Ok(PathBuf::from(path));
    }
    let local = workspace_root().join("node_modules/.bin/tauri-driver");
    if local.exists() {
        return Ok(local);
    }
    require_tool(
        "tauri-driver",
        "run `npm ci` at the repository root (or `npm test`, which does)",
    )
}

/// Where screenshots, page sources and driver logs go: `test-artifacts/e2e/`.
pub fn artifacts_dir() -> Result<PathBuf> {
    let dir = workspace_root().join("test-artifacts").join("e2e");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
