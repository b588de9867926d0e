//! Security headers on every answer, and response compression.
//!
//! The pages run no inline script and carry no inline style (`style="…"` or `<style>`): every
//! script and style sheet is one of our static files, so the Content-Security-Policy allows only
//! `'self'`, and an injected `<script>` or `onerror=` would not run. The Swagger UI at `/api/docs`
//! is a vendored page that needs inline style and `data:` images; it alone gets [`DOCS_POLICY`]
//! (see `routes::ops::docs`), which the outer layer leaves in place.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Our pages: scripts, styles, images, fonts and fetches from this origin only; no plug-ins; not
/// framed by anyone; forms post only to us; no `<base>` may redirect relative links.
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; \
     base-uri 'none'";

/// The Swagger UI (utoipa-swagger-ui's page): its scripts are files, but it sets inline styles
/// and its style sheet uses `data:` images. Still not framed, no plug-ins.
pub const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
     frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// The headers every answer carries unless a route set its own (only the CSP of `/api/docs`).
fn defaults() -> [(HeaderName, &'static str); 4] {
    [
        (header::CONTENT_SECURITY_POLICY, PAGE_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ]
}

/// Adds the security headers and gzip/brotli compression (what the client accepts) to `router`.
/// Applied outside the error finisher, so error pages and the framework's 404/405 carry them too.
pub fn secure<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let router = defaults()
        .into_iter()
        .fold(router, |router, (name, value)| {
            router.layer(SetResponseHeaderLayer::if_not_present(
                name,
                HeaderValue::from_static(value),
            ))
        });
    router.layer(CompressionLayer::new().gzip(true).br(true))
}
