//! v1.1 chat moderation: what each platform lets an app do, the request's rules, and applying an
//! action in the store: a deleted comment is no longer replayed, a ban or time-out stops the
//! author's chat, and every action becomes an event in the job's chat sequence.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::chat_sequence;
use crate::hub::UserKey;
use crate::platform::Platform;
use crate::random_token::random_token;
use crate::store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Delete,
    Timeout,
    Ban,
    Unban,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Delete => "delete",
            Action::Timeout => "timeout",
            Action::Ban => "ban",
            Action::Unban => "unban",
        }
    }
}

/// What the platforms' own APIs let a third-party app do in chat.
pub fn capabilities(platform: Platform) -> &'static [Action] {
    use Action::*;
    match platform {
        Platform::Twitch | Platform::Youtube | Platform::Kick => &[Delete, Timeout, Ban, Unban],
        Platform::Facebook => &[Delete, Ban, Unban],
        Platform::Instagram => &[Delete],
    }
}

/// The longest time-out the contract allows: 14 days, Twitch's limit.
pub const MAX_TIMEOUT_SECONDS: u64 = 1_209_600;

/// Who acted: the streamer through the service, or a moderator on the platform itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Streamer,
    Platform,
}

/// A moderation request that passed the contract's rules.
#[derive(Debug, Clone)]
pub struct Request {
    pub action: Action,
    pub platform: Platform,
    pub comment_id: Option<String>,
    pub author_id: Option<String>,
    pub duration_seconds: Option<u64>,
}

/// `POST /chat/moderation`'s body, before its rules are checked.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawRequest {
    pub action: String,
    pub platform: String,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub comment_id: Option<String>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub author_id: Option<String>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub duration_seconds: Option<u64>,
    /// Passed to the platform where it keeps one; the sandbox only bounds it.
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    pub reason: Option<String>,
}

/// The longest `reason`, in characters (Twitch's limit).
pub const MAX_REASON_CHARS: usize = 500;

/// The longest comment or author id, in characters.
const MAX_ID_CHARS: usize = 200;

fn required(field: &str, value: Option<String>, action: Action) -> Result<String, ApiError> {
    match value {
        None => Err(ApiError::invalid_request(format!(
            "{field}: needed for `{}`",
            action.as_str()
        ))),
        Some(v) if v.is_empty() => Err(ApiError::invalid_request(format!("{field}: must not be empty"))),
        Some(v) if v.chars().count() > MAX_ID_CHARS => Err(ApiError::invalid_request(format!(
            "{field}: at most {MAX_ID_CHARS} characters"
        ))),
        Some(v) => Ok(v),
    }
}

impl RawRequest {
    /// The contract's rules, in the order a caller can fix them: the action and platform, what
    /// the platform can do, then the fields that action needs.
    pub fn check(self) -> Result<Request, ApiError> {
        let action = match self.action.as_str() {
            "delete" => Action::Delete,
            "timeout" => Action::Timeout,
            "ban" => Action::Ban,
            "unban" => Action::Unban,
            other => {
                return Err(ApiError::invalid_request(format!(
                    "action: `{}` is not one of delete, timeout, ban, unban",
                    crate::api_error::truncate(other)
                )));
            }
        };
        let platform = Platform::parse(&self.platform).ok_or_else(|| {
            ApiError::invalid_request(format!(
                "platform: unknown platform `{}`",
                crate::api_error::truncate(&self.platform)
            ))
        })?;
        if !capabilities(platform).contains(&action) {
            return Err(ApiError::invalid_request_code(
                "action_not_supported",
                format!(
                    "{} does not let apps {} in chat; its moderation offers {}",
                    platform.display_name(),
                    action.as_str(),
                    capabilities(platform)
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if self
            .reason
            .as_ref()
            .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
        {
            return Err(ApiError::invalid_request(format!(
                "reason: at most {MAX_REASON_CHARS} characters"
            )));
        }
        let (comment_id, author_id, duration_seconds) = match action {
            Action::Delete => (Some(required("commentId", self.comment_id, action)?), None, None),
            Action::Timeout => {
                let author = required("authorId", self.author_id, action)?;
                let seconds = self
                    .duration_seconds
                    .filter(|s| (1..=MAX_TIMEOUT_SECONDS).contains(s))
                    .ok_or_else(|| {
                        ApiError::invalid_request(format!(
                            "durationSeconds: needed for `timeout`, from 1 to {MAX_TIMEOUT_SECONDS} (14 days)"
                        ))
                    })?;
                (None, Some(author), Some(seconds))
            }
            Action::Ban | Action::Unban => (None, Some(required("authorId", self.author_id, action)?), None),
        };
        Ok(Request {
            action,
            platform,
            comment_id,
            author_id,
            duration_seconds,
        })
    }
}

/// What an action did, as `POST /chat/moderation` answers and the `moderation` event carries.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub action: Action,
    pub platform: Platform,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventBody<'a> {
    id: &'a str,
    #[serde(flatten)]
    outcome: &'a Outcome,
    by: By,
}

/// A moderation event stored in the chat sequence, to publish once the transaction commits.
pub struct Stored {
    pub seq: i64,
    pub id: String,
    pub json: String,
}

/// Applies `request` for `user`: the answer, and the event to publish when something changed
/// (a repeated delete, or an unban of nobody, changes nothing and says nothing).
pub fn apply(
    conn: &mut Connection,
    user: &UserKey,
    request: &Request,
    by: By,
    now: i64,
) -> rusqlite::Result<Result<(Outcome, Option<Stored>), ApiError>> {
    let tx = conn.transaction()?;
    // Every action goes into the sequence of the user's newest job, the one streams replay.
    let Some(job) = store::current_job(&tx, user)? else {
        return Ok(Err(not_found(request)));
    };
    let platform = request.platform.as_str();
    let mut outcome = Outcome {
        action: request.action,
        platform: request.platform,
        comment_id: request.comment_id.clone(),
        author_id: request.author_id.clone(),
        until: None,
    };
    let changed = match request.action {
        Action::Delete => {
            let id = request.comment_id.as_deref().unwrap_or_default();
            let found: Option<(Option<String>, Option<i64>)> = tx
                .query_row(
                    "SELECT json_extract(c.body, '$.authorId'), c.deleted_at FROM comments c
                     JOIN jobs j ON j.id = c.job_id
                     WHERE c.id = ?1 AND c.kind = 'comment' AND j.client_id = ?2 AND j.user_id = ?3
                       AND json_extract(c.body, '$.platform') = ?4",
                    params![id, user.0, user.1, platform],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let Some((author_id, deleted_at)) = found else {
                return Ok(Err(not_found(request)));
            };
            outcome.author_id = author_id;
            if deleted_at.is_none() {
                tx.execute(
                    "UPDATE comments SET deleted_at = ?2 WHERE id = ?1",
                    params![id, now],
                )?;
            }
            deleted_at.is_none()
        }
        Action::Timeout | Action::Ban | Action::Unban => {
            let author = request.author_id.as_deref().unwrap_or_default();
            if !author_known(&tx, user, platform, author)? {
                return Ok(Err(not_found(request)));
            }
            if request.action != Action::Unban && is_streamer(&tx, user, platform, author)? {
                return Ok(Err(ApiError::invalid_request(format!(
                    "authorId: `{}` is the streamer's own {} account",
                    crate::api_error::truncate(author),
                    request.platform.display_name()
                ))));
            }
            match request.action {
                Action::Unban => {
                    // A time-out that ran out is lifted already: unbanning then changes nothing.
                    let in_effect: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM chat_restrictions
                             WHERE client_id = ?1 AND user_id = ?2 AND platform = ?3 AND author_id = ?4
                               AND (until IS NULL OR until > ?5))",
                        params![user.0, user.1, platform, author, now],
                        |row| row.get(0),
                    )?;
                    tx.execute(
                        "DELETE FROM chat_restrictions
                         WHERE client_id = ?1 AND user_id = ?2 AND platform = ?3 AND author_id = ?4",
                        params![user.0, user.1, platform, author],
                    )?;
                    in_effect
                }
                action => {
                    let seconds = request.duration_seconds.unwrap_or_default() as i64;
                    outcome.until = (action == Action::Timeout).then_some(now + seconds * 1000);
                    tx.execute(
                        "INSERT OR REPLACE INTO chat_restrictions
                         (client_id, user_id, platform, author_id, until, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![user.0, user.1, platform, author, outcome.until, now],
                    )?;
                    true
                }
            }
        }
    };
    if !changed {
        tx.commit()?;
        return Ok(Ok((outcome, None)));
    }
    let id = format!("mod_{}", random_token(20));
    let json = serde_json::to_string(&EventBody {
        id: &id,
        outcome: &outcome,
        by,
    })
    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let seq = chat_sequence::insert_sequenced(&tx, &job.id, &id, "moderation", &json)?;
    tx.commit()?;
    Ok(Ok((outcome, Some(Stored { seq, id, json }))))
}

fn not_found(request: &Request) -> ApiError {
    match request.action {
        Action::Delete => ApiError::not_found_what(&format!(
            "comment on {} in your chat",
            request.platform.display_name()
        )),
        _ => ApiError::not_found_what(&format!(
            "author on {} in your chat",
            request.platform.display_name()
        )),
    }
}

/// An author the user's chat has seen on `platform`, or one restricted there.
fn author_known(conn: &Connection, user: &UserKey, platform: &str, author: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM comments c JOIN jobs j ON j.id = c.job_id
             WHERE j.client_id = ?1 AND j.user_id = ?2 AND c.kind = 'comment'
               AND json_extract(c.body, '$.platform') = ?3 AND json_extract(c.body, '$.authorId') = ?4)
         OR EXISTS (SELECT 1 FROM chat_restrictions
             WHERE client_id = ?1 AND user_id = ?2 AND platform = ?3 AND author_id = ?4)",
        params![user.0, user.1, platform, author],
        |row| row.get(0),
    )
}

fn is_streamer(conn: &Connection, user: &UserKey, platform: &str, author: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM connections
             WHERE client_id = ?1 AND user_id = ?2 AND platform = ?3 AND platform_user_id = ?4)",
        params![user.0, user.1, platform, author],
        |row| row.get(0),
    )
}

/// The (platform, author id) pairs that may not chat in the user's channels at `now`.
pub fn restricted(conn: &Connection, user: &UserKey, now: i64) -> rusqlite::Result<Vec<(String, String)>> {
    conn.prepare_cached(
        "SELECT platform, author_id FROM chat_restrictions
         WHERE client_id = ?1 AND user_id = ?2 AND (until IS NULL OR until > ?3)",
    )?
    .query_map(params![user.0, user.1, now], |row| Ok((row.get(0)?, row.get(1)?)))?
    .collect()
}
