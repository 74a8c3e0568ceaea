//! The route table: every operation the sandbox serves, in one list, from which the router is
//! built and which `docs/api/openapi.yaml` documents (a test compares the two both ways).

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};

use std::collections::HashMap;
use std::sync::Arc;

use crate::api_error::ApiError;
use crate::auth::{Access, authorize, check_admin, with_query_credential};
use crate::cors;
use crate::head_limits::limit_head;
use crate::host_check::{AllowedHosts, require_own_host};
use crate::routes::json_body::MAX_BODY_BYTES;
use crate::routes::{
    admin, assets, auth_session, chat, connections, consent, ingest, ingest_hook, jobs, moderation, operator,
    platforms, stream,
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
    /// v1.1: the ingest's callback, behind the secret in its path.
    IngestHook,
}

/// One operation.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub surface: Surface,
    /// Who may call it; checked before the handler runs.
    pub access: Access,
    handler: MethodRouter<AppState>,
}

fn route<H, T>(surface: Surface, method: Method, path: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("the table uses standard methods");
    let access = match surface {
        Surface::Admin => Access::Admin,
        _ => Access::Public,
    };
    Route {
        method,
        path,
        surface,
        access,
        handler: on(filter, handler),
    }
}

impl Route {
    /// Who may call it (contract routes: which credential and scope).
    fn needs(mut self, access: Access) -> Route {
        self.access = access;
        self
    }
}

const ANY_USER: Access = Access::User { scope: None };
const CONNECT: Access = Access::User {
    scope: Some("connect"),
};
const RESTREAM: Access = Access::User {
    scope: Some("restream"),
};
const READ: Access = Access::User { scope: Some("read") };
const CHAT_WRITE: Access = Access::User {
    scope: Some("chat:write"),
};
const CHAT_MODERATE: Access = Access::User {
    scope: Some("chat:moderate"),
};
const STREAM: Access = Access::UserOrQuery { scope: "read" };

/// Every operation, once.
pub fn routes() -> Vec<Route> {
    use Method as M;
    use Surface::*;
    vec![
        route(Contract, M::GET, "/api/v1/platforms", platforms::list).needs(ANY_USER),
        route(Contract, M::POST, "/api/v1/auth/session", auth_session::mint).needs(Access::Server),
        route(Contract, M::GET, "/api/v1/connections", connections::list).needs(CONNECT),
        route(
            Contract,
            M::POST,
            "/api/v1/connections/{platform}/authorize",
            connections::authorize_platform,
        )
        .needs(CONNECT),
        route(
            Contract,
            M::GET,
            "/api/v1/connections/authorizations/{state}",
            connections::authorization_status,
        )
        .needs(CONNECT),
        route(
            Contract,
            M::DELETE,
            "/api/v1/connections/{platform}",
            connections::disconnect,
        )
        .needs(CONNECT),
        route(Contract, M::POST, "/api/v1/jobs", jobs::create).needs(RESTREAM),
        route(Contract, M::GET, "/api/v1/ingest", ingest::get).needs(RESTREAM),
        route(Contract, M::POST, "/api/v1/ingest/rotate", ingest::rotate).needs(RESTREAM),
        route(Contract, M::GET, "/api/v1/sessions/live", ingest::live).needs(READ),
        route(Contract, M::GET, "/api/v1/jobs/current", jobs::current).needs(READ),
        route(Contract, M::GET, "/api/v1/jobs/{id}", jobs::get).needs(READ),
        route(Contract, M::POST, "/api/v1/jobs/{id}/stop", jobs::stop).needs(RESTREAM),
        route(Contract, M::PATCH, "/api/v1/jobs/{id}/overlay", jobs::overlay).needs(RESTREAM),
        route(
            Contract,
            M::POST,
            "/api/v1/jobs/{id}/broadcasts/{platform}/retry",
            jobs::retry,
        )
        .needs(RESTREAM),
        route(Contract, M::GET, "/api/v1/jobs/{id}/viewers", jobs::viewers).needs(READ),
        route(Contract, M::GET, "/api/v1/comments/stream", stream::stream).needs(STREAM),
        route(Contract, M::POST, "/api/v1/chat", chat::send).needs(CHAT_WRITE),
        route(Contract, M::POST, "/api/v1/chat/moderation", moderation::moderate).needs(CHAT_MODERATE),
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
        route(IngestHook, M::POST, "/ingest/rtmp/{secret}", ingest_hook::hook),
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
            M::POST,
            "/sandbox/moderation",
            moderation::moderate_on_platform,
        ),
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

/// Who may call each route, by `METHOD /path`.
type AccessTable = Arc<HashMap<String, Access>>;

/// Runs before every handler: counts the request for `/sandbox/stats`, applies any injected fault,
/// then checks the credential the route table asks for and hands the caller to the handler, so a
/// request without the right credential never gets as far as its path or body being read.
async fn gate(
    State((state, table)): State<(AppState, AccessTable)>,
    path: MatchedPath,
    mut request: Request,
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
    let access = table.get(&route).copied().unwrap_or(Access::Public);
    let headers = match access {
        Access::UserOrQuery { .. } => match with_query_credential(request.headers(), request.uri().query()) {
            Ok(headers) => headers,
            Err(e) => return e.into_response(),
        },
        _ => request.headers().clone(),
    };
    let caller = match access {
        Access::Public => None,
        Access::Admin => match check_admin(&state.admin_token, &headers) {
            Ok(()) => None,
            Err(e) => return e.into_response(),
        },
        _ => match authorize(&state.db, &headers, access).await {
            Ok(caller) => Some(caller),
            Err(e) => return e.into_response(),
        },
    };
    if let Some(caller) = caller {
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}

/// Refuses a body over the contract's limit by its declared length, before any handler, with the
/// contract's error (handlers that read a body enforce the same limit on undeclared lengths).
async fn limit_body(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES) {
        return crate::routes::json_body::too_large().into_response();
    }
    next.run(request).await
}

pub fn build(state: AppState, allowed_hosts: AllowedHosts) -> Router {
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    let mut access = HashMap::new();
    for Route {
        method,
        path,
        handler,
        surface,
        access: needs,
    } in routes()
    {
        if surface == Surface::Admin && !state.admin_enabled {
            continue;
        }
        access.insert(format!("{method} {path}"), needs);
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
        .route_layer(middleware::from_fn_with_state(
            (state.clone(), Arc::new(access)),
            gate,
        ))
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(limit_body))
        .layer(middleware::from_fn_with_state(state.clone(), cors::cors))
        .layer(middleware::from_fn_with_state(allowed_hosts, require_own_host))
        // Outermost: a head over the limits is refused before anything reads it.
        .layer(middleware::from_fn(limit_head))
        .with_state(state)
}
