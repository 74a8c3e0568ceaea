// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Answered before anything starts (no window, no single-instance hand-over), so packaging
    // checks and support can ask an installed build what it is.
    if std::env::args()
        .skip(1)
        .any(|arg| arg == "--version" || arg == "-V")
    {
        attach_parent_console();
        println!("{}", restream_studio_lib::version_line());
        return;
    }
    restream_studio_lib::run();
}

/// A release build on Windows is a GUI program with no console of its own: what it prints goes
/// nowhere unless it joins the console of the shell that started it (output to a file or a pipe
/// is already connected and stays so).
#[cfg(all(windows, not(debug_assertions)))]
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: a Win32 call with a constant argument; when there is no parent console it fails and
    // changes nothing.
    unsafe { AttachConsole(ATTACH_PARENT_PROCESS) };
}

#[cfg(not(all(windows, not(debug_assertions))))]
fn attach_parent_console() {}
