//! CORS for browser clients of `/api/v1/*` (such as the web SDK): a preflight answers 204 when
//! its `Origin` is on some active publishable key's allowlist. The real request is still checked
//! against its own key.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rusqlite::params;

use crate::api_error::ApiError;
use crate::state::AppState;

const ALLOW_HEADERS: &str =
    "authorization, content-type, idempotency-key, last-event-id, x-publishable-key, x-user-id";
const ALLOW_METHODS: &str = "GET, POST, PATCH, PUT, DELETE, OPTIONS";

async fn origin_allowed(state: &AppState, origin: &str) -> bool {
    let origin = origin.to_owned();
    state
        .db
        .call(move |conn| {
            conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM key_origins o JOIN api_keys k ON k.key = o.key
                 WHERE o.origin = ?1 AND k.active = 1 AND k.kind = 'publishable')",
                params![origin],
                |row| row.get(0),
            )
        })
        .await
        .unwrap_or(false)
}

fn allow(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/v1/") {
        return next.run(request).await;
    }
    let origin = request.headers().get(header::ORIGIN).cloned();
    let allowed = match origin.as_ref().and_then(|o| o.to_str().ok()) {
        Some(o) => origin_allowed(&state, o).await,
        None => false,
    };
    if request.method() == Method::OPTIONS {
        let Some(origin) = origin.filter(|_| allowed) else {
            let shown = request
                .headers()
                .get(header::ORIGIN)
                .and_then(|o| o.to_str().ok());
            return ApiError::origin_not_allowed(shown).into_response();
        };
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        allow(headers, origin);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        return response;
    }
    let mut response = next.run(request).await;
    if let Some(origin) = origin.filter(|_| allowed) {
        let headers = response.headers_mut();
        allow(headers, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after"),
        );
    }
    response
}
