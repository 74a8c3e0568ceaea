//! The end-to-end harness: the real debug app in a real WebKit window under Xvfb, driven over
//! WebDriver (tauri-driver + WebKitWebDriver). Every launch gets its own X display, D-Bus session,
//! XDG directories and ports, because single-instance keys on the app identifier: two launches on
//! one bus would talk to each other.
//!
//! Nothing here skips: a missing tool fails the test with what to install.

mod shell;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::io::{BufRead, BufReader};

/// Long enough for a cold WebKit start on a loaded 2-core machine.
pub const UI_TIMEOUT: Duration = Duration::from_secs(45);

/// Page script: repaints a transparent 1 px element outside `<body>` for 120 frames, then removes it.
const KEEP_PAINTING: &str = "
    const pixel = document.createElement('div');
    pixel.setAttribute('aria-hidden', 'true');
    pixel.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none';
    document.documentElement.append(pixel);
    let frame = 0;
    (function paint() {
        pixel.style.background = frame++ % 2 ? 'rgba(0,0,0,0.01)' : 'transparent';
        if (frame < 120) requestAnimationFrame(paint); else pixel.remove();
    })();
";
const POLL: Duration = Duration::from_millis(100);

/// The bus name the app's single-instance plugin holds while it runs (its identifier + suffix).
pub const SINGLE_INSTANCE_NAME: &str = "dev.restreamstudio.studio.SingleInstance";

/// Launches run one at a time: each starts a WebKit process tree, and two at once on two cores
/// would make timing, not the app, the thing under test.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The debug app binary, next to this test's own target directory.
pub fn app_binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("RESTREAM_STUDIO_BIN") {
        return Ok(PathBuf::from(path));
    }
    // This test runs from target/debug/deps/; the app is target/debug/restream-studio.
    let exe = std::env::current_exe()?;
    let debug_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| anyhow!("cannot locate the target directory from {}", exe.display()))?;
    let bin = debug_dir.join(format!("restream-studio{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        bail!(
            "the app is not built at {}: run `cargo build -p restream-studio` (the test command does)",
            bin.display()
        );
    }
    Ok(bin)
}

fn require_tool(name: &str, install: &str) -> Result<PathBuf> {
    which(name).ok_or_else(|| anyhow!("`{name}` is not installed: {install}"))
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn tauri_driver() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return Ok(PathBuf::from(path));
    }
    let local = workspace_root().join("node_modules/.bin/tauri-driver");
    if local.exists() {
        return Ok(local);
    }
    require_tool(
        "tauri-driver",
        "run `npm ci` at the repository root (or `npm test`, which does)",
    )
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A child process that is killed when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads the first line a child prints (Xvfb's display number, dbus-daemon's address).
fn first_line(child: &mut Child, what: &str) -> Result<String> {
    let stdout = child.stdout.take().ok_or_else(|| anyhow!("{what}: no stdout"))?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .with_context(|| format!("reading from {what}"))?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        bail!("{what} exited without saying where it listens");
    }
    Ok(line)
}

/// An X display, a D-Bus session and XDG directories of one's own: a private desktop, with a
/// real Secret Service (gnome-keyring) on its bus when asked for.
pub struct Desktop {
    pub display: String,
    pub bus_address: String,
    dirs: tempfile::TempDir,
    _keyring: Option<Guard>,
    _xvfb: Guard,
    _dbus: Guard,
}

impl Desktop {
    /// The folder holding this desktop's XDG config, data and cache folders.
    pub fn home(&self) -> &Path {
        self.dirs.path()
    }

    pub fn start(keyring: bool) -> Result<Desktop> {
        require_tool("Xvfb", "apt-get install xvfb (scripts/setup.sh does)")?;
        require_tool("dbus-daemon", "apt-get install dbus (scripts/setup.sh does)")?;
        let mut xvfb = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting Xvfb")?;
        let display = format!(":{}", first_line(&mut xvfb, "Xvfb")?);
        let xvfb = Guard(xvfb);

        let mut dbus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting dbus-daemon")?;
        let bus_address = first_line(&mut dbus, "dbus-daemon")?;
        let dbus = Guard(dbus);

        let dirs = tempfile::tempdir()?;
        for sub in ["config", "data", "cache", "runtime"] {
            std::fs::create_dir_all(dirs.path().join(sub))?;
        }
        let mut desktop = Desktop {
            display,
            bus_address,
            dirs,
            _keyring: None,
            _xvfb: xvfb,
            _dbus: dbus,
        };
        if keyring {
            desktop._keyring = Some(desktop.start_keyring()?);
        }
        Ok(desktop)
    }

    /// Whether some process owns `name` on this desktop's bus.
    pub fn bus_name_owned(&self, name: &str) -> Result<bool> {
        let owned = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &format!("string:{name}"),
            ])
            .envs(self.env())
            .output()
            .context("asking the bus who owns a name")?;
        Ok(String::from_utf8_lossy(&owned.stdout).contains("boolean true"))
    }

    /// Starts gnome-keyring's Secret Service on this desktop's bus, unlocked (a non-empty
    /// password, or it creates no login collection), and waits until it owns its bus name.
    fn start_keyring(&self) -> Result<Guard> {
        require_tool(
            "gnome-keyring-daemon",
            "apt-get install gnome-keyring (scripts/setup.sh does)",
        )?;
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(self.env())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting gnome-keyring-daemon")?;
        {
            use std::io::Write;
            let mut stdin = daemon
                .stdin
                .take()
                .ok_or_else(|| anyhow!("gnome-keyring-daemon: no stdin"))?;
            stdin.write_all(b"end-to-end-keyring")?;
        }
        let daemon = Guard(daemon);
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            if self.bus_name_owned("org.freedesktop.secrets")? {
                return Ok(daemon);
            }
            if Instant::now() > deadline {
                bail!("gnome-keyring-daemon never offered the Secret Service");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Asks the app's window titled `title` to close, as a window manager does when the user
    /// clicks its close button: a `WM_DELETE_WINDOW` message (the bare X server has no manager).
    pub fn ask_window_to_close(&self, title: &str) -> Result<()> {
        use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt, EventMask};
        let (conn, _) = x11rb::connect(Some(&self.display)).context("connecting to the X display")?;
        let window = find_window(&conn, title)?;
        let protocols = conn.intern_atom(false, b"WM_PROTOCOLS")?.reply()?.atom;
        let delete = conn.intern_atom(false, b"WM_DELETE_WINDOW")?.reply()?.atom;
        let message = ClientMessageEvent::new(32, window, protocols, [delete, x11rb::CURRENT_TIME, 0, 0, 0]);
        conn.send_event(false, window, EventMask::NO_EVENT, message)?;
        // A round trip: the server has handled the message before this connection closes.
        conn.get_input_focus()?.reply()?;
        Ok(())
    }

    /// Whether the app's window titled `title` is shown (mapped) on the display.
    pub fn window_shown(&self, title: &str) -> Result<bool> {
        use x11rb::protocol::xproto::{ConnectionExt, MapState};
        let (conn, _) = x11rb::connect(Some(&self.display)).context("connecting to the X display")?;
        let window = find_window(&conn, title)?;
        Ok(conn.get_window_attributes(window)?.reply()?.map_state == MapState::VIEWABLE)
    }

    /// The environment every process of this desktop runs with.
    pub fn env(&self) -> Vec<(String, String)> {
        let dir = |sub: &str| self.dirs.path().join(sub).display().to_string();
        vec![
            ("DISPLAY".into(), self.display.clone()),
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.bus_address.clone()),
            ("XDG_CONFIG_HOME".into(), dir("config")),
            ("XDG_DATA_HOME".into(), dir("data")),
            ("XDG_CACHE_HOME".into(), dir("cache")),
            ("XDG_RUNTIME_DIR".into(), dir("runtime")),
            // No accessibility bus here; without this GTK waits for one.
            ("NO_AT_BRIDGE".into(), "1".into()),
        ]
    }
}

/// The top-level window whose `_NET_WM_NAME` is `title` and that takes `WM_DELETE_WINDOW` (GTK
/// also keeps hidden helper windows at the top level).
fn find_window(conn: &impl x11rb::connection::Connection, title: &str) -> Result<u32> {
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};
    let root = conn.setup().roots[0].root;
    let name = conn.intern_atom(false, b"_NET_WM_NAME")?.reply()?.atom;
    let utf8 = conn.intern_atom(false, b"UTF8_STRING")?.reply()?.atom;
    let protocols = conn.intern_atom(false, b"WM_PROTOCOLS")?.reply()?.atom;
    let delete = conn.intern_atom(false, b"WM_DELETE_WINDOW")?.reply()?.atom;
    for window in conn.query_tree(root)?.reply()?.children {
        let named = conn.get_property(false, window, name, utf8, 0, 1024)?.reply()?;
        if named.value != title.as_bytes() {
            continue;
        }
        let takes = conn
            .get_property(false, window, protocols, AtomEnum::ATOM, 0, 64)?
            .reply()?;
        if takes
            .value32()
            .is_some_and(|mut atoms| atoms.any(|a| a == delete))
        {
            return Ok(window);
        }
    }
    bail!("no window titled {title:?} on the display")
}

/// How to launch the app.
#[derive(Default)]
pub struct Launch {
    pub name: &'static str,
    /// Extra environment for the app (e.g. which service to use).
    pub env: Vec<(String, String)>,
    /// Arguments, e.g. a deep link as the OS passes it.
    pub args: Vec<String>,
    /// Run a real Secret Service (gnome-keyring) on the desktop.
    pub keyring: bool,
}

/// The running app, its WebDriver session and its desktop.
pub struct AppSession {
    pub client: Client,
    pub desktop: Desktop,
    name: &'static str,
    app_env: Vec<(String, String)>,
    _driver: Guard,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl AppSession {
    pub async fn launch(launch: Launch) -> Result<AppSession> {
        Self::launch_binary(app_binary()?, launch).await
    }

    /// Launches another Tauri app than the studio (the measurements' blank window and peer).
    pub async fn launch_binary(binary: PathBuf, launch: Launch) -> Result<AppSession> {
        let turn = ONE_AT_A_TIME.lock().await;
        let desktop = Desktop::start(launch.keyring)?;
        Self::launch_on(binary, desktop, launch, turn).await
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
        Self::launch_on(app_binary()?, desktop, launch, _turn).await
    }

    async fn launch_on(
        binary: PathBuf,
        desktop: Desktop,
        launch: Launch,
        turn: tokio::sync::MutexGuard<'static, ()>,
    ) -> Result<AppSession> {
        let driver_bin = tauri_driver()?;
        require_tool(
            "WebKitWebDriver",
            "apt-get install webkit2gtk-driver (scripts/setup.sh does)",
        )?;
        let port = free_port()?;
        let native_port = free_port()?;
        let log_path = artifacts_dir()?.join(format!("{}.log", launch.name));
        let log = std::fs::File::create(&log_path)?;
        let driver = Command::new(&driver_bin)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .envs(desktop.env())
            .envs(launch.env.iter().cloned())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", driver_bin.display()))?;
        let driver = Guard(driver);
        wait_for_port(port)
            .await
            .context("tauri-driver did not start listening")?;

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
            name: launch.name,
            app_env: launch.env,
            _driver: driver,
            _turn: turn,
        })
    }

    /// Runs `body`; on failure saves a screenshot and the page source before returning the error.
    pub async fn run(self, body: impl AsyncFnOnce(&AppSession) -> Result<()>) -> Result<()> {
        let outcome = self.check(body).await;
        let _ = self.client.clone().close().await;
        outcome
    }

    /// Runs `body` and keeps the app running; on failure saves a screenshot and the page source.
    pub async fn check(&self, body: impl AsyncFnOnce(&AppSession) -> Result<()>) -> Result<()> {
        let outcome = body(self).await;
        if let Err(error) = &outcome {
            let saved = self.save_evidence().await;
            eprintln!("{}: failed: {error:#}\n{saved}", self.name);
        } else {
            // Screens of passing runs are kept too: they are what the app looked like.
            let _ = self.screenshot("").await;
        }
        outcome
    }

    async fn save_evidence(&self) -> String {
        let shot = self.screenshot("-failure").await;
        let source = match self.client.source().await {
            Ok(html) => {
                let path = artifacts_dir().map(|d| d.join(format!("{}-failure.html", self.name)));
                match path.and_then(|p| std::fs::write(&p, html).map(|()| p).map_err(Into::into)) {
                    Ok(p) => format!("page source: {}", p.display()),
                    Err(e) => format!("page source not saved: {e}"),
                }
            }
            Err(e) => format!("page source unavailable: {e}"),
        };
        format!("{shot}\n{source}")
    }

    async fn screenshot(&self, suffix: &str) -> String {
        let result = async {
            // Let WebKit paint what the DOM holds before capturing it.
            let paint = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));";
            self.client.execute_async(paint, vec![]).await?;
            // WebKit's screenshot waits for the next painted frame, and a window painting without
            // compositing (the studio's default) paints none while nothing on the page changes:
            // the command would wait forever. The page keeps painting a transparent pixel for a
            // couple of seconds, outside <body>, so that frame comes.
            self.client.execute(KEEP_PAINTING, vec![]).await?;
            let png = tokio::time::timeout(UI_TIMEOUT, self.client.screenshot())
                .await
                .context("WebKit painted no frame for the screenshot")??;
            let path = artifacts_dir()?.join(format!("{}{suffix}.png", self.name));
            std::fs::write(&path, png)?;
            anyhow::Ok(path)
        }
        .await;
        match result {
            Ok(path) => format!("screenshot: {}", path.display()),
            Err(e) => format!("screenshot not saved: {e:#}"),
        }
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

    /// Clicks the element matching `css`, waiting for it to exist.
    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self
            .client
            .wait()
            .at_most(UI_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for `{css}`"))?;
        element
            .click()
            .await
            .with_context(|| format!("clicking `{css}`"))?;
        Ok(())
    }

    /// Types `text` into the element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let element = self
            .client
            .wait()
            .at_most(UI_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for `{css}`"))?;
        element
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
}

impl AppSession {
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

/// The streamer's current job, read from the service as the app would, with the demo key.
pub async fn current_job(ready: &restream_sandbox::Ready) -> anyhow::Result<serde_json::Value> {
    Ok(reqwest::Client::new()
        .get(format!("{}/api/v1/jobs/current", ready.base_url))
        .header(
            "X-Publishable-Key",
            ready.publishable_key.as_deref().unwrap_or_default(),
        )
        .header("X-User-Id", ready.user_id.as_deref().unwrap_or_default())
        .header("Origin", &ready.origin)
        .send()
        .await?
        .json()
        .await?)
}

/// The environment that points the app at `sandbox` with its demo publishable key.
pub fn service_env(sandbox: &restream_sandbox::RunningSandbox) -> Vec<(String, String)> {
    let ready = sandbox.ready();
    vec![
        ("RESTREAM_STUDIO_API_BASE".into(), ready.base_url.clone()),
        (
            "RESTREAM_STUDIO_PUBLISHABLE_KEY".into(),
            ready.publishable_key.clone().unwrap_or_default(),
        ),
        (
            "RESTREAM_STUDIO_USER_ID".into(),
            ready.user_id.clone().unwrap_or_default(),
        ),
        ("RESTREAM_STUDIO_ORIGIN".into(), ready.origin.clone()),
    ]
}

/// Polls `check` until it yields `Some`, for at most `UI_TIMEOUT`. A condition, not a sleep.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            bail!("timed out after {} s waiting for {what}", UI_TIMEOUT.as_secs());
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn wait_for_port(port: u16) -> Result<()> {
    eventually(&format!("port {port}"), || async move {
        Ok(tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()
            .map(|_| ()))
    })
    .await
}

/// Where screenshots, page sources and driver logs go: `test-artifacts/e2e/`.
pub fn artifacts_dir() -> Result<PathBuf> {
    let dir = workspace_root().join("test-artifacts").join("e2e");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A directory holding the stand-in `xdg-open` (tests/fixtures/xdg-open), to put first on the
/// app's PATH, and the environment it needs.
pub fn scripted_browser(log: &Path) -> Result<Vec<(String, String)>> {
    let fixture = workspace_root().join("tests/fixtures");
    let path = std::env::var("PATH").unwrap_or_default();
    Ok(vec![
        ("PATH".into(), format!("{}:{path}", fixture.display())),
        ("APP_BINARY".into(), app_binary()?.display().to_string()),
        ("BROWSER_LOG".into(), log.display().to_string()),
    ])
}
