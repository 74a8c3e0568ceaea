//! The app's own deep-link scheme: which one this build answers to (from tauri.conf.json), and
//! whether the OS has a handler for it (if not, sign-in offers the loopback route).

use tauri::AppHandle;
#[cfg(windows)]
use tauri_plugin_deep_link::DeepLinkExt;

/// The scheme from `plugins.deep-link.desktop.schemes` in tauri.conf.json: one source of truth.
pub fn configured_scheme(app: &AppHandle) -> Result<String, String> {
    app.config()
        .plugins
        .0
        .get("deep-link")
        .and_then(|c| c.get("desktop"))
        .and_then(|c| c.get("schemes"))
        .and_then(|s| s.get(0))
        .and_then(|s| s.as_str())
        .map(str::to_owned)
        .ok_or_else(|| "tauri.conf.json sets no plugins.deep-link.desktop.schemes".to_owned())
}

/// Whether the OS has a handler for the app's scheme, learned once, shortly after start-up (unknown counts
/// as yes: the window still offers the loopback route by hand). Read without waiting, so a
/// sign-in asked for later cannot overtake one asked for earlier.
pub struct SchemeHandled(std::sync::atomic::AtomicBool);

impl Default for SchemeHandled {
    fn default() -> Self {
        SchemeHandled(std::sync::atomic::AtomicBool::new(true))
    }
}

impl SchemeHandled {
    pub fn get(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn set(&self, handled: bool) {
        self.0.store(handled, std::sync::atomic::Ordering::Relaxed)
    }
}

/// Asks the OS whether the app's scheme has a handler.
pub async fn scheme_is_handled(app: &AppHandle) -> bool {
    let Ok(scheme) = configured_scheme(app) else {
        return false;
    };
    #[cfg(target_os = "linux")]
    {
        // Any handler, not only this executable's: an installed build is registered by its
        // package's .desktop file, which the plugin's own check does not recognise.
        let query = tokio::process::Command::new("xdg-mime")
            .args(["query", "default", &format!("x-scheme-handler/{scheme}")])
            .output()
            .await;
        match query {
            Ok(out) if out.status.success() => !String::from_utf8_lossy(&out.stdout).trim().is_empty(),
            // xdg-mime says 4 ("action failed") when no handler exists.
            Ok(out) => out.status.code() != Some(4),
            Err(_) => true,
        }
    }
    #[cfg(windows)]
    {
        app.deep_link().is_registered(&scheme).unwrap_or(true)
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    {
        // macOS registers the scheme from the bundle's Info.plist.
        let _ = scheme;
        true
    }
}
