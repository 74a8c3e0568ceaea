//! Reading a brand file: parsed field by field (a refusal names the field), then checked as a
//! whole, icon included; and the JSON Schema editors validate against.

use std::path::Path;

use crate::checks;
use crate::model::{Brand, BrandError};

impl Brand {
    /// Parses and checks a brand file's text; `icon` is not looked at (see [`Brand::load`]).
    pub fn parse(text: &str) -> Result<Brand, BrandError> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let brand: Brand = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            // An unknown key named `""` at the top has an empty path; the refusal still names a
            // place.
            let field = if path == "." || path.is_empty() {
                "the brand file"
            } else {
                &path
            };
            BrandError::new(field, e.inner().to_string())
        })?;
        checks::check(&brand)?;
        Ok(brand)
    }

    /// Reads, parses and checks the brand file at `path`, icon included.
    pub fn load(path: &Path) -> Result<Brand, BrandError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| BrandError::new(&file, format!("cannot be read: {e}")))?;
        let brand = Brand::parse(&text)?;
        checks::check_icon(&brand.icon_path(path))?;
        Ok(brand)
    }
}

/// The JSON Schema of the brand file, as committed in `brands/brand.schema.json`.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Brand);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    text.push('\n');
    text
}
