//! `restream-brand`: checks a brand file and makes what a branded build needs.
//!
//! ```sh
//! restream-brand check <brand.json>
//! restream-brand overlay <brand.json> <out-root>   # prints the output folder, then the icon
//! restream-brand schema                            # the brand file's JSON Schema
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use restream_brand::{Brand, tauri_overlay};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result: Result<(), Box<dyn std::error::Error>> =
        match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["check", file] => Brand::load(Path::new(file))
                .map(|brand| eprintln!("{file}: a valid brand for {}", brand.product_name))
                .map_err(Into::into),
            ["overlay", file, out_root] => overlay(Path::new(file), Path::new(out_root)),
            ["schema"] => {
                print!("{}", restream_brand::schema_json());
                Ok(())
            }
            _ => {
                eprintln!(
                    "usage: restream-brand check <brand.json> | overlay <brand.json> <out-root> | schema"
                );
                return ExitCode::from(2);
            }
        };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the brand file is not usable: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes `<out-root>/<binaryName>/tauri.brand.json` (the overlay) and `brand.json` (the brand
/// the app's build embeds, its icon made absolute), and prints that folder and the icon's path.
fn overlay(file: &Path, out_root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut brand = Brand::load(file)?;
    let icon = std::path::absolute(brand.icon_path(file))?;
    let out: PathBuf = std::path::absolute(out_root.join(&brand.binary_name))?;
    std::fs::create_dir_all(&out)?;
    let overlay = tauri_overlay(&brand, &out.join("icons"));
    std::fs::write(
        out.join("tauri.brand.json"),
        serde_json::to_string_pretty(&overlay)? + "\n",
    )?;
    brand.icon = icon.display().to_string();
    brand.schema = None;
    std::fs::write(
        out.join("brand.json"),
        serde_json::to_string_pretty(&brand)? + "\n",
    )?;
    println!("{}", out.display());
    println!("{}", icon.display());
    Ok(())
}
