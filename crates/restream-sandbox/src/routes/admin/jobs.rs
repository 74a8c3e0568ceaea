//! What happens to a job that its owner does not cause: bursts of audience comments (and the ids
//! stored for them), a destination or the whole job failing, and the source session ending.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_error::{ApiError, truncate};
use crate::chat_sequence;
use crate::corpus;
use crate::db;
use crate::hub::UserKey;
use crate::model::{BroadcastStatus, Comment, ErrorInfo, Job, JobStatus};
use crate::platform::{self, Platform};
use crate::routes::json_body::{JsonBody, RawBody, decode};
use crate::routes::params::Params;
use crate::sim::{Mutated, add_comments, audience_comment, mutate_job, new_comment_id};
use crate::state::AppState;
use crate::store;

async fn job_owner(state: &AppState, id: String) -> Result<(UserKey, Job), ApiError> {
    state
        .db
        .call(move |conn| store::job_by_id(conn, &id))
        .await?
        .ok_or_else(|| ApiError::not_found_what("job"))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Burst {
    count: u32,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    platform: Option<Platform>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    message: Option<String>,
    /// A message of this many bytes, made here: a platform can hand the service a comment larger
    /// than any request body, so this one never travels in one.
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    message_bytes: Option<u32>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    author: Option<String>,
}

/// The largest message `messageBytes` makes.
const MAX_MADE_MESSAGE: u32 = 4 * 1024 * 1024;

/// `POST /sandbox/jobs/{id}/comments`: a burst of N audience comments (or N copies of one given
/// message, e.g. hostile text), stored and streamed in order. Answers their ids.
pub async fn burst(
    State(state): State<AppState>,
    Params(id): Params<String>,
    JsonBody(body): JsonBody<Burst>,
) -> Result<Json<Value>, ApiError> {
    if !(1..=10_000).contains(&body.count) {
        return Err(ApiError::invalid_request("count must be between 1 and 10000"));
    }
    if body.message_bytes.is_some_and(|n| n > MAX_MADE_MESSAGE) {
        return Err(ApiError::invalid_request(format!(
            "messageBytes must be at most {MAX_MADE_MESSAGE}"
        )));
    }
    let made = body.message_bytes.map(|n| {
        let pattern = "a very long comment ";
        pattern.repeat(n as usize / pattern.len() + 1)[..n as usize].to_owned()
    });
    let (user, job) = job_owner(&state, id).await?;
    let comments: Vec<Comment> = (0..body.count as usize)
        .map(|i| {
            let platform = body
                .platform
                .unwrap_or(job.destinations[i % job.destinations.len()]);
            let mut comment = audience_comment(&state.base_url, platform);
            comment.id = new_comment_id();
            if let Some(message) = made.as_ref().or(body.message.as_ref()) {
                comment.message = message.clone();
            }
            if let Some(author) = &body.author {
                comment.author = author.clone();
                comment.author_id = Some(corpus::author_id(platform, author));
                comment.author_avatar = Some(corpus::avatar_url(&state.base_url, corpus::avatar_of(author)));
            }
            comment
        })
        .collect();
    // A banned or timed-out author's comments are not stored: the ids say what was.
    let ids = add_comments(&state, &user, &job.id, comments, None)
        .await?
        .unwrap_or_default();
    Ok(Json(json!({ "ids": ids })))
}

/// `GET /sandbox/jobs/{id}/comments`: the ids the sandbox stores for a job, oldest first.
pub async fn stored_comments(
    State(state): State<AppState>,
    Params(id): Params<String>,
) -> Result<Json<Value>, ApiError> {
    let ids = state
        .db
        .call(move |conn| chat_sequence::comment_ids(conn, &id))
        .await?;
    Ok(Json(json!({ "ids": ids })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Failure {
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    code: Option<String>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    message: Option<String>,
}

/// An optional JSON body: empty means none.
fn optional_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<Option<T>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(None)
    } else {
        decode(body).map(Some)
    }
}

/// The contract's job and broadcast error codes: a failure injected here is one a client could
/// meet, so the job it leaves behind still matches the document.
const FAILURE_CODES: [&str; 5] = [
    "session_not_live",
    "no_audio_track",
    "destination_failed",
    "platform_rejected",
    "internal",
];

fn failure_info(
    body: Option<Failure>,
    default_code: &str,
    default_message: &str,
) -> Result<ErrorInfo, ApiError> {
    let body = body.unwrap_or_default();
    let code = body.code.as_deref().unwrap_or(default_code);
    if !FAILURE_CODES.contains(&code) {
        return Err(ApiError::invalid_request(format!(
            "code must be one of {}: `{}`",
            FAILURE_CODES.join(", "),
            truncate(code)
        )));
    }
    Ok(ErrorInfo::new(
        code,
        body.message.unwrap_or_else(|| default_message.to_owned()),
    ))
}

/// `POST /sandbox/jobs/{id}/broadcasts/{platform}/fail`
pub async fn fail_broadcast(
    State(state): State<AppState>,
    Params((id, name)): Params<(String, String)>,
    RawBody(body): RawBody,
) -> Result<Json<Job>, ApiError> {
    let platform = platform::from_path(&name)?;
    let error = failure_info(
        optional_body(&body)?,
        "platform_rejected",
        "The platform refused the stream",
    )?;
    let Mutated { job, .. } = mutate_job(&state, &id, move |_, job| {
        let Some(b) = job.broadcast_mut(platform) else {
            return Err(ApiError::invalid_request(format!(
                "{} is not a destination",
                platform.display_name()
            )));
        };
        b.status = BroadcastStatus::Failed;
        b.error = Some(error);
        Ok(true)
    })
    .await?;
    Ok(Json(job))
}

/// `POST /sandbox/jobs/{id}/fail`
pub async fn fail_job(
    State(state): State<AppState>,
    Params(id): Params<String>,
    RawBody(body): RawBody,
) -> Result<Json<Job>, ApiError> {
    let error = failure_info(optional_body(&body)?, "internal", "The restream worker failed")?;
    let Mutated { job, .. } = mutate_job(&state, &id, move |_, job| {
        job.error = Some(error);
        job.settle(JobStatus::Failed, db::now_ms());
        Ok(true)
    })
    .await?;
    Ok(Json(job))
}

/// `POST /sandbox/jobs/{id}/end`: the source session ended.
pub async fn end_job(
    State(state): State<AppState>,
    Params(id): Params<String>,
) -> Result<Json<Job>, ApiError> {
    let Mutated { job, .. } = mutate_job(&state, &id, |_, job| {
        job.settle(JobStatus::Ended, db::now_ms());
        Ok(true)
    })
    .await?;
    Ok(Json(job))
}
