//! Connects the controller to the app: the system browser it opens pages in (URLs checked first),
//! the deep links it is handed, and the typed events its changes become for the UI.

use std::sync::Arc;

use restream_client::{LinkVerdict, Studio, StudioConfig, StudioEvent, UrlOpener, golive_session_id};
use tauri::{AppHandle, Manager};
use tauri_plugin_opener::OpenerExt;
use tauri_specta::Event;
use url::Url;

use crate::events::{
    AuthChanged, BrowserWaitsChanged, ChatStatusChanged, ConnectionsChanged, GoLivePrefilled, JobChanged,
    JobSuperseded, StudioErrorCleared, StudioErrorRaised, ViewersChanged,
};
use crate::studio::chat_tap::AppChatTap;
use crate::support::app_error::AppError;

/// Opens pages in the system browser, and only these: the service's own pages (https, or http on
/// the loopback sandbox) and the platforms' watch pages (https), never with a user name or password.
pub struct SystemBrowser {
    app: AppHandle,
    allowed: Url,
}

/// Where "Watch on …" links of the real platforms lead.
const PLATFORM_HOSTS: &[&str] = &[
    "twitch.tv",
    "www.twitch.tv",
    "kick.com",
    "www.youtube.com",
    "youtube.com",
    "youtu.be",
    "www.facebook.com",
    "facebook.com",
    "www.instagram.com",
    "instagram.com",
];

/// Whether `url` may be opened given the service at `allowed`.
pub fn may_open(url: &Url, allowed: &Url) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the page's address carries a user name or password".to_owned());
    }
    let loopback = matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if loopback && url.origin() == allowed.origin() => {}
        _ => return Err(format!("refusing to open a {} page", url.scheme())),
    }
    // Platforms' own pages, and the pages the brand lists (help, the operator's dashboard).
    let listed_page = url.scheme() == "https"
        && url.host_str().is_some_and(|h| {
            PLATFORM_HOSTS.contains(&h)
                || crate::settings::brand::opener_allows(crate::settings::brand::brand(), h)
        });
    if url.host_str() != allowed.host_str() && !listed_page {
        return Err(format!(
            "refusing to open a page on {} (not the service's host)",
            url.host_str().unwrap_or("no host")
        ));
    }
    Ok(())
}

impl UrlOpener for SystemBrowser {
    fn check(&self, url: &Url) -> Result<(), String> {
        may_open(url, &self.allowed)
    }

    fn open(&self, url: &Url) -> Result<(), String> {
        may_open(url, &self.allowed)?;
        self.app
            .opener()
            .open_url(url.as_str(), None::<&str>)
            .map_err(|e| format!("the system browser could not be started: {e}"))
    }
}

/// Sets what the controller needs from the app: the browser, the deep links for this scheme, and
/// where its chat goes.
pub fn configure(app: &AppHandle, config: &mut StudioConfig, scheme: &str) {
    if let Ok(allowed) = Url::parse(config.api_base.as_str()) {
        config.url_opener = Arc::new(SystemBrowser {
            app: app.clone(),
            allowed,
        });
    }
    config.window_seen = app.state::<crate::desktop::window::WindowSeenState>().0.reader();
    config.chat_tap = Arc::new(AppChatTap { app: app.clone() });
    config.connect_redirect_uri = format!("{scheme}://connect/callback");
    config.sign_in_redirect_uri = format!("{scheme}://signin/callback");
}

/// Forwards the controller's changes to the UI as typed events, and loads its first state.
pub fn attach(app: &AppHandle, studio: &Studio) {
    let mut events = studio.subscribe();
    let forward_app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => forward(&forward_app, event),
                // The UI re-reads the snapshot on its own when it falls behind; keep going.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, "the UI fell behind the studio's events");
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    crate::desktop::tray::follow(app, studio);
    app.state::<crate::obs::owner::ObsState>()
        .tell(crate::obs::control::Control::StudioChanged);
    let studio = studio.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = studio.start().await {
            tracing::warn!(code = %e.code, status = e.status, "loading the studio's first state");
        }
    });
}

fn forward(app: &AppHandle, event: StudioEvent) {
    if matches!(event, StudioEvent::Job(_) | StudioEvent::LiveSessions(_)) {
        // The OBS driver reads the job and the sessions again (nothing to do with no link).
        app.state::<crate::obs::owner::ObsState>()
            .tell(crate::obs::control::Control::StudioChanged);
    }
    let sent = match event {
        StudioEvent::Connections(list) => ConnectionsChanged(list).emit(app),
        StudioEvent::Job(job) => JobChanged(job.map(|j| *j)).emit(app),
        StudioEvent::Viewers(viewers) => ViewersChanged(viewers).emit(app),
        StudioEvent::Error { error, .. } => StudioErrorRaised(AppError::from(error)).emit(app),
        StudioEvent::Recovered(concern) => StudioErrorCleared(concern).emit(app),
        StudioEvent::Chat(status) => ChatStatusChanged(status).emit(app),
        StudioEvent::Auth(status) => AuthChanged(status).emit(app),
        StudioEvent::Superseded { job_id, by } => JobSuperseded { job_id, by }.emit(app),
        StudioEvent::BrowserWaits(waits) => BrowserWaitsChanged(waits).emit(app),
        // Per-comment events and arming are for in-process subscribers; the UI has batches and
        // asks for the armed list itself. Sessions reach the window through the OBS view.
        // Chat reaches the overlay and the window through the chat tap, which misses nothing.
        StudioEvent::Comments { .. }
        | StudioEvent::Skipped { .. }
        | StudioEvent::Moderation { .. }
        | StudioEvent::Comment(_)
        | StudioEvent::Armed(_)
        | StudioEvent::Session(_)
        | StudioEvent::LiveSessions(_) => Ok(()),
    };
    if let Err(e) = sent {
        tracing::warn!(error = %e, "could not emit a studio event");
    }
}

/// Hands a received deep link to whoever it is for: a connect or sign-in in progress (the
/// controller acts only if it matches), or the go-live form (a `golive` link only fills in the
/// session id; it never starts a stream).
pub fn route_link(app: &AppHandle, studio: &Studio, raw: &str, url: &Url) {
    let path = format!("{}{}", url.host_str().unwrap_or_default(), url.path());
    let verdict = match path.as_str() {
        "connect/callback" => studio.complete_connect(raw),
        "signin/callback" => studio.complete_sign_in(raw),
        "golive" | "golive/" => {
            match golive_session_id(url) {
                Some(session_id) => {
                    if let Err(e) = (GoLivePrefilled { session_id }).emit(app) {
                        tracing::warn!(error = %e, "could not pre-fill go-live");
                    }
                    crate::desktop::window::show_main(app);
                }
                None => tracing::warn!("golive link without a usable sessionId ignored"),
            }
            return;
        }
        _ => return,
    };
    match verdict {
        LinkVerdict::Accepted { .. } => tracing::info!(%path, "deep link accepted"),
        LinkVerdict::Rejected { reason } => tracing::warn!(%path, %reason, "deep link ignored"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_services_own_pages_open() {
        let sandbox = Url::parse("http://127.0.0.1:4000").unwrap();
        let ok = |u: &str| may_open(&Url::parse(u).unwrap(), &sandbox);
        assert!(ok("http://127.0.0.1:4000/hosted/consent/auth_1").is_ok());
        assert!(
            ok("http://127.0.0.1:4001/hosted/consent/auth_1").is_err(),
            "another port"
        );
        assert!(ok("http://evil.example/x").is_err());
        assert!(ok("http://user:pw@127.0.0.1:4000/x").is_err());
        assert!(ok("file:///etc/passwd").is_err());
        let hosted = Url::parse("https://api.example.com").unwrap();
        assert!(may_open(&Url::parse("https://api.example.com/consent").unwrap(), &hosted).is_ok());
        assert!(may_open(&Url::parse("https://evil.example/consent").unwrap(), &hosted).is_err());
        assert!(may_open(&Url::parse("javascript:alert(1)").unwrap(), &hosted).is_err());
        assert!(may_open(&Url::parse("https://www.twitch.tv/demo").unwrap(), &hosted).is_ok());
        assert!(may_open(&Url::parse("http://www.twitch.tv/demo").unwrap(), &hosted).is_err());
        assert!(may_open(&Url::parse("https://twitch.tv.evil.example/").unwrap(), &hosted).is_err());
    }
}
