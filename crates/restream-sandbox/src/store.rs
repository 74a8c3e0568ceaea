//! Reading and writing the sandbox's records. Every function takes a `&Connection` and runs on the
//! database's blocking thread; a caller that reads, changes and writes does so in one transaction.

use rusqlite::{Connection, OptionalExtension, params};

use crate::hub::UserKey;
use crate::model::Job;
use crate::platform::Platform;

pub(crate) fn to_sql_err(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

fn from_json<T: serde::de::DeserializeOwned>(column: usize, text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    })
}

// ---- connections -------------------------------------------------------------------------

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionRecord {
    pub platform: Platform,
    pub platform_username: String,
    pub platform_user_id: String,
    pub connected_at: i64,
    pub status: String,
}

pub fn list_connections(conn: &Connection, user: &UserKey) -> rusqlite::Result<Vec<ConnectionRecord>> {
    let mut stmt = conn.prepare(
        "SELECT platform, platform_username, platform_user_id, connected_at, status
         FROM connections WHERE client_id = ?1 AND user_id = ?2",
    )?;
    let mut rows: Vec<ConnectionRecord> = stmt
        .query_map(params![user.0, user.1], |row| {
            let platform: String = row.get(0)?;
            Ok((platform, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
        })?
        .filter_map(|row| match row {
            Ok((platform, username, user_id, at, status)) => Platform::parse(&platform).map(|p| {
                Ok(ConnectionRecord {
                    platform: p,
                    platform_username: username,
                    platform_user_id: user_id,
                    connected_at: at,
                    status,
                })
            }),
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    rows.sort_by_key(|c| Platform::ALL.iter().position(|p| *p == c.platform));
    Ok(rows)
}

pub fn upsert_connection(
    conn: &Connection,
    user: &UserKey,
    platform: Platform,
    username: &str,
    platform_user_id: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO connections (client_id, user_id, platform, platform_username, platform_user_id, connected_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ok')
         ON CONFLICT (client_id, user_id, platform) DO UPDATE SET
           platform_username = excluded.platform_username, platform_user_id = excluded.platform_user_id,
           connected_at = excluded.connected_at, status = 'ok'",
        params![user.0, user.1, platform.as_str(), username, platform_user_id, now],
    )?;
    Ok(())
}

/// Returns whether a connection was removed.
pub fn delete_connection(conn: &Connection, user: &UserKey, platform: Platform) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "DELETE FROM connections WHERE client_id = ?1 AND user_id = ?2 AND platform = ?3",
        params![user.0, user.1, platform.as_str()],
    )?;
    Ok(n > 0)
}

/// Returns whether a connection was marked.
pub fn mark_reauth(conn: &Connection, user: &UserKey, platform: Platform) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE connections SET status = 'reauth_required' WHERE client_id = ?1 AND user_id = ?2 AND platform = ?3",
        params![user.0, user.1, platform.as_str()],
    )?;
    Ok(n > 0)
}

pub fn connection_status(
    conn: &Connection,
    user: &UserKey,
    platform: Platform,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT status FROM connections WHERE client_id = ?1 AND user_id = ?2 AND platform = ?3",
        params![user.0, user.1, platform.as_str()],
        |row| row.get(0),
    )
    .optional()
}

pub fn redirect_uri_registered(conn: &Connection, client_id: &str, uri: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM redirect_uris WHERE client_id = ?1 AND uri = ?2)",
        params![client_id, uri],
        |row| row.get(0),
    )
}

pub fn platform_enabled(conn: &Connection, client_id: &str, platform: Platform) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM client_platforms WHERE client_id = ?1 AND platform = ?2 AND enabled = 1)",
        params![client_id, platform.as_str()],
        |row| row.get(0),
    )
}

// ---- authorizations ----------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct AuthorizationRecord {
    pub id: String,
    pub user: UserKey,
    pub platform: Platform,
    pub state: String,
    pub redirect_uri: String,
    pub status: String,
    pub error: Option<String>,
    pub expires_at: i64,
}

fn authorization_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuthorizationRecord> {
    let platform: String = row.get(3)?;
    Ok(AuthorizationRecord {
        id: row.get(0)?,
        user: (row.get(1)?, row.get(2)?),
        platform: Platform::parse(&platform).unwrap_or(Platform::Twitch),
        state: row.get(4)?,
        redirect_uri: row.get(5)?,
        status: row.get(6)?,
        error: row.get(7)?,
        expires_at: row.get(8)?,
    })
}

const AUTHORIZATION_COLUMNS: &str =
    "id, client_id, user_id, platform, state, redirect_uri, status, error, expires_at";

pub fn insert_authorization(conn: &Connection, a: &AuthorizationRecord, now: i64) -> rusqlite::Result<()> {
    // A client may reuse a state only after its earlier authorization is gone: replace it.
    conn.execute(
        "INSERT OR REPLACE INTO authorizations (id, client_id, user_id, platform, state, redirect_uri, status, error, expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', NULL, ?7, ?8)",
        params![a.id, a.user.0, a.user.1, a.platform.as_str(), a.state, a.redirect_uri, a.expires_at, now],
    )?;
    Ok(())
}

pub fn authorization_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<AuthorizationRecord>> {
    conn.query_row(
        &format!("SELECT {AUTHORIZATION_COLUMNS} FROM authorizations WHERE id = ?1"),
        params![id],
        authorization_from_row,
    )
    .optional()
}

pub fn authorization_by_state(
    conn: &Connection,
    client_id: &str,
    state: &str,
) -> rusqlite::Result<Option<AuthorizationRecord>> {
    conn.query_row(
        &format!("SELECT {AUTHORIZATION_COLUMNS} FROM authorizations WHERE client_id = ?1 AND state = ?2"),
        params![client_id, state],
        authorization_from_row,
    )
    .optional()
}

/// Records the decision on a pending authorization; false when it was already decided (one-shot,
/// even for two decisions racing).
pub fn decide_authorization(
    conn: &Connection,
    id: &str,
    status: &str,
    error: Option<&str>,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE authorizations SET status = ?2, error = ?3 WHERE id = ?1 AND status = 'pending'",
        params![id, status, error],
    )?;
    Ok(n == 1)
}

// ---- jobs --------------------------------------------------------------------------------

pub fn insert_job(conn: &Connection, user: &UserKey, job: &Job) -> rusqlite::Result<()> {
    let body = serde_json::to_string(job).map_err(to_sql_err)?;
    conn.execute(
        "INSERT INTO jobs (id, client_id, user_id, seq, status, publisher_session_id, body)
         VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs WHERE client_id = ?2 AND user_id = ?3), ?4, ?5, ?6)",
        params![job.id, user.0, user.1, job.status.as_str(), job.publisher_session_id, body],
    )?;
    Ok(())
}

pub fn update_job(conn: &Connection, job: &Job) -> rusqlite::Result<()> {
    let body = serde_json::to_string(job).map_err(to_sql_err)?;
    conn.execute(
        "UPDATE jobs SET status = ?2, body = ?3 WHERE id = ?1",
        params![job.id, job.status.as_str(), body],
    )?;
    Ok(())
}

/// A job with its owner.
pub fn job_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<(UserKey, Job)>> {
    conn.query_row(
        "SELECT client_id, user_id, body FROM jobs WHERE id = ?1",
        params![id],
        |row| {
            let body: String = row.get(2)?;
            Ok(((row.get(0)?, row.get(1)?), from_json(2, &body)?))
        },
    )
    .optional()
}

/// The user's newest job, whatever its status.
pub fn current_job(conn: &Connection, user: &UserKey) -> rusqlite::Result<Option<Job>> {
    conn.query_row(
        "SELECT body FROM jobs WHERE client_id = ?1 AND user_id = ?2 ORDER BY seq DESC LIMIT 1",
        params![user.0, user.1],
        |row| {
            let body: String = row.get(0)?;
            from_json(0, &body)
        },
    )
    .optional()
}

/// Jobs whose timers must run again after a restart: queued, running or stopping.
pub fn unsettled_jobs(conn: &Connection) -> rusqlite::Result<Vec<(UserKey, Job)>> {
    let mut stmt = conn.prepare(
        "SELECT client_id, user_id, body FROM jobs WHERE status IN ('queued', 'running', 'stopping')",
    )?;
    stmt.query_map([], |row| {
        let body: String = row.get(2)?;
        Ok(((row.get(0)?, row.get(1)?), from_json(2, &body)?))
    })?
    .collect()
}

// ---- idempotency -------------------------------------------------------------------------

/// The job an earlier request with this key made, and that request's body hash, if still fresh.
pub fn idempotent_job(
    conn: &Connection,
    user: &UserKey,
    key: &str,
    fresh_after: i64,
) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT body_hash, job_id FROM idempotency_keys
         WHERE client_id = ?1 AND user_id = ?2 AND key = ?3 AND created_at > ?4",
        params![user.0, user.1, key, fresh_after],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

pub fn remember_idempotency(
    conn: &Connection,
    user: &UserKey,
    key: &str,
    body_hash: &str,
    job_id: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO idempotency_keys (client_id, user_id, key, body_hash, job_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![user.0, user.1, key, body_hash, job_id, now],
    )?;
    Ok(())
}
