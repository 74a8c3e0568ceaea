//! What this build is, in one line: for `--version`, the log's first line and the diagnostics.

/// The brand's product name and this build's version.
pub fn version_line() -> String {
    format!(
        "{} {}",
        crate::settings::brand::brand().product_name,
        env!("CARGO_PKG_VERSION")
    )
}
