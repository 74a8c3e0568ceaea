//! The one owner of "which service, and is it up": the demo sandbox's lifetime, the `Studio`
//! handle commands use, and the status the UI shows.

use std::sync::Mutex;
use std::time::Duration;

use restream_client::{ApiBase, Credential, Studio, StudioConfig};
use restream_sandbox::{Ready, Sandbox, SandboxConfig};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::oneshot;

use crate::events::ServiceStatusChanged;
pub use crate::events::{ServiceMode, ServiceStatus};
use crate::settings::keychain::{self, SecretStorage};
use crate::settings::service_config::{self, ServiceChoice};
use crate::studio::{controller, link_scheme};
use crate::support::app_error::AppError;

/// How to stop the demo sandbox at exit and know that it stopped.
struct DemoHandle {
    stop: oneshot::Sender<()>,
    stopped: std::sync::mpsc::Receiver<()>,
}

pub struct ServiceState {
    status: Mutex<ServiceStatus>,
    /// Where secrets are kept, once token mode needed to know.
    storage: Mutex<Option<SecretStorage>>,
    /// The secret store chosen for this run (keychain or memory) and what it is. Chosen once:
    /// callers that ask at the same time (the service's start and the OBS link's) wait for the
    /// one choice, so no two keychain self-tests race and no caller keeps a store the others
    /// do not use.
    secrets: tokio::sync::OnceCell<(std::sync::Arc<dyn restream_client::SecretStore>, SecretStorage)>,
    studio: Mutex<Option<Studio>>,
    demo: Mutex<Option<DemoHandle>>,
}

/// Locks ignoring poison: every value here is replaced whole, so a panic cannot leave it torn.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl ServiceState {
    pub fn new() -> Self {
        ServiceState {
            status: Mutex::new(ServiceStatus::Starting {
                mode: ServiceMode::Demo,
            }),
            storage: Mutex::new(None),
            secrets: tokio::sync::OnceCell::new(),
            studio: Mutex::new(None),
            demo: Mutex::new(None),
        }
    }

    pub fn status(&self) -> ServiceStatus {
        lock(&self.status).clone()
    }

    /// Where secrets are kept (`None` when nothing secret needs keeping).
    pub fn storage(&self) -> Option<SecretStorage> {
        lock(&self.storage).clone()
    }

    /// The studio handle, or why there is none yet. Cloned out so no lock is held across a request.
    pub fn studio(&self) -> Result<Studio, AppError> {
        if let Some(studio) = lock(&self.studio).clone() {
            return Ok(studio);
        }
        Err(match self.status() {
            ServiceStatus::Down { cause, fix, .. } => AppError::new("service_down", cause, fix),
            _ => AppError::new(
                "service_starting",
                "The Restream Service is still starting.",
                "Wait a moment; the studio loads by itself when it is ready.",
            ),
        })
    }

    /// Stops the demo sandbox, waiting briefly so its database closes cleanly.
    pub fn shutdown_blocking(&self) {
        if let Some(demo) = lock(&self.demo).take() {
            let _ = demo.stop.send(());
            if demo.stopped.recv_timeout(Duration::from_secs(3)).is_err() {
                tracing::warn!("the demo service did not stop within 3 s");
            }
        }
    }
}

/// Whether a stream is queued or running right now (closing the window then asks first).
pub fn streaming(app: &AppHandle) -> bool {
    app.state::<ServiceState>()
        .studio()
        .ok()
        .and_then(|studio| studio.snapshot().job)
        .is_some_and(|job| job.status.is_active())
}

fn set_status(app: &AppHandle, status: ServiceStatus) {
    *lock(&app.state::<ServiceState>().status) = status.clone();
    if let Err(e) = ServiceStatusChanged(status).emit(app) {
        tracing::warn!(error = %e, "could not emit the service status");
    }
}

fn set_studio(app: &AppHandle, studio: Studio, mode: ServiceMode) {
    let api_base = studio.config().api_base.to_string();
    let warning = service_config::warning_for(studio.config());
    *lock(&app.state::<ServiceState>().studio) = Some(studio.clone());
    set_status(
        app,
        ServiceStatus::Up {
            mode,
            api_base,
            warning,
        },
    );
    controller::attach(app, &studio);
    crate::support::start_timeline::step("service-up");
}

/// Whether the environment chooses the service (it wins over saved settings).
pub fn from_environment() -> bool {
    std::env::var(service_config::ENV_API_BASE).is_ok_and(|v| !v.trim().is_empty())
}

/// Chooses the service (the environment, else the saved settings, else the brand's defaults,
/// with the brand's locked settings over all of them) and brings it up.
pub fn start(app: AppHandle) {
    if from_environment() {
        let vars = service_config::service_vars(|name| std::env::var(name).ok());
        bring_up(
            app,
            crate::settings::brand::choose(
                crate::settings::brand::brand(),
                service_config::SettingsSource::Environment,
                vars,
            ),
        );
        return;
    }
    tauri::async_runtime::spawn(async move {
        let (secrets, storage) = ensure_secrets(&app).await;
        let saved = app
            .path()
            .app_config_dir()
            .ok()
            .and_then(|dir| crate::settings::settings_file::load(&dir, &*secrets))
            .unwrap_or_else(|| crate::settings::brand::default_draft(crate::settings::brand::brand()));
        let choice = crate::settings::brand::choose(
            crate::settings::brand::brand(),
            service_config::SettingsSource::Settings,
            saved.vars(),
        );
        bring_up(app, keychain::explain_lost_key(choice, &storage, &saved));
    });
}

/// Stops the current service (and the demo sandbox) and starts again from the settings.
pub async fn restart(app: AppHandle) {
    let state = app.state::<ServiceState>();
    if let Some(studio) = lock(&state.studio).take() {
        studio.shutdown();
    }
    let demo = lock(&state.demo).take();
    if let Some(demo) = demo {
        let _ = demo.stop.send(());
        let _ = tokio::task::spawn_blocking(move || demo.stopped.recv_timeout(Duration::from_secs(3))).await;
    }
    start(app);
}

/// The running service's address, if a studio runs.
pub fn api_base(app: &AppHandle) -> Option<url::Url> {
    let studio = app.state::<ServiceState>().studio().ok()?;
    url::Url::parse(studio.config().api_base.as_str()).ok()
}

/// The secret store (keychain, or memory for this session), chosen once per run: the keychain's
/// self-test speaks D-Bus synchronously, so it runs off the async workers.
pub async fn ensure_secrets(
    app: &AppHandle,
) -> (std::sync::Arc<dyn restream_client::SecretStore>, SecretStorage) {
    let service = app.config().identifier.clone();
    let chosen = app
        .state::<ServiceState>()
        .secrets
        .get_or_init(|| async move {
            tokio::task::spawn_blocking(move || keychain::choose(&service))
                .await
                .unwrap_or_else(|e| {
                    (
                        std::sync::Arc::new(restream_client::MemorySecretStore::default()),
                        SecretStorage::SessionOnly {
                            reason: format!("The keychain check failed ({e}); secrets last until you quit."),
                        },
                    )
                })
        })
        .await
        .clone();
    crate::support::start_timeline::step("secrets-chosen");
    chosen
}

fn bring_up(app: AppHandle, choice: ServiceChoice) {
    match choice {
        ServiceChoice::Configured(config) => {
            set_status(
                &app,
                ServiceStatus::Starting {
                    mode: ServiceMode::Configured,
                },
            );
            tauri::async_runtime::spawn(run_configured(app, *config));
        }
        ServiceChoice::Invalid { cause, fix } => {
            tracing::warn!(%cause, "the configured service is not usable");
            set_status(
                &app,
                ServiceStatus::Down {
                    mode: ServiceMode::Configured,
                    cause,
                    fix,
                },
            );
        }
        ServiceChoice::Demo => {
            set_status(
                &app,
                ServiceStatus::Starting {
                    mode: ServiceMode::Demo,
                },
            );
            tauri::async_runtime::spawn(run_demo(app));
        }
    }
}

/// Brings up an operator's service: in token mode, first finds where the sign-in can be kept.
async fn run_configured(app: AppHandle, config: StudioConfig) {
    let mut config = configured(&app, config);
    if matches!(config.credential, Credential::Operator(_)) {
        let (store, storage) = ensure_secrets(&app).await;
        config.secret_store = store;
        *lock(&app.state::<ServiceState>().storage) = Some(storage);
    }
    match Studio::new(config) {
        Ok(studio) => set_studio(&app, studio, ServiceMode::Configured),
        Err(e) => {
            let error = AppError::from(e);
            set_status(
                &app,
                ServiceStatus::Down {
                    mode: ServiceMode::Configured,
                    cause: error.cause,
                    fix: error.fix,
                },
            );
        }
    }
}

fn demo_down(app: &AppHandle, cause: String) {
    tracing::error!(%cause, "demo service down");
    set_status(
        app,
        ServiceStatus::Down {
            mode: ServiceMode::Demo,
            cause,
            fix: format!(
                "Restart {}. If it happens again, check that the app's data folder is writable.",
                crate::settings::brand::brand().product_name
            ),
        },
    );
}

/// Runs the bundled sandbox for as long as the app runs.
async fn run_demo(app: AppHandle) {
    let db_path = match app.path().app_data_dir() {
        Ok(dir) => dir.join("demo").join("sandbox.db"),
        Err(e) => return demo_down(&app, format!("The app has no data folder: {e}")),
    };
    let mut config = SandboxConfig::new(db_path);
    // A shipped demo has no use for the fault-injection surface.
    config.admin = false;
    // Its client accepts this build's own redirect URIs.
    config.studio_scheme = crate::settings::brand::brand().deep_link_scheme.clone();
    let mut sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(e) => return demo_down(&app, format!("The demo service could not start: {e:#}")),
    };
    match demo_studio(&app, sandbox.ready()) {
        Ok(studio) => set_studio(&app, studio, ServiceMode::Demo),
        Err(e) => return demo_down(&app, e),
    }

    let (stop_tx, stop_rx) = oneshot::channel();
    let (stopped_tx, stopped_rx) = std::sync::mpsc::channel();
    *lock(&app.state::<ServiceState>().demo) = Some(DemoHandle {
        stop: stop_tx,
        stopped: stopped_rx,
    });
    tokio::select! {
        result = sandbox.stopped() => {
            *lock(&app.state::<ServiceState>().studio) = None;
            let why = match result {
                Ok(()) => "it ended".to_owned(),
                Err(e) => format!("{e:#}"),
            };
            demo_down(&app, format!("The demo service stopped: {why}."));
        }
        _ = stop_rx => {
            if let Err(e) = sandbox.shutdown().await {
                tracing::warn!(error = %format!("{e:#}"), "demo service shutdown");
            }
        }
    }
    let _ = stopped_tx.send(());
}

/// The controller's config with what the app provides (browser, deep links).
fn configured(app: &AppHandle, mut config: StudioConfig) -> StudioConfig {
    let scheme = link_scheme::configured_scheme(app)
        .unwrap_or_else(|_| crate::settings::brand::brand().deep_link_scheme.clone());
    controller::configure(app, &mut config, &scheme);
    config
}

fn demo_studio(app: &AppHandle, ready: &Ready) -> Result<Studio, String> {
    let (Some(key), Some(user_id)) = (ready.publishable_key.clone(), ready.user_id.clone()) else {
        return Err("The demo service started without its demo credentials.".to_owned());
    };
    let api_base = ApiBase::parse(&ready.base_url).map_err(|e| e.to_string())?;
    let credential = Credential::publishable_key(key, user_id, ready.origin.clone());
    Studio::new(configured(app, StudioConfig::new(api_base, credential))).map_err(|e| e.message)
}
