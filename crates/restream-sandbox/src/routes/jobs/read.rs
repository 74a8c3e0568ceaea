//! Reading jobs: the user's current one, one by id, and its viewer counts. Another user's job is
//! answered as not found.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::api_error::ApiError;
use crate::auth::Caller;
use crate::db;
use crate::hub::UserKey;
use crate::model::Job;
use crate::routes::connections::user_key;
use crate::routes::params::Params;
use crate::sim;
use crate::state::AppState;
use crate::store;

/// `GET /jobs/current`
pub async fn current(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Job>, ApiError> {
    let user = user_key(caller);
    state
        .db
        .call(move |conn| store::current_job(conn, &user))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_job", "This user has no job yet"))
}

async fn owned_job(state: &AppState, user: &UserKey, id: String) -> Result<Job, ApiError> {
    match state.db.call(move |conn| store::job_by_id(conn, &id)).await? {
        Some((owner, job)) if owner == *user => Ok(job),
        // Another user's job is as unknown as a job that never existed.
        _ => Err(ApiError::not_found_what("job")),
    }
}

/// `GET /jobs/{id}`
pub async fn get(
    State(state): State<AppState>,
    Params(id): Params<String>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Job>, ApiError> {
    let user = user_key(caller);
    owned_job(&state, &user, id).await.map(Json)
}

/// `GET /jobs/{id}/viewers`
pub async fn viewers(
    State(state): State<AppState>,
    Params(id): Params<String>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<sim::Viewers>, ApiError> {
    let user = user_key(caller);
    let job = owned_job(&state, &user, id).await?;
    Ok(Json(sim::viewers(&state, &job, db::now_ms())))
}
