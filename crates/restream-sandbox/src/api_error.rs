use std::borrow::Cow;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer in the contract's shape: `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub message: String,
    /// `Retry-After` seconds, for 429.
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 422 `invalid_request`; the message names the field.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", message)
    }

    /// A 422 with a code other than `invalid_request`.
    pub fn invalid_request_code(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn unknown_platform(name: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown_platform",
            format!(
                "Unknown platform `{}`: use twitch, kick, youtube, facebook or instagram",
                truncate(name)
            ),
        )
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn missing_credential() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "missing_credential",
            "No credential: send X-Publishable-Key with X-User-Id, a Bearer token, or X-API-Key",
        )
    }

    pub fn invalid_credential(why: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_credential", why)
    }

    pub fn token_expired() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "token_expired", "Token has expired")
    }

    pub fn origin_not_allowed(origin: Option<&str>) -> Self {
        let message = match origin {
            Some(origin) => format!("Origin not allowed for this key: {origin}"),
            None => "Origin not allowed for this key: no Origin header was sent".to_owned(),
        };
        Self::new(StatusCode::FORBIDDEN, "origin_not_allowed", message)
    }

    pub fn missing_scope(scope: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "missing_scope",
            format!("Missing required scope: {scope}"),
        )
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "No such route")
    }

    pub fn not_found_what(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("No such {what}"))
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This path does not serve that method",
        )
    }

    pub fn host_not_allowed() -> Self {
        Self::new(
            StatusCode::MISDIRECTED_REQUEST,
            "host_not_allowed",
            "The sandbox only answers requests addressed to its own loopback address",
        )
    }

    pub fn internal(why: impl std::fmt::Display) -> Self {
        tracing::error!(error = %why, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "The sandbox hit an internal error; see its log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        let mut response = (self.status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        // A 429 always says when to come back.
        let retry_after = match (self.retry_after, self.status) {
            (Some(seconds), _) => Some(seconds),
            (None, StatusCode::TOO_MANY_REQUESTS) => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        // A body too large is refused before it is read, so its unread bytes are still on the
        // connection and it cannot carry another request: say so, or a client that reuses it
        // fails its next call.
        if self.status == StatusCode::PAYLOAD_TOO_LARGE {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// Echoes at most 64 characters of client input in a message.
pub fn truncate(input: &str) -> String {
    let mut out: String = input.chars().take(64).collect();
    if out.len() < input.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_input_is_cut_at_64_characters_and_says_so() {
        assert_eq!(truncate("kick"), "kick");
        let exactly = "é".repeat(64);
        assert_eq!(truncate(&exactly), exactly);
        let long = format!("{exactly}x");
        assert_eq!(truncate(&long), format!("{exactly}…"));
    }

    #[test]
    fn a_429_always_says_when_to_come_back_and_a_413_closes() {
        let limited =
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "slow down").into_response();
        assert_eq!(limited.headers()[header::RETRY_AFTER], "1");
        let mut told = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "later");
        told.retry_after = Some(7);
        assert_eq!(told.into_response().headers()[header::RETRY_AFTER], "7");
        let too_large =
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "big").into_response();
        assert_eq!(too_large.headers()[header::CONNECTION], "close");
        let other = ApiError::not_found().into_response();
        assert!(other.headers().get(header::CONNECTION).is_none());
        assert!(other.headers().get(header::RETRY_AFTER).is_none());
    }
}
