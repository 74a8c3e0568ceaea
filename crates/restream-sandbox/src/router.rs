//! The route table: every operation the sandbox serves, in one list, from which the router is built.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::api_error::ApiError;
use crate::host_check::{AllowedHosts, require_own_host};
use crate::routes::json_body::MAX_BODY_BYTES;
use crate::routes::{auth_session, platforms};
use crate::server::AppState;

/// One operation of the wire contract.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

fn route<H, T>(method: Method, path: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("the table uses standard methods");
    Route {
        method,
        path,
        handler: on(filter, handler),
    }
}

/// Every operation, once. `docs/api/openapi.yaml` documents the same list.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/api/v1/platforms", platforms::list),
        route(Method::POST, "/api/v1/auth/session", auth_session::mint),
    ]
}

/// `(method, path)` of every operation, for comparing with the OpenAPI document.
pub fn operations() -> Vec<(Method, &'static str)> {
    routes().into_iter().map(|r| (r.method, r.path)).collect()
}

pub fn build(state: AppState, allowed_hosts: AllowedHosts) -> Router {
    let mut router: Router<AppState> = Router::new();
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for Route { path, handler, .. } in routes() {
        match by_path.iter_mut().find(|(p, _)| *p == path) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(handler),
            None => by_path.push((path, handler)),
        }
    }
    for (path, handler) in by_path {
        router = router.route(path, handler);
    }
    router
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(allowed_hosts, require_own_host))
        .with_state(state)
}
