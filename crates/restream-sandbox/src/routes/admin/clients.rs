//! Clients and their keys: a new client with a publishable and a secret key, more keys for a
//! client, and revoking a key.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_error::{ApiError, truncate};
use crate::db;
use crate::platform::Platform;
use crate::random_token::random_token;
use crate::routes::json_body::JsonBody;
use crate::routes::params::Params;
use crate::seed::ALL_SCOPES;
use crate::state::AppState;

fn check_scopes(scopes: &[String]) -> Result<String, ApiError> {
    if let Some(bad) = scopes
        .iter()
        .find(|s| !ALL_SCOPES.split(' ').any(|known| known == s.as_str()))
    {
        return Err(ApiError::invalid_request(format!(
            "scopes: `{}` is not a scope",
            truncate(bad)
        )));
    }
    Ok(scopes.join(" "))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewClient {
    name: String,
    /// Enabled platforms (default: all five).
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    platforms: Option<Vec<Platform>>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    scopes: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    origins: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::routes::json_body::non_null")]
    redirect_uris: Option<Vec<String>>,
}

/// `POST /sandbox/clients`: a client with a publishable and a secret key.
pub async fn create_client(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<NewClient>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scopes = match &body.scopes {
        Some(s) => check_scopes(s)?,
        None => ALL_SCOPES.to_owned(),
    };
    let client_id = format!("client_{}", random_token(12));
    let publishable = format!("pk_test_{}", random_token(32));
    let secret = format!("sk_test_{}", random_token(40));
    let enabled = body.platforms.unwrap_or_else(|| Platform::ALL.to_vec());
    let origins = body.origins.unwrap_or_default();
    let redirects = body.redirect_uris.unwrap_or_default();
    let (id, pk, sk) = (client_id.clone(), publishable.clone(), secret.clone());
    let now = db::now_ms();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            tx.execute("INSERT INTO clients (id, name, created_at) VALUES (?1, ?2, ?3)", params![id, body.name, now])?;
            for p in Platform::ALL {
                tx.execute(
                    "INSERT INTO client_platforms (client_id, platform, enabled) VALUES (?1, ?2, ?3)",
                    params![id, p.as_str(), enabled.contains(&p)],
                )?;
            }
            for (key, kind) in [(&pk, "publishable"), (&sk, "secret")] {
                tx.execute(
                    "INSERT INTO api_keys (key, client_id, kind, scopes, active, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)",
                    params![key, id, kind, scopes, now],
                )?;
            }
            for origin in &origins {
                tx.execute("INSERT OR IGNORE INTO key_origins (key, origin) VALUES (?1, ?2)", params![pk, origin])?;
            }
            for uri in &redirects {
                tx.execute("INSERT OR IGNORE INTO redirect_uris (client_id, uri) VALUES (?1, ?2)", params![id, uri])?;
            }
            tx.commit()
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "clientId": client_id, "publishableKey": publishable, "secretKey": secret })),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewKey {
    kind: String,
    scopes: Vec<String>,
    origins: Option<Vec<String>>,
}

/// `POST /sandbox/clients/{clientId}/keys`
pub async fn create_key(
    State(state): State<AppState>,
    Params(client_id): Params<String>,
    JsonBody(body): JsonBody<NewKey>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let prefix = match body.kind.as_str() {
        "publishable" => "pk_test_",
        "secret" => "sk_test_",
        _ => return Err(ApiError::invalid_request("kind must be publishable or secret")),
    };
    let scopes = check_scopes(&body.scopes)?;
    let key = format!("{prefix}{}", random_token(32));
    let (k, kind, origins) = (key.clone(), body.kind, body.origins.unwrap_or_default());
    let now = db::now_ms();
    let created = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let exists: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM clients WHERE id = ?1)", params![client_id], |r| r.get(0))?;
            if !exists {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO api_keys (key, client_id, kind, scopes, active, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)",
                params![k, client_id, kind, scopes, now],
            )?;
            for origin in &origins {
                tx.execute("INSERT OR IGNORE INTO key_origins (key, origin) VALUES (?1, ?2)", params![k, origin])?;
            }
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !created {
        return Err(ApiError::not_found_what("client"));
    }
    Ok((StatusCode::CREATED, Json(json!({ "key": key }))))
}

/// `DELETE /sandbox/keys/{key}`: revokes a key.
pub async fn revoke_key(
    State(state): State<AppState>,
    Params(key): Params<String>,
) -> Result<StatusCode, ApiError> {
    let n = state
        .db
        .call(move |conn| conn.execute("UPDATE api_keys SET active = 0 WHERE key = ?1", params![key]))
        .await?;
    if n == 0 {
        Err(ApiError::not_found_what("key"))
    } else {
        Ok(StatusCode::NO_CONTENT)
    }
}
