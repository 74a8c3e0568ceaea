//! The trust boundaries: the page may call only what the capability grants (no emit, no opener,
//! none of the plugins Rust alone uses), it may connect to its own chat feed and to no other
//! local port, and no secret (a configured token, a publishable key
//! saved in Settings) reaches the logs, the settings files or the diagnostics.

use serde_json::json;

use crate::support::{AppSession, Launch, Service, diagnostics_mentioning, eventually, platforms_listed};

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

/// Whether the page's script reaches `url` at all: `no-cors`, so only the window's CSP can refuse.
async fn page_reaches(app: &AppSession, url: &str) -> anyhow::Result<String> {
    let script = r#"
        const [url, done] = arguments;
        const stop = new AbortController();
        fetch(url, { mode: "no-cors", signal: stop.signal }).then(
          () => { stop.abort(); done("reached"); },
          (e) => done("refused: " + String(e)));
    "#;
    let outcome = app.client.execute_async(script, vec![json!(url)]).await?;
    Ok(outcome.as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_may_connect_to_its_chat_feed_and_to_no_other_local_port() -> anyhow::Result<()> {
    let service = Service::start().await?;
    let app = Launch::new("chat-feed-only").service(&service).start().await?;
    let elsewhere = format!("{}/api/v1/platforms", service.ready().base_url);
    app.run(async |app| {
        platforms_listed(app).await?;
        let feed = app.call_from_page("chat_feed", json!({})).await?;
        let feed = feed.as_str().unwrap_or_default();
        anyhow::ensure!(
            feed.starts_with("http://127.0.0.1:"),
            "the feed's address: {feed}"
        );
        let reached = page_reaches(app, &format!("{feed}?cursor=0")).await?;
        anyhow::ensure!(
            reached == "reached",
            "the page could not reach its chat feed: {reached}"
        );
        // Another program's port on this computer (here, the service's): the CSP names the feed's
        // port alone, so a script that got into the page cannot talk to local servers.
        let outcome = page_reaches(app, &elsewhere).await?;
        anyhow::ensure!(
            outcome.starts_with("refused"),
            "the page reached {elsewhere}: {outcome}"
        );
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
        app.open_settings().await?;
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
