//! The Restream Studio app shell, in rooms by concern: `studio` (the service, the commands, the
//! chat inbox, deep links), `desktop` (window, tray, notifications, shortcuts), `settings` (brand,
//! keychain, the saved settings) and `support` (errors, logging, diagnostics, images), with
//! `events` at the bottom and this file and `bridge` wiring them on top. Everything that talks to
//! the service lives in `restream-client`; see docs/architecture.md for the map.

pub mod bridge;
mod desktop;
mod events;
mod obs;
mod overlay;
mod settings;
mod studio;
mod support;

use tauri::utils::config::Csp;
use tauri::{Manager, RunEvent};

use desktop::{companion, tray, window};
use settings::{brand, preferences};
use studio::{chat_feed, chat_inbox, deep_link, live_commands, service};
use support::{images, logging, start_timeline};

/// Keeps the log file's writer alive for the app's life; dropping it at exit flushes the file.
struct LogFlush(std::sync::Mutex<Option<tracing_appender::non_blocking::WorkerGuard>>);

pub use support::version::version_line;

/// Builds and runs the app until its last window closes.
pub fn run() {
    start_timeline::begin();
    let bridge = bridge::specta_builder();
    let (feed, feed_listener) = chat_feed::ChatFeed::bind();
    let mut context = tauri::generate_context!();
    // The window may connect to its chat feed's port alone, not to every loopback port.
    if let (Some(source), Some(Csp::DirectiveMap(csp))) = (
        feed.connect_source(),
        context.config_mut().app.security.csp.as_mut(),
    ) {
        csp.entry("connect-src".into()).or_default().push(source);
    }
    let app = tauri::Builder::default()
        // Registered first: a second launch (e.g. by a deep link) hands its argv to this instance
        // and exits before any other plugin starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::show_main(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(window::state_plugin())
        // The global shortcuts' plugin is registered when they are turned on (global_shortcuts),
        // the notifications' once the window is built: neither is needed to draw it.
        .invoke_handler(bridge.invoke_handler())
        .setup(move |app| {
            start_timeline::step("setup");
            let recent = logging::RecentProblems::default();
            let guard = logging::init(app.path().app_log_dir().ok().as_deref(), recent.clone());
            app.manage(recent);
            app.manage(LogFlush(std::sync::Mutex::new(guard)));
            tracing::info!(version = %version_line(), identifier = %brand::brand().identifier, "started");
            bridge.mount_events(app);
            app.manage(deep_link::DeepLinkInbox::default());
            app.manage(studio::link_scheme::SchemeHandled::default());
            app.manage(service::ServiceState::new());
            app.manage(images::ImageFetcher::new());
            let inbox = std::sync::Arc::new(chat_inbox::ChatInbox::default());
            if let Some(listener) = feed_listener {
                feed.serve(
                    listener,
                    std::sync::Arc::clone(&inbox),
                    window::page_origins(app.handle()),
                );
            }
            app.manage(inbox);
            app.manage(feed);
            app.manage(live_commands::SentIds::default());
            let preferences = preferences::PreferencesState::load(app.path().app_config_dir().ok());
            let chosen = preferences.get();
            app.manage(preferences);
            app.manage(companion::WideSize::default());
            app.manage(window::WindowSeenState::default());
            app.manage(tray::DesktopState::default());
            app.manage(obs::owner::ObsState::load(app.path().app_config_dir().ok()));
            app.manage(overlay::owner::OverlayOwner::load(
                app.path().app_config_dir().ok(),
                std::sync::Arc::new(overlay::avatars::CachedAvatars {
                    app: app.handle().clone(),
                    service: service::api_base,
                }),
            ));
            deep_link::listen(app.handle())?;
            start_timeline::step("state-loaded");
            window::create_main(app.handle(), service::streaming, overlay::owner::is_served_page)?;
            start_timeline::step("window-built");
            // Only Rust shows notifications, so the page needs none of the plugin's script.
            app.handle().plugin(tauri_plugin_notification::init())?;
            tray::install(app.handle(), obs::lifecycle::flip_switch);
            // ⌘Q asks while live, as the tray's Quit does (the Dock's Quit and a log-out cannot
            // ask: the stream runs on in the service, and the next start finds it).
            #[cfg(target_os = "macos")]
            desktop::app_menu::install(app.handle(), settings::os_language::chosen(app.handle()), |app| {
                if service::streaming(app) {
                    window::ask_about_quitting(app);
                } else {
                    app.exit(0);
                }
            })?;
            let taken = companion::apply(app.handle(), &chosen);
            if !taken.is_empty() {
                tracing::warn!(?taken, "global shortcuts held by another app");
            }
            service::start(app.handle().clone());
            obs::lifecycle::start(app.handle());
            overlay::lifecycle::start(app.handle());
            start_timeline::step("setup-done");
            Ok(())
        })
        .build(context)
        .expect("the app's configuration is built into the binary and valid");

    app.run(|handle, event| match event {
        // Clicking the Dock's icon brings back a window hidden to keep streaming.
        #[cfg(target_os = "macos")]
        RunEvent::Reopen {
            has_visible_windows: false,
            ..
        } => window::show_main(handle),
        RunEvent::Exit => {
            handle.state::<service::ServiceState>().shutdown_blocking();
            // The last lines reach the log file before the process ends.
            drop(handle.state::<LogFlush>().0.lock().map(|mut guard| guard.take()));
        }
        _ => {}
    });
}
