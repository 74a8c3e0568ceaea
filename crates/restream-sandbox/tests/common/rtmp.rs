//! A real RTMP ingest in front of the sandbox for the v1.1 tests: nginx with Debian's RTMP module,
//! its `on_publish` / `on_publish_done` pointed at the sandbox's hook, on a free loopback port with
//! its own config and log folder; and ffmpeg publishing a small test picture to it. Both end with
//! their guards, so a test leaves nothing running.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const RTMP_MODULE: &str = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
const INSTALL: &str = "apt-get install nginx libnginx-mod-rtmp ffmpeg (scripts/setup.sh does)";

/// Fails the test, naming the command that installs them, unless nginx, its RTMP module and
/// ffmpeg are here.
pub fn require_ingest_tools() {
    for tool in ["nginx", "ffmpeg"] {
        let found = std::env::var_os("PATH")
            .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
            .unwrap_or(false)
            || Path::new("/usr/sbin").join(tool).is_file();
        assert!(found, "{tool} is not installed: {INSTALL}");
    }
    assert!(
        Path::new(RTMP_MODULE).is_file(),
        "nginx's RTMP module is not installed: {INSTALL}"
    );
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child in a process group of its own, killed with the whole group when dropped.
pub struct Running(Child);

impl Running {
    fn spawn(command: &mut Command) -> Running {
        Running(command.process_group(0).spawn().expect("starting a neighbour"))
    }

    /// Stops it now, as a lost connection does for the ingest, and waits until it is gone.
    pub fn stop(mut self) {
        self.kill();
    }

    /// Waits (at most `within`) for it to end on its own; `None` while it still runs.
    pub fn ended_within(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn kill(&mut self) {
        if let Ok(group) = i32::try_from(self.0.id()) {
            // SAFETY: a signal to the process group this child leads.
            unsafe { libc::killpg(group, libc::SIGKILL) };
        }
        let _ = self.0.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}

/// nginx serving RTMP on a free loopback port, calling `hook_url` on each publish and its end.
pub struct Nginx {
    pub port: u16,
    pub dir: PathBuf,
    _process: Running,
}

impl Nginx {
    /// nginx on `port` (from [`free_port`]), its config and logs in `dir/nginx`.
    pub fn start(dir: &Path, port: u16, hook_url: &str) -> Nginx {
        require_ingest_tools();
        let dir = dir.join("nginx");
        std::fs::create_dir_all(&dir).unwrap();
        let conf = format!(
            "load_module {RTMP_MODULE};\n\
             daemon off;\n\
             master_process off;\n\
             pid {dir}/nginx.pid;\n\
             error_log {dir}/error.log info;\n\
             events {{}}\n\
             rtmp {{\n  server {{\n    listen 127.0.0.1:{port};\n    application live {{\n\
             \x20     live on;\n      on_publish {hook_url};\n      on_publish_done {hook_url};\n\
             \x20   }}\n  }}\n}}\n",
            dir = dir.display(),
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let process = Running::spawn(
            Command::new("nginx")
                .arg("-c")
                .arg(dir.join("nginx.conf"))
                .arg("-p")
                .arg(format!("{}/", dir.display()))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        // Ready when it accepts connections on its port.
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "nginx did not listen: see {}/error.log",
                dir.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx {
            port,
            dir,
            _process: process,
        }
    }

    /// `rtmp://127.0.0.1:<port>/live`, the sandbox's ingest address.
    pub fn url(&self) -> String {
        format!("rtmp://127.0.0.1:{}/live", self.port)
    }

    /// ffmpeg publishing a 320×180 test picture and a tone to `<url>/<key>` (for at most a
    /// minute), its log in this nginx's folder.
    pub fn publish(&self, key: &str) -> Running {
        let log = std::fs::File::create(self.dir.join(format!("ffmpeg-{}.log", &key[..key.len().min(12)])))
            .unwrap();
        Running::spawn(
            Command::new("ffmpeg")
                .args(["-hide_banner", "-nostdin", "-loglevel", "warning", "-re"])
                .args(["-f", "lavfi", "-i", "testsrc=size=320x180:rate=10"])
                .args(["-f", "lavfi", "-i", "sine"])
                .args([
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-c:a",
                    "aac",
                    "-t",
                    "60",
                ])
                .args(["-f", "flv"])
                .arg(format!("{}/{key}", self.url()))
                .stdout(Stdio::null())
                .stderr(log),
        )
    }
}
