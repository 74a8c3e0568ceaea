//! The companion window end to end: the compact and wide layouts, the window's place kept across
//! runs, shortcuts (a global one pressed at the X server), the tray read over D-Bus, desktop
//! notifications recorded by a real daemon, the language switch, and axe-core's accessibility
//! checks in both themes.

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::json;

use crate::support::{
    AppSession, SINGLE_INSTANCE_NAME, Service, admin, app_binary, current_job, eventually, fail_destination,
    go_live, go_live_with, job_status, link_platforms as link,
};

const TITLE: &str = "Restream Studio";

/// A sandbox, and the app pointed at it with the stand-in browser and `extra_env`.
async fn launch_on_sandbox(
    name: &'static str,
    extra_env: &[(&str, &str)],
) -> anyhow::Result<(Service, AppSession)> {
    let service = Service::start().await?;
    let app = service
        .launch(name)
        .envs(extra_env.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .start()
        .await?;
    Ok((service, app))
}

/// Presses `keys` (WebDriver key codes and characters) in the element matching `css`.
async fn press_in(app: &AppSession, css: &str, keys: &str) -> anyhow::Result<()> {
    let element = app.client.find(Locator::Css(css)).await?;
    element.send_keys(keys).await?;
    Ok(())
}

fn ctrl_shift(letter: char) -> String {
    format!(
        "{}{}{letter}{}",
        char::from(Key::Control),
        char::from(Key::Shift),
        char::from(Key::Null)
    )
}

/// Waits until `preferences.json` holds `needle` (a choice saved by the window).
async fn saved_preference(app: &AppSession, needle: &str) -> anyhow::Result<()> {
    let file = app
        .desktop
        .home()
        .join("config/dev.restreamstudio.studio/preferences.json");
    eventually(&format!("preferences.json to hold {needle}"), || async {
        let saved = std::fs::read_to_string(&file).unwrap_or_default();
        Ok(saved.contains(needle).then_some(()))
    })
    .await
}

/// Picks `value` in the preferences' select `test_id`.
async fn choose(app: &AppSession, test_id: &str, value: &str) -> anyhow::Result<()> {
    app.client
        .find(Locator::Css(&format!("[data-testid={test_id}]")))
        .await?
        .select_by_value(value)
        .await?;
    Ok(())
}

/// An element's box in the page: (left, top, right, bottom).
async fn rect(app: &AppSession, css: &str) -> anyhow::Result<(f64, f64, f64, f64)> {
    let value = app
        .client
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return [r.left, r.top, r.right, r.bottom];",
            vec![json!(css)],
        )
        .await?;
    let n = |i: usize| value[i].as_f64().unwrap_or(f64::NAN);
    Ok((n(0), n(1), n(2), n(3)))
}

/// Whether the page fits its window's width (no sideways scrolling).
async fn fits_width(app: &AppSession) -> anyhow::Result<bool> {
    let value = app
        .client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await?;
    Ok(value.as_bool() == Some(true))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compact_beside_obs_wide_when_widened_and_the_place_is_kept() -> anyhow::Result<()> {
    let (service, app) = launch_on_sandbox("companion-layout", &[]).await?;
    let ready = service.ready().clone();
    let app = {
        app.check(async |app| {
            let (_, _, width, height) = app.desktop.window_rect(TITLE)?;
            anyhow::ensure!((width, height) == (380, 700), "first window {width}×{height}");
            // Every platform linked: the longest lines the compact window has to fit.
            link(app, &["twitch", "kick", "youtube", "facebook", "instagram"]).await?;
            anyhow::ensure!(fits_width(app).await?, "the compact form scrolls sideways");
            // Wide before going live, the go-live form stands beside the platforms, not under
            // them; then compact again.
            press_in(app, "[data-testid=session-id]", &ctrl_shift('d')).await?;
            eventually("the go-live form beside the platforms", || async {
                let platforms = rect(app, "[aria-labelledby=platforms-heading]").await?;
                let form = rect(app, "[aria-labelledby=go-live-heading]").await?;
                Ok((form.0 >= platforms.2 && form.1 < platforms.3).then_some(()))
            })
            .await?;
            press_in(app, "[data-testid=session-id]", &ctrl_shift('d')).await?;
            eventually("the window compact again", || async {
                let (_, _, width, _) = app.desktop.window_rect(TITLE)?;
                Ok((width == 380).then_some(()))
            })
            .await?;
            go_live(app, "sess_layout").await?;
            anyhow::ensure!(fits_width(app).await?, "the compact layout scrolls sideways");
            // Compact: one column, chat under the stream.
            let job = rect(app, "[aria-labelledby=job-heading]").await?;
            let chat = rect(app, "[data-testid=chat-list]").await?;
            anyhow::ensure!(
                chat.1 >= job.3,
                "compact: chat {chat:?} is not under the stream {job:?}"
            );

            // The compact toggle widens the window; the chat moves beside the stream.
            press_in(app, "[data-testid=chat-input]", &ctrl_shift('d')).await?;
            eventually("the window to widen", || async {
                let (_, _, width, _) = app.desktop.window_rect(TITLE)?;
                Ok((width >= 760).then_some(()))
            })
            .await?;
            eventually("the wide layout", || async {
                let job = rect(app, "[aria-labelledby=job-heading]").await?;
                let chat = rect(app, "[data-testid=chat-list]").await?;
                Ok((chat.0 >= job.2).then_some(()))
            })
            .await?;
            anyhow::ensure!(fits_width(app).await?, "the wide layout scrolls sideways");

            // Put somewhere by the streamer (the window manager's move), then kept.
            app.desktop.place_window(TITLE, 150, 100, 1000, 720)?;
            let state = app
                .desktop
                .home()
                .join("config/dev.restreamstudio.studio/.window-state.json");
            eventually("the window's place to be saved", || async {
                let text = std::fs::read_to_string(&state).unwrap_or_default();
                let saved: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                Ok((saved["main"]["x"] == 150 && saved["main"]["width"] == 1000).then_some(()))
            })
            .await?;
            Ok(())
        })
        .await?;
        app
    };
    // Ended as a crash would end it (the WebDriver session kills the app): the place was saved
    // while the window stood still, not at exit.
    let app = app.restart("companion-layout-restarted").await?;
    app.run(async |app| {
        eventually("the window where it was left", || async {
            Ok((app.desktop.window_rect(TITLE)? == (150, 100, 1000, 720)).then_some(()))
        })
        .await?;
        anyhow::ensure!(job_status(&ready).await? == "running", "the stream stopped");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shortcuts_go_live_stop_after_asking_and_a_global_one_works_from_anywhere() -> anyhow::Result<()> {
    let (service, app) = launch_on_sandbox("companion-shortcuts", &[]).await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        link(app, &["twitch"]).await?;
        app.type_into("[data-testid=session-id]", "sess_keys").await?;
        press_in(app, "[data-testid=session-id]", &ctrl_shift('l')).await?;
        app.wait_for_texts("[data-testid=job-status]", |t| t == ["Live"])
            .await?;

        // Focus the chat from anywhere in the window.
        press_in(app, "[data-testid=open-settings]", &ctrl_shift('m')).await?;
        let focused = app
            .client
            .execute("return document.activeElement?.dataset.testid ?? null;", vec![])
            .await?;
        anyhow::ensure!(focused == json!("chat-input"), "focus is on {focused}");

        // The help overlay lists the shortcuts; Escape closes it.
        press_in(app, "[data-testid=chat-input]", &char::from(Key::F1).to_string()).await?;
        app.wait_for_texts("[data-testid=help-overlay] kbd", |t| {
            t.iter().any(|k| k == "Ctrl+Shift+L") && t.iter().any(|k| k == "Ctrl+Shift+E")
        })
        .await?;
        press_in(
            app,
            "[data-testid=help-close]",
            &char::from(Key::Escape).to_string(),
        )
        .await?;
        app.wait_for_texts("[data-testid=help-overlay]", |t| t.is_empty())
            .await?;

        // Stop asks first; keeping the stream keeps it.
        press_in(app, "[data-testid=chat-input]", &ctrl_shift('e')).await?;
        app.click("[data-testid=stop-cancel]").await?;
        app.wait_for_texts("[data-testid=stop-dialog]", |t| t.is_empty())
            .await?;
        anyhow::ensure!(
            job_status(&ready).await? == "running",
            "cancel stopped the stream"
        );

        // Global shortcuts, turned on in the preferences, work whatever has the focus.
        app.click("[data-testid=open-settings]").await?;
        app.click("[data-testid=pref-global-shortcuts]").await?;
        saved_preference(app, "\"globalShortcuts\": true").await?;
        app.desktop.press_keys("ctrl+shift+F10")?;
        app.click("[data-testid=stop-confirm]").await?;
        eventually("the stream to stop", || async {
            let status = job_status(&ready).await?;
            Ok(matches!(status.as_str(), "stopping" | "stopped").then_some(()))
        })
        .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_shows_the_live_state_and_its_menu_acts() -> anyhow::Result<()> {
    let (service, app) = launch_on_sandbox("companion-tray", &[]).await?;
    let ready = service.ready().clone();
    let binary = app_binary()?;
    app.run(async |app| {
        let tray = app
            .desktop
            .wait_for_tray(&binary, |tray| tray.label == "Not live")
            .await?;
        anyhow::ensure!(!tray.item("Go live")?.enabled, "Go live with nothing linked");
        anyhow::ensure!(!tray.item("Stop")?.enabled, "Stop while idle");

        link(app, &["twitch", "kick"]).await?;
        app.type_into("[data-testid=session-id]", "sess_tray").await?;
        let tray = app
            .desktop
            .wait_for_tray(&binary, |tray| {
                tray.item("Go live on Twitch, Kick")
                    .is_ok_and(|item| item.enabled)
            })
            .await?;
        app.desktop.click_tray_item(&tray, tray.item("Go live")?)?;
        let tray = app
            .desktop
            .wait_for_tray(&binary, |tray| tray.label == "Live on 2 platforms")
            .await?;
        anyhow::ensure!(tray.item("Stop")?.enabled && !tray.item("Go live")?.enabled);
        anyhow::ensure!(
            tray.labels().first() == Some(&"Live on 2 platforms"),
            "{:?}",
            tray.labels()
        );

        // Quit while live asks what to do, as closing the window does.
        app.desktop.click_tray_item(&tray, tray.item("Quit")?)?;
        app.click("[data-testid=close-cancel]").await?;
        anyhow::ensure!(
            job_status(&ready).await? == "running",
            "quit's question stopped the stream"
        );

        fail_destination(&ready, "kick", "Kick refused the stream key").await?;
        let tray = app
            .desktop
            .wait_for_tray(&binary, |tray| tray.label == "Live on 1 of 2 platforms")
            .await?;

        // Stop from the tray asks in the window first.
        app.desktop.click_tray_item(&tray, tray.item("Stop")?)?;
        app.click("[data-testid=stop-cancel]").await?;
        anyhow::ensure!(
            job_status(&ready).await? == "running",
            "cancel stopped the stream"
        );
        app.desktop.click_tray_item(&tray, tray.item("Stop")?)?;
        app.click("[data-testid=stop-confirm]").await?;
        let tray = app
            .desktop
            .wait_for_tray(&binary, |tray| tray.label == "Not live")
            .await?;

        // Quit, not live: the app ends.
        app.desktop.click_tray_item(&tray, tray.item("Quit")?)?;
        eventually("the app to quit", || async {
            Ok((!app.desktop.bus_name_owned(SINGLE_INSTANCE_NAME)?).then_some(()))
        })
        .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_say_what_happened_and_each_kind_can_be_turned_off() -> anyhow::Result<()> {
    let (service, app) = launch_on_sandbox("companion-notifications", &[]).await?;
    let ready = service.ready().clone();
    let binary = app_binary()?;
    let _daemon = app.desktop.start_notification_daemon()?;
    app.run(async |app| {
        go_live_with(app, &["twitch", "kick", "youtube"], "sess_notify").await?;

        fail_destination(&ready, "kick", "Kick refused the stream key").await?;
        let shown = eventually("a notification about Kick", || async {
            let shown = app.desktop.notifications_shown()?;
            Ok(shown
                .iter()
                .any(|(summary, _)| summary == "Kick failed")
                .then_some(shown))
        })
        .await?;
        anyhow::ensure!(
            shown
                .iter()
                .any(|(_, body)| body == "Kick refused the stream key"),
            "{shown:?}"
        );

        // Destination failures turned off: YouTube failing is shown in the window and the tray,
        // and is not a notification.
        app.click("[data-testid=open-settings]").await?;
        app.click("[data-testid=pref-notify-destinationFailed]").await?;
        saved_preference(app, "\"destinationFailed\": false").await?;
        fail_destination(&ready, "youtube", "YouTube refused the stream key").await?;
        app.desktop
            .wait_for_tray(&binary, |tray| tray.label == "Live on 1 of 3 platforms")
            .await?;
        // The publisher's session ends: the stream ends, and that is still news.
        let job = current_job(&ready).await?;
        admin(
            &ready,
            reqwest::Method::POST,
            &format!("/sandbox/jobs/{}/end", job["id"].as_str().unwrap_or_default()),
            json!(null),
        )
        .await?;
        let shown = eventually("a notification that the stream ended", || async {
            let shown = app.desktop.notifications_shown()?;
            Ok(shown
                .iter()
                .any(|(summary, _)| summary == "The stream ended")
                .then_some(shown))
        })
        .await?;
        anyhow::ensure!(
            !shown.iter().any(|(summary, _)| summary.contains("YouTube")),
            "a kind turned off was shown: {shown:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_follows_the_desktop_and_the_switch_is_kept() -> anyhow::Result<()> {
    let spanish = [("LANG", "es_ES.UTF-8"), ("LANGUAGE", "es_ES:es")];
    let (_service, app) = launch_on_sandbox("companion-language", &spanish).await?;
    let binary = app_binary()?;
    let app = {
        app.check(async |app| {
            app.wait_for_texts("#platforms-heading", |t| t == ["Plataformas"])
                .await?;
            starting_language_is(app, "es").await?;
            app.desktop
                .wait_for_tray(&binary, |tray| tray.label == "Sin emitir")
                .await?;
            app.click("[data-testid=open-settings]").await?;
            choose(app, "pref-language", "en").await?;
            app.wait_for_texts("#platforms-heading", |t| t == ["Platforms"])
                .await?;
            app.desktop
                .wait_for_tray(&binary, |tray| tray.label == "Not live")
                .await?;
            let lang = app
                .client
                .execute("return document.documentElement.lang;", vec![])
                .await?;
            anyhow::ensure!(lang == json!("en"), "<html lang> is {lang}");
            Ok(())
        })
        .await?;
        app
    };
    let app = app.restart("companion-language-restarted").await?;
    app.run(async |app| {
        app.wait_for_texts("#platforms-heading", |t| t == ["Platforms"])
            .await?;
        // The saved choice reaches the page before its first render, not the desktop's Spanish
        // (which the webview would guess from LANG and show until the preferences came).
        starting_language_is(app, "en").await
    })
    .await
}

/// The language the studio gave the page before it loaded (see `desktop/window.rs`).
async fn starting_language_is(app: &AppSession, language: &str) -> anyhow::Result<()> {
    let given = app
        .client
        .execute("return window.__studioLanguage ?? null;", vec![])
        .await?;
    anyhow::ensure!(
        given == json!(language),
        "the page was given {given}, not {language}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_screen_passes_axe_in_both_themes() -> anyhow::Result<()> {
    let (_service, app) = launch_on_sandbox("companion-accessibility", &[]).await?;
    app.run(async |app| {
        app.wait_for_texts("[data-testid=go-live]", |t| !t.is_empty())
            .await?;
        link(app, &["twitch"]).await?;
        for theme in ["light", "dark"] {
            app.click("[data-testid=open-settings]").await?;
            choose(app, "pref-theme", theme).await?;
            eventually("the theme to apply", || async {
                let applied = app
                    .client
                    .execute("return document.documentElement.dataset.theme;", vec![])
                    .await?;
                Ok((applied == json!(theme)).then_some(()))
            })
            .await?;
            app.expect_no_axe_violations(&format!("settings ({theme})"))
                .await?;
            app.click("[data-testid=open-settings]").await?;
            app.expect_no_axe_violations(&format!("go live ({theme})"))
                .await?;

            go_live(app, &format!("sess_axe_{theme}")).await?;
            app.wait_for_texts("[data-testid=chat-list] [data-comment-id]", |t| !t.is_empty())
                .await?;
            app.expect_no_axe_violations(&format!("live with chat ({theme})"))
                .await?;

            press_in(app, "[data-testid=chat-input]", &char::from(Key::F1).to_string()).await?;
            app.wait_for_texts("[data-testid=help-overlay]", |t| !t.is_empty())
                .await?;
            app.expect_no_axe_violations(&format!("shortcuts ({theme})"))
                .await?;
            app.click("[data-testid=help-close]").await?;

            press_in(app, "[data-testid=chat-input]", &ctrl_shift('e')).await?;
            app.wait_for_texts("[data-testid=stop-dialog]", |t| !t.is_empty())
                .await?;
            app.expect_no_axe_violations(&format!("stop confirmation ({theme})"))
                .await?;
            app.click("[data-testid=stop-confirm]").await?;
            app.wait_for_texts("[data-testid=go-live]", |t| !t.is_empty())
                .await?;
        }
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_theme_follows_a_dark_desktop_until_one_is_chosen() -> anyhow::Result<()> {
    // GTK's dark variant is what a Linux desktop's dark setting comes down to for WebKitGTK.
    let (_service, app) =
        launch_on_sandbox("companion-dark-desktop", &[("GTK_THEME", "Adwaita:dark")]).await?;
    let theme = async |app: &AppSession| -> anyhow::Result<serde_json::Value> {
        Ok(app
            .client
            .execute("return document.documentElement.dataset.theme;", vec![])
            .await?)
    };
    app.run(async |app| {
        eventually("the desktop's dark theme", || async {
            Ok((theme(app).await? == json!("dark")).then_some(()))
        })
        .await?;
        app.click("[data-testid=open-settings]").await?;
        choose(app, "pref-theme", "light").await?;
        eventually("the chosen light theme", || async {
            Ok((theme(app).await? == json!("light")).then_some(()))
        })
        .await?;
        Ok(())
    })
    .await
}
