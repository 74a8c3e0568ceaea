//! A blank Tauri window: the framework's memory floor, and the host of the in-webview peer page
//! (`page/peer.js`) that the chat figures measure beside the studio.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the peer's configuration is built in");
}
