//! The desktop's language. A Linux desktop app is given its locale in its environment and reads it
//! as gettext does (`LANGUAGE`'s list first). Windows and macOS give a GUI app no `LANG`: there
//! the OS's list of preferred languages is asked for (sys-locale: `GetUserPreferredUILanguages`,
//! `NSLocale.preferredLanguages`).

use restream_settings::preferences::{Language, PreferencesState};
use tauri::{AppHandle, Manager};

/// The first of the desktop's languages the studio speaks, else English.
pub fn system_language() -> Language {
    #[cfg(target_os = "linux")]
    {
        restream_settings::preferences::system_language(|name| std::env::var(name).ok())
    }
    #[cfg(not(target_os = "linux"))]
    {
        restream_settings::preferences::first_spoken(sys_locale::get_locales())
    }
}

/// The language the studio speaks now: the streamer's choice, or the desktop's.
pub fn chosen(app: &AppHandle) -> Language {
    app.state::<PreferencesState>().get().language(system_language())
}
