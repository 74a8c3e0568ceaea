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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(uri: &str, headers: &[(String, String)]) -> Request {
        let mut builder = Request::builder().uri(uri);
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        builder.body(Body::empty()).unwrap()
    }

    fn status(result: Result<(), ApiError>) -> Option<StatusCode> {
        result.err().map(|e| e.status)
    }

    #[test]
    fn the_url_limit_is_inclusive() {
        let path = |len: usize| format!("/{}", "a".repeat(len - 1));
        assert_eq!(status(check(&request(&path(MAX_URI_BYTES), &[]))), None);
        assert_eq!(
            status(check(&request(&path(MAX_URI_BYTES + 1), &[]))),
            Some(StatusCode::URI_TOO_LONG)
        );
    }

    #[test]
    fn the_header_count_limit_is_inclusive() {
        let lines = |n: usize| {
            (0..n)
                .map(|i| (format!("x-{i}"), "1".to_owned()))
                .collect::<Vec<_>>()
        };
        assert_eq!(status(check(&request("/", &lines(MAX_HEADERS)))), None);
        assert_eq!(
            status(check(&request("/", &lines(MAX_HEADERS + 1)))),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
    }

    #[test]
    fn header_bytes_count_names_values_and_each_lines_separators() {
        // Two lines: "x-a: <value>\r\n" and "x-bb: <value>\r\n"; the second value fills the rest.
        let first = ("x-a".to_owned(), "v".repeat(100));
        let used = 3 + 100 + 4 + 4 + 4;
        let exact = ("x-bb".to_owned(), "w".repeat(MAX_HEAD_BYTES - used));
        assert_eq!(status(check(&request("/", &[first.clone(), exact]))), None);
        let over = ("x-bb".to_owned(), "w".repeat(MAX_HEAD_BYTES - used + 1));
        assert_eq!(
            status(check(&request("/", &[first, over]))),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
    }
}
