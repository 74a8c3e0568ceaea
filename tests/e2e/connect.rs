//! Linking platforms and the deep links that come back: the platforms listed from the service, a
//! link forwarded from a second launch or read at a cold start, connecting through the system
//! browser (approved, denied, or finished by asking the service when no link arrives), and a
//! browser that never opens anything.

use crate::support::{Launch, Service, eventually, go_live, platforms_listed};

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
        // Each name is its own isolated run (FSI … PDI): a name cannot reorder the others.
        anyhow::ensure!(
            shown.contains("\u{2068}state\u{2069}, \u{2068}platform\u{2069}, \u{2068}result\u{2069}"),
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
        app.readme_picture("platforms.png", ".app").await?;

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
async fn a_browser_that_never_opens_leaves_no_dead_end() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let log = service.path("browser.log");
    // `xdg-open` succeeds and nothing comes up, as when Chromium refuses to run as root.
    let app = service
        .launch("browser-never-opens")
        .env("BROWSER_DECISION", "none")
        .start()
        .await?;
    app.run(async |app| {
        platforms_listed(app).await?;
        app.click("[data-testid=connect-twitch]").await?;
        let twitch_page = app.field_value("[data-testid=waiting-twitch-url]").await?;
        anyhow::ensure!(
            opened(&log)? == [twitch_page.clone()],
            "the row shows {twitch_page}, the browser was asked for {:?}",
            opened(&log)?
        );

        // Another platform can connect meanwhile; its page is asked for once more on Open again.
        app.click("[data-testid=connect-kick]").await?;
        app.click("[data-testid=waiting-kick-reopen]").await?;
        eventually("the Kick page opened again", || async {
            let pages = opened(&log)?;
            Ok((pages.len() == 3 && pages[1] == pages[2] && pages[1] != twitch_page).then_some(()))
        })
        .await?;
        app.click("[data-testid=waiting-twitch-copy]").await?;
        // Whether this desktop lets the page write the clipboard or not, the row says which.
        app.wait_for_texts("[data-testid=waiting-twitch] .browser-wait-actions span", |t| {
            t == ["Copied."] || t == ["Select the address and copy it."]
        })
        .await?;

        // The streamer opens the address in a browser that works and approves: the deep link never
        // comes back, and the studio learns of it from the service.
        let approved = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?
            .post(&twitch_page)
            .form(&[("decision", "approve")])
            .send()
            .await?;
        anyhow::ensure!(
            approved.status().is_redirection(),
            "consent: {}",
            approved.status()
        );
        app.wait_for_text_containing("[data-testid=linked-twitch]", "demo-streamer_twitch")
            .await?;
        app.wait_for_texts("[data-testid=waiting-twitch]", <[String]>::is_empty)
            .await?;

        // Cancel ends Kick's wait, and its Connect button is back.
        app.click("[data-testid=waiting-kick-cancel]").await?;
        app.wait_for_texts("[data-testid=connect-outcome]", |t| t == ["Cancelled."])
            .await?;
        app.element("[data-testid=connect-kick]").await?;
        anyhow::ensure!(
            app.texts("[data-testid=waiting-kick]").await?.is_empty(),
            "Kick still waits"
        );
        Ok(())
    })
    .await
}

/// The pages the stand-in browser was asked to open, in order.
fn opened(log: &std::path::Path) -> anyhow::Result<Vec<String>> {
    Ok(std::fs::read_to_string(log)?.lines().map(str::to_owned).collect())
}
