//! The one owner of the chat overlay in the app: the saved settings, the address's secret (kept in
//! the keychain so the OBS source works from one start to the next), the hub every message
//! passes, the running server, and the view the window shows. The address itself never goes out
//! in an event; the window asks for it (`overlay_address`) when the streamer copies it.

use std::sync::{Arc, Mutex};

use restream_client::SecretStore;
use restream_overlay::hub::{Avatars, OverlayHub};
use restream_overlay::secret::AddressSecret;
use restream_overlay::server;
use restream_settings::overlay::{FIRST_PORT, OVERLAY_SECRET, OverlaySettings, OverlayState};
use restream_settings::overlay_hidden::{HiddenFromOverlay, HiddenState};
use secrecy::{ExposeSecret, SecretString};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::events::OverlayChanged;
use crate::overlay::view::OverlayView;
use crate::support::app_error::AppError;

pub struct OverlayOwner {
    saved: OverlayState,
    /// The messages hidden from the overlay by hand, kept so they stay hidden after a restart.
    hidden: HiddenState,
    hub: Arc<OverlayHub>,
    secret: Arc<AddressSecret>,
    /// The running server; aborting it frees the port.
    server: Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
    view: Mutex<OverlayView>,
    /// One start, save or rotation at a time, so two cannot both take a port.
    changing: tokio::sync::Mutex<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn not_serving() -> AppError {
    AppError::new(
        "overlay_not_serving",
        "The chat overlay is not being served.",
        "Turn the chat overlay on in Settings, or choose a free port there.",
    )
}

impl OverlayOwner {
    pub fn load(dir: Option<std::path::PathBuf>, avatars: Arc<dyn Avatars>) -> OverlayOwner {
        let saved = OverlayState::load(dir.clone());
        let hidden = HiddenState::load(dir);
        let settings = saved.get();
        let hub = OverlayHub::new(&settings, avatars);
        for id in hidden.get().ids {
            hub.hide(&id);
        }
        OverlayOwner {
            hub,
            hidden,
            secret: Arc::new(AddressSecret::new(String::new())),
            server: Mutex::new(None),
            view: Mutex::new(OverlayView {
                settings,
                serving_on: None,
                problem: None,
                address_for_this_session_only: false,
            }),
            saved,
            changing: tokio::sync::Mutex::new(()),
        }
    }

    /// Every message and moderation passes this on its way to the pages.
    pub fn hub(&self) -> &Arc<OverlayHub> {
        &self.hub
    }

    /// Hides one message from the overlay only, from now and after a restart (the studio reads
    /// its chat again when it starts). Kept only for this run when the file cannot be written.
    pub fn hide(&self, comment_id: &str) {
        let ids = self.hub.hide(comment_id);
        if let Err(e) = self.hidden.save(HiddenFromOverlay { ids }) {
            tracing::warn!(error = %e, "the hidden message is hidden for this run only");
        }
    }

    pub fn view(&self) -> OverlayView {
        lock(&self.view).clone()
    }

    /// The page's full address, secret included, while it is served.
    pub fn address(&self) -> Result<String, AppError> {
        let port = lock(&self.view).serving_on.ok_or_else(not_serving)?;
        Ok(server::address(port, &self.secret.expose()))
    }

    fn update(&self, app: &AppHandle, change: impl FnOnce(&mut OverlayView)) {
        let changed = {
            let mut view = lock(&self.view);
            let before = view.clone();
            change(&mut view);
            (*view != before).then(|| view.clone())
        };
        if let Some(view) = changed
            && let Err(e) = OverlayChanged(view).emit(app)
        {
            tracing::warn!(error = %e, "could not emit the overlay's view");
        }
    }

    fn stop_serving(&self) {
        if let Some(running) = lock(&self.server).take() {
            running.abort();
        }
        // Open pages reconnect on their own; to the new port they cannot, so they wait.
        self.secret.end_pages();
    }

    /// Serves the page as the settings say: on their port, chosen (and saved) the first time.
    async fn serve(&self, app: &AppHandle) {
        self.stop_serving();
        let mut settings = self.saved.get();
        if !settings.enabled {
            self.update(app, |view| {
                view.serving_on = None;
                view.problem = None;
            });
            return;
        }
        let bound = if settings.port == 0 {
            match server::bind(FIRST_PORT).await {
                Ok(listener) => Ok(listener),
                Err(_) => server::bind(0).await,
            }
        } else {
            server::bind(settings.port).await
        };
        let listener = match bound {
            Ok(listener) => listener,
            Err(why) => {
                tracing::warn!(%why, "the chat overlay is not served");
                self.update(app, |view| {
                    view.serving_on = None;
                    view.problem = Some(AppError::new(
                        "overlay_port_unavailable",
                        why,
                        "Choose another port in Settings → Chat overlay; the port is never changed for you.",
                    ));
                });
                return;
            }
        };
        let port = listener.local_addr().map_or(settings.port, |a| a.port());
        if settings.port != port {
            settings.port = port;
            if let Err(why) = self.saved.save(settings.clone()) {
                tracing::warn!(%why, "the overlay's port could not be saved");
            }
        }
        let running = tauri::async_runtime::spawn(server::serve(
            listener,
            Arc::clone(&self.hub),
            Arc::clone(&self.secret),
        ));
        *lock(&self.server) = Some(running);
        tracing::info!(port, "the chat overlay is served");
        self.update(app, |view| {
            view.settings = settings;
            view.serving_on = Some(port);
            view.problem = None;
        });
    }

    /// Reads the address's secret from `secrets` (making one the first time) and serves.
    /// `lasting` says whether `secrets` outlive this run (the keychain) or not (memory).
    pub async fn start(&self, app: &AppHandle, secrets: Arc<dyn SecretStore>, lasting: bool) {
        let _one = self.changing.lock().await;
        let kept = tokio::task::spawn_blocking(move || {
            if let Ok(Some(secret)) = secrets.load(OVERLAY_SECRET) {
                return (secret.expose_secret().to_owned(), true);
            }
            let fresh = restream_client::random_url_token();
            let saved = secrets.save(OVERLAY_SECRET, &SecretString::from(fresh.clone()));
            (fresh, saved.is_ok())
        })
        .await;
        let (secret, kept) = kept.unwrap_or_else(|_| (restream_client::random_url_token(), false));
        self.secret.replace(secret);
        self.update(app, |view| {
            view.address_for_this_session_only = !(kept && lasting)
        });
        self.serve(app).await;
    }

    /// Checks and saves the settings whole; the pages restyle at once, and a new port or the
    /// overlay turned on or off restarts the server.
    pub async fn save(&self, app: &AppHandle, settings: OverlaySettings) -> Result<OverlayView, AppError> {
        let _one = self.changing.lock().await;
        let before = self.saved.get();
        self.saved.save(settings.clone()).map_err(|why| {
            AppError::new(
                "overlay_settings_invalid",
                why,
                "Correct the field named and save again; nothing was changed.",
            )
        })?;
        self.hub.settings(&settings);
        self.update(app, |view| view.settings = settings.clone());
        let failed = lock(&self.view).serving_on.is_none();
        if before.port != settings.port || before.enabled != settings.enabled || failed {
            self.serve(app).await;
        }
        Ok(self.view())
    }

    /// A new address: pages opened with the old one stop receiving chat at once.
    pub async fn rotate(
        &self,
        app: &AppHandle,
        secrets: Arc<dyn SecretStore>,
        lasting: bool,
    ) -> Result<OverlayView, AppError> {
        let _one = self.changing.lock().await;
        let fresh = restream_client::random_url_token();
        let secret = SecretString::from(fresh.clone());
        let saved = tokio::task::spawn_blocking(move || secrets.save(OVERLAY_SECRET, &secret))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        self.secret.replace(fresh);
        self.update(app, |view| {
            view.address_for_this_session_only = saved.is_err() || !lasting;
        });
        Ok(self.view())
    }
}

/// Whether `url` is the overlay's page as the studio serves it now (see `view::is_overlay_page`).
pub fn is_served_page(app: &AppHandle, url: &url::Url) -> bool {
    let serving_on = app.state::<OverlayOwner>().view().serving_on;
    crate::overlay::view::is_overlay_page(url, serving_on)
}
