//! The Restream Studio app shell: window, deep links, the service the studio talks to, and the
//! typed bridge to the web UI. Everything that talks to the service lives in `restream-client`.

mod app_error;
mod brand;
pub mod bridge;
mod chat_inbox;
mod commands;
mod companion;
mod config_file;
mod deep_link;
mod desktop;
mod diagnostics;
mod events;
mod global_shortcuts;
mod images;
mod keychain;
mod live_commands;
mod live_watch;
mod logging;
mod preferences;
mod rendering;
mod service;
mod service_config;
mod settings;
mod studio_bridge;
mod window;
mod words;

use tauri::{Manager, RunEvent};

/// Keeps the log file's writer alive for the app's life; dropping it at exit flushes the file.
struct LogFlush(std::sync::Mutex<Option<tracing_appender::non_blocking::WorkerGuard>>);

/// What `--version` prints: the brand's product name and this build's version.
pub fn version_line() -> String {
    format!("{} {}", brand::brand().product_name, env!("CARGO_PKG_VERSION"))
}

/// Builds and runs the app until its last window closes.
pub fn run() {
    let bridge = bridge::specta_builder();
    let app = tauri::Builder::default()
        // Registered first: a second launch (e.g. by a deep link) hands its argv to this instance
        // and exits before any other plugin starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::show_main(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(window::state_plugin())
        .plugin(global_shortcuts::plugin())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(bridge.invoke_handler())
        .setup(move |app| {
            let recent = logging::RecentProblems::default();
            let guard = logging::init(app.path().app_log_dir().ok().as_deref(), recent.clone());
            app.manage(recent);
            app.manage(LogFlush(std::sync::Mutex::new(guard)));
            tracing::info!(version = %version_line(), identifier = %brand::brand().identifier, "started");
            bridge.mount_events(app);
            app.manage(deep_link::DeepLinkInbox::default());
            app.manage(deep_link::SchemeHandled::default());
            app.manage(service::ServiceState::new());
            app.manage(images::ImageFetcher::new());
            app.manage(chat_inbox::ChatInbox::default());
            app.manage(live_commands::SentIds::default());
            let preferences = preferences::PreferencesState::load(app.path().app_config_dir().ok());
            let chosen = preferences.get();
            app.manage(preferences);
            app.manage(companion::WideSize::default());
            app.manage(desktop::DesktopState::default());
            deep_link::listen(app.handle())?;
            window::create_main(app.handle())?;
            desktop::install(app.handle());
            let taken = companion::apply(app.handle(), &chosen);
            if !taken.is_empty() {
                tracing::warn!(?taken, "global shortcuts held by another app");
            }
            service::start(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the app's configuration is built into the binary and valid");

    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            handle.state::<service::ServiceState>().shutdown_blocking();
            // The last lines reach the log file before the process ends.
            drop(handle.state::<LogFlush>().0.lock().map(|mut guard| guard.take()));
        }
    });
}
