//! Being live: what a go-live deep link may do (fill the session, never start a stream) and the
//! options that reach the service, a failed destination shown and retried alone, banners changed
//! and hidden while live, and closing the window while live (cancel, keep streaming, stop and
//! quit).

use serde_json::json;

use crate::support::{
    SINGLE_INSTANCE_NAME, Service, UI_TIMEOUT, current_job, eventually, fail_destination, go_live,
    job_status, link_platforms,
};

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
        // Hidden, the page is told so, and its clocks stop redrawing until it shows again.
        app.wait_for_visibility("hidden").await?;
        anyhow::ensure!(
            job_status(&ready).await? == "running",
            "keeping the stream stopped it"
        );
        app.launch_again(&[]).await?;
        eventually("the window to come back", || async {
            Ok(app.desktop.window_shown(TITLE)?.then_some(()))
        })
        .await?;
        app.wait_for_visibility("visible").await?;

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
        app.readme_picture("live-banners.png", "#job-heading").await?;
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
