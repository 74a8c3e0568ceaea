//! End to end: the real app, in a real WebKit window under Xvfb, against a real sandbox.

mod companion;
mod support;

use serde_json::json;
use support::{
    AppSession, Launch, SINGLE_INSTANCE_NAME, Service, UI_TIMEOUT, admin, current_job,
    diagnostics_mentioning, eventually, fail_destination, go_live, go_live_with, job_status, link_platforms,
    platforms_listed, string_list,
};

const CONNECT_LINK: &str =
    "dev.restreamstudio://connect/callback?state=s3cr3t-state-value&platform=twitch&result=connected";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_platforms_from_a_sandbox_and_shows_a_forwarded_deep_link() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = Launch::new("platforms-and-forwarded-link")
        .service(&service)
        .start()
        .await?;
    app.run(async |app| {
        platforms_listed(app).await?;
        let status = app.texts("[data-testid=service-status]").await?;
        anyhow::ensure!(
            status.iter().any(|s| s.contains(&service.ready().base_url)),
            "service status {status:?} does not name the sandbox"
        );

        // A second launch with a link, as the OS does: it must reach this instance and exit.
        app.launch_again(&[CONNECT_LINK]).await?;
        app.wait_for_texts("[data-testid=deep-links] code", |texts| {
            texts == ["dev.restreamstudio://connect/callback"]
        })
        .await?;
        let shown = app.texts("[data-testid=deep-links] li").await?.join(" ");
        anyhow::ensure!(
            shown.contains("state, platform, result"),
            "parameter names missing: {shown}"
        );
        let source = app.client.source().await?;
        anyhow::ensure!(
            !source.contains("s3cr3t-state-value"),
            "a query value reached the page"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_works_with_no_configuration_and_reads_a_cold_start_link() -> anyhow::Result<()> {
    let app = Launch::new("demo-mode-cold-start-link")
        .arg(CONNECT_LINK)
        .start()
        .await?;
    app.run(async |app| {
        platforms_listed(app).await?;
        let status = app.texts("[data-testid=service-status]").await?.join(" ");
        anyhow::ensure!(
            status.contains("Demo service · http://127.0.0.1:"),
            "status: {status}"
        );
        app.wait_for_texts("[data-testid=deep-links] code", |texts| {
            texts == ["dev.restreamstudio://connect/callback"]
        })
        .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_through_the_system_browser_then_go_live_and_stop() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = service.launch("connect-go-live-stop").start().await?;
    app.run(async |app| {
        platforms_listed(app).await?;
        app.click("[data-testid=connect-twitch]").await?;
        // The browser approves and the OS hands the deep link to the running app.
        app.wait_for_text_containing("[data-testid=linked-twitch]", "demo-streamer_twitch")
            .await?;
        let opened = std::fs::read_to_string(service.path("browser.log"))?;
        anyhow::ensure!(
            opened.starts_with(&format!("{}/hosted/consent/", service.ready().base_url)),
            "the system browser opened: {opened}"
        );
        app.wait_for_texts("[data-testid=deep-links] code", |t| {
            t.iter().any(|t| t == "dev.restreamstudio://connect/callback")
        })
        .await?;

        go_live(app, "  sess_e2e ").await?;
        app.wait_for_text_containing("[data-testid=destinations] li", "live")
            .await?;
        app.click("[data-testid=stop]").await?;
        app.wait_for_texts("[data-testid=job-status]", |t| t == ["Stopped"])
            .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_connect_says_so_and_a_withheld_link_completes_by_polling() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = service
        .launch("connect-denied")
        .env("BROWSER_DECISION", "deny")
        .start()
        .await?;
    app.run(async |app| {
        app.click("[data-testid=connect-kick]").await?;
        app.wait_for_text_containing("[data-testid=connect-outcome]", "declined")
            .await?;
        anyhow::ensure!(
            app.texts("[data-testid=linked-kick]").await?.is_empty(),
            "a denied link was linked"
        );
        Ok(())
    })
    .await?;

    // The OS never delivers the deep link (no scheme handler): the studio asks the service.
    let app = service
        .launch("connect-by-poll")
        .browser(service.path("browser2.log"))
        .env("BROWSER_DELIVERS_LINK", "0")
        .start()
        .await?;
    app.run(async |app| {
        app.click("[data-testid=connect-youtube]").await?;
        app.wait_for_texts("[data-testid=linked-youtube]", |t| !t.is_empty())
            .await?;
        anyhow::ensure!(
            app.texts("[data-testid=deep-links] li").await?.is_empty(),
            "no link was delivered"
        );
        Ok(())
    })
    .await
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
        app.click("[data-testid=open-settings]").await?;
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
        app.click("[data-testid=save-settings]").await?;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_mode_signs_in_through_the_browser_and_signs_out() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = service.launch_token_mode("token-mode-sign-in").start().await?;
    app.run(async |app| {
        app.click("[data-testid=sign-in]").await?;
        // The operator's page signs in; its deep link brings the code back; the studio mints.
        platforms_listed(app).await?;
        app.click("[data-testid=connect-twitch]").await?;
        app.wait_for_texts("[data-testid=linked-twitch]", |t| !t.is_empty())
            .await?;
        app.click("[data-testid=sign-out]").await?;
        app.wait_for_text_containing("[data-testid=sign-in-panel]", "Signed out")
            .await?;
        anyhow::ensure!(
            app.texts("[data-testid=platform-list]").await?.is_empty(),
            "still showing the account"
        );
        Ok(())
    })
    .await?;

    // The browser signs in but the OS never hands back the deep link: the streamer switches to
    // the loopback route, and the browser's redirect to 127.0.0.1 finishes the sign-in.
    let log = service.path("browser-loopback.log");
    let app = service
        .launch_token_mode("token-mode-loopback-sign-in")
        .browser(&log)
        .env("BROWSER_DELIVERS_LINK", "0")
        .start()
        .await?;
    app.run(async |app| {
        app.click("[data-testid=sign-in]").await?;
        app.click("[data-testid=sign-in-loopback]").await?;
        platforms_listed(app).await?;
        anyhow::ensure!(
            app.texts("[data-testid=sign-in-panel] [role=alert]")
                .await?
                .is_empty(),
            "the replaced sign-in showed an error"
        );
        Ok(())
    })
    .await?;
    let opened = std::fs::read_to_string(&log)?;
    anyhow::ensure!(
        opened.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "the second sign-in did not use the loopback route: {opened}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_is_kept_in_the_keychain_across_restarts() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = service
        .launch_token_mode("keychain-sign-in")
        .keyring()
        .start()
        .await?;
    app.check(async |app| {
        app.click("[data-testid=sign-in]").await?;
        platforms_listed(app).await?;
        anyhow::ensure!(
            app.texts("[data-testid=session-only]").await?.is_empty(),
            "the keychain was not used"
        );
        Ok(())
    })
    .await?;
    // Quit and start again on the same desktop: the sign-in comes back from the keychain.
    let app = app.restart("keychain-after-restart").await?;
    app.run(async |app| {
        platforms_listed(app).await?;
        anyhow::ensure!(
            app.texts("[data-testid=sign-in-panel]").await?.is_empty(),
            "asked to sign in again"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keychain_the_sign_in_lasts_the_session_and_says_so() -> anyhow::Result<()> {
    let service = Service::start().await?;
    // No session bus at all: no Secret Service to keep a sign-in in.
    let app = Launch::new("no-keychain")
        .token_mode(&service)
        .no_session_bus()
        .start()
        .await?;
    app.run(async |app| {
        app.wait_for_text_containing("[data-testid=session-only]", "until you quit")
            .await?;
        app.wait_for_texts("[data-testid=sign-in-panel]", |t| !t.is_empty())
            .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_destination_shows_why_and_retries_alone() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = service.launch("failed-destination-retry").start().await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        link_platforms(app, &["twitch", "kick"]).await?;
        go_live(app, "sess_retry").await?;

        // Kick refuses the stream (the platform's side, played by the sandbox's admin surface).
        fail_destination(&ready, "kick", "Kick refused the stream key").await?;
        app.wait_for_texts("[data-testid=destinations] li", |t| {
            t.iter().any(|t| t.contains("Kick refused the stream key"))
                && t.iter().any(|t| t.contains("live"))
        })
        .await?;
        app.click("[data-testid=retry-kick]").await?;
        app.wait_for_texts("[data-testid=destinations] li", |t| {
            t.len() == 2 && t.iter().all(|t| t.contains("live"))
        })
        .await?;
        anyhow::ensure!(
            app.texts("[data-testid=job-status]").await? == ["Live"],
            "the stream stopped"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_golive_link_only_fills_the_session_and_options_reach_the_service() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let ready = service.ready().clone();
    let app = service.launch("golive-link-and-options").start().await?;
    app.run(async |app| {
        link_platforms(app, &["twitch"]).await?;
        app.launch_again(&["dev.restreamstudio://golive?sessionId=sess_from_link"]).await?;
        let filled = app
            .client
            .wait()
            .at_most(UI_TIMEOUT)
            .for_element(fantoccini::Locator::Css("[data-testid=session-id]"))
            .await?;
        eventually("the session id to be filled in", || {
            let filled = filled.clone();
            async move { Ok((filled.prop("value").await?.as_deref() == Some("sess_from_link")).then_some(())) }
        })
        .await?;
        anyhow::ensure!(app.texts("[data-testid=job-status]").await?.is_empty(), "a link started a stream");

        app.type_into("[data-testid=title]", "Ranked grind").await?;
        app.click("[data-testid=video-only]").await?;
        app.click("[data-testid=go-live]").await?;
        app.wait_for_texts("[data-testid=job-status]", |t| t == ["Live"]).await?;
        let job = current_job(&ready).await?;
        anyhow::ensure!(job["publisherSessionId"] == "sess_from_link", "{job}");
        anyhow::ensure!(job["title"] == "Ranked grind", "{job}");
        anyhow::ensure!(job["trackNames"] == json!(["video"]), "{job}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_window_while_live_asks_and_does_what_was_chosen() -> anyhow::Result<()> {
    const TITLE: &str = "Restream Studio";
    let service = Service::start().await?;
    let ready = service.ready().clone();
    let app = service.launch("close-while-live").start().await?;
    app.run(async |app| {
        link_platforms(app, &["twitch"]).await?;
        go_live(app, "sess_close").await?;

        // The window manager's close button, while live: the studio asks instead of closing.
        app.desktop.ask_window_to_close(TITLE)?;
        app.click("[data-testid=close-cancel]").await?;
        app.wait_for_texts("[data-testid=close-dialog]", |t| t.is_empty())
            .await?;
        anyhow::ensure!(app.desktop.window_shown(TITLE)?, "cancel closed the window");

        // Keep streaming: the window goes away, the stream does not; a second launch shows it.
        app.desktop.ask_window_to_close(TITLE)?;
        app.click("[data-testid=close-keep]").await?;
        eventually("the window to hide", || async {
            Ok((!app.desktop.window_shown(TITLE)?).then_some(()))
        })
        .await?;
        anyhow::ensure!(
            job_status(&ready).await? == "running",
            "keeping the stream stopped it"
        );
        app.launch_again(&[]).await?;
        eventually("the window to come back", || async {
            Ok(app.desktop.window_shown(TITLE)?.then_some(()))
        })
        .await?;

        // Stop and quit: the job stops at the service and the app exits.
        app.desktop.ask_window_to_close(TITLE)?;
        app.click("[data-testid=close-stop]").await?;
        eventually("the app to quit", || async {
            Ok((!app.desktop.bus_name_owned(SINGLE_INSTANCE_NAME)?).then_some(()))
        })
        .await?;
        let status = job_status(&ready).await?;
        anyhow::ensure!(
            status == "stopping" || status == "stopped",
            "the job is {status} after stop and quit"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn banners_change_and_hide_while_live() -> anyhow::Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("banners-live").start().await?;
    let ready = service.ready().clone();
    let top = format!("{}/assets/banners/top.png", ready.base_url);
    let bottom = format!("{}/assets/banners/bottom.png", ready.base_url);
    app.run(async |app| {
        link_platforms(app, &["twitch"]).await?;
        app.click("[data-testid=go-live-banners] summary").await?;
        app.type_into("[data-testid=top-banner]", &top).await?;
        go_live(app, "sess_banners").await?;

        app.click("[data-testid=banner-editor] summary").await?;
        app.type_into("[data-testid=live-bottom-banner]", &bottom).await?;
        // Both previews come from Rust as data: URLs.
        eventually("both previews", || async {
            let previews = app
                .client
                .find_all(fantoccini::Locator::Css(".banner-preview"))
                .await?;
            Ok((previews.len() == 2).then_some(()))
        })
        .await?;
        app.click("[data-testid=live-hide-top]").await?;
        app.click("[data-testid=save-banners]").await?;
        let overlay = eventually("the service to hold the new banners", || async {
            let overlay = current_job(&ready).await?["overlay"].clone();
            Ok(
                (overlay["bottomBanner"] == json!(bottom) && overlay["hideTop"] == json!(true))
                    .then_some(overlay),
            )
        })
        .await?;
        anyhow::ensure!(
            overlay["topBanner"] == json!(top),
            "the top banner changed: {overlay}"
        );
        anyhow::ensure!(
            current_job(&ready).await?["status"] == json!("running"),
            "the stream restarted"
        );

        // Shown again, and the bottom one removed.
        app.click("[data-testid=live-hide-top]").await?;
        let field = app
            .client
            .find(fantoccini::Locator::Css("[data-testid=live-bottom-banner]"))
            .await?;
        // WebDriver's clear leaves React's state as it was; a space is typed as a streamer would
        // leave a field blank (an address of only spaces removes the banner).
        field.clear().await?;
        field.send_keys(" ").await?;
        app.click("[data-testid=save-banners]").await?;
        eventually("the banner shown and the bottom one gone", || async {
            let overlay = current_job(&ready).await?["overlay"].clone();
            Ok((overlay["hideTop"] == json!(false) && overlay["bottomBanner"].is_null()).then_some(()))
        })
        .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_link_changes_nothing_and_a_restart_finds_the_live_stream() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let launch = service.launch("forged-link-then-live");
    let app = launch.clone().start().await?;
    app.run(async |app| {
        platforms_listed(app).await?;
        // Any local process can launch the app with a link: a forged one is shown, never trusted.
        app.launch_again(&[
            "dev.restreamstudio://connect/callback?state=forged-state-0123456789abcdef&platform=twitch&result=connected",
        ])
        .await?;
        app.wait_for_texts("[data-testid=deep-links] code", |t| !t.is_empty()).await?;
        anyhow::ensure!(app.texts("[data-testid=linked-twitch]").await?.is_empty(), "a forged link linked twitch");

        link_platforms(app, &["twitch"]).await?;
        go_live(app, "sess_restart").await?;
        Ok(())
    })
    .await?;

    // The app is gone (as after a crash); started again, it finds the link and the live stream.
    let app = launch.named("restart-finds-live-stream").start().await?;
    app.run(async |app| {
        app.wait_for_texts("[data-testid=linked-twitch]", |t| !t.is_empty())
            .await?;
        app.wait_for_texts("[data-testid=job-status]", |t| t == ["Live"])
            .await?;
        app.wait_for_texts("[data-testid=viewers-total]", |t| !t.is_empty())
            .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_recovers_the_live_stream_after_a_restart() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let app = Launch::new("demo-live-before-restart")
        .browser(dir.path().join("browser.log"))
        .start()
        .await?;
    app.check(async |app| {
        link_platforms(app, &["kick"]).await?;
        go_live(app, "sess_demo").await?;
        Ok(())
    })
    .await?;
    // Quit and start again: the demo service's database is in the app's data folder.
    let app = app.restart("demo-live-after-restart").await?;
    app.run(async |app| {
        app.wait_for_texts("[data-testid=linked-kick]", |t| !t.is_empty())
            .await?;
        app.wait_for_texts("[data-testid=job-status]", |t| t == ["Live"])
            .await?;
        Ok(())
    })
    .await
}

/// The ids the sandbox stored for `job`, in order: what every screen of this chat must show.
async fn stored_ids(ready: &restream_sandbox::Ready, job: &str) -> anyhow::Result<Vec<String>> {
    let stored = admin(
        ready,
        reqwest::Method::GET,
        &format!("/sandbox/jobs/{job}/comments"),
        json!(null),
    )
    .await?;
    Ok(string_list(&stored["ids"]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_from_every_platform_arrives_as_text_and_sends_with_receipts() -> anyhow::Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("chat-merged-and-sent").start().await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        go_live_with(app, &["twitch", "kick", "youtube"], "sess_chat").await?;
        let job = current_job(&ready).await?["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let burst = format!("/sandbox/jobs/{job}/comments");

        // Audience chat from all three (round robin), and one hostile message.
        admin(&ready, reqwest::Method::POST, &burst, json!({ "count": 9 })).await?;
        let hostile = r#"<img src=x onerror="document.title='pwned'">"#;
        admin(
            &ready,
            reqwest::Method::POST,
            &burst,
            json!({ "count": 1, "platform": "kick", "message": hostile }),
        )
        .await?;
        let expected = stored_ids(&ready, &job).await?;
        eventually("every stored comment on screen", || async {
            Ok((app.chat_ids().await? == expected).then_some(()))
        })
        .await?;
        let badges = app.texts("[data-testid=chat-list] .chat-badge").await?;
        for platform in ["Twitch", "Kick", "YouTube"] {
            anyhow::ensure!(
                badges.iter().any(|b| b == platform),
                "no {platform} message in {badges:?}"
            );
        }
        let texts = app.texts("[data-testid=chat-list] .chat-text").await?;
        anyhow::ensure!(
            texts.iter().any(|t| t == hostile),
            "the hostile text is not shown as text: {texts:?}"
        );
        let injected = app
            .client
            .find_all(fantoccini::Locator::Css("[data-testid=chat-list] img[src='x']"))
            .await?;
        anyhow::ensure!(injected.is_empty(), "chat text became an element");
        anyhow::ensure!(app.client.title().await? != "pwned", "chat text ran a script");
        // Avatars arrive from Rust as data: URLs; the page itself loads nothing remote.
        eventually("an avatar shown", || async {
            let sources = app
                .client
                .execute(
                    "return Array.from(document.querySelectorAll('img.avatar')).map((i) => i.src)",
                    vec![],
                )
                .await?;
            let sources: Vec<String> = serde_json::from_value(sources)?;
            anyhow::ensure!(
                sources.iter().all(|s| s.starts_with("data:image/png;base64,")),
                "{sources:?}"
            );
            Ok((!sources.is_empty()).then_some(()))
        })
        .await?;

        // To one platform: only Kick gets it.
        app.click("[data-testid=chat-to-all]").await?;
        app.click("[data-testid=chat-to-twitch]").await?;
        app.click("[data-testid=chat-to-youtube]").await?;
        app.type_into("[data-testid=chat-input]", "only on kick\u{E007}")
            .await?;
        app.wait_for_texts("[data-testid=chat-sent] [data-testid=receipt-kick]", |t| {
            t == ["Kick ✓"]
        })
        .await?;
        anyhow::ensure!(
            app.texts("[data-testid=chat-sent] [data-testid=receipt-twitch]")
                .await?
                .is_empty()
        );

        // To all: one sent message with three receipts, however many echoes come back.
        app.click("[data-testid=chat-to-all]").await?;
        app.type_into("[data-testid=chat-input]", "hello everyone\u{E007}")
            .await?;
        app.wait_for_texts("[data-testid=chat-sent]", |t| {
            t.len() == 2 && t[1].contains("hello everyone")
        })
        .await?;
        app.wait_for_texts("[data-testid=chat-sent]", |t| {
            t.last().is_some_and(|last| {
                ["Twitch ✓", "Kick ✓", "YouTube ✓"]
                    .iter()
                    .all(|r| last.contains(r))
            })
        })
        .await?;

        // A platform refuses: the text stays, and only the refusing platform stays chosen.
        admin(
            &ready,
            reqwest::Method::PUT,
            "/sandbox/settings",
            json!({ "chatFailPlatforms": ["youtube"] }),
        )
        .await?;
        app.type_into("[data-testid=chat-input]", "will youtube take this?\u{E007}")
            .await?;
        app.wait_for_text_containing("[data-testid=chat-not-delivered]", "YouTube")
            .await?;
        let kept = app
            .client
            .find(fantoccini::Locator::Css("[data-testid=chat-input]"))
            .await?
            .prop("value")
            .await?;
        anyhow::ensure!(
            kept.as_deref() == Some("will youtube take this?"),
            "the text was lost: {kept:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_chat_streams_lose_and_double_nothing() -> anyhow::Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("chat-reconnects").start().await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        go_live_with(app, &["twitch", "kick"], "sess_drops").await?;
        let job = current_job(&ready).await?["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let burst = format!("/sandbox/jobs/{job}/comments");
        admin(&ready, reqwest::Method::POST, &burst, json!({ "count": 20 })).await?;
        for _ in 0..3 {
            // The stream drops; the audience keeps talking while the studio reconnects.
            admin(
                &ready,
                reqwest::Method::POST,
                "/sandbox/streams/drop",
                json!(null),
            )
            .await?;
            admin(&ready, reqwest::Method::POST, &burst, json!({ "count": 15 })).await?;
            app.wait_for_texts("[data-testid=chat-status]", |t| t == ["Live"])
                .await?;
        }
        let expected = stored_ids(&ready, &job).await?;
        anyhow::ensure!(
            expected.len() == 65,
            "the sandbox stored {} comments",
            expected.len()
        );
        let shown = eventually("the chat to catch up", || async {
            let shown = app.chat_ids().await?;
            Ok((shown.len() >= expected.len()).then_some(shown))
        })
        .await?;
        anyhow::ensure!(
            shown == expected,
            "the chat differs from the service's record:\nshown {shown:?}\nstored {expected:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_can_call_only_what_the_capability_grants() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = Launch::new("capability-least-privilege")
        .service(&service)
        .start()
        .await?;
    app.run(async |app| {
        platforms_listed(app).await?;
        let granted = app.invoke_from_page("platforms", json!({})).await?;
        anyhow::ensure!(granted == "ok", "a granted command failed: {granted}");
        // A page that could emit could fake a deep link; one that could open URLs could phish.
        for (command, args) in [
            (
                "plugin:event|emit",
                json!({ "event": "deep-link://new-url", "payload": ["dev.restreamstudio://x"] }),
            ),
            ("plugin:opener|open_url", json!({ "url": "https://example.com" })),
            ("plugin:deep-link|get_current", json!({})),
            // Nor may it grab keys from every other app, notify in the studio's name, or move the
            // window's remembered place: Rust alone does those.
            (
                "plugin:global-shortcut|register",
                json!({ "shortcuts": ["ctrl+shift+q"] }),
            ),
            (
                "plugin:notification|notify",
                json!({ "options": { "title": "phish" } }),
            ),
            ("plugin:window-state|save_window_state", json!({ "flags": 31 })),
        ] {
            let outcome = app.invoke_from_page(command, args).await?;
            anyhow::ensure!(
                outcome.starts_with("rejected"),
                "{command} was allowed: {outcome}"
            );
        }
        Ok(())
    })
    .await
}

/// Every file under `dir` (the keychain's own store aside) whose bytes contain `needle`.
fn files_containing(dir: &std::path::Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "keyrings") {
            continue;
        }
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if std::fs::read(&path)
            .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        {
            found.push(path);
        }
    }
    found
}

/// Copies the diagnostics from Settings and checks they say `mentions` and hold no `canary`.
async fn clean_diagnostics(app: &AppSession, mentions: &str, canary: &str) -> anyhow::Result<()> {
    let text = diagnostics_mentioning(app, mentions).await?;
    anyhow::ensure!(!text.contains(canary), "{canary} is in the diagnostics:\n{text}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_logs_the_settings_files_or_the_diagnostics() -> anyhow::Result<()> {
    // Canaries that no redaction pattern knows: only never writing them keeps them out.
    const TOKEN_CANARY: &str = "CanaryToken7f3a9c41e2";
    const KEY_CANARY: &str = "CanaryKey5d81b0aa93";
    let service = Service::start().await?;
    let ready = service.ready().clone();
    // A token set in the environment: the studio's configuration.
    let app = Launch::new("canary-config")
        .env("RESTREAM_STUDIO_API_BASE", &ready.base_url)
        .env("RESTREAM_STUDIO_TOKEN", TOKEN_CANARY)
        .keyring()
        .start()
        .await?;
    app.check(async |app| clean_diagnostics(app, "Signs in with: a fixed token", TOKEN_CANARY).await)
        .await?;
    // A publishable key saved in settings: the keychain.
    let app = app.relaunch(Launch::new("canary-keychain").keyring()).await?;
    app.check(async |app| {
        app.click("[data-testid=open-settings]").await?;
        app.click("[data-testid=mode-service]").await?;
        app.click("[data-testid=mode-publishableKey]").await?;
        app.type_into("[data-testid=api-base]", &ready.base_url).await?;
        app.type_into("[data-testid=publishable-key]", KEY_CANARY).await?;
        app.type_into("[data-testid=user-id]", "canary-streamer").await?;
        app.wait_for_texts("[data-testid=settings-problem]", |t| t.is_empty())
            .await?;
        app.click("[data-testid=save-settings]").await?;
        app.wait_for_text_containing("[data-testid=service-status]", &ready.base_url)
            .await?;
        clean_diagnostics(app, "Signs in with: a publishable key", KEY_CANARY).await
    })
    .await?;
    let home = app.desktop.home().to_path_buf();
    let logs = home.join("data").join("dev.restreamstudio.studio").join("logs");
    // The log files are written as the app runs: both runs' starts are in them.
    eventually("both runs in the log", || async {
        let mut text = String::new();
        for entry in std::fs::read_dir(&logs)?.flatten() {
            text.push_str(&std::fs::read_to_string(entry.path())?);
        }
        Ok((text.matches(" started").count() >= 2).then_some(()))
    })
    .await?;
    for canary in [TOKEN_CANARY, KEY_CANARY] {
        let found = files_containing(&home, canary);
        anyhow::ensure!(found.is_empty(), "{canary} was written to {found:?}");
    }
    let _ = app.client.clone().close().await;
    Ok(())
}
