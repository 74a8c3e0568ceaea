//! The route table: every operation the sandbox serves, in one list, from which the router is
//! built and which `docs/api/openapi.yaml` documents (a test compares the two both ways).

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::api_error::ApiError;
use crate::cors;
use crate::host_check::{AllowedHosts, require_own_host};
use crate::routes::json_body::MAX_BODY_BYTES;
use crate::routes::{
    admin, assets, auth_session, chat, connections, consent, jobs, operator, platforms, stream,
};
use crate::state::AppState;

/// Who a route is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The wire contract, under `/api/v1`.
    Contract,
    /// The operator role for token mode, at the root.
    Operator,
    /// Pages and images the simulated platforms serve.
    Hosted,
    /// `/sandbox/*`, behind the admin token.
    Admin,
}

/// One operation.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub surface: Surface,
    handler: MethodRouter<AppState>,
}

fn route<H, T>(surface: Surface, method: Method, path: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("the table uses standard methods");
    Route {
        method,
        path,
        surface,
        handler: on(filter, handler),
    }
}

/// Every operation, once.
pub fn routes() -> Vec<Route> {
    use Method as M;
    use Surface::*;
    vec![
        route(Contract, M::GET, "/api/v1/platforms", platforms::list),
        route(Contract, M::POST, "/api/v1/auth/session", auth_session::mint),
        route(Contract, M::GET, "/api/v1/connections", connections::list),
        route(
            Contract,
            M::POST,
            "/api/v1/connections/{platform}/authorize",
            connections::authorize_platform,
        ),
        route(
            Contract,
            M::GET,
            "/api/v1/connections/authorizations/{state}",
            connections::authorization_status,
        ),
        route(
            Contract,
            M::DELETE,
            "/api/v1/connections/{platform}",
            connections::disconnect,
        ),
        route(Contract, M::POST, "/api/v1/jobs", jobs::create),
        route(Contract, M::GET, "/api/v1/jobs/current", jobs::current),
        route(Contract, M::GET, "/api/v1/jobs/{id}", jobs::get),
        route(Contract, M::POST, "/api/v1/jobs/{id}/stop", jobs::stop),
        route(Contract, M::PATCH, "/api/v1/jobs/{id}/overlay", jobs::overlay),
        route(
            Contract,
            M::POST,
            "/api/v1/jobs/{id}/broadcasts/{platform}/retry",
            jobs::retry,
        ),
        route(Contract, M::GET, "/api/v1/jobs/{id}/viewers", jobs::viewers),
        route(Contract, M::GET, "/api/v1/comments/stream", stream::stream),
        route(Contract, M::POST, "/api/v1/chat", chat::send),
        route(Operator, M::GET, "/operator/authorize", operator::sign_in_page),
        route(Operator, M::POST, "/operator/authorize", operator::sign_in),
        route(Operator, M::POST, "/operator/token", operator::token),
        route(
            Operator,
            M::POST,
            "/operator/restream-token",
            operator::restream_token,
        ),
        route(Operator, M::POST, "/operator/revoke", operator::revoke),
        route(Hosted, M::GET, "/hosted/consent/{id}", consent::show),
        route(Hosted, M::POST, "/hosted/consent/{id}", consent::decide),
        route(Hosted, M::GET, "/watch/{platform}/{broadcastId}", assets::watch),
        route(Hosted, M::GET, "/assets/avatars/{file}", assets::avatar),
        route(Hosted, M::GET, "/assets/banners/{file}", assets::banner),
        route(Hosted, M::GET, "/assets/overlay.html", assets::overlay_page),
        route(Admin, M::POST, "/sandbox/clients", admin::create_client),
        route(
            Admin,
            M::POST,
            "/sandbox/clients/{clientId}/keys",
            admin::create_key,
        ),
        route(Admin, M::DELETE, "/sandbox/keys/{key}", admin::revoke_key),
        route(Admin, M::GET, "/sandbox/settings", admin::get_settings),
        route(Admin, M::PUT, "/sandbox/settings", admin::put_settings),
        route(Admin, M::PUT, "/sandbox/sessions/{sessionId}", admin::put_session),
        route(Admin, M::POST, "/sandbox/jobs/{id}/comments", admin::burst),
        route(
            Admin,
            M::GET,
            "/sandbox/jobs/{id}/comments",
            admin::stored_comments,
        ),
        route(
            Admin,
            M::POST,
            "/sandbox/jobs/{id}/broadcasts/{platform}/fail",
            admin::fail_broadcast,
        ),
        route(Admin, M::POST, "/sandbox/jobs/{id}/fail", admin::fail_job),
        route(Admin, M::POST, "/sandbox/jobs/{id}/end", admin::end_job),
        route(Admin, M::POST, "/sandbox/connections/reauth", admin::mark_reauth),
        route(Admin, M::POST, "/sandbox/faults", admin::add_fault),
        route(Admin, M::DELETE, "/sandbox/faults", admin::clear_faults),
        route(Admin, M::POST, "/sandbox/streams/drop", admin::drop_streams),
        route(Admin, M::PUT, "/sandbox/streams/stall", admin::stall_streams),
        route(Admin, M::POST, "/sandbox/tokens/expire", admin::expire_tokens),
        route(Admin, M::POST, "/sandbox/operator/revoke", admin::revoke_operator),
        route(Admin, M::GET, "/sandbox/stats", admin::stats),
    ]
}

/// `(method, path)` of every operation, for comparing with the OpenAPI document.
pub fn operations() -> Vec<(Method, &'static str)> {
    routes().into_iter().map(|r| (r.method, r.path)).collect()
}

/// Counts the request for `/sandbox/stats` and applies any injected fault for its route.
async fn count_and_inject(
    State(state): State<AppState>,
    path: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let route = format!("{} {}", request.method(), path.as_str());
    state.stats.request(&route);
    if let Some(injected) = state.faults.take(&route) {
        if let Some(latency) = injected.latency {
            tokio::time::sleep(latency).await;
        }
        if let Some((status, code)) = injected.status {
            let mut error = ApiError::new(status, code, "Injected by the sandbox's fault surface");
            error.retry_after = injected.retry_after_seconds;
            return error.into_response();
        }
    }
    next.run(request).await
}

pub fn build(state: AppState, allowed_hosts: AllowedHosts) -> Router {
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for Route {
        path,
        handler,
        surface,
        ..
    } in routes()
    {
        if surface == Surface::Admin && !state.admin_enabled {
            continue;
        }
        match by_path.iter_mut().find(|(p, _)| *p == path) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(handler),
            None => by_path.push((path, handler)),
        }
    }
    let mut router: Router<AppState> = Router::new();
    for (path, handler) in by_path {
        router = router.route(path, handler);
    }
    router
        .route_layer(middleware::from_fn_with_state(state.clone(), count_and_inject))
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), cors::cors))
        .layer(middleware::from_fn_with_state(allowed_hosts, require_own_host))
        .with_state(state)
}
