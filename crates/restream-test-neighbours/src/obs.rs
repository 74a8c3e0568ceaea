//! A real OBS Studio (Debian's 29, with obs-websocket 5.1) under its own Xvfb display and D-Bus
//! session, with its own config folder: no first-run wizard, a tiny canvas, `[Output]
//! RetryDelay=1`, and the WebSocket server on a free loopback port with a password.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::group::Running;
use crate::rtmp::Nginx;

/// obs-websocket's password in every test OBS.
pub const PASSWORD: &str = "obs-test-password";
const INSTALL: &str = "apt-get install obs-studio xvfb dbus nginx libnginx-mod-rtmp (scripts/setup.sh does)";

/// OBS and its display (and the RTMP server its profile streams to, when it brought its own).
pub struct RealObs {
    pub websocket_port: u16,
    pub rtmp_url: String,
    // Dropped in this order: OBS before its display, the server it streams to, and its folder.
    obs: Running,
    xvfb: Running,
    nginx: Option<Nginx>,
    pub dir: tempfile::TempDir,
}

impl RealObs {
    /// OBS streaming (when asked) to an nginx of its own that takes every publish.
    pub fn start() -> RealObs {
        let dir = tempfile::tempdir().expect("a folder for OBS");
        let nginx = Nginx::start(dir.path(), crate::free_port());
        let mut obs = RealObs::launch(dir, crate::free_port(), &nginx.url());
        obs.nginx = Some(nginx);
        obs
    }

    /// OBS with its WebSocket server on `websocket_port`, its profile streaming to `rtmp_url`
    /// (with the key `first-key`).
    pub fn start_on(websocket_port: u16, rtmp_url: &str) -> RealObs {
        RealObs::launch(
            tempfile::tempdir().expect("a folder for OBS"),
            websocket_port,
            rtmp_url,
        )
    }

    fn launch(dir: tempfile::TempDir, websocket_port: u16, rtmp_url: &str) -> RealObs {
        for tool in ["obs", "Xvfb", "dbus-run-session"] {
            crate::require(tool, INSTALL);
        }
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
        let mut xvfb = Running::spawn(&mut xvfb);
        let mut line = String::new();
        BufReader::new(xvfb.0.stdout.take().expect("Xvfb's output"))
            .read_line(&mut line)
            .expect("Xvfb's display number");
        let display = format!(":{}", line.trim());

        let config = dir.path().join("config");
        write_config(&config, websocket_port, rtmp_url);
        let log = std::fs::File::create(dir.path().join("obs.log")).expect("OBS's log");
        let obs = Running::spawn(
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
                .stdout(log.try_clone().expect("OBS's log"))
                .stderr(log),
        );
        RealObs {
            websocket_port,
            rtmp_url: rtmp_url.to_owned(),
            obs,
            xvfb,
            nginx: None,
            dir,
        }
    }

    /// Where OBS's own log is, for a failing test's message.
    pub fn log(&self) -> PathBuf {
        self.dir.path().join("obs.log")
    }

    /// Kills OBS at once (SIGKILL), as a crash would; its display goes with it.
    pub fn kill(self) {
        let RealObs { obs, xvfb, .. } = self;
        obs.stop();
        xvfb.stop();
    }
}

/// OBS's config folder as a first run would leave it, minus the wizard: one profile with a tiny
/// canvas streaming to `rtmp_url`, one empty scene, and obs-websocket on `port` with a password
/// (5.1 reads its settings from `global.ini`).
fn write_config(config: &Path, port: u16, rtmp_url: &str) {
    let obs = config.join("obs-studio");
    let profile = obs.join("basic/profiles/P");
    std::fs::create_dir_all(&profile).expect("OBS's config");
    std::fs::create_dir_all(obs.join("basic/scenes")).expect("OBS's config");
    std::fs::write(
        obs.join("global.ini"),
        format!(
            "[General]\nFirstRun=true\n\n[Basic]\nProfile=P\nProfileDir=P\nSceneCollection=S\nSceneCollectionFile=S\n\n\
             [OBSWebSocket]\nFirstLoad=false\nServerEnabled=true\nServerPort={port}\nAuthRequired=true\n\
             ServerPassword={PASSWORD}\nAlertsEnabled=false\n"
        ),
    )
    .expect("OBS's config");
    std::fs::write(
        profile.join("basic.ini"),
        "[General]\nName=P\n\n[Video]\nBaseCX=320\nBaseCY=180\nOutputCX=320\nOutputCY=180\nFPSType=1\nFPSInt=10\n\n\
         [Output]\nMode=Simple\nRetryDelay=1\n\n[SimpleOutput]\nVBitrate=300\nStreamEncoder=x264\nPreset=ultrafast\n",
    )
    .expect("OBS's config");
    std::fs::write(
        profile.join("service.json"),
        serde_json::json!({ "type": "rtmp_custom", "settings": { "server": rtmp_url, "key": "first-key" } })
            .to_string(),
    )
    .expect("OBS's config");
    std::fs::write(
        obs.join("basic/scenes/S.json"),
        serde_json::json!({
            "name": "S", "current_scene": "Scene", "current_program_scene": "Scene",
            "scene_order": [{ "name": "Scene" }],
            "sources": [{ "id": "scene", "name": "Scene", "settings": { "items": [] } }]
        })
        .to_string(),
    )
    .expect("OBS's config");
}
