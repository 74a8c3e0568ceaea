//! An operator's brand file: one JSON file that names the product and sets its defaults.
//!
//! The types here are the single source of the brand file's shape: the JSON Schema editors
//! validate against (`brands/brand.schema.json`) is generated from them, the app's build embeds
//! a checked brand, and `npm run brand` turns one into the Tauri config overlay that
//! `tauri build --config` takes. Every refusal names the field and says what would be accepted.

mod checks;
mod model;
mod overlay;
mod read;

pub use model::*;
pub use overlay::{ICON_FILES, tauri_overlay};
pub use read::schema_json;

#[cfg(test)]
mod tests;
