//! What the JSON API under `/api/v1/` shares: the error body and the OpenAPI document, generated
//! from the handlers' annotations. The handlers live with their area under `areas/`, the same use
//! cases as the pages behind thin handlers.

use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The shape of every API error.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `unauthenticated`, `forbidden`, `invalid`.
    pub code: String,
    /// What went wrong, in Chinese, fit to show to the user.
    pub message: String,
    /// The request id, also in the server log.
    pub request_id: String,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "dangjian API", description = "党建工作平台 JSON 接口。认证：登录后的会话 Cookie（写操作须带 X-CSRF-Token 请求头，值为 dj_csrf Cookie；HTTPS 下 Cookie 名带 __Host- 前缀），或管理员签发的 API 令牌（Authorization: Bearer）。错误统一为 {\"code\",\"message\"}。"),
    components(schemas(ErrorBody)),
    modifiers(&SecuritySchemes),
    security(("session" = []), ("bearer" = [])),
)]
struct ApiDoc;

struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::cookies::SESSION.plain_name(),
                "通过 HTTPS 提供时名为 __Host-dj_session",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI 3 document served at `/api/openapi.json`: the frame here, each area's operations
/// from the area (`areas::AREAS`).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    crate::areas::AREAS
        .iter()
        .fold(ApiDoc::openapi(), |doc, area| doc.merge_from((area.api)()))
}
