//! "Set up OBS": point OBS's stream at the service's ingest. The window sees where OBS streams now
//! and where it will, keys masked; the key itself goes from the service to OBS inside this process
//! and is never in an answer to the window, a log line or an event.

use restream_client::IngestOffer;
use restream_obs::{ObsSession, RtmpService, StreamService};
use secrecy::ExposeSecret;
use serde::Serialize;
use specta::Type;

use crate::support::app_error::AppError;

/// Where a stream goes, as the window may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StreamTarget {
    /// OBS's service type (`rtmp_custom` for a custom server; `rtmp_common` for a listed one).
    pub kind: String,
    pub server: Option<String>,
    /// The key with all but its last four characters hidden.
    pub key_masked: Option<String>,
}

/// What "Set up OBS" would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SetupPreview {
    pub now: StreamTarget,
    pub next: StreamTarget,
    /// OBS already streams to the ingest with this key.
    pub already_set: bool,
    /// OBS streams now: its settings cannot change until it stops.
    pub streaming: bool,
}

/// The key with all but its last four characters hidden; a key too short to show any of it is
/// hidden whole. The number of dots is fixed, so the key's length does not show either.
pub fn mask(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 12 {
        return "••••••••".to_owned();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("••••••••{tail}")
}

/// Whether OBS's stream settings `now` send to `ingest` (a custom server, that address, that key).
pub fn streams_to(now: &StreamService, ingest: &RtmpService) -> bool {
    now.kind == "rtmp_custom"
        && now.server.as_deref().map(str::trim) == Some(ingest.server.trim())
        && now
            .key
            .as_ref()
            .is_some_and(|k| k.expose_secret() == ingest.key.expose_secret())
}

/// The service's RTMP ingest, or why there is none.
pub async fn rtmp_ingest(studio: &restream_client::Studio) -> Result<RtmpService, AppError> {
    let offer = studio.ingest().await?;
    let IngestOffer::Offered(ingest) = offer else {
        return Err(AppError::new(
            "ingest_not_offered",
            "This service runs no ingest for OBS to stream to.",
            "Keep OBS's own stream settings, and enter the session id the operator gives you to go live.",
        ));
    };
    let Some(rtmp) = ingest.rtmp else {
        return Err(AppError::new(
            "ingest_not_offered",
            "This service's ingest takes no RTMP, which OBS's custom server needs.",
            "Ask the operator for an RTMP ingest, or set OBS's stream by hand.",
        ));
    };
    Ok(RtmpService {
        server: rtmp.url,
        key: rtmp.stream_key,
    })
}

fn obs_error(what: &str, e: restream_obs::LinkError) -> AppError {
    AppError::new(
        "obs_request_failed",
        format!("OBS did not {what}: {e}"),
        "Check that OBS is still running and linked, then try again.",
    )
}

/// Whether OBS streams now.
async fn streaming(obs: &ObsSession) -> Result<bool, AppError> {
    Ok(obs
        .stream_status()
        .await
        .map_err(|e| obs_error("say whether it streams", e))?
        .output_active
        .unwrap_or(false))
}

/// What OBS streams to now and what it would stream to.
pub async fn preview(obs: &ObsSession, ingest: &RtmpService) -> Result<SetupPreview, AppError> {
    let now = obs
        .stream_service()
        .await
        .map_err(|e| obs_error("say where it streams", e))?;
    let streaming = streaming(obs).await?;
    let already_set = streams_to(&now, ingest);
    Ok(SetupPreview {
        now: StreamTarget {
            kind: now.kind,
            server: now.server,
            key_masked: now.key.as_ref().map(|k| mask(k.expose_secret())),
        },
        next: StreamTarget {
            kind: "rtmp_custom".to_owned(),
            server: Some(ingest.server.clone()),
            key_masked: Some(mask(ingest.key.expose_secret())),
        },
        already_set,
        streaming,
    })
}

/// Writes the ingest into OBS's stream settings, refused while OBS streams, and reads them back.
pub async fn apply(obs: &ObsSession, ingest: &RtmpService) -> Result<(), AppError> {
    let streaming = streaming(obs).await?;
    if streaming {
        return Err(AppError::new(
            "obs_streaming",
            "OBS is streaming: its stream settings cannot change now.",
            "Stop streaming in OBS, then set it up again.",
        ));
    }
    obs.set_rtmp_service(ingest)
        .await
        .map_err(|e| obs_error("take the new stream settings", e))?;
    let written = obs
        .stream_service()
        .await
        .map_err(|e| obs_error("say where it streams", e))?;
    if !streams_to(&written, ingest) {
        return Err(AppError::new(
            "obs_setup_not_kept",
            "OBS answered, but its stream settings are not the ones sent.",
            "Open OBS's Settings → Stream to check, then try again.",
        ));
    }
    tracing::info!(server = %ingest.server, "OBS set up to stream to the ingest");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_shows_only_its_last_four_and_never_its_length() {
        assert_eq!(mask("live_0123456789abcdef"), "••••••••cdef");
        assert_eq!(mask("live_0123456789abcdefghij"), "••••••••ghij");
        assert_eq!(mask("short-key"), "••••••••");
        assert_eq!(mask(""), "••••••••");
        assert_eq!(mask("ключ-очень-длинный"), "••••••••нный");
        assert_eq!(
            mask("abcdefghijkl"),
            "••••••••ijkl",
            "twelve characters show four"
        );
        assert_eq!(mask("abcdefghijk"), "••••••••", "eleven show none");
    }

    #[test]
    fn obs_streams_to_the_ingest_only_with_its_server_and_key_on_a_custom_service() {
        let ingest = RtmpService {
            server: "rtmp://ingest.example/live".into(),
            key: "live_key_0123".to_owned().into(),
        };
        let obs = |kind: &str, server: Option<&str>, key: Option<&str>| StreamService {
            kind: kind.into(),
            server: server.map(Into::into),
            key: key.map(|k| k.to_owned().into()),
        };
        assert!(streams_to(
            &obs(
                "rtmp_custom",
                Some("rtmp://ingest.example/live"),
                Some("live_key_0123")
            ),
            &ingest
        ));
        assert!(streams_to(
            &obs(
                "rtmp_custom",
                Some(" rtmp://ingest.example/live "),
                Some("live_key_0123")
            ),
            &ingest
        ));
        assert!(!streams_to(
            &obs(
                "rtmp_common",
                Some("rtmp://ingest.example/live"),
                Some("live_key_0123")
            ),
            &ingest
        ));
        assert!(!streams_to(
            &obs(
                "rtmp_custom",
                Some("rtmp://other.example/live"),
                Some("live_key_0123")
            ),
            &ingest
        ));
        assert!(!streams_to(
            &obs(
                "rtmp_custom",
                Some("rtmp://ingest.example/live"),
                Some("live_key_9999")
            ),
            &ingest
        ));
        assert!(!streams_to(
            &obs("rtmp_custom", None, Some("live_key_0123")),
            &ingest
        ));
        assert!(!streams_to(
            &obs("rtmp_custom", Some("rtmp://ingest.example/live"), None),
            &ingest
        ));
    }
}
