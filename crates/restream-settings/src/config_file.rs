//! Files in the app's config folder, written whole: to a temporary file first, then renamed over
//! the old one, so a crash or a full disk never leaves half a file to be read at the next start;
//! and read over their defaults, so a file from an older version keeps what it has.

use std::path::Path;

/// Writes `text` as `dir/name`, creating `dir` if needed.
pub fn write_atomically(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| format!("writing {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(name)).map_err(|e| format!("saving {name}: {e}"))
}

/// Writes what `stored` has over `base`, object by object, so fields a newer version added keep
/// their defaults.
pub fn overlay(base: &mut serde_json::Value, stored: serde_json::Value) {
    match (base, stored) {
        (serde_json::Value::Object(base), serde_json::Value::Object(stored)) => {
            for (key, value) in stored {
                match base.get_mut(&key) {
                    Some(slot) => overlay(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}
