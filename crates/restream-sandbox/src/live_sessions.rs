//! v1.1 live sessions in the store: started by a publish on a current stream key, continued by a
//! publish on the same key within the reconnect window, ended when the window passes with none.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::hub::UserKey;
use crate::random_token::random_token;

/// A publisher session as `GET /sessions/live` and the `session` event show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveSession {
    pub publisher_session_id: String,
    pub source: &'static str,
    pub started_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<i64>,
    /// Media through the ingest carries both.
    pub tracks: [&'static str; 2],
}

/// What a publish on a stream key comes to.
#[derive(Debug)]
pub enum Publish {
    /// An unknown or retired key: the ingest must refuse it.
    Refused,
    /// A new session of `user`.
    Started(UserKey, LiveSession),
    /// A publish within the reconnect window: the same session goes on, and nothing is said.
    Resumed,
}

fn source_name(source: &str) -> &'static str {
    match source {
        "whip" => "whip",
        "external" => "external",
        _ => "rtmp",
    }
}

fn read_session(row: &rusqlite::Row<'_>) -> rusqlite::Result<LiveSession> {
    let source: String = row.get(1)?;
    Ok(LiveSession {
        publisher_session_id: row.get(0)?,
        source: source_name(&source),
        started_at: row.get(2)?,
        ended_at: row.get(3)?,
        tracks: ["audio", "video"],
    })
}

/// A publish on `stream_key`.
pub fn publish(conn: &mut Connection, stream_key: &str, now_ms: i64) -> rusqlite::Result<Publish> {
    let tx = conn.transaction()?;
    let owner: Option<(String, String)> = tx
        .query_row(
            "SELECT client_id, user_id FROM ingest_keys WHERE stream_key = ?1 AND retired_at IS NULL",
            params![stream_key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some(user) = owner else {
        return Ok(Publish::Refused);
    };
    let resumed = tx.execute(
        "UPDATE live_sessions SET dropped_at = NULL WHERE stream_key = ?1 AND ended_at IS NULL",
        params![stream_key],
    )?;
    let outcome = if resumed > 0 {
        Publish::Resumed
    } else {
        let id = format!("sess_{}", random_token(24));
        tx.execute(
            "INSERT INTO live_sessions (id, client_id, user_id, source, stream_key, started_at)
             VALUES (?1, ?2, ?3, 'rtmp', ?4, ?5)",
            params![id, user.0, user.1, stream_key, now_ms],
        )?;
        Publish::Started(
            user,
            LiveSession {
                publisher_session_id: id,
                source: "rtmp",
                started_at: now_ms,
                ended_at: None,
                tracks: ["audio", "video"],
            },
        )
    };
    tx.commit()?;
    Ok(outcome)
}

/// The publish on `stream_key` ended (even if the key was rotated since): its session's reconnect
/// window starts now. Returns the session's id, if one was open.
pub fn dropped(conn: &Connection, stream_key: &str, now_ms: i64) -> rusqlite::Result<Option<String>> {
    let id: Option<String> = conn
        .query_row(
            "SELECT id FROM live_sessions WHERE stream_key = ?1 AND ended_at IS NULL",
            params![stream_key],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = &id {
        conn.execute(
            "UPDATE live_sessions SET dropped_at = ?2 WHERE id = ?1",
            params![id, now_ms],
        )?;
    }
    Ok(id)
}

/// Ends session `id` if it is still dropped since `dropped_at` (no publish came back since).
pub fn end_if_still_dropped(
    conn: &Connection,
    id: &str,
    dropped_at: i64,
    now_ms: i64,
) -> rusqlite::Result<Option<(UserKey, LiveSession)>> {
    let changed = conn.execute(
        "UPDATE live_sessions SET ended_at = ?3
         WHERE id = ?1 AND dropped_at = ?2 AND ended_at IS NULL",
        params![id, dropped_at, now_ms],
    )?;
    if changed == 0 {
        return Ok(None);
    }
    ended(conn, id).map(Some)
}

/// Session `id` as it stands after ending, with its owner.
fn ended(conn: &Connection, id: &str) -> rusqlite::Result<(UserKey, LiveSession)> {
    conn.query_row(
        "SELECT id, source, started_at, ended_at, client_id, user_id FROM live_sessions WHERE id = ?1",
        params![id],
        |row| Ok(((row.get(4)?, row.get(5)?), read_session(row)?)),
    )
}

/// Every open session whose reconnect window is running, with when it began (to arm its timer
/// again after a restart).
pub fn all_dropped(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT id, dropped_at FROM live_sessions WHERE ended_at IS NULL AND dropped_at IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// The user's sessions that have not ended, newest first.
pub fn open(conn: &Connection, user: &UserKey) -> rusqlite::Result<Vec<LiveSession>> {
    let mut stmt = conn.prepare(
        "SELECT id, source, started_at, ended_at FROM live_sessions
         WHERE client_id = ?1 AND user_id = ?2 AND ended_at IS NULL
         ORDER BY started_at DESC, rowid DESC",
    )?;
    let rows = stmt.query_map(params![user.0, user.1], read_session)?;
    rows.collect()
}

/// Whether `id` is one of the user's sessions that has not ended.
pub fn is_open(conn: &Connection, user: &UserKey, id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM live_sessions
         WHERE id = ?1 AND client_id = ?2 AND user_id = ?3 AND ended_at IS NULL)",
        params![id, user.0, user.1],
        |row| row.get(0),
    )
}

/// How starting a simulated session went.
#[derive(Debug)]
pub enum Simulated {
    Started(LiveSession),
    /// `id` is taken: live already, or another session's.
    Taken,
    /// The user's client does not exist.
    NoClient,
}

/// Starts the user's simulated session `id` (source `external`).
pub fn start_external(
    conn: &Connection,
    user: &UserKey,
    id: &str,
    now_ms: i64,
) -> rusqlite::Result<Simulated> {
    let client: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM clients WHERE id = ?1)",
        params![user.0],
        |row| row.get(0),
    )?;
    if !client {
        return Ok(Simulated::NoClient);
    }
    let inserted = conn.execute(
        "INSERT INTO live_sessions (id, client_id, user_id, source, started_at)
         VALUES (?1, ?2, ?3, 'external', ?4) ON CONFLICT (id) DO NOTHING",
        params![id, user.0, user.1, now_ms],
    )?;
    if inserted == 0 {
        return Ok(Simulated::Taken);
    }
    Ok(Simulated::Started(LiveSession {
        publisher_session_id: id.to_owned(),
        source: "external",
        started_at: now_ms,
        ended_at: None,
        tracks: ["audio", "video"],
    }))
}

/// Ends the user's open session `id`, whatever its source; `None` when there is none.
pub fn end(
    conn: &Connection,
    user: &UserKey,
    id: &str,
    now_ms: i64,
) -> rusqlite::Result<Option<LiveSession>> {
    let changed = conn.execute(
        "UPDATE live_sessions SET ended_at = ?4
         WHERE id = ?1 AND client_id = ?2 AND user_id = ?3 AND ended_at IS NULL",
        params![id, user.0, user.1, now_ms],
    )?;
    if changed == 0 {
        return Ok(None);
    }
    ended(conn, id).map(|(_, session)| Some(session))
}
