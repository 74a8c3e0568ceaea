//! Processes that start others: each in a process group of its own, ended together, so a test
//! leaves nothing running. (The members other than the leader are not this process's children:
//! once killed, they are reaped by PID 1, as the orphans they are.)

use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

/// A child that leads a process group of its own. Dropping it kills the whole group: the leader
/// and whatever it started (WebKitWebDriver and the app under tauri-driver, the services a test's
/// D-Bus started on demand), which would otherwise outlive the test.
pub struct GroupGuard(Child);

impl GroupGuard {
    /// Spawns `command` as the leader of a new process group.
    pub fn spawn(command: &mut Command) -> std::io::Result<GroupGuard> {
        command.process_group(0).spawn().map(GroupGuard)
    }

    pub fn child(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        let Ok(group) = i32::try_from(self.0.id()) else {
            return;
        };
        // SAFETY: a signal to the process group this guard's child leads.
        unsafe { libc::killpg(group, libc::SIGKILL) };
        let _ = self.0.wait();
    }
}
