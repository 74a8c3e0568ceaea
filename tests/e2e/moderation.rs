//! Moderating from the studio's merged chat against the sandbox: each row offers what its
//! platform allows, a ban is confirmed and reaches the service (the sandbox then stores none of
//! the author's messages), unban from the author's view undoes it, a moderator acting on the
//! platform itself is shown as such, and a refused action says why and changes nothing. axe-core
//! finds no violation in the new controls.

use anyhow::{Result, ensure};
use fantoccini::Locator;
use reqwest::Method;
use serde_json::json;

use crate::support::{
    AppSession, Service, admin, eventually, go_live_with, platform_moderator, say, stored_ids,
};

/// Waits for the window to show comment `id`.
async fn in_window(app: &AppSession, id: &str) -> Result<()> {
    app.element(&format!("[data-comment-id='{id}']")).await?;
    Ok(())
}

async fn exists(app: &AppSession, css: &str) -> Result<bool> {
    Ok(!app.client.find_all(Locator::Css(css)).await?.is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_windows_moderation_reaches_the_service_and_says_what_was_done_and_refused() -> Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("moderation-from-the-window").start().await?;
    app.run(async |app| {
        go_live_with(app, &["twitch", "kick", "instagram"], "sess_moderation").await?;
        // With no keychain on this desktop, the overlay's address lasts for this run only, and
        // the window is told so.
        let overlay = app.call_from_page("overlay_view", json!({})).await?;
        ensure!(overlay["addressForThisSessionOnly"] == json!(true), "{overlay}");

        // A ban, confirmed: the service keeps the author out (it stores none of their messages).
        let pest = say(&service, "twitch", "pest", "first").await?;
        in_window(app, &pest[0]).await?;
        app.click(&format!("[data-testid='moderate-{}']", pest[0]))
            .await?;
        app.element("[data-testid=mod-menu]").await?;
        app.expect_no_axe_violations("the moderation menu").await?;
        app.click("[data-testid=mod-ban]").await?;
        app.element("[data-testid=mod-ban-confirm]").await?;
        app.expect_no_axe_violations("the ban question").await?;
        app.click("[data-testid=mod-ban-go]").await?;
        app.wait_for_text_containing("[data-testid=chat-moderated]", "pest was banned on Twitch")
            .await?;
        app.element(&format!("[data-testid='restricted-{}']", pest[0]))
            .await?;
        ensure!(
            say(&service, "twitch", "pest", "let me back in")
                .await?
                .is_empty(),
            "the service still takes a banned author's messages"
        );

        // Unban from the author's view.
        app.click(&format!("[data-testid='author-{}']", pest[0])).await?;
        app.element("[data-testid=author-view]").await?;
        app.expect_no_axe_violations("the author's view").await?;
        app.click("[data-testid=mod-unban]").await?;
        app.wait_for_text_containing("[data-testid=chat-moderated]", "pest was unbanned on Twitch")
            .await?;
        app.click("[data-testid=author-close]").await?;
        ensure!(
            !say(&service, "twitch", "pest", "thank you").await?.is_empty(),
            "the service still refuses the unbanned author"
        );

        // A moderator on Kick deletes a message: it leaves the window, which says who did it.
        let rude = say(&service, "kick", "rude", "something rude").await?;
        in_window(app, &rude[0]).await?;
        platform_moderator(
            &service,
            json!({ "action": "delete", "platform": "kick", "commentId": rude[0] }),
        )
        .await?;
        app.wait_for_text_containing(
            "[data-testid=chat-moderated]",
            "Removed by a moderator on Kick: a message by rude",
        )
        .await?;
        eventually("the deleted message gone from the window", || async {
            Ok((!exists(app, &format!("[data-comment-id='{}']", rude[0])).await?).then_some(()))
        })
        .await?;

        // Refused for want of the scope: the cause and what the operator must grant; nothing
        // changes.
        let kept = say(&service, "twitch", "viewer", "keep me").await?;
        in_window(app, &kept[0]).await?;
        let refuse = json!({
            "route": "POST /api/v1/chat/moderation", "count": 1, "status": 403, "code": "missing_scope",
        });
        admin(service.ready(), Method::POST, "/sandbox/faults", refuse).await?;
        app.click(&format!("[data-testid='moderate-{}']", kept[0]))
            .await?;
        app.click("[data-testid=mod-delete]").await?;
        app.wait_for_text_containing("[data-testid=mod-error]", "chat:moderate")
            .await?;
        in_window(app, &kept[0]).await?;
        ensure!(
            stored_ids(&service).await?.contains(&kept[0]),
            "a refused delete deleted"
        );
        // Escape closes the menu (and the list follows new messages again).
        app.client
            .active_element()
            .await?
            .send_keys(&fantoccini::key::Key::Escape.to_string())
            .await?;
        eventually("the menu closed", || async {
            Ok((!exists(app, "[data-testid=mod-menu]").await?).then_some(()))
        })
        .await?;

        // Instagram lets apps only delete: the row offers delete and hiding from the overlay.
        let insta = say(&service, "instagram", "fan", "love it").await?;
        in_window(app, &insta[0]).await?;
        app.click(&format!("[data-testid='moderate-{}']", insta[0]))
            .await?;
        let menu = "[data-testid=mod-menu]";
        eventually("Instagram's menu", || async {
            let offered = exists(app, &format!("{menu} [data-testid=mod-delete]")).await?
                && exists(app, &format!("{menu} [data-testid=mod-hide-overlay]")).await?;
            Ok(offered.then_some(()))
        })
        .await?;
        for absent in ["mod-ban", "mod-timeout-60", "mod-unban"] {
            ensure!(
                !exists(app, &format!("{menu} [data-testid={absent}]")).await?,
                "Instagram offers {absent}"
            );
        }
        Ok(())
    })
    .await
}
