//! Commands used while live: sending chat, editing banners, and the images the window shows.

use restream_client::{Change, Job, OverlayUpdate, Platform, SendResult};
use serde::Deserialize;
use specta::Type;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::studio::chat_feed::ChatFeed;
use crate::studio::service::ServiceState;
use crate::support::app_error::AppError;
use crate::support::images::{ImageFetcher, ImagePurpose};

/// The contract's limit on a sent message, in Unicode scalar values.
pub const MAX_CHAT_CHARS: usize = 500;

/// Why `message` cannot be sent, checked before anything leaves the app.
fn chat_problem(message: &str) -> Option<AppError> {
    if message.trim().is_empty() {
        return Some(AppError::new(
            "chat_empty",
            "The message is empty.",
            "Type something to send.",
        ));
    }
    let length = message.chars().count();
    (length > MAX_CHAT_CHARS).then(|| {
        AppError::new(
            "chat_too_long",
            format!("The message is {length} characters; chats take at most {MAX_CHAT_CHARS}."),
            "Shorten it, or send it in two parts.",
        )
    })
}

/// The ids of the sends handled lately. WebKitGTK has been measured handing the app an old IPC
/// request in place of a new one (see `chat_inbox`); for a send, that would post an old message to
/// every platform again. Each send carries an id the window makes, and an id seen before is
/// refused: the window then keeps the new text and says it was not sent.
#[derive(Default)]
pub struct SentIds(std::sync::Mutex<std::collections::VecDeque<String>>);

/// Sends remembered: far more than a streamer sends between two of WebKit's mix-ups.
const SENT_IDS_KEPT: usize = 256;

impl SentIds {
    /// Records `id`; false if it was already handled.
    fn first_time(&self, id: &str) -> bool {
        let mut ids = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if ids.iter().any(|seen| seen == id) {
            return false;
        }
        if ids.len() == SENT_IDS_KEPT {
            ids.pop_front();
        }
        ids.push_back(id.to_owned());
        true
    }
}

fn send_id_problem(id: &str) -> Option<AppError> {
    let valid =
        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (!valid).then(|| {
        AppError::new(
            "chat_send_id_invalid",
            "The window sent a message without a valid send id.",
            "Reload the window (Ctrl+R) and send again.",
        )
    })
}

/// Sends a chat message to every destination (`platforms` absent) or the chosen ones, and says
/// per platform whether it was delivered. `send_id` is unique to this send (see [`SentIds`]).
#[tauri::command]
#[specta::specta]
pub async fn send_chat(
    service: State<'_, ServiceState>,
    sent: State<'_, SentIds>,
    message: String,
    platforms: Option<Vec<Platform>>,
    send_id: String,
) -> Result<Vec<SendResult>, AppError> {
    if let Some(problem) = chat_problem(&message).or_else(|| send_id_problem(&send_id)) {
        return Err(problem);
    }
    if platforms.as_ref().is_some_and(Vec::is_empty) {
        return Err(AppError::new(
            "chat_no_platform",
            "No platform is chosen for this message.",
            "Choose at least one platform, or send to all.",
        ));
    }
    if !sent.first_time(&send_id) {
        return Err(AppError::new(
            "chat_send_repeated",
            "This send had already been handled, so it was not sent again; your new message was not sent.",
            "Send it again.",
        ));
    }
    Ok(service.studio()?.send_chat(&message, platforms).await?)
}

/// Where the window follows new chat after the snapshot's cursor: an EventSource on a loopback
/// port, its secret made for this launch (see chat_feed.rs).
#[tauri::command]
#[specta::specta]
pub fn chat_feed(feed: State<'_, ChatFeed>) -> Result<String, AppError> {
    feed.address()
}

/// The top and bottom banners as the streamer wants them now; an empty or absent URL removes one.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BannerEdit {
    pub top_banner: Option<String>,
    pub bottom_banner: Option<String>,
    pub hide_top: bool,
    pub hide_bottom: bool,
}

impl BannerEdit {
    fn update(&self) -> OverlayUpdate {
        let url = |value: &Option<String>| match value.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => Change::Set(url.to_owned()),
            _ => Change::Remove,
        };
        OverlayUpdate {
            top_banner: Some(url(&self.top_banner)),
            bottom_banner: Some(url(&self.bottom_banner)),
            hide_top: Some(Change::Set(self.hide_top)),
            hide_bottom: Some(Change::Set(self.hide_bottom)),
        }
    }
}

/// Changes, hides or shows the live job's banners, without restarting the stream.
#[tauri::command]
#[specta::specta]
pub async fn edit_banners(service: State<'_, ServiceState>, edit: BannerEdit) -> Result<Job, AppError> {
    Ok(service.studio()?.update_overlay(edit.update()).await?)
}

/// An image (an avatar, or a banner to preview) as a `data:` URL, fetched by Rust under the
/// rules in `images`; the window never loads a remote image itself.
#[tauri::command]
#[specta::specta]
pub async fn fetch_image(
    service: State<'_, ServiceState>,
    images: State<'_, ImageFetcher>,
    url: String,
    purpose: ImagePurpose,
) -> Result<String, AppError> {
    let studio = service.studio()?;
    let base = url::Url::parse(studio.config().api_base.as_str())
        .map_err(|e| AppError::new("bad_api_base", e.to_string(), "Check the API base in settings."))?;
    images
        .fetch(&url, purpose, &base)
        .await
        .map(|data| data.to_string())
        .map_err(|why| {
            AppError::new(
                "image_not_shown",
                format!("The image is not shown: {why}."),
                "Use an https address of a PNG image of at most 256 KiB.",
            )
        })
}

/// Opens the live job's HTML banner in the system browser, to see it as viewers do. Only the
/// banner the service holds for the job opens, and only over https (or from the loopback sandbox).
#[tauri::command]
#[specta::specta]
pub async fn open_html_banner(
    app: tauri::AppHandle,
    service: State<'_, ServiceState>,
) -> Result<(), AppError> {
    let studio = service.studio()?;
    let none = || {
        AppError::new(
            "no_html_banner",
            "This stream has no HTML banner.",
            "Set one when you go live.",
        )
    };
    let raw = studio
        .snapshot()
        .job
        .and_then(|job| job.overlay.html_banner)
        .ok_or_else(none)?;
    let url = url::Url::parse(&raw).map_err(|_| none())?;
    let base = url::Url::parse(studio.config().api_base.as_str()).ok();
    let from_sandbox = base.is_some_and(|b| b.origin() == url.origin());
    if !(url.scheme() == "https" || from_sandbox) || !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::new(
            "banner_not_opened",
            "The HTML banner's address is not an https page.",
            "Set an https banner the next time you go live.",
        ));
    }
    app.opener().open_url(url.as_str(), None::<&str>).map_err(|e| {
        AppError::new(
            "open_failed",
            format!("Could not open the banner: {e}"),
            "Open its address in your browser yourself.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_send_id_is_handled_once() {
        let sent = SentIds::default();
        assert!(sent.first_time("a-1"));
        assert!(!sent.first_time("a-1"), "a repeated request does not post again");
        for n in 0..SENT_IDS_KEPT {
            assert!(sent.first_time(&format!("b-{n}")));
        }
        assert!(sent.first_time("a-1"), "the oldest ids make way");
        assert!(send_id_problem("4b1c-9f").is_none());
        for bad in ["", "has space", "<script>", &"x".repeat(65)] {
            assert!(
                send_id_problem(bad).is_some_and(|e| e.code == "chat_send_id_invalid"),
                "{bad}"
            );
        }
    }

    #[test]
    fn chat_length_counts_characters_not_bytes() {
        assert!(chat_problem("  \n ").is_some_and(|e| e.code == "chat_empty"));
        assert!(chat_problem(&"é".repeat(MAX_CHAT_CHARS)).is_none());
        let long = chat_problem(&"é".repeat(MAX_CHAT_CHARS + 1)).unwrap();
        assert_eq!(long.code, "chat_too_long");
        assert!(long.cause.contains("501"));
    }

    #[test]
    fn an_empty_banner_field_removes_the_banner() {
        let edit = BannerEdit {
            top_banner: Some("  https://cdn.example/top.png ".into()),
            bottom_banner: Some(" ".into()),
            hide_top: true,
            hide_bottom: false,
        };
        let update = edit.update();
        assert_eq!(
            update.top_banner,
            Some(Change::Set("https://cdn.example/top.png".into()))
        );
        assert_eq!(update.bottom_banner, Some(Change::Remove));
        assert_eq!(update.hide_top, Some(Change::Set(true)));
    }
}
