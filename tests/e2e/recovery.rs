//! Coming back after the app is gone: started again (as after a crash, or after quitting), it
//! finds its linked platforms and the stream still live, with a service or in demo mode, whose
//! database lives in the app's data folder. A forged deep link before that changes nothing.

use crate::support::{Launch, Service, go_live, link_platforms, platforms_listed};

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
