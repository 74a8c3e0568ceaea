//! A neighbour's process: it leads a process group of its own, and the whole group is killed
//! when it is dropped (or stopped), so nothing it started outlives the test.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// A free TCP port on the loopback interface, for a neighbour to listen on.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free loopback port")
        .local_addr()
        .expect("its address")
        .port()
}

/// Waits (at most 10 s) until something accepts connections on `port`, or fails saying where
/// `what`'s log is.
pub(crate) fn wait_until_listening(port: u16, what: &str, log: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{what} did not listen on port {port}: see {}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child in a process group of its own, killed with the whole group when dropped.
pub struct Running(pub(crate) Child);

impl Running {
    pub(crate) fn spawn(command: &mut Command) -> Running {
        Running(
            command
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("starting {command:?}: {e}")),
        )
    }

    /// Kills it now (SIGKILL, as a crash or a lost machine would) and waits until it is gone.
    pub fn stop(mut self) {
        self.kill();
    }

    /// Waits (at most `within`) for it to end on its own; `None` while it still runs.
    pub fn ended_within(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.0.try_wait().expect("the child's status") {
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
