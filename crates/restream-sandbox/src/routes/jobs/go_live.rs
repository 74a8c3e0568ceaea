//! The go-live body of `POST /jobs`, checked field by field before the database is asked, and
//! the queued job built from it. The banner URL rule is shared with the overlay `PATCH`.

use serde::Deserialize;

use crate::api_error::{ApiError, truncate};
use crate::db;
use crate::model::{Broadcast, BroadcastStatus, Job, JobStatus, Overlay, Track, banner_url_ok};
use crate::platform::Platform;
use crate::random_token::random_token;

const MAX_TITLE_CHARS: usize = 140;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoLiveRequest {
    publisher_session_id: String,
    destinations: Vec<String>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    overlay: Option<OverlayInput>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    recording: Option<bool>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    track_names: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OverlayInput {
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    enabled: Option<bool>,
    html_banner: Option<String>,
    top_banner: Option<String>,
    bottom_banner: Option<String>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    hide_top: Option<bool>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    hide_bottom: Option<bool>,
}

/// A banner URL in `field`: https, or http on loopback; `None` passes.
pub fn check_banner(field: &str, url: Option<String>) -> Result<Option<String>, ApiError> {
    match url {
        Some(u) if !banner_url_ok(&u) => Err(ApiError::invalid_request(format!(
            "{field} must be an https URL (http only on loopback): `{}`",
            truncate(&u)
        ))),
        other => Ok(other),
    }
}

/// A validated go-live request, before the database checks.
pub struct GoLive {
    session: String,
    destinations: Vec<Platform>,
    track_names: Vec<Track>,
    overlay: Overlay,
    recording: bool,
    title: Option<String>,
}

pub fn validate(request: GoLiveRequest) -> Result<GoLive, ApiError> {
    let session = request.publisher_session_id.trim().to_owned();
    if session.is_empty() {
        return Err(ApiError::invalid_request("publisherSessionId must not be empty"));
    }
    if request.destinations.is_empty() {
        return Err(ApiError::invalid_request(
            "destinations must name at least one platform",
        ));
    }
    let mut destinations = Vec::new();
    for (i, name) in request.destinations.iter().enumerate() {
        let platform = Platform::parse(name).ok_or_else(|| {
            ApiError::invalid_request(format!(
                "destinations[{i}]: unknown platform `{}`",
                truncate(name)
            ))
        })?;
        if destinations.contains(&platform) {
            return Err(ApiError::invalid_request(format!(
                "destinations[{i}]: `{name}` is listed twice"
            )));
        }
        destinations.push(platform);
    }
    let track_names = match request.track_names {
        None => vec![Track::Audio, Track::Video],
        Some(names) if names.is_empty() => {
            return Err(ApiError::invalid_request("trackNames must not be empty"));
        }
        Some(names) => {
            let mut tracks = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let track = match name.as_str() {
                    "audio" => Track::Audio,
                    "video" => Track::Video,
                    _ => {
                        return Err(ApiError::invalid_request(format!(
                            "trackNames[{i}]: must be \"audio\" or \"video\""
                        )));
                    }
                };
                if !tracks.contains(&track) {
                    tracks.push(track);
                }
            }
            tracks
        }
    };
    let overlay = match request.overlay {
        None => Overlay::default(),
        Some(o) => Overlay {
            enabled: o.enabled.unwrap_or(true),
            html_banner: check_banner("overlay.htmlBanner", o.html_banner)?,
            top_banner: check_banner("overlay.topBanner", o.top_banner)?,
            bottom_banner: check_banner("overlay.bottomBanner", o.bottom_banner)?,
            hide_top: o.hide_top.unwrap_or(false),
            hide_bottom: o.hide_bottom.unwrap_or(false),
        },
    };
    let title = match request.title {
        Some(t) if t.trim().is_empty() => {
            return Err(ApiError::invalid_request("title must not be empty when given"));
        }
        Some(t) if t.chars().count() > MAX_TITLE_CHARS => {
            return Err(ApiError::invalid_request(format!(
                "title must be at most {MAX_TITLE_CHARS} characters"
            )));
        }
        other => other,
    };
    Ok(GoLive {
        session,
        destinations,
        track_names,
        overlay,
        recording: request.recording.unwrap_or(false),
        title,
    })
}

pub fn new_job(base_url: &str, go: GoLive) -> Job {
    let broadcasts = go
        .destinations
        .iter()
        .map(|&platform| {
            let broadcast_id = format!("bc_{}", random_token(16));
            Broadcast {
                platform,
                status: BroadcastStatus::Connecting,
                watch_url: Some(format!("{base_url}/watch/{}/{broadcast_id}", platform.as_str())),
                broadcast_id: Some(broadcast_id),
                error: None,
            }
        })
        .collect();
    Job {
        id: format!("job_{}", random_token(20)),
        status: JobStatus::Queued,
        destinations: go.destinations,
        publisher_session_id: go.session,
        track_names: go.track_names,
        overlay: go.overlay,
        recording: go.recording,
        title: go.title,
        created_at: db::now_ms(),
        started_at: None,
        ended_at: None,
        error: None,
        superseded_by: None,
        broadcasts,
    }
}
