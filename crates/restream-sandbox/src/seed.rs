//! `--seed-demo`: one client with every platform enabled, a publishable and a secret key with
//! every scope, a demo user, the studio's redirect URIs and origins. Seeding is idempotent: a second
//! start on the same database reuses what the first one made.

use rusqlite::{Connection, OptionalExtension, params};

use crate::db::now_ms;
use crate::platform::Platform;
use crate::random_token::random_token;

pub const DEMO_CLIENT_ID: &str = "demo";
pub const DEMO_USER_ID: &str = "demo-streamer";
/// The origin the studio sends (the contract's default for a desktop client).
pub const STUDIO_ORIGIN: &str = "tauri://localhost";
/// A browser origin, for trying the service from a web page during development.
pub const BROWSER_ORIGIN: &str = "http://localhost:5173";
/// The default studio's deep-link scheme; a branded studio passes its own.
pub const STUDIO_SCHEME: &str = "dev.restreamstudio";

/// The studio's redirect URIs for its deep-link `scheme`: connect first, then sign-in.
pub fn redirect_uris(scheme: &str) -> [String; 2] {
    [
        format!("{scheme}://connect/callback"),
        format!("{scheme}://signin/callback"),
    ]
}
pub const ALL_SCOPES: &str = "connect restream read chat:write chat:moderate";

#[derive(Debug, Clone)]
pub struct DemoSeed {
    pub user_id: String,
    pub publishable_key: String,
    pub secret_key: String,
}

/// Seeds the demo client unless an earlier start did; returns its credentials either way. The
/// redirect URIs of the studio's `scheme` are added on every start, so a renamed scheme works.
pub fn seed_demo(conn: &mut Connection, scheme: &str) -> rusqlite::Result<DemoSeed> {
    let tx = conn.transaction()?;
    let add_redirects = |tx: &rusqlite::Transaction| -> rusqlite::Result<()> {
        for uri in redirect_uris(scheme) {
            tx.execute(
                "INSERT OR IGNORE INTO redirect_uris (client_id, uri) VALUES (?1, ?2)",
                params![DEMO_CLIENT_ID, uri],
            )?;
        }
        Ok(())
    };
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
        add_redirects(&tx)?;
        tx.commit()?;
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
    add_redirects(&tx)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn accepts(db: &Db, uri: &str) -> bool {
        db.call_now(|conn| {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM redirect_uris WHERE client_id = ?1 AND uri = ?2)",
                params![DEMO_CLIENT_ID, uri],
                |row| row.get(0),
            )
        })
        .unwrap()
    }

    #[test]
    fn a_demo_database_from_before_moderation_gains_the_scope_once_and_others_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        // A database as the sandbox left it before moderation: migrated up to live sessions,
        // seeded, its keys holding the four scopes of v1, and one more client of the operator's.
        let mut conn = Connection::open(&path).unwrap();
        rusqlite_migration::Migrations::from_slice(&crate::db::MIGRATIONS[..4])
            .to_latest(&mut conn)
            .unwrap();
        let seed = seed_demo(&mut conn, STUDIO_SCHEME).unwrap();
        conn.execute_batch(
            "UPDATE api_keys SET scopes = 'connect restream read chat:write';
             INSERT INTO clients (id, name, created_at) VALUES ('other', 'Other', 0);
             INSERT INTO api_keys (key, client_id, kind, scopes, active, created_at)
                 VALUES ('pk_other', 'other', 'publishable', 'read', 1, 0);",
        )
        .unwrap();
        drop(conn);
        let scopes = |db: &Db, key: &str| -> String {
            let key = key.to_owned();
            db.call_now(move |conn| {
                conn.query_row("SELECT scopes FROM api_keys WHERE key = ?1", params![key], |r| {
                    r.get(0)
                })
            })
            .unwrap()
        };

        let upgraded = Db::open(&path).unwrap();
        for key in [&seed.publishable_key, &seed.secret_key] {
            assert_eq!(
                scopes(&upgraded, key),
                "connect restream read chat:write chat:moderate"
            );
        }
        assert_eq!(scopes(&upgraded, "pk_other"), "read");
        drop(upgraded);
        // Opening it again changes nothing: the scope is there once.
        let again = Db::open(&path).unwrap();
        assert_eq!(scopes(&again, &seed.secret_key), ALL_SCOPES);
    }

    #[test]
    fn each_install_gets_its_own_keys_and_the_studio_scheme_it_runs_under() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("one.db")).unwrap();
        let first = db.call_now(|conn| seed_demo(conn, STUDIO_SCHEME)).unwrap();
        assert!(accepts(&db, "dev.restreamstudio://connect/callback"));
        assert!(!accepts(&db, "com.acme.livestudio://connect/callback"));
        // A branded build on the same data: the same keys, and its own redirect URIs.
        let again = db
            .call_now(|conn| seed_demo(conn, "com.acme.livestudio"))
            .unwrap();
        assert_eq!(again.publishable_key, first.publishable_key);
        assert!(accepts(&db, "com.acme.livestudio://connect/callback"));
        assert!(accepts(&db, "com.acme.livestudio://signin/callback"));

        let other = Db::open(&dir.path().join("two.db")).unwrap();
        let second = other.call_now(|conn| seed_demo(conn, STUDIO_SCHEME)).unwrap();
        assert_ne!(second.publishable_key, first.publishable_key);
        assert_ne!(second.secret_key, first.secret_key);
    }
}
