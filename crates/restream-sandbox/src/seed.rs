//! `--seed-demo`: one client with every platform enabled, a publishable and a secret key with all
//! four scopes, a demo user, the studio's redirect URIs and origins. Seeding is idempotent: a second
//! start on the same database reuses what the first one made.

use rand::Rng;
use rand::distr::Alphanumeric;
use rusqlite::{Connection, OptionalExtension, params};

use crate::db::now_ms;
use crate::platform::Platform;

pub const DEMO_CLIENT_ID: &str = "demo";
pub const DEMO_USER_ID: &str = "demo-streamer";
/// The origin the studio sends (the contract's default for a desktop client).
pub const STUDIO_ORIGIN: &str = "tauri://localhost";
/// A browser origin, for trying the service from a web page during development.
pub const BROWSER_ORIGIN: &str = "http://localhost:5173";
pub const CONNECT_REDIRECT_URI: &str = "dev.restreamstudio://connect/callback";
pub const SIGNIN_REDIRECT_URI: &str = "dev.restreamstudio://signin/callback";
pub const ALL_SCOPES: &str = "connect restream read chat:write";

#[derive(Debug, Clone)]
pub struct DemoSeed {
    pub user_id: String,
    pub publishable_key: String,
    pub secret_key: String,
}

/// Seeds the demo client unless an earlier start did; returns its credentials either way.
pub fn seed_demo(conn: &mut Connection) -> rusqlite::Result<DemoSeed> {
    let tx = conn.transaction()?;
    let existing = tx
        .query_row(
            "SELECT user_id, publishable_key, secret_key FROM demo_seed WHERE id = 1",
            [],
            |row| {
                Ok(DemoSeed {
                    user_id: row.get(0)?,
                    publishable_key: row.get(1)?,
                    secret_key: row.get(2)?,
                })
            },
        )
        .optional()?;
    if let Some(seed) = existing {
        return Ok(seed);
    }

    let now = now_ms();
    let seed = DemoSeed {
        user_id: DEMO_USER_ID.to_owned(),
        publishable_key: format!("pk_test_{}", random_token(32)),
        secret_key: format!("sk_test_{}", random_token(40)),
    };
    tx.execute(
        "INSERT INTO clients (id, name, created_at) VALUES (?1, 'Demo client', ?2)",
        params![DEMO_CLIENT_ID, now],
    )?;
    for platform in Platform::ALL {
        tx.execute(
            "INSERT INTO client_platforms (client_id, platform, enabled) VALUES (?1, ?2, 1)",
            params![DEMO_CLIENT_ID, platform.as_str()],
        )?;
    }
    for (key, kind) in [
        (&seed.publishable_key, "publishable"),
        (&seed.secret_key, "secret"),
    ] {
        tx.execute(
            "INSERT INTO api_keys (key, client_id, kind, scopes, active, created_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)",
            params![key, DEMO_CLIENT_ID, kind, ALL_SCOPES, now],
        )?;
    }
    for origin in [STUDIO_ORIGIN, BROWSER_ORIGIN] {
        tx.execute(
            "INSERT INTO key_origins (key, origin) VALUES (?1, ?2)",
            params![seed.publishable_key, origin],
        )?;
    }
    for uri in [CONNECT_REDIRECT_URI, SIGNIN_REDIRECT_URI] {
        tx.execute(
            "INSERT INTO redirect_uris (client_id, uri) VALUES (?1, ?2)",
            params![DEMO_CLIENT_ID, uri],
        )?;
    }
    tx.execute(
        "INSERT INTO demo_seed (id, client_id, user_id, publishable_key, secret_key)
         VALUES (1, ?1, ?2, ?3, ?4)",
        params![
            DEMO_CLIENT_ID,
            seed.user_id,
            seed.publishable_key,
            seed.secret_key
        ],
    )?;
    tx.commit()?;
    Ok(seed)
}

/// `len` characters of `[A-Za-z0-9]` from the OS-seeded generator (~5.95 bits each).
pub fn random_token(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
