//! The sandbox's limits on a request's head: 414 `uri_too_long` for a long URL and 431
//! `headers_too_large` for too many or too long headers, in the contract's JSON error body like
//! every other 4xx. They sit below hyper's own limits (see [`serve`](crate::serve)), so these
//! answers are the ones a client sees.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;

/// Path and query, as sent.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Header lines in one request.
pub const MAX_HEADERS: usize = 100;
/// Header names and values together, counting each line's `: ` and CRLF.
pub const MAX_HEAD_BYTES: usize = 32 * 1024;

pub async fn limit_head(request: Request, next: Next) -> Response {
    match check(&request) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

fn check(request: &Request) -> Result<(), ApiError> {
    let uri_bytes = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("The URL is {uri_bytes} bytes; the limit is {MAX_URI_BYTES}"),
        ));
    }
    let headers = request.headers();
    if headers.len() > MAX_HEADERS {
        return Err(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!(
                "The request has {} header lines; the limit is {MAX_HEADERS}",
                headers.len()
            ),
        ));
    }
    let head_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if head_bytes > MAX_HEAD_BYTES {
        return Err(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!("The headers are {head_bytes} bytes; the limit is {MAX_HEAD_BYTES}"),
        ));
    }
    Ok(())
}
