//! Sending a request and turning any answer into a value or an [`ApiError`]. Decoding works on
//! bytes so that every failure shape is testable without a server.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, codes};

/// The largest response body the client reads; beyond it the answer is an error, not a crash.
pub(crate) const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// An answer as received: status, body (at most `MAX_RESPONSE_BYTES`) and the headers the client
/// uses.
#[derive(Debug, Clone)]
pub(crate) struct RawAnswer {
    pub status: u16,
    pub body: Vec<u8>,
    /// The `Date` header, for clock skew.
    pub date: Option<String>,
    /// `Retry-After` in seconds, on 429 and 503.
    pub retry_after: Option<std::time::Duration>,
}

/// Sends `request` and reads the whole answer.
pub(crate) async fn send_raw(
    request: reqwest::RequestBuilder,
    timeout_secs: u64,
) -> Result<RawAnswer, ApiError> {
    let mut response = request
        .send()
        .await
        .map_err(|e| transport_error(&e, timeout_secs))?;
    let status = response.status().as_u16();
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let date = header(reqwest::header::DATE);
    let retry_after = header(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(std::time::Duration::from_secs);
    if response
        .content_length()
        .is_some_and(|len| len > MAX_RESPONSE_BYTES as u64)
    {
        return Err(too_large(status));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(&e, timeout_secs))?
    {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(too_large(status));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawAnswer {
        status,
        body,
        date,
        retry_after,
    })
}

pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            200,
            codes::UNEXPECTED_RESPONSE,
            format!("The service's answer did not have the expected shape: {e}"),
        )
    })
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorFields,
}

#[derive(Deserialize)]
struct ErrorFields {
    code: String,
    message: String,
}

/// The contract's `{"error": {"code", "message"}}`, or `unexpected_response` when the body is not
/// that (a proxy's HTML page, a different service).
pub(crate) fn decode_error(status: u16, body: &[u8]) -> ApiError {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => ApiError::new(status, error.code, error.message),
        Err(_) => ApiError::new(
            status,
            codes::UNEXPECTED_RESPONSE,
            format!("HTTP {status} without a Restream Service error body"),
        ),
    }
}

fn too_large(status: u16) -> ApiError {
    ApiError::new(
        status,
        codes::RESPONSE_TOO_LARGE,
        format!(
            "The answer is larger than {} MiB",
            MAX_RESPONSE_BYTES / (1024 * 1024)
        ),
    )
}

pub(crate) fn transport_error(error: &reqwest::Error, timeout_secs: u64) -> ApiError {
    if error.is_timeout() {
        return ApiError::timeout(timeout_secs);
    }
    // The innermost cause says what happened ("Connection refused"); the URL stays out of it.
    let mut source: &dyn std::error::Error = error;
    while let Some(inner) = source.source() {
        source = inner;
    }
    let detail = source.to_string();
    let message = if error.is_connect() {
        format!("Could not connect: {detail}")
    } else {
        format!("The connection failed: {detail}")
    };
    ApiError::network(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_error_body_keeps_status_code_and_message() {
        let err = decode_error(
            403,
            br#"{"error":{"code":"origin_not_allowed","message":"Origin not allowed"}}"#,
        );
        assert_eq!(
            err,
            ApiError::new(403, "origin_not_allowed", "Origin not allowed")
        );
    }

    #[test]
    fn foreign_error_body_is_unexpected() {
        let err = decode_error(502, b"<html>Bad gateway</html>");
        assert_eq!(err.status, 502);
        assert_eq!(err.code, codes::UNEXPECTED_RESPONSE);
    }

    #[test]
    fn success_with_garbage_is_unexpected() {
        let err = decode_json::<serde_json::Value>(b"<html>").unwrap_err();
        assert_eq!(err.code, codes::UNEXPECTED_RESPONSE);
    }
}
