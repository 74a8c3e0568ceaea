//! How the window's webview paints.
//!
//! The studio's page is text, lists and forms: no video, no WebGL, no 3D transforms. WebKitGTK's
//! accelerated compositing buys such a page nothing and costs it a GL context, a compositor and
//! its buffers in the web process; where GL is software (virtual machines, remote desktops, a
//! streaming PC without a driver for its GPU) that is also the most CPU the window spends. With
//! compositing off, WebKit paints the damaged part of the page on the CPU, as older WebKitGTK
//! did by default for pages that needed no compositing. Measured on software GL
//! (docs/benchmarks.md, "Painting without compositing"): about 90 MiB less idle, and under chat
//! at 50/s less than half the CPU.
//!
//! `RESTREAM_STUDIO_ACCELERATED_COMPOSITING=1` keeps WebKit's default, for a machine where the
//! GPU path paints better.

use tauri::WebviewWindow;

/// The variable that keeps WebKit's accelerated compositing on.
pub const KEEP_COMPOSITING: &str = "RESTREAM_STUDIO_ACCELERATED_COMPOSITING";

/// Whether the window should keep accelerated compositing, from the variable's value.
pub fn keeps_compositing(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("1" | "true" | "yes" | "on"))
}

/// Turns accelerated compositing off for `window` unless the variable keeps it. Called right
/// after the window is built, on the main thread, so the setting reaches the web process before
/// the page's first paint. The first load has started in WebKit's default mode by then, which
/// leaves about 5 MiB in the web process that setting it before WebKit starts would not (only
/// possible through the process's environment, which every program the studio opens inherits).
pub fn apply(window: &WebviewWindow) {
    let keep = keeps_compositing(std::env::var(KEEP_COMPOSITING).ok().as_deref());
    tracing::debug!(accelerated_compositing = keep, "webview painting");
    if keep {
        return;
    }
    #[cfg(target_os = "linux")]
    if let Err(e) = window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    }) {
        tracing::warn!(error = %e, "could not set how the window paints");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// How `window` paints, read back from its webview's own settings, for the diagnostics.
pub async fn painting(window: &WebviewWindow) -> String {
    #[cfg(target_os = "linux")]
    {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        let (tx, rx) = tokio::sync::oneshot::channel();
        let asked = window.with_webview(move |webview| {
            let _ = tx.send(
                webview
                    .inner()
                    .settings()
                    .map(|s| s.hardware_acceleration_policy()),
            );
        });
        match (asked, rx.await) {
            (Ok(()), Ok(Some(HardwareAccelerationPolicy::Never))) => {
                format!("without accelerated compositing ({KEEP_COMPOSITING}=1 turns it on)")
            }
            (Ok(()), Ok(Some(_))) => "WebKit's accelerated compositing".to_owned(),
            _ => "unknown (the webview did not answer)".to_owned(),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = window;
        "the system webview's default".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::keeps_compositing;

    #[test]
    fn compositing_is_kept_only_when_asked() {
        for yes in ["1", "true", "yes", "on", " 1 "] {
            assert!(keeps_compositing(Some(yes)), "{yes:?}");
        }
        for no in [None, Some(""), Some("0"), Some("false"), Some("off"), Some("gpu")] {
            assert!(!keeps_compositing(no), "{no:?}");
        }
    }
}
