//! Launching the app. A [`Launch`] says what to start, with which environment and arguments, and
//! is built a step at a time; starting it gives an [`AppSession`]: the app on a desktop of its
//! own, driven through tauri-driver and WebKitWebDriver. The session can end the app and start it
//! again on the same desktop, or launch the binary a second time as the OS does for a deep link.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use super::desktop::Desktop;
use super::paths::{app_binary, artifacts_dir, require_tool, tauri_driver, workspace_root};
use super::process_group::GroupGuard;
use super::wait::{POLL, UI_TIMEOUT, eventually, wait_for_port};

/// The bus name the app's single-instance plugin holds while it runs (its identifier + suffix).
pub const SINGLE_INSTANCE_NAME: &str = "dev.restreamstudio.studio.SingleInstance";

/// A session bus address where there is none.
const NO_SESSION_BUS: &str = "unix:path=/nonexistent/restream-studio-test-bus";

/// Launches run one at a time: each starts a WebKit process tree, and two at once on two cores
/// would make timing, not the app, the thing under test.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How to launch the app: `Launch::new("name")`, then what it needs, then [`Launch::start`]. The
/// name is the run's own: its screenshots, page source and driver log are saved under it.
#[derive(Clone, Default)]
pub struct Launch {
    name: &'static str,
    /// Another Tauri app than the studio (the measurements' blank window and peer).
    binary: Option<PathBuf>,
    /// Extra environment for the app (e.g. which service to use); a later entry wins.
    env: Vec<(String, String)>,
    /// Where the stand-in system browser logs what it opens, when the app is given one.
    browser_log: Option<PathBuf>,
    /// Arguments, e.g. a deep link as the OS passes it.
    args: Vec<String>,
    /// Run a real Secret Service (gnome-keyring) on the desktop.
    keyring: bool,
}

impl Launch {
    pub fn new(name: &'static str) -> Launch {
        Launch {
            name,
            ..Launch::default()
        }
    }

    /// The same launch under another name (the same app started again, say).
    pub fn named(self, name: &'static str) -> Launch {
        Launch { name, ..self }
    }

    /// Launches `binary` instead of the studio's debug build.
    #[allow(
        dead_code,
        reason = "examples/chat_figures launches release builds and the peer"
    )]
    pub fn binary(self, binary: PathBuf) -> Launch {
        Launch {
            binary: Some(binary),
            ..self
        }
    }

    /// Sets `key` to `value` in the app's environment.
    pub fn env(mut self, key: &str, value: impl Into<String>) -> Launch {
        self.env.push((key.to_owned(), value.into()));
        self
    }

    /// Sets each of `vars` in the app's environment, in order.
    pub fn envs(mut self, vars: impl IntoIterator<Item = (String, String)>) -> Launch {
        self.env.extend(vars);
        self
    }

    /// No D-Bus session at all: no single instance, no Secret Service.
    pub fn no_session_bus(self) -> Launch {
        self.env("DBUS_SESSION_BUS_ADDRESS", NO_SESSION_BUS)
    }

    /// The stand-in system browser (tests/fixtures/xdg-open) opens what the app opens, logging each
    /// address to `log`.
    pub fn browser(self, log: impl Into<PathBuf>) -> Launch {
        Launch {
            browser_log: Some(log.into()),
            ..self
        }
    }

    /// Passes `arg` on the command line, as the OS passes a deep link.
    pub fn arg(mut self, arg: &str) -> Launch {
        self.args.push(arg.to_owned());
        self
    }

    /// A real Secret Service (gnome-keyring) on the app's desktop.
    pub fn keyring(self) -> Launch {
        Launch {
            keyring: true,
            ..self
        }
    }

    /// Starts the app on a desktop of its own and opens its WebDriver session.
    pub async fn start(self) -> Result<AppSession> {
        let turn = ONE_AT_A_TIME.lock().await;
        let desktop = Desktop::start(self.keyring)?;
        AppSession::launch_on(desktop, self, turn).await
    }

    fn binary_path(&self) -> Result<PathBuf> {
        match &self.binary {
            Some(binary) => Ok(binary.clone()),
            None => app_binary(),
        }
    }

    /// The app's environment: the stand-in browser's first, so anything set explicitly wins.
    fn app_env(&self) -> Result<Vec<(String, String)>> {
        let mut env = match &self.browser_log {
            Some(log) => scripted_browser(log)?,
            None => Vec::new(),
        };
        env.extend(self.env.iter().cloned());
        Ok(env)
    }
}

/// The environment of the stand-in `xdg-open` (tests/fixtures/xdg-open): its folder first on the
/// app's PATH, the app to hand links back to, and where to log what it opens.
fn scripted_browser(log: &Path) -> Result<Vec<(String, String)>> {
    let fixture = workspace_root().join("tests/fixtures");
    let path = std::env::var("PATH").unwrap_or_default();
    Ok(vec![
        ("PATH".into(), format!("{}:{path}", fixture.display())),
        ("APP_BINARY".into(), app_binary()?.display().to_string()),
        ("BROWSER_LOG".into(), log.display().to_string()),
    ])
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The running app, its WebDriver session and its desktop.
pub struct AppSession {
    pub client: Client,
    pub desktop: Desktop,
    /// How the app was launched: [`AppSession::restart`] launches it so again.
    launch: Launch,
    /// The environment it runs with, which a second launch of the binary gets too.
    app_env: Vec<(String, String)>,
    /// tauri-driver and what it starts (WebKitWebDriver, which starts the app), ended together:
    /// killing tauri-driver alone left its WebKitWebDriver running after the test.
    _driver: GroupGuard,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl AppSession {
    /// The launch's name, which its saved screens and logs carry.
    pub(super) fn name(&self) -> &'static str {
        self.launch.name
    }

    /// Ends this session's app (as quitting does) and starts the app again on the same desktop:
    /// same bus, same keychain, same XDG directories.
    pub async fn relaunch(self, launch: Launch) -> Result<AppSession> {
        let AppSession {
            client,
            desktop,
            _driver,
            _turn,
            ..
        } = self;
        let _ = client.close().await;
        drop(_driver);
        // The old app must be gone, or the new one would hand its start to it (single instance).
        let deadline = Instant::now() + UI_TIMEOUT;
        while desktop.bus_name_owned(SINGLE_INSTANCE_NAME)? {
            if Instant::now() > deadline {
                bail!("the previous app never quit");
            }
            tokio::time::sleep(POLL).await;
        }
        Self::launch_on(desktop, launch, _turn).await
    }

    /// [`AppSession::relaunch`] with the launch this app was started with, named `name`.
    pub async fn restart(self, name: &'static str) -> Result<AppSession> {
        let launch = self.launch.clone().named(name);
        self.relaunch(launch).await
    }

    async fn launch_on(
        desktop: Desktop,
        launch: Launch,
        turn: tokio::sync::MutexGuard<'static, ()>,
    ) -> Result<AppSession> {
        let binary = launch.binary_path()?;
        let app_env = launch.app_env()?;
        let driver_bin = tauri_driver()?;
        require_tool(
            "WebKitWebDriver",
            "apt-get install webkit2gtk-driver (scripts/setup.sh does)",
        )?;
        let port = free_port()?;
        let native_port = free_port()?;
        let log_path = artifacts_dir()?.join(format!("{}.log", launch.name));
        let log = std::fs::File::create(&log_path)?;
        let driver = GroupGuard::spawn(
            Command::new(&driver_bin)
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                ])
                .envs(desktop.env())
                .envs(app_env.iter().cloned())
                .stdout(log.try_clone()?)
                .stderr(log),
        )
        .with_context(|| format!("starting {}", driver_bin.display()))?;
        wait_for_port(port)
            .await
            .context("tauri-driver did not start listening")?;
        // tauri-driver starts WebKitWebDriver and forwards the session to it at once: asked before
        // that one listens, it answers with a connect error (seen on a busy machine).
        wait_for_port(native_port)
            .await
            .context("WebKitWebDriver did not start listening")?;

        let capabilities = json!({
            "browserName": "wry",
            "tauri:options": { "application": binary, "args": launch.args },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
        };
        let mut builder = ClientBuilder::rustls()?;
        builder.capabilities(capabilities);
        let url = format!("http://127.0.0.1:{port}");
        let connect = builder.connect(&url);
        // WebKitWebDriver waits forever for an app that never opens a window: bound it.
        let client = tokio::time::timeout(UI_TIMEOUT, connect)
            .await
            .map_err(|_| {
                anyhow!(
                    "the app did not open a window within {} s (see {})",
                    UI_TIMEOUT.as_secs(),
                    log_path.display()
                )
            })?
            .context("starting the app through WebDriver")?;
        Ok(AppSession {
            client,
            desktop,
            launch,
            app_env,
            _driver: driver,
            _turn: turn,
        })
    }

    /// Launches the app binary again on this desktop with `args`, as the OS does for a deep link,
    /// and waits for that second process to hand over and exit.
    pub async fn launch_again(&self, args: &[&str]) -> Result<()> {
        let mut child = Command::new(app_binary()?)
            .args(args)
            .envs(self.desktop.env())
            .envs(self.app_env.iter().cloned())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("launching the app a second time")?;
        let status = eventually("the second launch to exit", || {
            let status = child.try_wait();
            async move { Ok(status?) }
        })
        .await;
        if status.is_err() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let status = status?;
        if !status.success() {
            bail!("the second launch exited with {status}");
        }
        Ok(())
    }
}
