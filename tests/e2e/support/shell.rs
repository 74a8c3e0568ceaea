//! The desktop around the app, as the tests see it: the tray read over D-Bus as a panel reads it
//! (StatusNotifierItem and its dbusmenu), a notification daemon that records what was shown,
//! keys pressed at the X server (for global shortcuts), and the window's place on the screen.

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Structure, Value};

use super::desktop::{Desktop, Guard, find_window};
use super::paths::require_tool;
use super::wait::{POLL, UI_TIMEOUT};

/// One item of the tray's menu.
#[derive(Debug, Clone)]
pub struct TrayItem {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
}

/// The tray as a desktop panel sees it.
#[derive(Debug, Clone)]
pub struct TrayView {
    /// The label beside the icon (`XAyatanaLabel`): the live status on Linux.
    pub label: String,
    pub items: Vec<TrayItem>,
    bus_name: String,
    menu: OwnedObjectPath,
}

impl TrayView {
    /// The labels of the menu's items, in order (separators have none).
    pub fn labels(&self) -> Vec<&str> {
        self.items
            .iter()
            .map(|i| i.label.as_str())
            .filter(|l| !l.is_empty())
            .collect()
    }

    pub fn item(&self, label_starts: &str) -> Result<&TrayItem> {
        self.items
            .iter()
            .find(|i| i.label.starts_with(label_starts))
            .ok_or_else(|| anyhow!("no tray item starting {label_starts:?} in {:?}", self.labels()))
    }
}

const ITEMS_PATH: &str = "/org/ayatana/NotificationItem";

impl Desktop {
    fn bus(&self) -> Result<zbus::blocking::Connection> {
        Ok(
            zbus::blocking::connection::Builder::address(self.bus_address.as_str())?
                // Some of the app's connections (a notification client's, say) never answer a call
                // they do not serve: give up on those rather than wait forever.
                .method_timeout(std::time::Duration::from_secs(2))
                .build()?,
        )
    }

    /// The app's tray, if it shows one. Only the app's own bus connections are asked (found by
    /// their process), so no other peer on the bus can stall the question.
    pub fn tray(&self, app_binary: &std::path::Path) -> Result<Option<TrayView>> {
        let bus = self.bus()?;
        let dbus = zbus::blocking::fdo::DBusProxy::new(&bus)?;
        let app = std::fs::canonicalize(app_binary)?;
        for name in dbus.list_names()? {
            if !name.starts_with(':') {
                continue;
            }
            let Ok(pid) = dbus.get_connection_unix_process_id(name.clone().into()) else {
                continue;
            };
            if std::fs::read_link(format!("/proc/{pid}/exe")).ok() != Some(app.clone()) {
                continue;
            }
            let introspect = zbus::blocking::fdo::IntrospectableProxy::builder(&bus)
                .destination(name.to_string())?
                .path(ITEMS_PATH)?
                .build()?;
            let Ok(xml) = introspect.introspect() else {
                continue;
            };
            let Some(node) = xml
                .split("<node name=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
            else {
                continue;
            };
            let item = zbus::blocking::fdo::PropertiesProxy::builder(&bus)
                .destination(name.to_string())?
                .path(format!("{ITEMS_PATH}/{node}"))?
                .build()?;
            let interface = zbus::names::InterfaceName::try_from("org.kde.StatusNotifierItem")?;
            let label: String = item.get(interface.clone(), "XAyatanaLabel")?.try_into()?;
            let menu: OwnedObjectPath = item.get(interface, "Menu")?.try_into()?;
            let items = menu_items(&bus, name.as_str(), &menu)?;
            return Ok(Some(TrayView {
                label,
                items,
                bus_name: name.to_string(),
                menu,
            }));
        }
        Ok(None)
    }

    /// Waits until the tray satisfies `accept`; returns it.
    pub async fn wait_for_tray(
        &self,
        app_binary: &std::path::Path,
        accept: impl Fn(&TrayView) -> bool,
    ) -> Result<TrayView> {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = None;
        loop {
            if let Some(tray) = self.tray(app_binary)? {
                if accept(&tray) {
                    return Ok(tray);
                }
                last = Some(tray);
            }
            if Instant::now() > deadline {
                bail!("the tray never showed what was expected; last seen: {last:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clicks a tray menu item, as a panel does when the streamer picks it.
    pub fn click_tray_item(&self, tray: &TrayView, item: &TrayItem) -> Result<()> {
        let bus = self.bus()?;
        bus.call_method(
            Some(tray.bus_name.as_str()),
            tray.menu.as_str(),
            Some("com.canonical.dbusmenu"),
            "Event",
            &(item.id, "clicked", Value::from(0i32), 0u32),
        )
        .with_context(|| format!("clicking the tray's {:?}", item.label))?;
        Ok(())
    }

    /// Presses `keys` (xdotool's names, e.g. `ctrl+shift+F10`) at the X server, where a global
    /// shortcut's grab sees them whatever window has the focus.
    pub fn press_keys(&self, keys: &str) -> Result<()> {
        require_tool("xdotool", "apt-get install xdotool (scripts/setup.sh does)")?;
        let status = Command::new("xdotool")
            .args(["key", keys])
            .envs(self.env())
            .status()
            .context("running xdotool")?;
        if !status.success() {
            bail!("xdotool key {keys} failed: {status}");
        }
        Ok(())
    }

    /// Starts a notification daemon (dunst) on this desktop and waits until it serves.
    pub fn start_notification_daemon(&self) -> Result<NotificationDaemon> {
        require_tool("dunst", "apt-get install dunst (scripts/setup.sh does)")?;
        let daemon = Command::new("dunst")
            .envs(self.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting dunst")?;
        let daemon = Guard(daemon);
        let deadline = Instant::now() + UI_TIMEOUT;
        while !self.bus_name_owned("org.freedesktop.Notifications")? {
            if Instant::now() > deadline {
                bail!("dunst never took the notifications' bus name");
            }
            std::thread::sleep(POLL);
        }
        Ok(NotificationDaemon { _daemon: daemon })
    }

    /// Every notification shown so far, as (summary, body), oldest first.
    pub fn notifications_shown(&self) -> Result<Vec<(String, String)>> {
        let dunstctl = |args: &[&str]| -> Result<String> {
            let out = Command::new("dunstctl").args(args).envs(self.env()).output()?;
            if !out.status.success() {
                bail!("dunstctl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            }
            Ok(String::from_utf8(out.stdout)?)
        };
        // History holds closed notifications: close the ones on screen first.
        dunstctl(&["close-all"])?;
        let history: serde_json::Value = serde_json::from_str(&dunstctl(&["history"])?)?;
        let text = |entry: &serde_json::Value, field: &str| {
            entry[field]["data"].as_str().unwrap_or_default().to_owned()
        };
        let mut shown: Vec<(String, String)> = history["data"][0]
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| (text(e, "summary"), text(e, "body")))
                    .collect()
            })
            .unwrap_or_default();
        shown.reverse(); // dunst lists the newest first
        Ok(shown)
    }

    /// Where the window titled `title` is and how big: (x, y, width, height) on the screen.
    pub fn window_rect(&self, title: &str) -> Result<(i32, i32, u32, u32)> {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::ConnectionExt;
        let (conn, screen) = x11rb::connect(Some(&self.display)).context("connecting to the X display")?;
        let window = find_window(&conn, title)?;
        let root = conn.setup().roots[screen].root;
        let geometry = conn.get_geometry(window)?.reply()?;
        let at = conn.translate_coordinates(window, root, 0, 0)?.reply()?;
        Ok((
            at.dst_x.into(),
            at.dst_y.into(),
            geometry.width.into(),
            geometry.height.into(),
        ))
    }

    /// Moves and resizes the window as a window manager would.
    pub fn place_window(&self, title: &str, x: i32, y: i32, width: u32, height: u32) -> Result<()> {
        use x11rb::protocol::xproto::{ConfigureWindowAux, ConnectionExt};
        let (conn, _) = x11rb::connect(Some(&self.display)).context("connecting to the X display")?;
        let window = find_window(&conn, title)?;
        conn.configure_window(
            window,
            &ConfigureWindowAux::new().x(x).y(y).width(width).height(height),
        )?;
        conn.get_input_focus()?.reply()?;
        Ok(())
    }
}

/// A running notification daemon; stops when dropped.
pub struct NotificationDaemon {
    _daemon: Guard,
}

/// A dbusmenu node as `GetLayout` sends it: id, properties, children (each a variant of a node).
type MenuNode = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// The menu's items, flattened in order, from dbusmenu's `GetLayout`.
fn menu_items(bus: &zbus::blocking::Connection, name: &str, menu: &OwnedObjectPath) -> Result<Vec<TrayItem>> {
    let reply = bus.call_method(
        Some(name),
        menu.as_str(),
        Some("com.canonical.dbusmenu"),
        "GetLayout",
        &(0i32, -1i32, Vec::<String>::new()),
    )?;
    let (_revision, root): (u32, MenuNode) = reply.body().deserialize()?;
    let mut items = Vec::new();
    for child in root.2 {
        let structure: Structure = child.try_into()?;
        let fields = structure.into_fields();
        let [id, props, ..] = fields.as_slice() else {
            bail!("a dbusmenu item with fewer than two fields");
        };
        let id: i32 = id.try_clone()?.try_into()?;
        let props: HashMap<String, OwnedValue> = props.try_clone()?.try_into()?;
        let label = props
            .get("label")
            .and_then(|v| String::try_from(v.try_clone().ok()?).ok())
            .unwrap_or_default();
        let enabled = props
            .get("enabled")
            .and_then(|v| bool::try_from(&**v).ok())
            .unwrap_or(true);
        items.push(TrayItem { id, label, enabled });
    }
    Ok(items)
}
