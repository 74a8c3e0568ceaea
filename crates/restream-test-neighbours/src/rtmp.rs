//! An RTMP ingest for the tests: nginx with Debian's RTMP module on a free loopback port, its
//! config and logs in a folder of its own, optionally calling a hook on each publish and its end
//! (as the sandbox's ingest expects); and ffmpeg publishing a small test picture to it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::group::Running;

const RTMP_MODULE: &str = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
const INSTALL: &str = "apt-get install nginx libnginx-mod-rtmp ffmpeg (scripts/setup.sh does)";

/// Fails the test, naming the command that installs them, unless nginx, its RTMP module and
/// ffmpeg are here.
pub fn require_ingest_tools() {
    for tool in ["nginx", "ffmpeg"] {
        crate::require(tool, INSTALL);
    }
    assert!(
        Path::new(RTMP_MODULE).is_file(),
        "nginx's RTMP module is not installed: {INSTALL}"
    );
}

/// nginx serving RTMP on a loopback port.
pub struct Nginx {
    pub port: u16,
    pub dir: PathBuf,
    process: Running,
}

impl Nginx {
    /// nginx on `port` (from [`crate::free_port`]), its config and logs in `dir/nginx`, taking
    /// every publish.
    pub fn start(dir: &Path, port: u16) -> Nginx {
        Nginx::launch(dir, port, "")
    }

    /// nginx as [`start`](Self::start), calling `hook_url` on each publish and its end: a
    /// publish the hook answers with an error is refused.
    pub fn with_hooks(dir: &Path, port: u16, hook_url: &str) -> Nginx {
        Nginx::launch(
            dir,
            port,
            &format!("      on_publish {hook_url};\n      on_publish_done {hook_url};\n"),
        )
    }

    fn launch(dir: &Path, port: u16, hooks: &str) -> Nginx {
        require_ingest_tools();
        let dir = dir.join("nginx");
        std::fs::create_dir_all(&dir).expect("nginx's folder");
        let conf = format!(
            "load_module {RTMP_MODULE};\n\
             daemon off;\n\
             master_process off;\n\
             pid {dir}/nginx.pid;\n\
             error_log {dir}/error.log info;\n\
             events {{}}\n\
             rtmp {{\n  server {{\n    listen 127.0.0.1:{port};\n    application live {{\n\
             \x20     live on;\n{hooks}    }}\n  }}\n}}\n",
            dir = dir.display(),
        );
        std::fs::write(dir.join("nginx.conf"), conf).expect("nginx's config");
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
        crate::group::wait_until_listening(port, "nginx", &dir.join("error.log"));
        Nginx { port, dir, process }
    }

    /// `rtmp://127.0.0.1:<port>/live`.
    pub fn url(&self) -> String {
        format!("rtmp://127.0.0.1:{}/live", self.port)
    }

    /// Kills it at once (SIGKILL), as a crashed ingest: publishers lose their connection.
    pub fn kill(self) {
        self.process.stop();
    }

    /// ffmpeg publishing a 320×180 test picture and a tone to `<url>/<key>` (for at most a
    /// minute), its log in this nginx's folder.
    pub fn publish(&self, key: &str) -> Running {
        let log = std::fs::File::create(self.dir.join(format!("ffmpeg-{}.log", &key[..key.len().min(12)])))
            .expect("ffmpeg's log");
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
