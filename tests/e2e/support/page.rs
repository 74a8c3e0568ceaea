//! Reading and using the page over WebDriver, as the streamer would: click, type, read texts and
//! wait for them, and read the virtualized chat list. Also calling a Tauri command from inside the
//! page, as page script could.

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::json;

use super::launch::AppSession;
use super::wait::{UI_TIMEOUT, eventually};

impl AppSession {
    /// The element matching `css`, once it exists.
    pub async fn element(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(UI_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for `{css}`"))
    }

    /// Clicks the element matching `css`, waiting for it to exist. One that cannot be clicked
    /// where it is (at the edge of a scrolled list, under the chat's "new messages" button, or
    /// while the list settles) is brought to the middle of its scroller, the chat set following
    /// again, and tried again until the harness's deadline. Only a refusal that means nothing was
    /// clicked is tried again: any other error may come after the click landed, and a second
    /// click would undo a toggle.
    pub async fn click(&self, css: &str) -> Result<()> {
        eventually(&format!("`{css}` to take a click"), || async {
            let element = self.element(css).await?;
            match element.click().await {
                Ok(()) => return Ok(Some(())),
                Err(e) if !nothing_was_clicked(&e) => {
                    return Err(e).with_context(|| format!("clicking `{css}`"));
                }
                Err(_) => {}
            }
            // The newest row cannot be scrolled above the "new messages" button: follow the
            // chat again, as the streamer would, which takes the button away. Not from inside a
            // row's menu: a press elsewhere closes it.
            let in_menu = self
                .client
                .execute(
                    "return arguments[0].closest('.mod-menu') !== null;",
                    vec![serde_json::to_value(&element)?],
                )
                .await
                .is_ok_and(|v| v == serde_json::Value::Bool(true));
            let jumps = if in_menu {
                Vec::new()
            } else {
                self.client
                    .find_all(Locator::Css("[data-testid=chat-new-messages]"))
                    .await?
            };
            for jump in jumps {
                if let Err(e) = jump.click().await
                    && !nothing_was_clicked(&e)
                {
                    return Err(e).context("clicking \"new messages\"");
                }
            }
            // Found again: following the chat may have drawn its row anew.
            let element = self.element(css).await?;
            match self
                .client
                .execute(
                    "arguments[0].scrollIntoView({ block: 'center' });",
                    vec![serde_json::to_value(&element)?],
                )
                .await
            {
                Ok(_) => Ok(None),
                Err(e) if is_stale(&e) => Ok(None),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// Opens Settings, or leaves them open, and waits until they are open and their saved values
    /// are read: the form then fills in and moves what lies below it, so a click aimed earlier
    /// could land on whatever moved under it.
    pub async fn open_settings(&self) -> Result<()> {
        const TOGGLE: &str = "[data-testid=open-settings]";
        let open = async || -> Result<bool> {
            let expanded = self.element(TOGGLE).await?.attr("aria-expanded").await?;
            Ok(expanded.as_deref() == Some("true"))
        };
        if !open().await? {
            self.click(TOGGLE).await?;
        }
        eventually("Settings to be open", || async {
            Ok(open().await?.then_some(()))
        })
        .await?;
        self.element("[data-testid=settings][aria-busy=false]").await?;
        Ok(())
    }

    /// Waits until the page says it is `state` ("visible" or "hidden"): what its clocks go by to
    /// stop redrawing while nobody sees them.
    pub async fn wait_for_visibility(&self, state: &str) -> Result<()> {
        eventually(&format!("the page to say it is {state}"), || async {
            let said = self
                .client
                .execute("return document.visibilityState;", vec![])
                .await?;
            Ok((said == json!(state)).then_some(()))
        })
        .await
    }

    /// The value of the field matching `css`, once it has one.
    pub async fn field_value(&self, css: &str) -> Result<String> {
        eventually(css, || async {
            let value = self.element(css).await?.prop("value").await?;
            Ok(value.filter(|v| !v.is_empty()))
        })
        .await
    }

    /// Types `text` into the element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        self.element(css)
            .await?
            .send_keys(text)
            .await
            .with_context(|| format!("typing into `{css}`"))?;
        Ok(())
    }

    /// Texts of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await? {
            texts.push(element.text().await?);
        }
        Ok(texts)
    }

    /// Waits until `css` matches elements whose texts satisfy `accept`; returns those texts.
    pub async fn wait_for_texts(&self, css: &str, accept: impl Fn(&[String]) -> bool) -> Result<Vec<String>> {
        let accept = &accept;
        let found = eventually(&format!("`{css}` to show the expected text"), || async move {
            let texts = self.texts(css).await.unwrap_or_default();
            Ok(accept(&texts).then_some(texts))
        })
        .await;
        match found {
            Ok(texts) => Ok(texts),
            Err(e) => Err(e.context(format!(
                "last seen: {:?}",
                self.texts(css).await.unwrap_or_default()
            ))),
        }
    }

    /// Waits until some element matching `css` has a text containing `needle`; returns the texts.
    pub async fn wait_for_text_containing(&self, css: &str, needle: &str) -> Result<Vec<String>> {
        self.wait_for_texts(css, |texts| texts.iter().any(|t| t.contains(needle)))
            .await
    }

    /// Calls a Tauri command from inside the page, as page script could; returns "ok" or the
    /// rejection message.
    pub async fn invoke_from_page(&self, command: &str, args: serde_json::Value) -> Result<String> {
        let script = r#"
            const [command, args, done] = arguments;
            window.__TAURI_INTERNALS__.invoke(command, args)
              .then(() => done("ok"), (e) => done("rejected: " + String(e)));
        "#;
        let value = self
            .client
            .execute_async(script, vec![json!(command), args])
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Calls a Tauri command from inside the page and answers what it returned; a rejection fails
    /// with its message.
    pub async fn call_from_page(&self, command: &str, args: serde_json::Value) -> Result<serde_json::Value> {
        let script = r#"
            const [command, args, done] = arguments;
            window.__TAURI_INTERNALS__.invoke(command, args)
              .then((value) => done({ value: value ?? null }), (e) => done({ error: String(JSON.stringify(e)) }));
        "#;
        let answer = self
            .client
            .execute_async(script, vec![json!(command), args])
            .await?;
        if let Some(error) = answer.get("error") {
            bail!("{command} was refused: {error}");
        }
        Ok(answer["value"].clone())
    }

    /// Runs axe-core in the page (WCAG 2.1 A and AA rules); fails listing each violation on
    /// `screen`.
    pub async fn expect_no_axe_violations(&self, screen: &str) -> Result<()> {
        let axe = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js"),
        )
        .map_err(|e| {
            anyhow::anyhow!("axe-core is not installed (run `npm ci` at the repository root): {e}")
        })?;
        self.client
            .execute(&format!("{axe}\nreturn true;"), vec![])
            .await?;
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
              .then((r) => done(r.violations.map((v) =>
                `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ") + " " + (n.failureSummary ?? "")).join(" | ")}`)))
              .catch((e) => done(["axe failed: " + String(e)]));
        "#;
        let violations = string_list(&self.client.execute_async(script, vec![]).await?);
        anyhow::ensure!(violations.is_empty(), "{screen}: {violations:#?}");
        Ok(())
    }

    /// Every comment id the chat list holds, oldest first. The list is virtualized (only rows in
    /// view are in the DOM), so this scrolls it from top to bottom, a frame at a time, and
    /// collects the ids each view shows, then scrolls back to the bottom.
    pub async fn chat_ids(&self) -> Result<Vec<String>> {
        let script = r#"
            const done = arguments[arguments.length - 1];
            const list = document.querySelector("[data-testid=chat-list]");
            if (!list) { done({ error: "no chat list" }); return; }
            const ids = [];
            const seen = new Set();
            const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            (async () => {
              list.scrollTop = 0;
              for (let guard = 0; guard < 10000; guard += 1) {
                await frame();
                const rows = Array.from(list.querySelectorAll("[data-comment-id]"))
                  .map((row) => ({ id: row.dataset.commentId, top: row.getBoundingClientRect().top }))
                  .sort((a, b) => a.top - b.top);
                for (const row of rows) if (!seen.has(row.id)) { seen.add(row.id); ids.push(row.id); }
                if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
                list.scrollTop += Math.max(1, list.clientHeight / 2);
              }
              list.scrollTop = list.scrollHeight;
              done({ ids });
            })().catch((e) => done({ error: String(e) }));
        "#;
        let value = self.client.execute_async(script, vec![]).await?;
        if let Some(error) = value.get("error") {
            bail!("reading the chat list: {error}");
        }
        Ok(string_list(&value["ids"]))
    }
}

/// The strings of a JSON array (none when it is not one).
pub fn string_list(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether WebDriver refused a click before making it: the element was covered, out of view or
/// not interactable.
/// Whether `error` says the element is no longer in the page (drawn anew since it was found).
fn is_stale(error: &fantoccini::error::CmdError) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    match error {
        CmdError::Standard(w) => {
            matches!(w.error, ErrorStatus::StaleElementReference) || w.message.contains("was not found")
        }
        _ => false,
    }
}

fn nothing_was_clicked(error: &fantoccini::error::CmdError) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    matches!(
        error,
        CmdError::Standard(w) if matches!(
            w.error,
            ErrorStatus::ElementClickIntercepted
                | ErrorStatus::ElementNotInteractable
                | ErrorStatus::MoveTargetOutOfBounds
        )
    )
}
