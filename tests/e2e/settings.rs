//! The studio's setup: which service it talks to (demo, or one chosen in the environment or in
//! Settings, kept across restarts), what it says when that setup is wrong or missing (no answer,
//! a refused origin, a publishable key off this computer, no session bus), and how the window
//! paints, as the diagnostics read it back.

use crate::support::{AppSession, Launch, Service, diagnostics_mentioning, platforms_listed};

/// Types the sandbox's demo key and user into the open settings form and saves them.
async fn save_the_demo_key(app: &AppSession, ready: &restream_sandbox::Ready) -> anyhow::Result<()> {
    app.type_into(
        "[data-testid=publishable-key]",
        ready.publishable_key.as_deref().unwrap_or_default(),
    )
    .await?;
    app.type_into(
        "[data-testid=user-id]",
        ready.user_id.as_deref().unwrap_or_default(),
    )
    .await?;
    app.wait_for_texts("[data-testid=settings-problem]", |t| t.is_empty())
        .await?;
    app.click("[data-testid=save-settings]").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_service_explains_cause_and_fix() -> anyhow::Result<()> {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let api_base = format!("http://127.0.0.1:{closed_port}");
    let app = Launch::new("unreachable-service")
        .publishable_key(&api_base, "pk_test_unused", "streamer")
        .start()
        .await?;
    app.run(async |app| {
        let alert = app
            .wait_for_text_containing("[role=alert]", "Can't reach")
            .await?
            .join(" ");
        anyhow::ensure!(alert.contains("Check the API base"), "no fix in: {alert}");
        anyhow::ensure!(alert.contains("no answer · network"), "no status in: {alert}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_origin_says_to_ask_the_operator() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = Launch::new("refused-origin")
        .service(&service)
        .env("RESTREAM_STUDIO_ORIGIN", "tauri://unregistered")
        .start()
        .await?;
    app.run(async |app| {
        let alert = app
            .wait_for_text_containing("[role=alert]", "allowlist")
            .await?
            .join(" ");
        anyhow::ensure!(alert.contains("operator"), "no fix in: {alert}");
        anyhow::ensure!(
            alert.contains("HTTP 403 · origin_not_allowed"),
            "no status in: {alert}"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_without_a_session_bus() -> anyhow::Result<()> {
    // Single-instance needs D-Bus; where there is none the app must still start, in demo mode.
    let app = Launch::new("no-session-bus").no_session_bus().start().await?;
    app.run(async |app| {
        platforms_listed(app).await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_switch_from_demo_to_a_service_and_are_kept() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let ready = service.ready().clone();
    let app = Launch::new("settings-first-run").keyring().start().await?;
    app.check(async |app| {
        app.wait_for_texts("[data-testid=demo-note]", |t| !t.is_empty())
            .await?;
        app.open_settings().await?;
        app.click("[data-testid=mode-service]").await?;
        // Signing in is what a service starts with; a publishable key is chosen on purpose.
        app.wait_for_texts("[data-testid=operator-client-id]", |t| t.len() == 1)
            .await?;
        app.click("[data-testid=mode-publishableKey]").await?;
        app.type_into("[data-testid=api-base]", "http://example.com")
            .await?;
        // Checked as typed, by the same rules that start the service.
        app.wait_for_text_containing("[data-testid=settings-problem]", "https://")
            .await?;
        let field = app
            .client
            .find(fantoccini::Locator::Css("[data-testid=api-base]"))
            .await?;
        field.clear().await?;
        field.send_keys(&ready.base_url).await?;
        save_the_demo_key(app, &ready).await?;
        app.wait_for_text_containing("[data-testid=service-status]", &ready.base_url)
            .await?;
        platforms_listed(app).await?;
        Ok(())
    })
    .await?;
    // Started again: the saved service, with its key from the keychain.
    let app = app.restart("settings-after-restart").await?;
    app.run(async |app| {
        app.wait_for_text_containing("[data-testid=service-status]", &ready.base_url)
            .await?;
        platforms_listed(app).await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keychain_a_saved_key_is_said_to_last_until_quit_and_is_asked_for_again()
-> anyhow::Result<()> {
    let service = Service::start().await?;
    let ready = service.ready().clone();
    // A session bus with no Secret Service on it: nowhere to keep a key across runs.
    let app = Launch::new("settings-no-keychain").start().await?;
    app.check(async |app| {
        app.open_settings().await?;
        app.click("[data-testid=mode-service]").await?;
        app.click("[data-testid=mode-publishableKey]").await?;
        // Said before the streamer saves, not found out after a restart.
        app.wait_for_text_containing("[data-testid=key-session-only]", "lasts only until you quit")
            .await?;
        app.type_into("[data-testid=api-base]", &ready.base_url).await?;
        save_the_demo_key(app, &ready).await?;
        // It works for this run.
        platforms_listed(app).await?;
        Ok(())
    })
    .await?;
    // Started again, the key is gone: the window says so in terms of Settings, where it was set.
    let app = app.restart("settings-no-keychain-restart").await?;
    app.run(async |app| {
        let said = app
            .wait_for_text_containing("[data-testid=service-status]", "No publishable key")
            .await?
            .join(" ");
        anyhow::ensure!(said.contains("in Settings"), "no fix in: {said}");
        anyhow::ensure!(said.contains("lasts only until you quit"), "not why: {said}");
        anyhow::ensure!(!said.contains("RESTREAM_STUDIO_"), "names a variable: {said}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publishable_key_off_this_computer_is_warned_about_in_the_main_window() -> anyhow::Result<()> {
    let app = Launch::new("publishable-key-warning")
        // Never reached: the warning is about the setup, before any request.
        .publishable_key("https://restream.invalid", "pk_live_example", "streamer-1")
        .start()
        .await?;
    app.run(async |app| {
        app.wait_for_text_containing("[data-testid=service-warning]", "can act as any user")
            .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_paints_without_compositing_unless_told_to_keep_it() -> anyhow::Result<()> {
    // What the diagnostics say is read back from the webview's own settings.
    let app = Launch::new("painting").start().await?;
    app.check(async |app| {
        diagnostics_mentioning(app, "Painting: without accelerated compositing").await?;
        Ok(())
    })
    .await?;
    let app = app
        .relaunch(Launch::new("painting-composited").env("RESTREAM_STUDIO_ACCELERATED_COMPOSITING", "1"))
        .await?;
    app.check(async |app| {
        diagnostics_mentioning(app, "Painting: WebKit's accelerated compositing").await?;
        Ok(())
    })
    .await
}
