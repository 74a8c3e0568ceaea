//! v1.1 ingest's stream keys in the store: one current key per (client, user), made on first ask
//! and kept until rotated. A rotated key is retired, not deleted: it refuses new publishes, but
//! the session it started can still be ended by its publish-done.

use rusqlite::{Connection, OptionalExtension, params};

use crate::hub::UserKey;
use crate::random_token::random_token;

/// A stream key: `live_` and 32 random characters (~190 bits).
fn new_key() -> String {
    format!("live_{}", random_token(32))
}

/// The user's current stream key, made now if they have none.
pub fn current(conn: &mut Connection, user: &UserKey, now_ms: i64) -> rusqlite::Result<String> {
    let tx = conn.transaction()?;
    let found: Option<String> = tx
        .query_row(
            "SELECT stream_key FROM ingest_keys
             WHERE client_id = ?1 AND user_id = ?2 AND retired_at IS NULL",
            params![user.0, user.1],
            |row| row.get(0),
        )
        .optional()?;
    let key = match found {
        Some(key) => key,
        None => insert(&tx, user, now_ms)?,
    };
    tx.commit()?;
    Ok(key)
}

/// Retires the user's current key (if any) and makes a new one.
pub fn rotate(conn: &mut Connection, user: &UserKey, now_ms: i64) -> rusqlite::Result<String> {
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE ingest_keys SET retired_at = ?3
         WHERE client_id = ?1 AND user_id = ?2 AND retired_at IS NULL",
        params![user.0, user.1, now_ms],
    )?;
    let key = insert(&tx, user, now_ms)?;
    tx.commit()?;
    Ok(key)
}

fn insert(conn: &Connection, user: &UserKey, now_ms: i64) -> rusqlite::Result<String> {
    let key = new_key();
    conn.execute(
        "INSERT INTO ingest_keys (stream_key, client_id, user_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![key, user.0, user.1, now_ms],
    )?;
    Ok(key)
}
