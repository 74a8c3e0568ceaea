//! A private desktop for each launch: an X display (Xvfb), a D-Bus session, XDG directories and,
//! when asked for, a real Secret Service. Single-instance keys on the app identifier, so two
//! launches on one bus would talk to each other; here none share one. Also what a window manager
//! would do with the app's window: ask it to close, see whether it is shown.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};

use super::paths::require_tool;
use super::process_group::GroupGuard;
use super::wait::{POLL, UI_TIMEOUT};

/// A child process that is killed when dropped.
pub(super) struct Guard(pub(super) Child);

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
    _dbus: GroupGuard,
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

        // A group of its own: the services it starts on demand (the accessibility bus and its
        // registry, a keyring) end with it.
        let mut dbus = GroupGuard::spawn(
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )
        .context("starting dbus-daemon")?;
        let bus_address = first_line(dbus.child(), "dbus-daemon")?;

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
pub(super) fn find_window(conn: &impl x11rb::connection::Connection, title: &str) -> Result<u32> {
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
