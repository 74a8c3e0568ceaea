//! How the streamer likes the window: theme, language, always-on-top, which notifications to
//! show and whether the global shortcuts are on. Kept in `preferences.json` in the app's config
//! folder, apart from the service settings: changing a preference never restarts the studio.
//! `PreferencesState` is their one owner; the window reads and saves them through commands.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

const PREFERENCES_FILE: &str = "preferences.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ThemeChoice {
    /// Follow the desktop's light or dark setting.
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum LanguageChoice {
    /// Follow the desktop's language (English where it is one the studio does not speak).
    #[default]
    System,
    En,
    Es,
}

/// A language the studio speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Language {
    En,
    Es,
}

impl Language {
    /// The language of a POSIX or BCP 47 locale name (`es_MX.UTF-8`, `es-419`), if the studio
    /// speaks it.
    pub fn of_locale(locale: &str) -> Option<Language> {
        let primary = locale
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::En),
            "es" => Some(Language::Es),
            _ => None,
        }
    }
}

/// The desktop's language, read as gettext does: `LANGUAGE` (a list), then `LC_ALL`,
/// `LC_MESSAGES` and `LANG`; the first the studio speaks wins, else English.
pub fn system_language(var: impl Fn(&str) -> Option<String>) -> Language {
    let mut candidates = Vec::new();
    if let Some(list) = var("LANGUAGE") {
        candidates.extend(list.split(':').map(str::to_owned));
    }
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(value) = var(name).filter(|v| !v.is_empty()) {
            candidates.push(value);
            // The first of these that is set is the locale; the later ones are overridden.
            break;
        }
    }
    first_spoken(candidates)
}

/// The first of `locales` (the OS's preferred languages, most preferred first, as POSIX or BCP 47
/// names) that the studio speaks, else English.
pub fn first_spoken<L: AsRef<str>>(locales: impl IntoIterator<Item = L>) -> Language {
    locales
        .into_iter()
        .find_map(|locale| Language::of_locale(locale.as_ref()))
        .unwrap_or(Language::En)
}

/// Which desktop notifications the streamer wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NotificationChoices {
    /// A destination failed while live.
    pub destination_failed: bool,
    /// The stream ended, or another session superseded it.
    pub job_ended: bool,
    /// The studio needs the streamer to sign in again.
    pub sign_in_required: bool,
}

impl Default for NotificationChoices {
    fn default() -> Self {
        NotificationChoices {
            destination_failed: true,
            job_ended: true,
            sign_in_required: true,
        }
    }
}

/// Every field is required on the bridge; a file from an older version is completed with the
/// defaults as it is read (`read`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Preferences {
    pub theme: ThemeChoice,
    pub language: LanguageChoice,
    /// Keep the window above others (beside OBS, say).
    pub always_on_top: bool,
    pub notifications: NotificationChoices,
    /// Go live and stop from anywhere on the desktop: off unless the streamer turns them on, as
    /// they take keys from every other app.
    pub global_shortcuts: bool,
}

impl Preferences {
    /// The language the studio speaks with these preferences, `system` being the desktop's.
    pub fn language(&self, system: Language) -> Language {
        match self.language {
            LanguageChoice::System => system,
            LanguageChoice::En => Language::En,
            LanguageChoice::Es => Language::Es,
        }
    }
}

/// The preferences in force, and where they are saved.
pub struct PreferencesState {
    dir: Option<PathBuf>,
    current: Mutex<Preferences>,
}

impl PreferencesState {
    /// Reads `preferences.json` from `dir` (defaults when it is missing or unreadable: a bad file
    /// costs the streamer their preferences, never the app).
    pub fn load(dir: Option<PathBuf>) -> PreferencesState {
        let current = dir.as_deref().map(read).unwrap_or_default();
        PreferencesState {
            dir,
            current: Mutex::new(current),
        }
    }

    pub fn get(&self) -> Preferences {
        *self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Saves `preferences` whole, then makes them the ones in force.
    pub fn save(&self, preferences: Preferences) -> Result<(), String> {
        let dir = self.dir.as_deref().ok_or("the app has no settings folder")?;
        let text = serde_json::to_string_pretty(&preferences).map_err(|e| e.to_string())?;
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        crate::config_file::write_atomically(dir, PREFERENCES_FILE, &text)?;
        *current = preferences;
        Ok(())
    }
}

fn read(dir: &Path) -> Preferences {
    let Ok(text) = std::fs::read_to_string(dir.join(PREFERENCES_FILE)) else {
        return Preferences::default();
    };
    parse(&text).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "preferences.json is unreadable; using defaults");
        Preferences::default()
    })
}

/// Reads `preferences.json`'s text over the defaults, so a file from an older version keeps what
/// it has. The file is anyone's to edit, so this is the parser the fuzz targets drive.
pub fn parse(text: &str) -> Result<Preferences, serde_json::Error> {
    serde_json::from_str(text).and_then(|stored| {
        let mut merged = serde_json::to_value(Preferences::default())?;
        crate::config_file::overlay(&mut merged, stored);
        serde_json::from_value(merged)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_language_follows_the_locale_as_gettext_reads_it() {
        assert_eq!(system_language(env(&[])), Language::En);
        assert_eq!(system_language(env(&[("LANG", "es_MX.UTF-8")])), Language::Es);
        assert_eq!(
            system_language(env(&[("LANG", "es_ES.UTF-8"), ("LC_ALL", "en_GB.UTF-8")])),
            Language::En,
            "LC_ALL overrides LANG"
        );
        assert_eq!(
            system_language(env(&[("LANGUAGE", "fr:es"), ("LANG", "fr_FR.UTF-8")])),
            Language::Es,
            "the first language of the list the studio speaks"
        );
        assert_eq!(system_language(env(&[("LANG", "de_DE.UTF-8")])), Language::En);
        assert_eq!(Language::of_locale("es-419"), Some(Language::Es));
        // As Windows and macOS list them: BCP 47, most preferred first.
        assert_eq!(first_spoken(["de-DE", "es-MX", "en-US"]), Language::Es);
        assert_eq!(first_spoken(["en-GB", "es-ES"]), Language::En);
        assert_eq!(first_spoken(["ja-JP"]), Language::En);
        assert_eq!(first_spoken(Vec::<String>::new()), Language::En);
        assert_eq!(Language::of_locale("C"), None);
    }

    #[test]
    fn preferences_survive_a_restart_and_a_bad_file_costs_only_them() {
        let dir = tempfile::tempdir().unwrap();
        let state = PreferencesState::load(Some(dir.path().to_owned()));
        assert_eq!(state.get(), Preferences::default());
        let chosen = Preferences {
            theme: ThemeChoice::Dark,
            language: LanguageChoice::Es,
            always_on_top: true,
            notifications: NotificationChoices {
                job_ended: false,
                ..NotificationChoices::default()
            },
            global_shortcuts: true,
        };
        state.save(chosen).unwrap();
        assert_eq!(state.get(), chosen);
        assert_eq!(PreferencesState::load(Some(dir.path().to_owned())).get(), chosen);

        std::fs::write(dir.path().join(PREFERENCES_FILE), "{ not json").unwrap();
        assert_eq!(
            PreferencesState::load(Some(dir.path().to_owned())).get(),
            Preferences::default()
        );
    }

    #[test]
    fn a_file_from_an_older_version_keeps_what_it_has() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(PREFERENCES_FILE),
            r#"{"theme":"light","notifications":{"jobEnded":false}}"#,
        )
        .unwrap();
        let loaded = PreferencesState::load(Some(dir.path().to_owned())).get();
        assert_eq!(loaded.theme, ThemeChoice::Light);
        assert_eq!(
            loaded.notifications,
            NotificationChoices {
                job_ended: false,
                ..NotificationChoices::default()
            }
        );
        assert!(!loaded.global_shortcuts);
    }

    #[test]
    fn parsing_completes_a_partial_file_and_refuses_what_is_not_preferences() {
        let parsed = parse(r#"{"alwaysOnTop":true,"notifications":{"signInRequired":false}}"#).unwrap();
        assert!(parsed.always_on_top);
        assert_eq!(parsed.theme, ThemeChoice::System);
        assert!(parsed.notifications.job_ended);
        assert!(!parsed.notifications.sign_in_required);
        assert_eq!(parse("{}").unwrap(), Preferences::default());
        assert!(parse(r#"{"theme":"sepia"}"#).is_err());
        assert!(parse("[]").is_err());
        assert!(parse("{ not json").is_err());
    }

    #[test]
    fn without_a_settings_folder_saving_says_so() {
        let state = PreferencesState::load(None);
        assert!(state.save(Preferences::default()).is_err());
    }
}
