// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Answered before anything starts (no window, no single-instance hand-over), so packaging
    // checks and support can ask an installed build what it is.
    if std::env::args()
        .skip(1)
        .any(|arg| arg == "--version" || arg == "-V")
    {
        println!("{}", restream_studio_lib::version_line());
        return;
    }
    restream_studio_lib::run();
}
