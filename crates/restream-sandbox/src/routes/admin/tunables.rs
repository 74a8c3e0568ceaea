//! What the sandbox is set to and what it counted: the tunables (chat rate, timings, token
//! lifetimes, viewer curves) to read and change, and the request statistics.

use axum::Json;
use axum::extract::State;

use crate::api_error::ApiError;
use crate::routes::json_body::JsonBody;
use crate::settings::{Tunables, TunablesPatch};
use crate::state::AppState;
use crate::stats::StatsSnapshot;

/// `GET /sandbox/settings`
pub async fn get_settings(State(state): State<AppState>) -> Result<Json<Tunables>, ApiError> {
    Ok(Json(state.settings.get()))
}

/// `PUT /sandbox/settings`: chat rate, failing platforms, timings, token lifetimes, viewer curves.
pub async fn put_settings(
    State(state): State<AppState>,
    JsonBody(patch): JsonBody<TunablesPatch>,
) -> Result<Json<Tunables>, ApiError> {
    patch.validate().map_err(ApiError::invalid_request)?;
    Ok(Json(state.settings.apply(patch)))
}

/// `GET /sandbox/stats`
pub async fn stats(State(state): State<AppState>) -> Result<Json<StatsSnapshot>, ApiError> {
    Ok(Json(state.stats.snapshot()))
}
