use axum::Extension;
use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::api_error::ApiError;
use crate::auth::Caller;
use crate::db;
use crate::moderation::{self, Action};
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformEntry {
    platform: &'static str,
    enabled: bool,
    display_name: &'static str,
    /// v1.1: what moderation the platform lets apps do; absent where the service offers none.
    #[serde(skip_serializing_if = "Option::is_none")]
    moderation: Option<&'static [Action]>,
}

#[derive(Debug, Serialize)]
pub struct PlatformList {
    platforms: Vec<PlatformEntry>,
}

/// `GET /api/v1/platforms`: every platform with whether the caller's client enabled it.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<PlatformList>, ApiError> {
    let rows = state
        .db
        .call(move |conn| db::client_platforms(conn, &caller.client_id))
        .await?;
    Ok(Json(PlatformList {
        platforms: rows
            .into_iter()
            .map(|(p, enabled)| PlatformEntry {
                platform: p.as_str(),
                enabled,
                display_name: p.display_name(),
                moderation: state.moderation.then(|| moderation::capabilities(p)),
            })
            .collect(),
    }))
}
