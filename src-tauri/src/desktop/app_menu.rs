//! macOS's menu bar for the studio. The standard menu's Quit (⌘Q) ends the app without asking
//! anyone (the windowing library has no `applicationShouldTerminate`), so the app menu here has a
//! Quit of its own, with the same key, that asks first while live, as the tray's Quit and closing
//! the window do. The Edit menu keeps ⌘C, ⌘V and the rest working in the window's text fields.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Wry};

use crate::settings::preferences::Language;

const QUIT: &str = "app-quit";

struct Words {
    quit: &'static str,
    edit: &'static str,
    window: &'static str,
}

fn words(language: Language) -> Words {
    match language {
        Language::En => Words {
            quit: "Quit",
            edit: "Edit",
            window: "Window",
        },
        Language::Es => Words {
            quit: "Salir de",
            edit: "Edición",
            window: "Ventana",
        },
    }
}

/// Sets the menu bar; `quit` is what its Quit does (ask while live, else quit).
pub fn install(app: &AppHandle, language: Language, quit: fn(&AppHandle)) -> tauri::Result<()> {
    let name = app.package_info().name.clone();
    let words = words(language);
    let quit_item = MenuItem::with_id(
        app,
        QUIT,
        format!("{} {name}", words.quit),
        true,
        Some("CmdOrCtrl+Q"),
    )?;
    let app_menu = Submenu::with_items(
        app,
        &name,
        true,
        &[
            &PredefinedMenuItem::about(app, None, None)?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::hide(app, None)?,
            &PredefinedMenuItem::hide_others(app, None)?,
            &PredefinedMenuItem::show_all(app, None)?,
            &PredefinedMenuItem::separator(app)?,
            &quit_item,
        ],
    )?;
    let edit = Submenu::with_items(
        app,
        words.edit,
        true,
        &[
            &PredefinedMenuItem::undo(app, None)?,
            &PredefinedMenuItem::redo(app, None)?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::cut(app, None)?,
            &PredefinedMenuItem::copy(app, None)?,
            &PredefinedMenuItem::paste(app, None)?,
            &PredefinedMenuItem::select_all(app, None)?,
        ],
    )?;
    let window = Submenu::with_items(
        app,
        words.window,
        true,
        &[
            &PredefinedMenuItem::minimize(app, None)?,
            &PredefinedMenuItem::maximize(app, None)?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::close_window(app, None)?,
        ],
    )?;
    let menu: Menu<Wry> = Menu::with_items(app, &[&app_menu, &edit, &window])?;
    app.set_menu(menu)?;
    app.on_menu_event(move |app, event| {
        if event.id() == QUIT {
            quit(app);
        }
    });
    Ok(())
}
