// Declaring the app's commands makes Tauri generate an `allow-<command>` permission for each and
// deny any command a capability does not grant (least privilege for the webview).
const COMMANDS: &[&str] = &[
    "service_status",
    "platforms",
    "recent_deep_links",
    "studio_snapshot",
    "connect_platform",
    "disconnect_platform",
    "arm_destinations",
    "go_live",
    "stop_live",
    "retry_destination",
    "open_watch_page",
    "sign_in",
    "sign_out",
    "resolve_close",
    "secret_storage",
    "settings_view",
    "check_settings",
    "save_settings",
    "next_comments",
    "send_chat",
    "edit_banners",
    "fetch_image",
    "open_html_banner",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
