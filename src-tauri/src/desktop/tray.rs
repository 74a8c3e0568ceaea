//! The studio on the desktop outside its window: the tray icon (status line, Go live, Stop,
//! Show, Quit) and desktop notifications. Both follow the studio's events through `LiveWatch`;
//! `DesktopState` owns the tray's handles and the notification rate limit.

use std::sync::Mutex;
use std::time::Instant;

use restream_client::{Studio, StudioEvent};
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;

use crate::desktop::live_watch::LiveWatch;
use crate::desktop::notices::{Notice, RateLimit};
use crate::events::{StudioAction, StudioActionRequested};
use crate::settings::preferences::{Language, PreferencesState};

/// The tray's icon and the menu items whose text or state changes.
struct Tray {
    icon: TrayIcon,
    status: MenuItem<Wry>,
    go_live: MenuItem<Wry>,
    stop: MenuItem<Wry>,
    obs: MenuItem<Wry>,
    obs_go_live: CheckMenuItem<Wry>,
    obs_stop: CheckMenuItem<Wry>,
    show: MenuItem<Wry>,
    quit: MenuItem<Wry>,
    /// What the tray shows now: the studio's events come every few seconds while live, and
    /// each change to the menu is a D-Bus signal to the desktop's panel, so unchanged is skipped.
    shown: Option<TrayText>,
}

/// Everything the tray shows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TrayText {
    status: String,
    go_live: String,
    go_live_enabled: bool,
    stop: &'static str,
    stop_enabled: bool,
    obs: String,
    obs_switches: (&'static str, &'static str),
    obs_checked: (bool, bool),
    show: &'static str,
    quit: &'static str,
}

/// Turns one of the OBS switches over (`true`: go live with OBS; `false`: stop with it).
pub type ObsSwitchFlip = fn(&AppHandle, bool);

#[derive(Default)]
pub struct DesktopState {
    tray: Mutex<Option<Tray>>,
    /// What the tray shows of OBS, as its owner last said.
    obs: Mutex<Option<crate::obs::view::ObsView>>,
    /// How the tray's OBS switches change the saved settings (given by the wiring, so the tray
    /// needs no path to the OBS link's owner).
    obs_switch: Mutex<Option<ObsSwitchFlip>>,
    watch: Mutex<LiveWatch>,
    limit: Mutex<RateLimit>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The libraries the tray is drawn with on Linux, loaded at run time by the tray crate, which
/// panics when none is there. A desktop without them gets no tray, not a crash.
#[cfg(target_os = "linux")]
const INDICATOR_LIBRARIES: &[&str] = &[
    "libayatana-appindicator3.so.1",
    "libappindicator3.so.1",
    "libayatana-appindicator3.so",
    "libappindicator3.so",
];

/// Whether one of `names` loads.
#[cfg(target_os = "linux")]
fn any_library_loads(names: &[&str]) -> bool {
    names.iter().any(|name| {
        // SAFETY: these are the same system libraries the tray crate itself loads next; loading
        // one runs only its own initializers.
        unsafe { libloading::Library::new(name) }.is_ok()
    })
}

fn language(app: &AppHandle) -> Language {
    crate::settings::os_language::chosen(app)
}

/// Builds the tray, unless this desktop cannot show one; its OBS switches call `obs_switch`.
pub fn install(app: &AppHandle, obs_switch: ObsSwitchFlip) {
    *lock(&app.state::<DesktopState>().obs_switch) = Some(obs_switch);
    #[cfg(target_os = "linux")]
    if !any_library_loads(INDICATOR_LIBRARIES) {
        tracing::warn!("no appindicator library: starting without a tray icon");
        return;
    }
    match build_tray(app) {
        Ok(tray) => {
            *lock(&app.state::<DesktopState>().tray) = Some(tray);
            refresh(app);
        }
        Err(e) => tracing::warn!(error = %e, "starting without a tray icon"),
    }
}

fn build_tray(app: &AppHandle) -> tauri::Result<Tray> {
    let status = MenuItem::with_id(app, "status", "", false, None::<&str>)?;
    let go_live = MenuItem::with_id(app, "go-live", "", false, None::<&str>)?;
    let stop = MenuItem::with_id(app, "stop", "", false, None::<&str>)?;
    let obs = MenuItem::with_id(app, "obs", "", false, None::<&str>)?;
    let obs_go_live = CheckMenuItem::with_id(app, "obs-go-live", "", true, false, None::<&str>)?;
    let obs_stop = CheckMenuItem::with_id(app, "obs-stop", "", true, false, None::<&str>)?;
    let show = MenuItem::with_id(app, "show", "", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &status,
            &PredefinedMenuItem::separator(app)?,
            &go_live,
            &stop,
            &PredefinedMenuItem::separator(app)?,
            &obs,
            &obs_go_live,
            &obs_stop,
            &PredefinedMenuItem::separator(app)?,
            &show,
            &quit,
        ],
    )?;
    let mut builder = TrayIconBuilder::with_id("studio")
        .menu(&menu)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()));
    if let Some(icon) = app.default_window_icon() {
        builder = with_icon(builder, icon);
    }
    let icon = builder.build(app)?;
    Ok(Tray {
        icon,
        status,
        go_live,
        stop,
        obs,
        obs_go_live,
        obs_stop,
        show,
        quit,
        shown: None,
    })
}

/// The tray menu's choices: the window carries out Go live and Stop as its own shortcuts do (the
/// form's values; a confirmation before stopping).
fn on_menu(app: &AppHandle, id: &str) {
    let ask = |action| {
        crate::desktop::window::show_main(app);
        if let Err(e) = StudioActionRequested(action).emit(app) {
            tracing::warn!(error = %e, "could not pass the tray's choice to the window");
        }
    };
    match id {
        "go-live" => ask(StudioAction::GoLive),
        "stop" => ask(StudioAction::Stop),
        "obs-go-live" | "obs-stop" => {
            let flip = *lock(&app.state::<DesktopState>().obs_switch);
            if let Some(flip) = flip {
                flip(app, id == "obs-go-live");
            }
        }
        "show" => crate::desktop::window::show_main(app),
        "quit" if lock(&app.state::<DesktopState>().watch).live() => {
            crate::desktop::window::ask_about_quitting(app);
        }
        "quit" => app.exit(0),
        _ => {}
    }
}

#[cfg(not(target_os = "macos"))]
fn with_icon<R: tauri::Runtime>(
    builder: TrayIconBuilder<R>,
    icon: &tauri::image::Image<'_>,
) -> TrayIconBuilder<R> {
    builder.icon(icon.clone())
}

/// macOS draws a template image in the menu bar's own colours; the brand's icon is used as it is
/// when it has no light glyph to make one from.
#[cfg(target_os = "macos")]
fn with_icon<R: tauri::Runtime>(
    builder: TrayIconBuilder<R>,
    icon: &tauri::image::Image<'_>,
) -> TrayIconBuilder<R> {
    match crate::desktop::tray_template::template_of(icon.rgba()) {
        Some(template) => builder
            .icon(tauri::image::Image::new_owned(
                template,
                icon.width(),
                icon.height(),
            ))
            .icon_as_template(true),
        None => builder.icon(icon.clone()),
    }
}

/// Makes the tray show the current status, in the current language.
pub fn refresh(app: &AppHandle) {
    let state = app.state::<DesktopState>();
    let (status, live, destinations) = {
        let watch = lock(&state.watch);
        (watch.status(), watch.live(), watch.destinations())
    };
    // Until the OBS link's owner has spoken, the link is as the defaults have it: off.
    let obs = lock(&state.obs).clone().unwrap_or_else(|| {
        crate::obs::view::ObsView::new(restream_settings::obs_link::ObsLinkSettings::default(), false)
    });
    let mut tray = lock(&state.tray);
    let Some(tray) = tray.as_mut() else {
        return;
    };
    let language = language(app);
    let words = crate::desktop::words::menu(language, &destinations);
    let text = TrayText {
        status: crate::desktop::words::tray_status(language, &status),
        go_live: words.go_live,
        go_live_enabled: !live && !destinations.is_empty(),
        stop: words.stop,
        stop_enabled: live,
        obs: crate::desktop::obs_words::tray_line(language, &obs),
        obs_switches: crate::desktop::obs_words::switches(language),
        obs_checked: (
            obs.settings.go_live_when_obs_starts,
            obs.settings.stop_when_obs_stops,
        ),
        show: words.show,
        quit: words.quit,
    };
    if tray.shown.as_ref() == Some(&text) {
        return;
    }
    let product = &crate::settings::brand::brand().product_name;
    let outcome = (|| {
        tray.icon
            .set_tooltip(Some(format!("{product}: {}", text.status)))?;
        // Linux trays show no tooltip; the label beside the icon carries the status there. On
        // macOS a title would sit in the menu bar for good, beside every other app's icon.
        #[cfg(target_os = "linux")]
        tray.icon.set_title(Some(&text.status))?;
        tray.status.set_text(&text.status)?;
        tray.go_live.set_text(&text.go_live)?;
        tray.go_live.set_enabled(text.go_live_enabled)?;
        tray.stop.set_text(text.stop)?;
        tray.stop.set_enabled(text.stop_enabled)?;
        tray.obs.set_text(&text.obs)?;
        tray.obs_go_live.set_text(text.obs_switches.0)?;
        tray.obs_go_live.set_checked(text.obs_checked.0)?;
        tray.obs_stop.set_text(text.obs_switches.1)?;
        tray.obs_stop.set_checked(text.obs_checked.1)?;
        tray.show.set_text(text.show)?;
        tray.quit.set_text(text.quit)
    })();
    match outcome {
        Ok(()) => tray.shown = Some(text),
        Err(e) => tracing::warn!(error = %e, "could not update the tray"),
    }
}

/// Follows `studio` (a new one after each change of service) for the tray and notifications.
pub fn follow(app: &AppHandle, studio: &Studio) {
    *lock(&app.state::<DesktopState>().watch) = LiveWatch::new(studio.snapshot());
    refresh(app);
    let mut events = studio.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => take(&app, &event),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    });
}

fn take(app: &AppHandle, event: &StudioEvent) {
    if matches!(
        event,
        StudioEvent::Comments { .. }
            | StudioEvent::Comment(_)
            | StudioEvent::Skipped { .. }
            | StudioEvent::Viewers(_)
    ) {
        return; // chat and counts change nothing here, and arrive by the hundred
    }
    let state = app.state::<DesktopState>();
    let notices = lock(&state.watch).apply(event);
    refresh(app);
    for notice in notices {
        notify(app, &notice);
    }
}

fn notify(app: &AppHandle, notice: &Notice) {
    let choices = app.state::<PreferencesState>().get().notifications;
    if !notice.wanted(&choices) {
        return;
    }
    if !lock(&app.state::<DesktopState>().limit).allow(notice, Instant::now()) {
        tracing::info!(?notice, "notification held back (shown lately)");
        return;
    }
    let (title, body) = crate::desktop::words::notice(language(app), notice);
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(error = %e, "could not show a notification");
    }
}

/// Shows `view` (the OBS link's owner calls this on every change).
pub fn show_obs(app: &AppHandle, view: &crate::obs::view::ObsView) {
    *lock(&app.state::<DesktopState>().obs) = Some(view.clone());
    refresh(app);
}

/// A notification for what the studio did (or saw) because of OBS.
pub fn notify_obs(app: &AppHandle, news: &crate::obs::view::ObsNews) {
    let Some((title, body)) = crate::desktop::obs_words::notice(language(app), news) else {
        return;
    };
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(error = %e, "could not show a notification");
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_missing_indicator_library_is_found_missing_not_fatal() {
        assert!(!any_library_loads(&["libno-such-indicator.so.1"]));
    }
}
