//! The studio beside a real OBS: Debian's OBS 29 (obs-websocket 5.1) under Xvfb, a real RTMP
//! ingest (nginx's RTMP module, its hooks calling the sandbox, a 3 s reconnect window), the
//! sandbox with its ingest on, and the real app. The streamer links OBS in Settings, sets it up
//! in one click, and OBS's own Start and Stop drive the fan-out; the ingest crashing and coming
//! back within the window keeps it. Waits end on what OBS, the service or the window says.

use anyhow::{Context, Result, ensure};
use restream_test_neighbours::free_port;
use restream_test_neighbours::obs::{PASSWORD, RealObs};
use restream_test_neighbours::rtmp::Nginx;
use secrecy::ExposeSecret;

use crate::support::{
    Service, as_streamer, current_job, go_live_with_obs, link_obs, link_platforms, obs_session, set_up_obs,
};

/// The service's reconnect window: short for a test, long enough for nginx to come back within.
const GRACE_MS: u64 = 3_000;

/// Where OBS streams before it is set up: nowhere that answers.
const NOWHERE: &str = "rtmp://127.0.0.1:9/nowhere";

/// The streamer's ingest key, read from the service.
async fn ingest_key(service: &Service) -> Result<String> {
    let ingest = as_streamer(service.ready(), "/api/v1/ingest").await?;
    Ok(ingest["rtmp"]["streamKey"]
        .as_str()
        .context("the ingest has an RTMP key")?
        .to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn obs_is_set_up_goes_live_with_the_ingest_rides_out_a_crash_and_ends_with_the_window() -> Result<()> {
    let rtmp_port = free_port();
    let service = Service::with_ingest(&format!("rtmp://127.0.0.1:{rtmp_port}/live"), GRACE_MS).await?;
    let ready = service.ready().clone();
    let hook = ready
        .ingest_hook_url
        .clone()
        .context("the sandbox's ingest hook")?;
    let mut nginx = Some(Nginx::with_hooks(&service.path("ingest"), rtmp_port, &hook));
    let obs = RealObs::start_on(free_port(), NOWHERE);
    let key = ingest_key(&service).await?;
    let app = service.launch("obs-go-live").keyring().start().await?;
    let outcome = app
        .run(async |app| {
            link_platforms(app, &["twitch", "kick"]).await?;
            link_obs(app, obs.websocket_port, PASSWORD).await?;
            app.wait_for_text_containing("[data-testid=obs-link]", "Linked to OBS 29")
                .await?;

            // Set up OBS: what it streams to now and what it will, the new key masked.
            app.click("[data-testid=obs-set-up]").await?;
            let shown = app
                .wait_for_text_containing("[data-testid=obs-setup]", NOWHERE)
                .await?;
            ensure!(
                shown.iter().all(|t| !t.contains(&key)),
                "the key was shown: {shown:?}"
            );
            ensure!(
                shown.iter().any(|t| t.contains(&key[key.len() - 4..])),
                "its last four are not shown: {shown:?}"
            );
            set_up_obs(app).await?;
            let page = app.client.source().await?;
            ensure!(!page.contains(&key), "the stream key reached the page");

            // OBS's own settings, read back over obs-websocket.
            let (hands, _) = obs_session(obs.websocket_port).await?;
            let written = hands.stream_service().await?;
            ensure!(written.kind == "rtmp_custom", "{}", written.kind);
            ensure!(written.server.as_deref() == Some(format!("rtmp://127.0.0.1:{rtmp_port}/live").as_str()));
            ensure!(written.key.as_ref().map(|k| k.expose_secret().to_owned()) == Some(key.clone()));

            // Go live everywhere when OBS starts streaming, and the streamer presses Start in OBS.
            go_live_with_obs(app).await?;
            hands.start_stream().await?;
            app.wait_for_texts("[data-testid=job-status]", |t| t == ["Live"])
                .await?;
            let job = current_job(&ready).await?;
            let sessions = as_streamer(&ready, "/api/v1/sessions/live").await?;
            let session = &sessions["sessions"][0];
            ensure!(session["source"] == "rtmp", "{sessions}");
            ensure!(
                job["publisherSessionId"] == session["publisherSessionId"],
                "{job} {sessions}"
            );
            ensure!(job["destinations"].as_array().map(Vec::len) == Some(2), "{job}");
            app.wait_for_text_containing("[data-testid=obs-rule]", "the service's ingest")
                .await?;
            app.wait_for_text_containing("[data-testid=obs-activity]", "going live everywhere")
                .await?;

            // The ingest crashes: OBS reconnects, the window says so, and nothing stops.
            nginx.take().context("nginx runs")?.kill();
            app.wait_for_text_containing("[data-testid=obs-output]", "OBS is reconnecting")
                .await?;
            nginx = Some(Nginx::with_hooks(&service.path("ingest"), rtmp_port, &hook));
            app.wait_for_text_containing("[data-testid=obs-output]", "OBS is streaming")
                .await?;
            let after = current_job(&ready).await?;
            ensure!(
                after["id"] == job["id"] && after["status"] == "running",
                "{after}"
            );
            let sessions = as_streamer(&ready, "/api/v1/sessions/live").await?;
            ensure!(sessions["sessions"][0]["publisherSessionId"] == session["publisherSessionId"]);

            // The streamer stops in OBS: once the reconnect window passes, the stream ends, and
            // the window says why.
            hands.stop_stream().await?;
            app.wait_for_text_containing("[data-testid=obs-activity]", "reconnect window")
                .await?;
            app.wait_for_texts("[data-testid=job-status]", |t| t == ["Ended (your stream ended)"])
                .await?;
            ensure!(current_job(&ready).await?["status"] == "ended");
            Ok(())
        })
        .await;
    outcome.with_context(|| format!("OBS's log: {}", obs.log().display()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_obs_link_says_why_it_is_down_and_links_by_itself_when_obs_comes() -> Result<()> {
    let rtmp_port = free_port();
    let service = Service::with_ingest(&format!("rtmp://127.0.0.1:{rtmp_port}/live"), GRACE_MS).await?;
    let hook = service
        .ready()
        .ingest_hook_url
        .clone()
        .context("the sandbox's ingest hook")?;
    let _nginx = Nginx::with_hooks(&service.path("ingest"), rtmp_port, &hook);
    let obs_port = free_port();
    let app = service.launch("obs-link-states").keyring().start().await?;
    app.run(async |app| {
        // OBS is not running yet: the window says so, and what to do.
        link_obs(app, obs_port, "not-the-password").await?;
        app.wait_for_text_containing(
            "[data-testid=obs-link]",
            &format!("Nothing answers at 127.0.0.1:{obs_port}"),
        )
        .await?;

        // OBS comes up (after the studio): the studio tries by itself, and is refused the password.
        let obs = RealObs::start_on(obs_port, NOWHERE);
        app.wait_for_text_containing("[data-testid=obs-link]", "OBS refused the password.")
            .await?;
        app.wait_for_text_containing("[data-testid=obs-link]", "Show Connect Info")
            .await?;

        // The right password links it.
        app.open_settings().await?;
        app.type_into("[data-testid=obs-password]", PASSWORD).await?;
        app.click("[data-testid=obs-save]").await?;
        app.wait_for_text_containing("[data-testid=obs-link]", "Linked to OBS 29")
            .await?;

        // OBS is killed mid-stream: the link says so, and comes back by itself with the next
        // OBS, with the settings and the saved password kept.
        set_up_obs(app).await?;
        let (hands, _) = obs_session(obs_port).await?;
        hands.start_stream().await?;
        app.wait_for_text_containing("[data-testid=obs-output]", "OBS is streaming")
            .await?;
        drop(hands);
        obs.kill();
        app.wait_for_text_containing("[data-testid=obs-link]", "Nothing answers")
            .await?;
        anyhow::ensure!(
            app.texts("[data-testid=obs-output]").await?.is_empty(),
            "a dead OBS shown streaming"
        );
        let _obs = RealObs::start_on(obs_port, NOWHERE);
        app.wait_for_text_containing("[data-testid=obs-link]", "Linked to OBS 29")
            .await?;
        app.wait_for_text_containing("[data-testid=obs-output]", "OBS is not streaming")
            .await?;
        Ok(())
    })
    .await
}
