//! Go live and stop from anywhere on the desktop (off unless the streamer turns them on in the
//! preferences). A key press only asks the window: it shows itself and does what its own
//! shortcut does, so going live uses the form as the streamer filled it and stopping still asks
//! for a confirmation.

use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_global_shortcut::{Code, GlobalShortcutExt, Modifiers, Shortcut, ShortcutState};
use tauri_specta::Event;

use crate::events::{StudioAction, StudioActionRequested};

/// The keys, as the help overlay shows them. Function keys: letters with Ctrl+Shift are taken by
/// OBS, browsers and terminals.
pub const GO_LIVE_KEYS: &str = "Ctrl+Shift+F9";
pub const STOP_KEYS: &str = "Ctrl+Shift+F10";

fn bindings() -> [(Shortcut, StudioAction); 2] {
    let mods = Some(Modifiers::CONTROL | Modifiers::SHIFT);
    [
        (Shortcut::new(mods, Code::F9), StudioAction::GoLive),
        (Shortcut::new(mods, Code::F10), StudioAction::Stop),
    ]
}

/// The plugin, with the handler every global shortcut goes through. Registered when the
/// streamer first turns the shortcuts on, not at every start: it opens its own connection to the
/// display and a thread to listen on it, which most streamers never use.
fn plugin() -> tauri::plugin::TauriPlugin<Wry> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, shortcut, event| {
            if event.state != ShortcutState::Pressed {
                return;
            }
            let Some((_, action)) = bindings().into_iter().find(|(bound, _)| bound == shortcut) else {
                return;
            };
            tracing::info!(?action, "global shortcut");
            crate::desktop::window::show_main(app);
            if let Err(e) = StudioActionRequested(action).emit(app) {
                tracing::warn!(error = %e, "could not pass a global shortcut to the window");
            }
        })
        .build()
}

/// Registers the shortcuts (`on`) or releases them. Returns the keys another app holds.
pub fn apply(app: &AppHandle, on: bool) -> Vec<String> {
    let loaded = app
        .try_state::<tauri_plugin_global_shortcut::GlobalShortcut<Wry>>()
        .is_some();
    if !loaded {
        if !on {
            // Never turned on since the start: nothing is registered.
            return Vec::new();
        }
        if let Err(e) = app.plugin(plugin()) {
            tracing::warn!(error = %e, "global shortcuts unavailable");
            return vec![GO_LIVE_KEYS.to_owned(), STOP_KEYS.to_owned()];
        }
    }
    let shortcuts = app.global_shortcut();
    let mut taken = Vec::new();
    for ((shortcut, _), keys) in bindings().into_iter().zip([GO_LIVE_KEYS, STOP_KEYS]) {
        let registered = shortcuts.is_registered(shortcut);
        let outcome = match (on, registered) {
            (true, false) => shortcuts.register(shortcut),
            (false, true) => shortcuts.unregister(shortcut),
            _ => Ok(()),
        };
        if let Err(e) = outcome {
            tracing::warn!(error = %e, keys, "global shortcut not changed");
            taken.push(keys.to_owned());
        }
    }
    taken
}
