//! Signing in (token mode, the sandbox playing the operator): through the system browser, by the
//! deep link or the loopback route, signing out, and where the sign-in is kept: the keychain
//! across restarts, or only for the session where there is no keychain, which the window says.

use crate::support::{Launch, Service, platforms_listed};

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
        // The browser's page is open (the window shows its address) when the link fails to come.
        app.element("[data-testid=sign-in-page]").await?;
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
async fn a_sign_in_whose_browser_never_opens_can_be_cancelled_or_finished_by_hand() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = service
        .launch_token_mode("sign-in-browser-never-opens")
        .env("BROWSER_DECISION", "none")
        .start()
        .await?;
    app.run(async |app| {
        app.click("[data-testid=sign-in]").await?;
        app.field_value("[data-testid=sign-in-page-url]").await?;
        app.click("[data-testid=sign-in-page-cancel]").await?;
        // Cancelled here: the Sign in button is back, with no error to read.
        app.element("[data-testid=sign-in]").await?;
        anyhow::ensure!(
            app.texts("[data-testid=sign-in-panel] [role=alert]")
                .await?
                .is_empty(),
            "a cancel showed an error"
        );

        // Again, and this time the streamer signs in with the address in a browser that works,
        // whose redirect the OS hands to the app.
        app.click("[data-testid=sign-in]").await?;
        let page = reqwest::Url::parse(&app.field_value("[data-testid=sign-in-page-url]").await?)?;
        let form = format!(
            "{}&user_id=demo-streamer&decision=approve",
            page.query().unwrap_or_default()
        );
        let mut action = page.clone();
        action.set_query(None);
        let answer = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?
            .post(action.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await?;
        let link = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .ok_or_else(|| anyhow::anyhow!("the sign-in page did not redirect: {}", answer.status()))?
            .to_owned();
        app.launch_again(&[link.as_str()]).await?;
        platforms_listed(app).await?;
        Ok(())
    })
    .await
}
