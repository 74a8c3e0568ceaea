//! The Tauri config overlay a brand makes, for `tauri build --config`.

use std::path::Path;

use serde_json::{Value, json};

use crate::model::Brand;

/// The icons `tauri icon` makes that the bundles use, in the order Tauri expects them.
pub const ICON_FILES: [&str; 5] = [
    "32x32.png",
    "128x128.png",
    "128x128@2x.png",
    "icon.icns",
    "icon.ico",
];

/// What the brand changes in `src-tauri/tauri.conf.json`; `icons_dir` holds the icons made from
/// the brand's source image. Tauri merges this over the base config (objects merge, arrays are
/// replaced).
pub fn tauri_overlay(brand: &Brand, icons_dir: &Path) -> Value {
    let icons: Vec<String> = ICON_FILES
        .iter()
        .map(|file| icons_dir.join(file).display().to_string())
        .collect();
    json!({
        "productName": brand.product_name,
        "mainBinaryName": brand.binary_name,
        "identifier": brand.identifier,
        "bundle": { "icon": icons, "publisher": brand.product_name },
        "plugins": {
            "deep-link": { "desktop": { "schemes": [brand.deep_link_scheme] } }
        }
    })
}
