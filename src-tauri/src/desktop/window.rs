//! The main window. Created here rather than in tauri.conf.json so that navigation can be pinned
//! to the app's own pages: the webview never loads a remote page, whatever a link or script asks.

use tauri::webview::{NewWindowResponse, WebviewWindowBuilder};
use tauri::{AppHandle, Manager, WebviewUrl};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};
use tauri_specta::Event;

use crate::events::CloseRequestedWhileLive;

pub const MAIN: &str = "main";

/// The compact window: narrow and tall enough to sit beside OBS on a 1080p screen.
pub const COMPACT: (f64, f64) = (380.0, 700.0);
/// Wide from this width on (the UI's media query agrees: `styles.css`, "wide layout").
pub const WIDE_FROM: f64 = 760.0;
/// The wide size the compact toggle returns to when the window has never been wide.
pub const WIDE: (f64, f64) = (1040.0, 760.0);

/// What the window remembers between runs: where it was and how big (not whether it was shown:
/// the studio always opens its window).
const REMEMBERED: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

/// How long the window must stay still before its place is saved.
const SAVE_AFTER: std::time::Duration = std::time::Duration::from_millis(800);

/// The plugin that restores the window's size and position when it is created.
pub fn state_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_window_state::Builder::default()
        .with_state_flags(REMEMBERED)
        .build()
}

/// Whether `url` is one of the app's own pages.
fn is_app_page(url: &url::Url, dev_url: Option<&url::Url>) -> bool {
    let own = match url.scheme() {
        // Linux and macOS serve the app from tauri://localhost; Windows from http(s)://tauri.localhost.
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    };
    own || dev_url.is_some_and(|dev| dev.origin() == url.origin())
}

/// The origins the window's own pages are served from (those `is_app_page` accepts), as the
/// `Origin` header its requests carry.
pub fn page_origins(app: &AppHandle) -> Vec<String> {
    let mut origins: Vec<String> = [
        "tauri://localhost",
        "http://tauri.localhost",
        "https://tauri.localhost",
    ]
    .map(String::from)
    .into();
    if tauri::is_dev()
        && let Some(dev) = &app.config().build.dev_url
    {
        origins.push(dev.origin().ascii_serialization());
    }
    origins
}

/// Builds the main window. `streaming` says whether a stream is queued or running, so closing
/// then asks first; `overlay_page` says whether an address is the chat overlay the studio serves
/// now (its preview frames it). Both are answered above the window and passed in, so the window
/// stays below the studio and the overlay.
pub fn create_main(
    app: &AppHandle,
    streaming: fn(&AppHandle) -> bool,
    overlay_page: fn(&AppHandle, &url::Url) -> bool,
) -> tauri::Result<()> {
    let dev_url = if tauri::is_dev() {
        app.config().build.dev_url.clone()
    } else {
        None
    };
    let window = WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title(&app.package_info().name)
        .inner_size(COMPACT.0, COMPACT.1)
        .min_inner_size(340.0, 480.0)
        .on_navigation({
            let app = app.clone();
            move |url| {
                let allowed = is_app_page(url, dev_url.as_ref()) || overlay_page(&app, url);
                if !allowed {
                    tracing::warn!(scheme = url.scheme(), "blocked navigation away from the app");
                }
                allowed
            }
        })
        .on_new_window(|_url, _features| NewWindowResponse::Deny)
        .initialization_script(language_script(crate::settings::os_language::chosen(app)))
        .build()?;
    crate::desktop::rendering::apply(&window);
    let handle = app.clone();
    let moves = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    window.on_window_event(move |event| match event {
        tauri::WindowEvent::CloseRequested { api, .. } if streaming(&handle) => {
            // Closing while live is a decision, not an accident: ask in the window.
            api.prevent_close();
            if let Err(e) = CloseRequestedWhileLive.emit(&handle) {
                tracing::warn!(error = %e, "could not ask about closing while live");
            }
        }
        tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_) => {
            save_place_when_still(&handle, &moves);
        }
        _ => {}
    });
    Ok(())
}

/// Tells the page its language before its first render, so its first words are the streamer's
/// language rather than the webview's guess corrected a moment later.
fn language_script(language: crate::settings::preferences::Language) -> String {
    let name = serde_json::to_string(&language).unwrap_or_else(|_| "\"en\"".to_owned());
    format!("window.__studioLanguage = {name};")
}

/// Saves the window's place once it has stayed still for `SAVE_AFTER`. The plugin saves only at
/// a clean exit; a crash or a power cut would otherwise lose where the streamer put it.
fn save_place_when_still(app: &AppHandle, moves: &std::sync::Arc<std::sync::atomic::AtomicU64>) {
    use std::sync::atomic::Ordering;
    let this_move = moves.fetch_add(1, Ordering::SeqCst) + 1;
    let (app, moves) = (app.clone(), moves.clone());
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SAVE_AFTER).await;
        if moves.load(Ordering::SeqCst) == this_move
            && let Err(e) = app.save_window_state(REMEMBERED)
        {
            tracing::warn!(error = %e, "could not save the window's place");
        }
    });
}

/// Quitting while live (the tray's Quit, ⌘Q on macOS) asks what closing the window asks: the
/// window comes forward with the question.
pub fn ask_about_quitting(app: &AppHandle) {
    show_main(app);
    if let Err(e) = CloseRequestedWhileLive.emit(app) {
        tracing::warn!(error = %e, "could not ask about quitting while live");
    }
}

/// Brings the main window forward (a second launch, the Dock's icon on macOS).
pub fn show_main(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn the_page_is_told_its_language_before_it_loads() {
        use crate::settings::preferences::Language;
        assert_eq!(
            language_script(Language::Es),
            r#"window.__studioLanguage = "es";"#
        );
        assert_eq!(
            language_script(Language::En),
            r#"window.__studioLanguage = "en";"#
        );
    }

    #[test]
    fn only_app_pages_are_navigable() {
        assert!(is_app_page(&url("tauri://localhost/index.html"), None));
        assert!(is_app_page(&url("http://tauri.localhost/"), None));
        assert!(!is_app_page(&url("https://evil.example/"), None));
        assert!(!is_app_page(&url("tauri://evil/"), None));
        assert!(!is_app_page(&url("file:///etc/passwd"), None));
        let dev = url("http://127.0.0.1:1420");
        assert!(is_app_page(&url("http://127.0.0.1:1420/x"), Some(&dev)));
        assert!(!is_app_page(&url("http://127.0.0.1:9999/"), Some(&dev)));
    }
}

/// Whether the main window is on screen, as its page sees it: WebKit says hidden when the window
/// is hidden to the tray or minimized. The one setter the studios read; a page that lies only
/// changes how often viewer counts are asked for.
pub struct WindowSeenState(pub restream_client::WindowSeenSetter);

impl Default for WindowSeenState {
    fn default() -> Self {
        WindowSeenState(restream_client::window_seen().0)
    }
}

/// The page says whether the window is on screen (on every change of its visibility).
#[tauri::command]
#[specta::specta]
pub fn window_seen(state: tauri::State<'_, WindowSeenState>, seen: bool) {
    state.0.set(seen);
}
