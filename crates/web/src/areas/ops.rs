//! Operations and assets: probes, static files, the OpenAPI document and its docs page.

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_swagger_ui::SwaggerUi;

use crate::routes::Access::Public;
use crate::routes::{Area, RouteSpec, Table};
use crate::{AppState, api, ops};

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[],
    api: crate::routes::no_api,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/healthz", Public, ops::healthz)
        .get("/readyz", Public, ops::readyz)
        .get("/static/{*path}", Public, ops::static_file)
}

/// The public routes the Swagger UI adds (the OpenAPI document and the docs page with its assets).
pub(crate) const DOCS_ROUTES: [RouteSpec; 3] = [
    RouteSpec {
        path: "/api/openapi.json",
        methods: &["GET"],
        access: Public,
    },
    RouteSpec {
        path: "/api/docs",
        methods: &["GET"],
        access: Public,
    },
    RouteSpec {
        path: "/api/docs/{*rest}",
        methods: &["GET"],
        access: Public,
    },
];

/// The routes of [`DOCS_ROUTES`].
pub(crate) fn docs() -> Router<AppState> {
    Router::from(SwaggerUi::new("/api/docs").url("/api/openapi.json", api::openapi_document()))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::headers::DOCS_POLICY),
        ))
}
