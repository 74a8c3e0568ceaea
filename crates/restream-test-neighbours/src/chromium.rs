//! Debian's Chromium driven over WebDriver (chromedriver), as OBS's browser source (Chromium
//! underneath) would show a page. Headless, with a profile folder of its own and no background
//! networking; `--no-sandbox` because test machines run as root, where Chromium refuses to start
//! with its sandbox (for tests only: nothing the product does starts Chromium).

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::group::{Running, free_port, wait_until_listening};

pub struct Chromium {
    port: u16,
    profile: tempfile::TempDir,
    log: PathBuf,
    _driver: Running,
}

impl Chromium {
    /// Starts chromedriver on a free loopback port, logging into `log_dir`.
    pub fn start(log_dir: &std::path::Path) -> Chromium {
        crate::require(
            "chromium",
            "apt-get install chromium chromium-driver (scripts/setup.sh does)",
        );
        crate::require(
            "chromedriver",
            "apt-get install chromium-driver (scripts/setup.sh does)",
        );
        std::fs::create_dir_all(log_dir).expect("the log folder");
        let port = free_port();
        let log = log_dir.join("chromedriver.log");
        let driver = Running::spawn(
            Command::new("chromedriver")
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        wait_until_listening(port, "chromedriver", &log);
        Chromium {
            port,
            profile: tempfile::tempdir().expect("a profile folder"),
            log,
            _driver: driver,
        }
    }

    /// Where WebDriver sessions are opened.
    pub fn webdriver_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// This Chromium's profile folder: its processes carry it on their command lines.
    pub fn profile(&self) -> &std::path::Path {
        self.profile.path()
    }

    /// chromedriver's log, for a failing test to point at.
    pub fn log(&self) -> &std::path::Path {
        &self.log
    }

    /// The session's capabilities: Debian's Chromium, headless, on its own profile.
    pub fn capabilities(&self) -> serde_json::Map<String, serde_json::Value> {
        let options = serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--no-first-run",
                "--window-size=400,600",
                format!("--user-data-dir={}", self.profile.path().display()),
            ],
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "chrome".into());
        capabilities.insert("goog:chromeOptions".into(), options);
        capabilities
    }
}
