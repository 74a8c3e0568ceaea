//! A settings file of its own (`obs.json`, `overlay.json`): read over the defaults, so a file from
//! an older version keeps what it has and gains what is new; checked before it is saved and as it
//! is read, so a hand-edited file that breaks the rules counts as unreadable; written atomically.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Settings kept in a file of their own.
pub trait SavedSettings: Default + Clone + Serialize + DeserializeOwned {
    /// The file's name in the app's config folder.
    const FILE: &'static str;

    /// Whether these can be saved; otherwise which field is wrong and how to fix it.
    fn check(&self) -> Result<(), String>;
}

/// The settings in force, and where they are saved. Their one owner.
pub struct Saved<T> {
    dir: Option<PathBuf>,
    current: Mutex<T>,
}

impl<T: SavedSettings> Saved<T> {
    /// Reads the file from `dir` (defaults when missing or unreadable: a bad file costs the
    /// streamer these settings, never the app).
    pub fn load(dir: Option<PathBuf>) -> Saved<T> {
        let current = dir.as_deref().map(read).unwrap_or_default();
        Saved {
            dir,
            current: Mutex::new(current),
        }
    }

    pub fn get(&self) -> T {
        self.current.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Checks and saves `settings` whole, then makes them the ones in force.
    pub fn save(&self, settings: T) -> Result<(), String> {
        settings.check()?;
        let dir = self.dir.as_deref().ok_or("the app has no settings folder")?;
        let text = serde_json::to_string_pretty(&settings).map_err(|e| e.to_string())?;
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        crate::config_file::write_atomically(dir, T::FILE, &text)?;
        *current = settings;
        Ok(())
    }
}

fn read<T: SavedSettings>(dir: &Path) -> T {
    let Ok(text) = std::fs::read_to_string(dir.join(T::FILE)) else {
        return T::default();
    };
    match parse(&text) {
        Ok(settings) => settings,
        Err(e) => {
            tracing::warn!(file = T::FILE, error = %e, "unreadable settings file; using defaults");
            T::default()
        }
    }
}

/// Reads a settings file's text over the defaults; settings that fail their check count as
/// unreadable.
pub fn parse<T: SavedSettings>(text: &str) -> Result<T, String> {
    let stored: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut merged = serde_json::to_value(T::default()).map_err(|e| e.to_string())?;
    crate::config_file::overlay(&mut merged, stored);
    let settings: T = serde_json::from_value(merged).map_err(|e| e.to_string())?;
    settings.check()?;
    Ok(settings)
}
