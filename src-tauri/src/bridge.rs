//! The typed bridge to the web UI: every command and event, listed once. `run()` mounts it, and a
//! test exports `ui/src/bindings.ts` from it.

use tauri::Wry;
use tauri_specta::{collect_commands, collect_events};

use crate::desktop::{companion, window};
use crate::events::{
    AuthChanged, BrowserWaitsChanged, ChatStatusChanged, CloseRequestedWhileLive, ConnectionsChanged,
    DeepLinkReceived, GoLivePrefilled, JobChanged, JobSuperseded, ObsChanged, OverlayChanged,
    ServiceStatusChanged, StudioActionRequested, StudioErrorCleared, StudioErrorRaised, ViewersChanged,
};
use crate::obs::commands as obs_commands;
use crate::overlay::commands as overlay_commands;
use crate::studio::{commands, live_commands, settings_commands};

pub fn specta_builder() -> tauri_specta::Builder<Wry> {
    tauri_specta::Builder::<Wry>::new()
        // One TypeScript type per Rust type: what the UI reads is what Rust sends.
        .disable_serde_phases()
        .commands(collect_commands![
            commands::service_status,
            commands::platforms,
            commands::recent_deep_links,
            commands::studio_snapshot,
            commands::connect_platform,
            commands::disconnect_platform,
            commands::cancel_browser_wait,
            commands::reopen_browser_page,
            commands::arm_destinations,
            commands::go_live,
            commands::stop_live,
            commands::retry_destination,
            commands::retry_chat,
            commands::open_watch_page,
            commands::sign_in,
            commands::sign_out,
            commands::resolve_close,
            settings_commands::secret_storage,
            settings_commands::settings_view,
            settings_commands::check_settings,
            settings_commands::save_settings,
            live_commands::chat_feed,
            live_commands::send_chat,
            live_commands::edit_banners,
            live_commands::fetch_image,
            live_commands::open_html_banner,
            commands::brand,
            commands::diagnostics,
            companion::preferences,
            companion::save_preferences,
            companion::toggle_compact,
            window::window_seen,
            obs_commands::obs_view,
            obs_commands::save_obs_settings,
            obs_commands::obs_setup_preview,
            obs_commands::obs_setup_apply,
            obs_commands::obs_start_and_go_live,
            overlay_commands::overlay_view,
            overlay_commands::save_overlay_settings,
            overlay_commands::overlay_address,
            overlay_commands::rotate_overlay_address,
            overlay_commands::hide_from_overlay,
            overlay_commands::moderate_chat,
        ])
        // Limits the window checks as the streamer types, from the one place Rust keeps them.
        .constant("MAX_CHAT_CHARS", live_commands::MAX_CHAT_CHARS)
        .constant("MAX_IMAGE_BYTES", crate::support::images::MAX_IMAGE_BYTES)
        .constant("GO_LIVE_KEYS", crate::desktop::global_shortcuts::GO_LIVE_KEYS)
        .constant("STOP_KEYS", crate::desktop::global_shortcuts::STOP_KEYS)
        .constant(
            "MAX_OBS_PASSWORD_CHARS",
            crate::obs::commands::MAX_OBS_PASSWORD_CHARS,
        )
        .constant("MAX_HOLD_SECONDS", restream_settings::overlay::MAX_HOLD_SECONDS)
        .constant("MAX_OVERLAY_LINES", restream_settings::overlay::MAX_LINES)
        .constant("MAX_TIMEOUT_SECONDS", restream_client::MAX_TIMEOUT_SECONDS)
        // Not a command's answer: each event on the window's chat feed carries one (chat_feed.rs).
        .typ::<crate::studio::chat_inbox::CommentsDelivery>()
        .constant("DEEP_LINKS_KEPT", crate::studio::deep_link::INBOX_CAPACITY)
        .events(collect_events![
            ServiceStatusChanged,
            DeepLinkReceived,
            ConnectionsChanged,
            JobChanged,
            ViewersChanged,
            StudioErrorRaised,
            StudioErrorCleared,
            ChatStatusChanged,
            AuthChanged,
            JobSuperseded,
            BrowserWaitsChanged,
            CloseRequestedWhileLive,
            GoLivePrefilled,
            StudioActionRequested,
            ObsChanged,
            OverlayChanged,
        ])
}

/// Where the generated TypeScript goes, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/bindings.ts";

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `ui/src/bindings.ts`. The test command then fails if the committed file differs.
    #[test]
    fn export_bindings() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        specta_builder()
            .export(
                specta_typescript::Typescript::default().header(
                    "// Generated from the Rust commands and events by `npm run bindings`. Do not edit.\n",
                ),
                &path,
            )
            .expect("export bindings");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("platforms"));
    }

    /// A command the window can call must be declared in `build.rs` (so Tauri makes a permission
    /// for it) and granted to the main window; one that is not is refused at run time, silently
    /// to the streamer.
    #[test]
    fn every_command_is_declared_and_granted_to_the_window() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |file: &str| std::fs::read_to_string(root.join(file)).unwrap();
        let bindings = read(BINDINGS_PATH);
        let called: Vec<&str> = bindings
            .split("TAURI_INVOKE(\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(called.len() > 20, "{called:?}");
        let build = read("build.rs");
        let capability = read("capabilities/main-window.json");
        for command in called {
            assert!(
                build.contains(&format!("\"{command}\",")),
                "{command} is not in build.rs COMMANDS"
            );
            let permission = format!("\"allow-{}\"", command.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "{permission} is not granted in capabilities/main-window.json"
            );
        }
    }
}
