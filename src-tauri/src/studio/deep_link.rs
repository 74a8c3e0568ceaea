//! Deep links: received from the OS (a cold start, or a second launch forwarded by
//! single-instance), checked and summarised without their query values (`restream_client`'s
//! `summarize_deep_link`, which has no Tauri in it), kept for a window that mounts late, told to
//! the UI and routed. Nothing here trusts a link; later steps look up what really happened with
//! the service.

use std::collections::VecDeque;
use std::sync::Mutex;

use restream_client::{DeepLinkSummary, summarize_deep_link};
use tauri::{AppHandle, Manager};
use tauri_plugin_deep_link::DeepLinkExt;
use tauri_specta::Event;

use crate::events::DeepLinkReceived;
use crate::studio::controller;
use crate::studio::link_scheme::{SchemeHandled, configured_scheme, scheme_is_handled};
use crate::studio::service::ServiceState;

/// How many recent links the inbox keeps for a UI that mounts late; the window keeps as many.
pub const INBOX_CAPACITY: usize = 20;

#[derive(Default)]
pub struct DeepLinkInbox {
    inner: Mutex<Inbox>,
}

#[derive(Default)]
struct Inbox {
    recent: VecDeque<DeepLinkReceived>,
    last_sequence: u32,
}

impl DeepLinkInbox {
    pub fn recent(&self) -> Vec<DeepLinkReceived> {
        self.lock().recent.iter().cloned().collect()
    }

    /// Numbers the link, keeps it, and returns it as stored.
    fn push(&self, mut link: DeepLinkReceived) -> DeepLinkReceived {
        let mut inbox = self.lock();
        inbox.last_sequence = inbox.last_sequence.saturating_add(1);
        link.sequence = inbox.last_sequence;
        if inbox.recent.len() == INBOX_CAPACITY {
            inbox.recent.pop_front();
        }
        inbox.recent.push_back(link.clone());
        link
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inbox> {
        self.inner.lock().unwrap_or_else(|poison| poison.into_inner())
    }
}

/// The link as the window is told of it (numbered when the inbox keeps it).
fn received(summary: DeepLinkSummary, received_at_ms: u128) -> DeepLinkReceived {
    DeepLinkReceived {
        sequence: 0,
        link: summary.link,
        parameters: summary.parameters,
        received_at: received_at_ms.to_string(),
    }
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

fn receive(app: &AppHandle, scheme: &str, raw: &str) {
    match summarize_deep_link(raw, scheme) {
        Ok(summary) => {
            let link = received(summary, now_ms());
            tracing::info!(link = %link.link, "deep link received");
            let link = app.state::<DeepLinkInbox>().push(link);
            if let Err(e) = link.emit(app) {
                tracing::warn!(error = %e, "could not emit a deep link");
            }
            // The controller decides what a link is worth: only a connect or sign-in in progress.
            if let (Ok(studio), Ok(url)) = (app.state::<ServiceState>().studio(), url::Url::parse(raw)) {
                controller::route_link(app, &studio, raw, &url);
            }
        }
        Err(why) => tracing::warn!(%why, "deep link ignored"),
    }
}

/// How long after start the OS is asked whether the app's scheme has a handler.
const SCHEME_CHECK_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

/// Starts listening for links and takes the one this process was started with, if any.
pub fn listen(app: &AppHandle) -> Result<(), Box<dyn std::error::Error>> {
    let scheme = configured_scheme(app)?;

    // Installed builds register the scheme through their .desktop file / installer; a build run
    // from the source tree registers itself so links work while developing.
    #[cfg(all(debug_assertions, any(target_os = "linux", windows)))]
    if let Err(e) = app.deep_link().register_all() {
        tracing::warn!(error = %e, "could not register the deep-link scheme");
    }

    let asking = app.clone();
    tauri::async_runtime::spawn(async move {
        // Not during the start: on Linux the question is `xdg-mime`, a shell script that runs a
        // dozen processes (about 0.2 s of CPU), which on two cores would compete with the
        // window's first paint. Until it is answered, the deep link counts as handled.
        tokio::time::sleep(SCHEME_CHECK_AFTER).await;
        let handled = scheme_is_handled(&asking).await;
        if !handled {
            tracing::info!("no handler for the deep-link scheme; sign-in will use the loopback route");
        }
        asking.state::<SchemeHandled>().set(handled);
    });

    let handle = app.clone();
    let listening_scheme = scheme.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            receive(&handle, &listening_scheme, url.as_str());
        }
    });
    match app.deep_link().get_current() {
        Ok(Some(urls)) => {
            for url in urls {
                receive(app, &scheme, url.as_str());
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "could not read the start-up deep link"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(path: &str) -> DeepLinkReceived {
        let summary = summarize_deep_link(&format!("dev.restreamstudio://{path}"), "dev.restreamstudio");
        received(summary.unwrap(), 0)
    }

    #[test]
    fn the_inbox_is_bounded() {
        let inbox = DeepLinkInbox::default();
        for i in 0..(INBOX_CAPACITY + 5) {
            inbox.push(link(&format!("n/{i}")));
        }
        let recent = inbox.recent();
        assert_eq!(recent.len(), INBOX_CAPACITY);
        assert_eq!(recent.last().unwrap().sequence, (INBOX_CAPACITY + 5) as u32);
        assert_eq!(
            recent.last().unwrap().link,
            format!("dev.restreamstudio://n/{}", INBOX_CAPACITY + 4)
        );
    }

    #[test]
    fn only_names_and_the_time_reach_the_window() {
        let summary = summarize_deep_link(
            "dev.restreamstudio://connect/callback?state=s3cr3t&platform=twitch",
            "dev.restreamstudio",
        )
        .unwrap();
        let told = received(summary, 1_700_000_000_123);
        assert_eq!(told.link, "dev.restreamstudio://connect/callback");
        assert_eq!(told.parameters, ["state", "platform"]);
        assert_eq!(told.received_at, "1700000000123");
        assert!(!format!("{told:?}").contains("s3cr3t"));
    }
}
