//! Chat while live: every platform's audience merged in one list as text (a hostile message
//! stays text, avatars come from Rust), sending to one platform or all with a receipt from each,
//! a refusal that keeps the text, dropped chat streams that lose and double nothing, and a long
//! chat followed to its newest message and held still to be read back to its first.

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use serde_json::json;

use crate::support::{AppSession, Service, admin, current_job, eventually, go_live_with, string_list};

/// Counts the messages the page posts on any `MessageChannel` from now on.
const COUNT_PORT_MESSAGES: &str = "window.__portMessages = 0;
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (...message) {
      window.__portMessages += 1;
      return post.apply(this, message);
    };";

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

/// Links `platforms` and goes live with `session`; answers the job's id and its comment-burst route.
async fn live_with_chat(
    app: &AppSession,
    ready: &restream_sandbox::Ready,
    platforms: &[&str],
    session: &str,
) -> anyhow::Result<(String, String)> {
    go_live_with(app, platforms, session).await?;
    let job = current_job(ready).await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let burst = format!("/sandbox/jobs/{job}/comments");
    Ok((job, burst))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_from_every_platform_arrives_as_text_and_sends_with_receipts() -> anyhow::Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("chat-merged-and-sent").start().await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        let (job, burst) = live_with_chat(app, &ready, &["twitch", "kick", "youtube"], "sess_chat").await?;
        // React's tasks stay in the web process: drawing chat posts nothing on a MessageChannel,
        // whose every message WebKit carries through its network process (ui/src/immediate.ts).
        app.client.execute(COUNT_PORT_MESSAGES, vec![]).await?;

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
        let posted = app.client.execute("return window.__portMessages", vec![]).await?;
        anyhow::ensure!(posted == json!(0), "{posted} messages posted on a MessageChannel");
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
        // Avatars arrive from Rust as data: URLs (the page itself loads nothing remote) and are
        // drawn from object URLs made from them, which the window's CSP lets it load.
        eventually("an avatar drawn", || async {
            let sources = app
                .client
                .execute(
                    "return Array.from(document.querySelectorAll('img.avatar'))
                       .map((i) => [i.src, i.complete && i.naturalWidth > 0])",
                    vec![],
                )
                .await?;
            let sources: Vec<(String, bool)> = serde_json::from_value(sources)?;
            anyhow::ensure!(sources.iter().all(|(s, _)| s.starts_with("blob:")), "{sources:?}");
            Ok((!sources.is_empty() && sources.iter().all(|(_, drawn)| *drawn)).then_some(()))
        })
        .await?;
        app.readme_picture("chat.png", "#chat-heading").await?;

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
        let (job, burst) = live_with_chat(app, &ready, &["twitch", "kick"], "sess_drops").await?;
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

/// Where the row of the comment `arguments[0]` is drawn: its top edge below the top of the list's
/// view and its bottom edge below the bottom of it, in pixels (`null` when it is not drawn).
const ROW_EDGES: &str = "const list = document.querySelector('[data-testid=chat-list]');
     const row = list.querySelector(`[data-comment-id=\"${arguments[0]}\"]`);
     if (!row) return null;
     const view = list.getBoundingClientRect().top + list.clientTop;
     const box = row.getBoundingClientRect();
     return [box.top - view, box.bottom - (view + list.clientHeight)];";

/// The pointer moved onto the middle of `element`, as the streamer's mouse does.
fn pointer_to(element: fantoccini::elements::Element) -> MouseActions {
    MouseActions::new("pointer".into()).then(PointerAction::MoveToElement {
        element,
        duration: None,
        x: 0.0,
        y: 0.0,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_chat_is_followed_to_its_end_and_holds_still_to_be_read() -> anyhow::Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("chat-read-back").start().await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        let (job, burst) = live_with_chat(app, &ready, &["twitch", "kick"], "sess_read_back").await?;
        let post = reqwest::Method::POST;
        // Many windows' worth of every kind of message (long ones many lines tall, avatars coming
        // later), and with the 5 below all the service keeps of a chat (200).
        admin(&ready, post.clone(), &burst, json!({ "count": 195 })).await?;
        let first = stored_ids(&ready, &job).await?;
        anyhow::ensure!(first.len() == 195, "the sandbox stored {} comments", first.len());
        let edges = |id: &str| {
            let id = json!(id);
            async move {
                let edges = app.client.execute(ROW_EDGES, vec![id]).await?;
                Ok::<_, anyhow::Error>(edges.as_array().map(|e| {
                    let px = |i: usize| e.get(i).and_then(serde_json::Value::as_f64).unwrap_or(f64::NAN);
                    (px(0), px(1))
                }))
            }
        };
        let at_the_end = |id: String| async move {
            Ok::<_, anyhow::Error>(edges(&id).await?.is_some_and(|(_, bottom)| bottom.abs() <= 1.0))
        };
        let newest = first.last().cloned().unwrap_or_default();
        // Following, the newest comment ends where the list's view ends, not cut off by a
        // correction the list made for rows above it measured while it followed.
        eventually("the newest comment at the end of the view", || async {
            Ok(at_the_end(newest.clone()).await?.then_some(()))
        })
        .await?;
        let following = edges(&newest).await?.map_or(f64::NAN, |(top, _)| top);

        // The streamer points at the chat and turns the wheel up: the newest comment moves down
        // as far, and stays there while the chat goes on under a count of what came.
        let list = app.element("[data-testid=chat-list]").await?;
        app.client.perform_actions(pointer_to(list.clone())).await?;
        // The wheel's event, then its scroll (WebKit's driver has no wheel).
        app.client
            .execute(
                "const list = document.querySelector('[data-testid=chat-list]');
                 list.dispatchEvent(new WheelEvent('wheel', { deltaY: -40, bubbles: true }));
                 list.scrollTop -= 40;",
                vec![],
            )
            .await?;
        let moved_down = || async {
            let top = edges(&newest).await?.map_or(f64::NAN, |(top, _)| top);
            Ok::<_, anyhow::Error>((top - following - 40.0).abs() <= 1.0)
        };
        eventually("the newest comment 40 px lower", || async {
            Ok(moved_down().await?.then_some(()))
        })
        .await?;
        admin(&ready, post.clone(), &burst, json!({ "count": 5 })).await?;
        app.wait_for_texts("[data-testid=chat-new-messages]", |t| t == ["5 new messages ↓"])
            .await?;
        anyhow::ensure!(moved_down().await?, "the list moved under the reader");

        // Up to the first comment, then, the pointer gone from the chat, to the end with the
        // count's button from the keyboard: following again.
        app.client
            .execute(
                "document.querySelector('[data-testid=chat-list]').scrollTop = 0",
                vec![],
            )
            .await?;
        let oldest = first.first().cloned().unwrap_or_default();
        eventually("the first comment at the top of the view", || async {
            Ok(edges(&oldest)
                .await?
                .is_some_and(|(top, _)| top.abs() <= 1.0)
                .then_some(()))
        })
        .await?;
        let heading = app.element("#chat-heading").await?;
        app.client.perform_actions(pointer_to(heading)).await?;
        app.element("[data-testid=chat-new-messages]")
            .await?
            .send_keys(&fantoccini::key::Key::Enter.to_string())
            .await?;
        let all = stored_ids(&ready, &job).await?;
        let newest = all.last().cloned().unwrap_or_default();
        eventually("the newest comment at the end of the view again", || async {
            Ok(at_the_end(newest.clone()).await?.then_some(()))
        })
        .await?;
        anyhow::ensure!(app.texts("[data-testid=chat-new-messages]").await?.is_empty());
        // Read through, the pointer on it (so it holds still), the list holds every comment once.
        app.client.perform_actions(pointer_to(list)).await?;
        let shown = app.chat_ids().await?;
        anyhow::ensure!(
            shown == all,
            "the chat differs from the service's record:\nshown {shown:?}\nstored {all:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_comment_too_large_to_show_is_marked_and_chat_goes_on() -> anyhow::Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("chat-too-large").start().await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        let (_, burst) = live_with_chat(app, &ready, &["twitch"], "sess_too_large").await?;
        let post = reqwest::Method::POST;
        admin(
            &ready,
            post.clone(),
            &burst,
            json!({ "count": 1, "message": "before" }),
        )
        .await?;
        app.wait_for_texts("[data-testid=chat-list] .chat-text", |t| t == ["before"])
            .await?;

        // A platform hands the service a comment over the client's 64 KiB line while the studio
        // is away: its first reconnect is refused (503, Retry-After 3 s, a floor for the next),
        // and the comment is replayed when it comes back.
        let opens = async || -> anyhow::Result<u64> {
            let stats = admin(&ready, reqwest::Method::GET, "/sandbox/stats", json!(null)).await?;
            Ok(stats["requests"]["GET /api/v1/comments/stream"]
                .as_u64()
                .unwrap_or(0))
        };
        let opened = opens().await?;
        let refuse_once = json!({
            "route": "GET /api/v1/comments/stream", "count": 1, "status": 503, "retryAfterSeconds": 3
        });
        admin(&ready, post.clone(), "/sandbox/faults", refuse_once).await?;
        admin(&ready, post.clone(), "/sandbox/streams/drop", json!(null)).await?;
        eventually("the refused reconnect", || async {
            Ok((opens().await? > opened).then_some(()))
        })
        .await?;
        admin(
            &ready,
            post.clone(),
            &burst,
            json!({ "count": 1, "messageBytes": 70_000 }),
        )
        .await?;
        admin(
            &ready,
            post.clone(),
            &burst,
            json!({ "count": 1, "message": "after" }),
        )
        .await?;

        let rows = "[data-testid=chat-list] .chat-text, [data-testid=chat-skipped]";
        app.wait_for_texts(rows, |t| {
            t == ["before", "1 message too large to show was skipped", "after"]
        })
        .await?;
        app.wait_for_texts("[data-testid=chat-status]", |t| t == ["Live"])
            .await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_keep_their_direction_and_long_messages_fold() -> anyhow::Result<()> {
    let service = Service::quiet().await?;
    let app = service.launch("chat-bidi-and-long").start().await?;
    let ready = service.ready().clone();
    app.run(async |app| {
        let (_, burst) = live_with_chat(app, &ready, &["twitch"], "sess_bidi").await?;
        let hostile = "\u{202E}evil\u{202C} admin";
        let post = reqwest::Method::POST;
        // Enough rows to scroll.
        admin(&ready, post.clone(), &burst, json!({ "count": 20 })).await?;
        admin(&ready, post.clone(), &burst, json!({ "count": 1, "author": hostile, "message": "hi" })).await?;
        admin(&ready, post.clone(), &burst, json!({ "count": 1, "messageBytes": 60_000 })).await?;
        app.wait_for_texts("[data-testid=chat-more]", |t| t == ["Show more"])
            .await?;
        // In WebKit itself: the name is an isolated run (an override in it ends with it), and the
        // 60,000-character message is a few lines, not a 36,000 px row.
        let laid_out = app
            .client
            .execute(
                "const author = [...document.querySelectorAll('.chat-author')].find((a) => a.textContent === arguments[0]);
                 const texts = [...document.querySelectorAll('[data-testid=chat-list] .chat-text')];
                 return {
                   bidi: getComputedStyle(author).unicodeBidi,
                   longHeight: texts[texts.length - 1].getBoundingClientRect().height,
                 };",
                vec![json!(hostile)],
            )
            .await?;
        anyhow::ensure!(laid_out["bidi"] == "isolate", "{laid_out}");
        anyhow::ensure!(
            laid_out["longHeight"].as_f64().is_some_and(|h| h > 0.0 && h < 200.0),
            "the long message is not folded: {laid_out}"
        );
        // Following: the newest row grows with no new chat (its whole text shown, as a keyboard
        // user would; a click would hold the list still under the pointer), and the list keeps
        // its end in view.
        let at_end = "const list = document.querySelector('[data-testid=chat-list]');
             return list.scrollHeight > 2 * list.clientHeight
               && list.scrollTop + list.clientHeight >= list.scrollHeight - 1;";
        app.client
            .execute("document.querySelector('[data-testid=chat-more]').click()", vec![])
            .await?;
        eventually("the list at the end of the grown row", || async {
            Ok((app.client.execute(at_end, vec![]).await? == json!(true)).then_some(()))
        })
        .await?;
        app.client
            .execute("document.querySelector('[data-testid=chat-more]').click()", vec![])
            .await?;
        app.wait_for_texts("[data-testid=chat-more]", |t| t == ["Show more"])
            .await?;
        app.click("[data-testid=chat-more]").await?;
        app.wait_for_texts("[data-testid=chat-more]", |t| t == ["Show less"])
            .await?;
        Ok(())
    })
    .await
}
