//! The contract's credential rules: exactly one kind per request; publishable keys are origin-locked
//! and need `X-User-Id`; tokens carry their user; secret keys are for server-to-server routes only.

use axum::http::{HeaderMap, header};

use crate::api_error::ApiError;
use crate::db::{self, Db, KeyKind};

/// Who may call a route. The route table names it for every route, and the gate checks it
/// before the handler reads its path or body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (hosted pages, the operator role's own checks).
    Public,
    /// A publishable key or a token, holding `scope` when one is named.
    User { scope: Option<&'static str> },
    /// A user credential that may also come in the query string (the chat stream).
    UserOrQuery { scope: &'static str },
    /// A secret key (server to server).
    Server,
    /// The sandbox's admin token.
    Admin,
}

/// Checks the admin bearer token in constant time.
pub fn check_admin(expected: &str, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "missing_credential",
            "The admin surface needs Authorization: Bearer <admin token>",
        ));
    };
    let presented = value
        .to_str()
        .unwrap_or_default()
        .strip_prefix("Bearer ")
        .unwrap_or_default();
    let same = presented.len() == expected.len()
        && presented
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(ApiError::invalid_credential("Wrong admin token"))
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub client_id: String,
    /// `None` for a secret key, which acts for the client as a whole.
    pub user_id: Option<String>,
    pub scopes: Vec<String>,
}

/// The credential a request presented, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Presented {
    Publishable { key: String, user_id: Option<String> },
    Token(String),
    Secret(String),
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).map(|v| v.to_str().unwrap_or_default())
}

fn presented(headers: &HeaderMap) -> Result<Presented, ApiError> {
    let publishable = header_str(headers, "x-publishable-key");
    let authorization = header_str(headers, header::AUTHORIZATION.as_str());
    let secret = header_str(headers, "x-api-key");
    let kinds = [publishable.is_some(), authorization.is_some(), secret.is_some()]
        .into_iter()
        .filter(|present| *present)
        .count();
    if kinds == 0 {
        return Err(ApiError::missing_credential());
    }
    if kinds > 1 {
        return Err(ApiError::invalid_credential(
            "Send exactly one kind of credential per request",
        ));
    }
    if let Some(key) = publishable {
        // A header that is there but not text would otherwise read as absent, and the caller
        // would be told to send what it did send.
        if headers.get("x-user-id").is_some_and(|v| v.to_str().is_err()) {
            return Err(ApiError::invalid_credential(
                "X-User-Id holds bytes that are not visible ASCII: send the user id in ASCII \
                 (percent-encode other characters)",
            ));
        }
        let user_id = header_str(headers, "x-user-id").map(str::to_owned);
        return Ok(Presented::Publishable {
            key: key.to_owned(),
            user_id,
        });
    }
    if let Some(value) = authorization {
        let token = value
            .strip_prefix("Bearer ")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::invalid_credential("Authorization must be `Bearer <token>`"))?;
        return Ok(Presented::Token(token.to_owned()));
    }
    Ok(Presented::Secret(secret.unwrap_or_default().to_owned()))
}

/// Credentials a browser's EventSource can only send in the query (`GET /comments/stream`).
#[derive(Debug, Default, serde::Deserialize)]
struct QueryCredential {
    access_token: Option<String>,
    publishable_key: Option<String>,
    user_id: Option<String>,
}

/// Moves a query-string credential into the headers it stands for, so one set of rules applies.
/// A credential in both places counts as more than one.
pub fn with_query_credential(headers: &HeaderMap, query: Option<&str>) -> Result<HeaderMap, ApiError> {
    let parsed: QueryCredential = serde_urlencoded::from_str(query.unwrap_or_default()).unwrap_or_default();
    if parsed.access_token.is_none() && parsed.publishable_key.is_none() {
        return Ok(headers.clone());
    }
    let in_headers = ["authorization", "x-publishable-key", "x-api-key"]
        .iter()
        .any(|name| headers.contains_key(*name));
    if in_headers || (parsed.access_token.is_some() && parsed.publishable_key.is_some()) {
        return Err(ApiError::invalid_credential(
            "Send exactly one kind of credential per request",
        ));
    }
    let value = |v: &str| {
        axum::http::HeaderValue::from_str(v).map_err(|_| ApiError::invalid_credential("Malformed credential"))
    };
    let mut headers = headers.clone();
    if let Some(token) = parsed.access_token {
        headers.insert(header::AUTHORIZATION, value(&format!("Bearer {token}"))?);
    }
    if let Some(key) = parsed.publishable_key {
        headers.insert("x-publishable-key", value(&key)?);
        if let Some(user) = parsed.user_id {
            headers.insert("x-user-id", value(&user)?);
        }
    }
    Ok(headers)
}

/// Checks the request's credential against `access`: 401 for who you are, then 403 for what you
/// may do (origin, scope), in the order the contract's table lists them.
pub async fn authorize(db: &Db, headers: &HeaderMap, access: Access) -> Result<Caller, ApiError> {
    let credential = presented(headers)?;
    let origin = header_str(headers, header::ORIGIN.as_str()).map(str::to_owned);
    let caller = db
        .call(move |conn| check(conn, credential, origin.as_deref(), access, db::now_ms()))
        .await??;
    Ok(caller)
}

fn check(
    conn: &rusqlite::Connection,
    credential: Presented,
    origin: Option<&str>,
    access: Access,
    now_ms: i64,
) -> rusqlite::Result<Result<Caller, ApiError>> {
    let wrong_kind = || ApiError::invalid_credential("This route does not accept that kind of credential");
    let access = match access {
        Access::UserOrQuery { scope } => Access::User { scope: Some(scope) },
        other => other,
    };
    let caller = match (credential, access) {
        (Presented::Secret(key), Access::Server) => match db::find_key(conn, &key)? {
            Some(record) if record.active && record.kind == KeyKind::Secret => Caller {
                client_id: record.client_id,
                user_id: None,
                scopes: record.scopes,
            },
            _ => return Ok(Err(ApiError::invalid_credential("Unknown or revoked secret key"))),
        },
        (Presented::Publishable { key, user_id }, Access::User { .. }) => {
            let record = match db::find_key(conn, &key)? {
                Some(record) if record.active && record.kind == KeyKind::Publishable => record,
                _ => {
                    return Ok(Err(ApiError::invalid_credential(
                        "Unknown or revoked publishable key",
                    )));
                }
            };
            let Some(user_id) = user_id.filter(|u| !u.is_empty()) else {
                return Ok(Err(ApiError::invalid_credential(
                    "A publishable key needs the X-User-Id header",
                )));
            };
            let allowed = match origin {
                Some(origin) => db::key_allows_origin(conn, &key, origin)?,
                None => false,
            };
            if !allowed {
                return Ok(Err(ApiError::origin_not_allowed(origin)));
            }
            Caller {
                client_id: record.client_id,
                user_id: Some(user_id),
                scopes: record.scopes,
            }
        }
        (Presented::Token(token), Access::User { .. }) => match db::find_token(conn, &token)? {
            Some(record) if now_ms >= record.expires_at_ms => return Ok(Err(ApiError::token_expired())),
            Some(record) => Caller {
                client_id: record.client_id,
                user_id: Some(record.user_id),
                scopes: record.scopes,
            },
            None => return Ok(Err(ApiError::invalid_credential("Unknown or revoked token"))),
        },
        _ => return Ok(Err(wrong_kind())),
    };
    if let Access::User { scope: Some(scope) } = access
        && !caller.scopes.iter().any(|s| s == scope)
    {
        return Ok(Err(ApiError::missing_scope(scope)));
    }
    Ok(Ok(caller))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn no_credential_is_missing() {
        let err = presented(&headers(&[("x-user-id", "u1")])).unwrap_err();
        assert_eq!(err.code, "missing_credential");
    }

    #[test]
    fn two_kinds_are_invalid() {
        let err = presented(&headers(&[("x-publishable-key", "pk"), ("x-api-key", "sk")])).unwrap_err();
        assert_eq!(err.code, "invalid_credential");
    }

    #[test]
    fn authorization_must_be_bearer() {
        let err = presented(&headers(&[("authorization", "Basic abc")])).unwrap_err();
        assert_eq!(err.code, "invalid_credential");
        assert_eq!(
            presented(&headers(&[("authorization", "Bearer t0k")])).unwrap(),
            Presented::Token("t0k".into())
        );
    }

    #[test]
    fn a_user_id_that_is_not_ascii_is_named_as_such() {
        let mut map = headers(&[("x-publishable-key", "pk")]);
        map.insert("x-user-id", HeaderValue::from_bytes("stré".as_bytes()).unwrap());
        let err = presented(&map).unwrap_err();
        assert_eq!(err.code, "invalid_credential");
        assert!(err.message.contains("not visible ASCII"), "{}", err.message);
        let absent = presented(&headers(&[("x-publishable-key", "pk")])).unwrap();
        assert_eq!(
            absent,
            Presented::Publishable {
                key: "pk".into(),
                user_id: None
            }
        );
    }
}
