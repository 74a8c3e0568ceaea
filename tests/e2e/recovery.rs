//! Coming back after the app is gone: started again (as after a crash, or after quitting), it
//! finds its linked platforms and the stream still live, with a service or in demo mode, whose
//! database lives in the app's data folder. A forged deep link before that changes nothing. And
//! coming back after the service misbehaved: its errors go once it works again, and chat refused
//! while live says why and comes back.

use serde_json::json;

use crate::support::{Launch, Service, admin, go_live, link_platforms, platforms_listed};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_clear_when_the_service_works_again_and_refused_chat_comes_back() -> anyhow::Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("errors-clear-chat-comes-back").start().await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        link_platforms(app, &["twitch"]).await?;
        go_live(app, "sess_faults").await?;
        let post = reqwest::Method::POST;
        // The service is unavailable to the job poll for a while: the window says so, then not.
        let storm = json!({ "route": "GET /api/v1/jobs/{id}", "count": 3, "status": 503 });
        admin(&ready, post.clone(), "/sandbox/faults", storm).await?;
        app.wait_for_text_containing("[data-testid=studio-error]", "HTTP 503")
            .await?;
        app.wait_for_texts("[data-testid=studio-error]", |t| t.is_empty())
            .await?;

        // Chat is refused twice in a row (a fresh credential does not cure it): the window says
        // why, keeps retrying, and "Retry now" brings it back at once.
        let refused = json!({ "route": "GET /api/v1/comments/stream", "count": 2, "status": 401 });
        admin(&ready, post.clone(), "/sandbox/faults", refused).await?;
        admin(&ready, post.clone(), "/sandbox/streams/drop", json!(null)).await?;
        app.wait_for_texts("[data-testid=chat-last-error]", |t| {
            t == ["401 invalid_credential"]
        })
        .await?;
        app.wait_for_text_containing("[data-testid=chat-refused]", "credential")
            .await?;
        app.click("[data-testid=chat-retry]").await?;
        app.wait_for_texts("[data-testid=chat-status]", |t| t == ["Live"])
            .await?;
        app.wait_for_texts("[data-testid=chat-refused]", |t| t.is_empty())
            .await?;
        Ok(())
    })
    .await
}
