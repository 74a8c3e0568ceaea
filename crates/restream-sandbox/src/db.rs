//! The sandbox's SQLite store: one connection, opened and migrated at start, used from blocking
//! tasks so that no request holds the async runtime while SQLite works.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};

use crate::api_error::ApiError;
use crate::platform::Platform;
use crate::random_token::random_token;

pub(crate) const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../migrations/001_clients_keys_tokens.sql")),
    M::up(include_str!(
        "../migrations/002_connections_jobs_chat_operator.sql"
    )),
    M::up(include_str!("../migrations/003_ingest_keys.sql")),
    M::up(include_str!("../migrations/004_live_sessions.sql")),
    M::up(include_str!("../migrations/005_moderation.sql")),
];

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

/// What a publishable or secret key may do, as stored.
#[derive(Debug, Clone)]
pub struct KeyRecord {
    pub client_id: String,
    pub kind: KeyKind,
    pub scopes: Vec<String>,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Publishable,
    Secret,
}

#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub client_id: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub expires_at_ms: i64,
}

impl Db {
    /// Opens (creating when absent) and migrates the database at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Db> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating the directory for {}", path.display()))?;
        }
        let mut conn = Connection::open(path)
            .with_context(|| format!("opening the sandbox database {}", path.display()))?;
        // WAL keeps readers and the writer out of each other's way; foreign keys are off by default.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .with_context(|| format!("migrating the sandbox database {}", path.display()))?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock poisons it; the data is still consistent (SQLite
            // transactions), so keep serving.
            let mut guard = conn.lock().unwrap_or_else(|poison| poison.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
    }

    /// Runs `f` with the connection on the current thread (start-up and seeding only).
    pub fn call_now<T>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        let mut guard = self.conn.lock().unwrap_or_else(|poison| poison.into_inner());
        f(&mut guard)
    }
}

pub fn find_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<KeyRecord>> {
    conn.query_row(
        "SELECT client_id, kind, scopes, active FROM api_keys WHERE key = ?1",
        params![key],
        |row| {
            let kind: String = row.get(1)?;
            let scopes: String = row.get(2)?;
            Ok(KeyRecord {
                client_id: row.get(0)?,
                kind: if kind == "secret" {
                    KeyKind::Secret
                } else {
                    KeyKind::Publishable
                },
                scopes: split_scopes(&scopes),
                active: row.get(3)?,
            })
        },
    )
    .optional()
}

pub fn key_allows_origin(conn: &Connection, key: &str, origin: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM key_origins WHERE key = ?1 AND origin = ?2)",
        params![key, origin],
        |row| row.get(0),
    )
}

pub fn find_token(conn: &Connection, token: &str) -> rusqlite::Result<Option<TokenRecord>> {
    conn.query_row(
        "SELECT client_id, user_id, scopes, expires_at FROM tokens WHERE token = ?1",
        params![token],
        |row| {
            let scopes: String = row.get(2)?;
            Ok(TokenRecord {
                client_id: row.get(0)?,
                user_id: row.get(1)?,
                scopes: split_scopes(&scopes),
                expires_at_ms: row.get(3)?,
            })
        },
    )
    .optional()
}

/// Stores a new restream token for `record` and returns it.
pub fn mint_token(conn: &Connection, record: &TokenRecord, now_ms: i64) -> rusqlite::Result<String> {
    let token = format!("rst_{}", random_token(40));
    insert_token(conn, &token, record, now_ms)?;
    Ok(token)
}

fn insert_token(conn: &Connection, token: &str, record: &TokenRecord, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO tokens (token, client_id, user_id, scopes, expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            token,
            record.client_id,
            record.user_id,
            record.scopes.join(" "),
            record.expires_at_ms,
            now_ms
        ],
    )?;
    Ok(())
}

/// Every platform of the contract with whether `client_id` enabled it, in contract order.
pub fn client_platforms(conn: &Connection, client_id: &str) -> rusqlite::Result<Vec<(Platform, bool)>> {
    let mut stmt = conn.prepare("SELECT platform, enabled FROM client_platforms WHERE client_id = ?1")?;
    let enabled: Vec<(String, bool)> = stmt
        .query_map(params![client_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Platform::ALL
        .into_iter()
        .map(|p| {
            let on = enabled.iter().any(|(name, on)| name == p.as_str() && *on);
            (p, on)
        })
        .collect())
}

fn split_scopes(scopes: &str) -> Vec<String> {
    scopes.split_whitespace().map(str::to_owned).collect()
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
