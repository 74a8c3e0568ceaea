//! A real OBS Studio for the client's tests: Debian's OBS (29, with obs-websocket 5.1) under its
//! own Xvfb display and D-Bus session, its own config folder (no first-run wizard, a tiny canvas,
//! the WebSocket server on a free loopback port with a password), and an RTMP server (nginx with
//! its RTMP module) for it to stream to. Each process leads a group of its own and is killed with
//! it when dropped, so a test leaves nothing running.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const PASSWORD: &str = "obs-test-password";
const RTMP_MODULE: &str = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
const INSTALL: &str = "apt-get install obs-studio xvfb dbus nginx libnginx-mod-rtmp (scripts/setup.sh does)";

/// A child leading a process group of its own; dropping it kills the group.
pub struct Group(Child);

impl Group {
    fn spawn(command: &mut Command) -> Group {
        Group(
            command
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("starting {command:?}: {e}")),
        )
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.0.id()) {
            // SAFETY: a signal to the process group this guard's child leads.
            unsafe { libc::killpg(group, libc::SIGKILL) };
        }
        let _ = self.0.wait();
    }
}

fn require(tool: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
        .unwrap_or(false)
        || Path::new("/usr/sbin").join(tool).is_file();
    assert!(found, "{tool} is not installed: {INSTALL}");
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// OBS, its display, and the RTMP server its profile streams to.
pub struct RealObs {
    pub dir: tempfile::TempDir,
    pub websocket_port: u16,
    pub rtmp_url: String,
    // Dropped in this order: OBS before its display and the server it streams to.
    _obs: Group,
    _nginx: Group,
    _xvfb: Group,
}

impl RealObs {
    pub fn start() -> RealObs {
        for tool in ["obs", "Xvfb", "dbus-run-session", "nginx"] {
            require(tool);
        }
        assert!(
            Path::new(RTMP_MODULE).is_file(),
            "nginx's RTMP module is not installed: {INSTALL}"
        );
        let dir = tempfile::tempdir().unwrap();
        let (rtmp_port, websocket_port) = (free_port(), free_port());
        let nginx = start_nginx(dir.path(), rtmp_port);
        let rtmp_url = format!("rtmp://127.0.0.1:{rtmp_port}/live");

        let mut xvfb = Command::new("Xvfb");
        xvfb.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "640x480x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
        let mut xvfb = Group::spawn(&mut xvfb);
        let mut line = String::new();
        BufReader::new(xvfb.0.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let display = format!(":{}", line.trim());

        let config = dir.path().join("config");
        write_config(&config, websocket_port, &rtmp_url);
        let log = std::fs::File::create(dir.path().join("obs.log")).unwrap();
        let obs = Group::spawn(
            Command::new("dbus-run-session")
                .args([
                    "--",
                    "obs",
                    "--disable-shutdown-check",
                    "--multi",
                    "--minimize-to-tray",
                ])
                .env("DISPLAY", &display)
                .env("XDG_CONFIG_HOME", &config)
                .env("HOME", dir.path())
                .env("LIBGL_ALWAYS_SOFTWARE", "1")
                .env_remove("WAYLAND_DISPLAY")
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log),
        );
        RealObs {
            dir,
            websocket_port,
            rtmp_url,
            _obs: obs,
            _nginx: nginx,
            _xvfb: xvfb,
        }
    }

    /// Where OBS's own log is, for a failing test's message.
    pub fn log(&self) -> PathBuf {
        self.dir.path().join("obs.log")
    }
}

fn start_nginx(dir: &Path, port: u16) -> Group {
    let dir = dir.join("nginx");
    std::fs::create_dir_all(&dir).unwrap();
    let conf = format!(
        "load_module {RTMP_MODULE};\ndaemon off;\nmaster_process off;\npid {d}/nginx.pid;\n\
         error_log {d}/error.log info;\nevents {{}}\n\
         rtmp {{ server {{ listen 127.0.0.1:{port}; application live {{ live on; }} }} }}\n",
        d = dir.display(),
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    Group::spawn(
        Command::new("nginx")
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-p")
            .arg(format!("{}/", dir.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )
}

/// OBS's config folder as a first run would leave it, minus the wizard: one profile with a tiny
/// canvas streaming to `rtmp_url`, one empty scene, and obs-websocket on `port` with a password
/// (5.1 reads its settings from `global.ini`).
fn write_config(config: &Path, port: u16, rtmp_url: &str) {
    let obs = config.join("obs-studio");
    let profile = obs.join("basic/profiles/P");
    std::fs::create_dir_all(&profile).unwrap();
    std::fs::create_dir_all(obs.join("basic/scenes")).unwrap();
    std::fs::write(
        obs.join("global.ini"),
        format!(
            "[General]\nFirstRun=true\n\n[Basic]\nProfile=P\nProfileDir=P\nSceneCollection=S\nSceneCollectionFile=S\n\n\
             [OBSWebSocket]\nFirstLoad=false\nServerEnabled=true\nServerPort={port}\nAuthRequired=true\n\
             ServerPassword={PASSWORD}\nAlertsEnabled=false\n"
        ),
    )
    .unwrap();
    std::fs::write(
        profile.join("basic.ini"),
        "[General]\nName=P\n\n[Video]\nBaseCX=320\nBaseCY=180\nOutputCX=320\nOutputCY=180\nFPSType=1\nFPSInt=10\n\n\
         [Output]\nMode=Simple\nRetryDelay=1\n\n[SimpleOutput]\nVBitrate=300\nStreamEncoder=x264\nPreset=ultrafast\n",
    )
    .unwrap();
    std::fs::write(
        profile.join("service.json"),
        serde_json::json!({ "type": "rtmp_custom", "settings": { "server": rtmp_url, "key": "first-key" } })
            .to_string(),
    )
    .unwrap();
    std::fs::write(
        obs.join("basic/scenes/S.json"),
        serde_json::json!({
            "name": "S", "current_scene": "Scene", "current_program_scene": "Scene",
            "scene_order": [{ "name": "Scene" }],
            "sources": [{ "id": "scene", "name": "Scene", "settings": { "items": [] } }]
        })
        .to_string(),
    )
    .unwrap();
}
