//! The chat overlay in a real browser, with the real studio: OBS's browser source is Chromium, so
//! the page is opened in Debian's Chromium while the studio runs against the sandbox. A
//! MutationObserver kept for the whole test proves what never entered the page: a message deleted,
//! or whose author was banned, during the hold. Messages appear only after the hold, hostile text
//! stays text, and the page rides out a restart of the studio without reloading. Plus the window's
//! moderation: its buttons reach the service (the sandbox's record shows the action), and a
//! removal leaves the window and the overlay.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use crate::support::{
    AppSession, OverlayPage, Service, author_of, eventually, go_live_with, platform_moderator, say,
    stored_ids,
};

/// The hold the tests use: short, but long enough to act within.
const HOLD_SECONDS: u64 = 2;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Saves the overlay's settings with `change` applied, through the window's own command.
async fn set_overlay(app: &AppSession, change: impl FnOnce(&mut Value)) -> Result<Value> {
    let mut settings = app.call_from_page("overlay_view", json!({})).await?["settings"].clone();
    change(&mut settings);
    app.call_from_page("save_overlay_settings", json!({ "settings": settings }))
        .await
}

async fn shown_in(page: &OverlayPage, ids: &[String]) -> Result<()> {
    eventually(&format!("{ids:?} on the overlay"), || async {
        let shown = page.shown().await?;
        Ok(ids.iter().all(|id| shown.contains(id)).then_some(()))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overlay_in_chromium_never_shows_what_was_removed_in_the_hold_and_rides_out_a_restart()
-> Result<()> {
    let service = Service::quiet().await?;
    // The keychain keeps the address's secret, so the page's address outlives the restart.
    let app = service.launch("overlay-in-chromium").keyring().start().await?;
    let port = restream_test_neighbours::free_port();
    let mut page = None;
    let mut removed = Vec::new();
    let mut hidden_by_hand = Vec::new();
    app.check(async |app| {
        go_live_with(app, &["twitch", "kick", "youtube"], "sess_overlay").await?;
        let view = set_overlay(app, |s| {
            s["holdSeconds"] = json!(HOLD_SECONDS);
            s["port"] = json!(port);
        })
        .await?;
        ensure!(view["servingOn"] == json!(port), "served on the chosen port: {view}");
        ensure!(
            view["addressForThisSessionOnly"] == json!(false),
            "the keychain keeps the address: {view}"
        );
        let address = app.call_from_page("overlay_address", json!({})).await?;
        let address = address.as_str().context("the address")?.to_owned();
        ensure!(address.starts_with(&format!("http://127.0.0.1:{port}/overlay/")));

        // A wrong secret and a foreign Host are refused.
        let wrong = address.replace("/overlay/", "/overlay/x");
        ensure!(reqwest::get(&wrong).await?.status() == 404, "a wrong secret gets 404");
        let foreign = reqwest::Client::new()
            .get(&address)
            .header("host", "rebound.example")
            .send()
            .await?;
        ensure!(foreign.status() == 421, "a foreign Host is refused");

        let overlay = &*page.insert(OverlayPage::open(&address, "set before the restart").await?);

        // Deleted during the hold by a moderator on Twitch, and an author banned on Kick during
        // the hold: neither ever enters the page.
        let deleted = say(&service, "twitch", "doomed", "delete me").await?;
        platform_moderator(
            &service,
            json!({ "action": "delete", "platform": "twitch", "commentId": deleted[0] }),
        )
        .await?;
        let banned = say(&service, "kick", "troll", "you will never read this").await?;
        let troll = author_of(app, &banned[0]).await?;
        platform_moderator(
            &service,
            json!({ "action": "ban", "platform": "kick", "authorId": troll }),
        )
        .await?;

        // Then ordinary chat and a hostile message: shown, after the hold, as text.
        let sent_at = now_ms();
        let hostile = r#"<img src=x onerror="document.title='pwned'">"#;
        let mut fine = say(&service, "youtube", "viewer", "hello from YouTube").await?;
        fine.extend(say(&service, "twitch", "\u{202e}reversed", hostile).await?);
        shown_in(overlay, &fine).await?;
        let added = overlay.added().await?;
        for id in &fine {
            let at = added.iter().find(|a| a.id == *id).context("logged")?.at;
            ensure!(
                at >= sent_at + (HOLD_SECONDS * 1000) as i64,
                "{id} entered the page {} ms after it was sent, inside the hold",
                at - sent_at
            );
        }
        removed.extend(deleted.iter().chain(&banned).cloned());
        for gone in &removed {
            ensure!(
                added.iter().all(|a| a.id != *gone),
                "{gone} entered the page: {added:?}"
            );
        }
        let text = overlay
            .eval(&format!(
                "return document.querySelector('[data-id=\"{}\"] .text').textContent;",
                fine[1]
            ))
            .await?;
        ensure!(text == json!(hostile), "hostile text is shown as text: {text}");
        let injected = overlay
            .eval("return document.querySelectorAll('img:not(.avatar)').length + (document.title === 'pwned' ? 100 : 0);")
            .await?;
        ensure!(injected == json!(0), "chat text became markup: {injected}");
        let isolated = overlay
            .eval(&format!(
                "return document.querySelector('[data-id=\"{}\"] .author').tagName;",
                fine[1]
            ))
            .await?;
        ensure!(isolated == json!("BDI"), "a name is isolated: {isolated}");

        // A picture comes as a data: URL from the studio's cache, once the studio has fetched it:
        // the author's next message shows it.
        let again = say(&service, "youtube", "viewer", "hello again").await?;
        shown_in(overlay, &again).await?;
        let avatar = overlay
            .eval(&format!(
                "return document.querySelector('[data-id=\"{}\"] img.avatar')?.src ?? null;",
                again[0]
            ))
            .await?;
        ensure!(
            avatar.as_str().is_some_and(|src| src.starts_with("data:image/")),
            "the avatar is a data: image: {avatar}"
        );

        // Deleted from the window after it showed: it leaves the overlay at once.
        let shown_then_deleted = say(&service, "twitch", "regret", "I take it back").await?;
        shown_in(overlay, &shown_then_deleted).await?;
        let row = format!("[data-testid='moderate-{}']", shown_then_deleted[0]);
        app.click(&row).await?;
        app.click("[data-testid=mod-delete]").await?;
        eventually("the deleted message off the overlay", || async {
            Ok((!overlay.shown().await?.contains(&shown_then_deleted[0])).then_some(()))
        })
        .await?;
        ensure!(
            !stored_ids(&service).await?.contains(&shown_then_deleted[0]),
            "the service deleted it"
        );

        // Hidden from the overlay only, from the window: it leaves the overlay, the platform
        // keeps it, and it stays hidden after the restart below, when the studio reads its chat
        // from the service again.
        let hidden = say(&service, "kick", "regular", "not for the stream").await?;
        shown_in(overlay, &hidden).await?;
        app.click(&format!("[data-testid='moderate-{}']", hidden[0]))
            .await?;
        app.click("[data-testid=mod-hide-overlay]").await?;
        eventually("the hidden message off the overlay", || async {
            Ok((!overlay.shown().await?.contains(&hidden[0])).then_some(()))
        })
        .await?;
        ensure!(
            stored_ids(&service).await?.contains(&hidden[0]),
            "the platform keeps a message hidden from the overlay"
        );
        hidden_by_hand.extend(hidden);

        // A line that faded never comes back: a page that connects again (OBS refreshes a
        // source when its scene shows) is sent only what still shows. The fade outlasts the
        // hold, so a line sent again would still be on screen when the next one shows.
        set_overlay(app, |s| s["fadeSeconds"] = json!(3)).await?;
        let faded = say(&service, "kick", "viewer", "here for three seconds").await?;
        shown_in(overlay, &faded).await?;
        eventually("the line faded off the overlay", || async {
            Ok((!overlay.shown().await?.contains(&faded[0])).then_some(()))
        })
        .await?;
        let second = OverlayPage::open(&address, "a source shown again").await?;
        let next = say(&service, "kick", "viewer", "after the fade").await?;
        let checked = async {
            shown_in(&second, &next).await?;
            let shown = second.shown().await?;
            let added = second.added().await?;
            ensure!(
                !shown.contains(&faded[0]) && added.iter().all(|a| a.id != faded[0]),
                "a faded line came back on a page that connected again: {shown:?} {added:?}"
            );
            Ok(())
        }
        .await;
        second.close().await?;
        checked?;
        set_overlay(app, |s| s["fadeSeconds"] = json!(0)).await?;

        // The window's preview frames the same page (its CSP and the page's allow exactly that).
        app.open_settings().await?;
        app.click("[data-testid=overlay-preview]").await?;
        app.element("[data-testid=overlay-preview-frame]")
            .await?
            .enter_frame()
            .await?;
        let framed = eventually("chat in the preview", || async {
            let rows = app
                .client
                .execute("return document.querySelectorAll('#chat .row').length;", vec![])
                .await?;
            Ok(rows.as_u64().filter(|n| *n > 0))
        })
        .await;
        app.client.enter_parent_frame().await?;
        framed?;
        app.click("[data-testid=open-settings]").await?;
        Ok(())
    })
    .await?;

    let overlay = page.context("the overlay page")?;
    let app = app.restart("overlay-after-restart").await?;
    let outcome = app
        .run(async |_| {
            let after = say(&service, "youtube", "viewer", "after the restart").await?;
            shown_in(&overlay, &after).await?;
            let marker = overlay.eval("return window.__marker;").await?;
            ensure!(
                marker == json!("set before the restart"),
                "the page was reloaded: {marker}"
            );
            // The studio read its chat again from the service: what was removed stays out.
            let added = overlay.added().await?;
            ensure!(
                added.iter().all(|a| !removed.contains(&a.id)),
                "something removed came back after the restart: {added:?}"
            );
            let shown = overlay.shown().await?;
            for id in &hidden_by_hand {
                let entered = added.iter().filter(|a| a.id == *id).count();
                ensure!(
                    entered == 1 && !shown.contains(id),
                    "{id}, hidden from the overlay, came back after the restart: {added:?}"
                );
            }
            Ok(())
        })
        .await;
    overlay.close().await?;
    outcome
}
