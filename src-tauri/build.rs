// Declaring the app's commands makes Tauri generate an `allow-<command>` permission for each and
// deny any command a capability does not grant (least privilege for the webview).
const COMMANDS: &[&str] = &[
    "obs_view",
    "save_obs_settings",
    "obs_setup_preview",
    "obs_setup_apply",
    "obs_start_and_go_live",
    "overlay_view",
    "save_overlay_settings",
    "overlay_address",
    "rotate_overlay_address",
    "hide_from_overlay",
    "moderate_chat",
    "service_status",
    "platforms",
    "recent_deep_links",
    "studio_snapshot",
    "connect_platform",
    "disconnect_platform",
    "cancel_browser_wait",
    "reopen_browser_page",
    "arm_destinations",
    "go_live",
    "stop_live",
    "retry_destination",
    "retry_chat",
    "open_watch_page",
    "sign_in",
    "sign_out",
    "resolve_close",
    "secret_storage",
    "settings_view",
    "check_settings",
    "save_settings",
    "chat_feed",
    "send_chat",
    "edit_banners",
    "fetch_image",
    "open_html_banner",
    "brand",
    "diagnostics",
    "preferences",
    "save_preferences",
    "toggle_compact",
];

fn main() {
    embed_brand();
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}

/// Checks the brand this build carries and leaves it for `src/brand.rs` to embed: the file
/// `RESTREAM_BRAND` names (as `npm run brand` writes it), else the default brand. An invalid
/// brand stops the build with the field at fault.
fn embed_brand() {
    use std::path::PathBuf;
    println!("cargo:rerun-if-env-changed=RESTREAM_BRAND");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let path = std::env::var_os("RESTREAM_BRAND")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("..").join(restream_brand::DEFAULT_BRAND));
    println!("cargo:rerun-if-changed={}", path.display());
    let brand = restream_brand::Brand::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("brand.json");
    let text = serde_json::to_string(&brand).expect("a brand is plain JSON");
    std::fs::write(&out, text).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
