//! Commands the UI may call. Each is listed in `bridge::specta_builder` and granted by name in
//! `capabilities/main-window.json`.

use restream_client::{
    AuthStatus, BrowserPage, BrowserWait, ChatStatus, Comment, ConnectOutcome, Connection, GoLiveParams, Job,
    Platform, PlatformInfo, Viewers,
};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::events::DeepLinkReceived;
use crate::studio::deep_link::DeepLinkInbox;
use crate::studio::service::{ServiceState, ServiceStatus};
use crate::support::app_error::AppError;
use crate::support::start_timeline;

/// The service's current status (events carry every later change).
#[tauri::command]
#[specta::specta]
pub fn service_status(service: State<'_, ServiceState>) -> ServiceStatus {
    service.status()
}

/// What support needs to know, as text with no secret in it (settings' "Copy diagnostics").
#[tauri::command]
#[specta::specta]
pub async fn diagnostics(app: tauri::AppHandle) -> String {
    crate::support::diagnostics::render(&crate::support::diagnostics::gather(&app).await)
}

/// The brand this build carries: name, colour, platforms, and what it allows and locks.
#[tauri::command]
#[specta::specta]
pub fn brand() -> crate::settings::brand::BrandView {
    crate::settings::brand::view(crate::settings::brand::brand())
}

/// The platforms the service offers and whether the operator enabled each, among those this
/// build offers, in the brand's order.
#[tauri::command]
#[specta::specta]
pub async fn platforms(service: State<'_, ServiceState>) -> Result<Vec<PlatformInfo>, AppError> {
    start_timeline::step("platforms-asked");
    let studio = service.studio()?;
    let offered = crate::settings::brand::enabled_platforms(crate::settings::brand::brand());
    let mut list = studio.platforms().await?;
    start_timeline::finish("platforms-answered");
    list.retain(|info| offered.contains(&info.platform));
    list.sort_by_key(|info| offered.iter().position(|p| *p == info.platform));
    Ok(list)
}

/// Deep links received so far, newest last (events carry every later one).
#[tauri::command]
#[specta::specta]
pub fn recent_deep_links(inbox: State<'_, DeepLinkInbox>) -> Vec<DeepLinkReceived> {
    inbox.recent()
}

/// Everything the UI shows about the studio, at once (events carry every later change).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudioSnapshot {
    pub connections: Vec<Connection>,
    pub job: Option<Job>,
    pub viewers: Option<Viewers>,
    pub comments: Vec<Comment>,
    /// Every error still true, one per concern, oldest first.
    pub errors: Vec<AppError>,
    pub chat: ChatStatus,
    pub auth: AuthStatus,
    pub armed: Vec<Platform>,
    /// The pages opened in the system browser that the studio waits on.
    pub browser_waits: Vec<BrowserWait>,
    /// The service's clock minus this computer's, in milliseconds, for elapsed times.
    #[specta(type = i32)]
    pub server_clock_offset_ms: i64,
    /// Where to start asking for newer chat (`next_comments`); read before `comments`, so
    /// nothing falls between them (what is in both is merged by id).
    #[specta(type = u32)]
    pub comments_cursor: u64,
}

/// The studio's state now.
#[tauri::command]
#[specta::specta]
pub fn studio_snapshot(
    service: State<'_, ServiceState>,
    inbox: State<'_, std::sync::Arc<crate::studio::chat_inbox::ChatInbox>>,
) -> Result<StudioSnapshot, AppError> {
    let studio = service.studio()?;
    let comments_cursor = inbox.cursor();
    let s = studio.snapshot();
    Ok(StudioSnapshot {
        comments_cursor,
        server_clock_offset_ms: studio.server_clock_offset_ms(),
        connections: s.connections,
        job: s.job,
        viewers: s.viewers,
        comments: s.comments,
        errors: s.errors.into_iter().map(|(_, e)| AppError::from(e)).collect(),
        chat: s.chat,
        auth: s.auth,
        armed: s.armed,
        browser_waits: s.browser_waits,
    })
}

/// Links a platform through its hosted page in the system browser.
#[tauri::command]
#[specta::specta]
pub async fn connect_platform(
    service: State<'_, ServiceState>,
    platform: Platform,
) -> Result<ConnectOutcome, AppError> {
    crate::settings::brand::check_platforms(crate::settings::brand::brand(), &[platform])?;
    Ok(service.studio()?.connect(platform).await?)
}

/// Stops waiting on a page opened in the system browser: its connect, or the sign-in, ends as
/// cancelled. Nothing to do when it has already ended.
#[tauri::command]
#[specta::specta]
pub fn cancel_browser_wait(service: State<'_, ServiceState>, page: BrowserPage) -> Result<(), AppError> {
    service.studio()?.cancel_browser_wait(page);
    Ok(())
}

/// Opens a page the studio waits on in the system browser again.
#[tauri::command]
#[specta::specta]
pub fn reopen_browser_page(service: State<'_, ServiceState>, page: BrowserPage) -> Result<(), AppError> {
    service.studio()?.reopen_browser_page(page).map_err(|why| {
        AppError::new(
            "open_failed",
            format!("Could not open the page again: {why}"),
            "Copy the link and open it in your browser.",
        )
    })
}

/// Unlinks a platform.
#[tauri::command]
#[specta::specta]
pub async fn disconnect_platform(
    service: State<'_, ServiceState>,
    platform: Platform,
) -> Result<(), AppError> {
    Ok(service.studio()?.disconnect(platform).await?)
}

/// Pre-selects destinations for go-live.
#[tauri::command]
#[specta::specta]
pub fn arm_destinations(
    service: State<'_, ServiceState>,
    destinations: Vec<Platform>,
) -> Result<(), AppError> {
    crate::settings::brand::check_platforms(crate::settings::brand::brand(), &destinations)?;
    service.studio()?.arm(destinations);
    Ok(())
}

/// Mirrors a live publisher session to the chosen (or armed) destinations.
#[tauri::command]
#[specta::specta]
pub async fn go_live(service: State<'_, ServiceState>, params: GoLiveParams) -> Result<Job, AppError> {
    crate::settings::brand::check_platforms(crate::settings::brand::brand(), &params.destinations)?;
    Ok(service.studio()?.go_live(params).await?)
}

/// Stops the current stream.
#[tauri::command]
#[specta::specta]
pub async fn stop_live(service: State<'_, ServiceState>) -> Result<Job, AppError> {
    Ok(service.studio()?.stop_live().await?)
}

/// Restarts one failed destination without touching the others.
#[tauri::command]
#[specta::specta]
pub async fn retry_destination(
    service: State<'_, ServiceState>,
    platform: Platform,
) -> Result<Job, AppError> {
    Ok(service.studio()?.retry_destination(platform).await?)
}

/// Tries the chat stream again now, instead of at the end of its wait (the window's "Retry now").
#[tauri::command]
#[specta::specta]
pub fn retry_chat(service: State<'_, ServiceState>) -> Result<(), AppError> {
    service.studio()?.retry_chat();
    Ok(())
}

/// Opens a destination's watch page in the system browser. Only a watch URL of the current job
/// opens, and only through the same checks as every page the studio opens.
#[tauri::command]
#[specta::specta]
pub async fn open_watch_page(service: State<'_, ServiceState>, platform: Platform) -> Result<(), AppError> {
    let studio = service.studio()?;
    let url = studio
        .snapshot()
        .job
        .and_then(|job| job.broadcasts.into_iter().find(|b| b.platform == platform))
        .and_then(|b| b.watch_url)
        .ok_or_else(|| {
            AppError::new(
                "no_watch_url",
                "This destination has no watch page yet.",
                "Wait until it is live.",
            )
        })?;
    let url = url::Url::parse(&url).map_err(|_| {
        AppError::new(
            "bad_watch_url",
            "The service gave a watch link that is not a URL.",
            "Tell your operator.",
        )
    })?;
    studio.config().url_opener.open(&url).map_err(|why| {
        AppError::new(
            "open_failed",
            format!("Could not open the watch page: {why}"),
            "Open it from the platform's site instead.",
        )
    })
}

/// Token mode: signs in with the operator in the system browser; returns once the sign-in came
/// back and the studio holds a restream token. `route` is where the browser comes back: the deep
/// link, or the loopback listener when the link did not arrive (or the OS has no handler for it).
#[tauri::command]
#[specta::specta]
pub async fn sign_in(
    scheme: State<'_, crate::studio::link_scheme::SchemeHandled>,
    service: State<'_, ServiceState>,
    route: restream_client::SignInRoute,
) -> Result<(), AppError> {
    let studio = service.studio()?;
    let route = match route {
        restream_client::SignInRoute::DeepLink if !scheme.get() => restream_client::SignInRoute::Loopback,
        chosen => chosen,
    };
    studio.sign_in(route).await.map_err(|e| match e {
        restream_client::SignInError::Api(e) => AppError::from(e),
        restream_client::SignInError::Denied => AppError::new(
            "sign_in_denied",
            "The sign-in was cancelled in the browser.",
            "Sign in again when you are ready.",
        ),
        restream_client::SignInError::Cancelled => AppError::new(
            "sign_in_cancelled",
            "The sign-in was cancelled.",
            "Sign in again when you are ready.",
        ),
        restream_client::SignInError::Replaced => AppError::new(
            "sign_in_replaced",
            "A newer sign-in took this one's place.",
            "Finish the newer sign-in in your browser.",
        ),
        other => AppError::new(
            "sign_in_failed",
            other.to_string(),
            "Try signing in again; if it keeps failing, tell your operator.",
        ),
    })?;
    // Load what the streamer sees now that requests can be made as them.
    let _ = studio.start().await;
    Ok(())
}

/// Token mode: revokes the sign-in at the operator, forgets it, and stops everything.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(service: State<'_, ServiceState>) -> Result<(), AppError> {
    service.studio()?.sign_out().await.map_err(|e| {
        AppError::new(
            "sign_out_incomplete",
            e.to_string(),
            "You are signed out here; the operator may still list the session.",
        )
    })
}

/// What to do about a window closed while live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum CloseChoice {
    /// Hide the window; the stream goes on (launching the app again shows it).
    KeepStreaming,
    /// Stop the stream, then quit.
    StopAndQuit,
    /// Keep the window open.
    Cancel,
}

/// Carries out the streamer's answer to closing the window while live.
#[tauri::command]
#[specta::specta]
pub async fn resolve_close(
    app: tauri::AppHandle,
    service: State<'_, ServiceState>,
    choice: CloseChoice,
) -> Result<(), AppError> {
    use tauri::Manager;
    match choice {
        CloseChoice::Cancel => Ok(()),
        CloseChoice::KeepStreaming => {
            if let Some(window) = app.get_webview_window(crate::desktop::window::MAIN) {
                window.hide().map_err(|e| {
                    AppError::new(
                        "hide_failed",
                        format!("Could not hide the window: {e}"),
                        "Minimize it instead.",
                    )
                })?;
            }
            Ok(())
        }
        CloseChoice::StopAndQuit => {
            // A failed stop is reported and the app stays: quitting would hide that the stream runs.
            service.studio()?.stop_live().await?;
            app.exit(0);
            Ok(())
        }
    }
}
