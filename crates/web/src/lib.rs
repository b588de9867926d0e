//! The HTTP layer: server-rendered zh-CN pages and the JSON API, both thin over `dangjian_app`.
//! Every route is declared once in [`routes`], as public or signed-in; errors of every kind are
//! finished in one place ([`error::finish_errors`]) as a Chinese page or `{"code","message"}` JSON.

mod api;
mod areas;
mod charts;
mod cookies;
mod csrf;
mod error;
mod extract;
mod headers;
mod ops;
mod pages;
pub mod routes;
mod session;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use dangjian_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use api::openapi_document;
pub use routes::{Access, RouteSpec};

/// Largest request body accepted (forms and JSON). Imports, which upload files, set their own.
pub const BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when the site is served over HTTPS, directly or via a proxy).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
}

/// What every handler can reach: the use cases and the web settings.
#[derive(Clone, Debug)]
pub struct AppState {
    pub app: App,
    pub config: WebConfig,
}

/// The whole application: routes, then the layers every request passes (outermost last).
pub fn router(state: AppState) -> Router {
    let request_id = axum::http::HeaderName::from_static("x-request-id");
    let routes = routes::build(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            areas::points::api::after_write,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::resolve_actor,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            error::finish_errors,
        ));
    headers::secure(routes)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
