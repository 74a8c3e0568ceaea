//! A blank Tauri window: the framework's memory floor, and the host of the in-webview peer page
//! (`page/peer.js`) that the chat figures measure beside the studio.
//!
//! Given a service in its environment (`PEER_API_BASE`, `PEER_PUBLISHABLE_KEY`, `PEER_USER_ID`),
//! the page loads the service's platforms as soon as it opens, as the studio does, so the two
//! starts are timed to the same thing. Without them the window stays blank (the floor).

use tauri::{WebviewUrl, WebviewWindowBuilder};

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            let mut window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title("Restream Studio peer")
                .inner_size(380.0, 700.0);
            if let Some(config) = service_from_env() {
                window = window.initialization_script(format!("window.__peerService = {config};"));
            }
            window.build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the peer's configuration is built in");
}

/// The service the page should start with, as a JavaScript object literal (JSON, so any text in
/// the variables stays a string).
fn service_from_env() -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let config = serde_json::json!({
        "base": var("PEER_API_BASE")?,
        "key": var("PEER_PUBLISHABLE_KEY")?,
        "user": var("PEER_USER_ID")?,
    });
    Some(config.to_string())
}
