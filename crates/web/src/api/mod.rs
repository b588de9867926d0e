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
    let mut doc = crate::areas::AREAS
        .iter()
        .fold(ApiDoc::openapi(), |doc, area| doc.merge_from((area.api)()));
    add_common_errors(&mut doc);
    doc
}

/// The error answers that come from the shared extractors and middleware rather than from an
/// operation's use case, added to each operation that can give them (its own annotation wins):
/// 401 and 403 to every operation that needs credentials (no credential or a revoked token;
/// no permission, a password still to change, a write without the CSRF token); 404 to every
/// operation with a path id (`IdPath`: no such object, or an id that is not a number); 400 to
/// every operation with query parameters (`QueryParams`) or a JSON body (`ApiJson`: not JSON);
/// 413, 415 and 422 to every operation with a body (too large, wrong content type, a field
/// missing or of the wrong type); 422 to every paged list (`page` or `per_page` out of range).
fn add_common_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder, SecurityRequirement};

    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let public = operation
                .security
                .as_ref()
                .is_some_and(|s| s.iter().all(|r| *r == SecurityRequirement::default()));
            let located = |place: ParameterIn| {
                operation.parameters.iter().flatten().any(|p| match p {
                    RefOr::T(p) => p.parameter_in == place,
                    RefOr::Ref(_) => false,
                })
            };
            let paged = operation.parameters.iter().flatten().any(|p| match p {
                RefOr::T(p) => p.name == "page" || p.name == "per_page",
                RefOr::Ref(_) => false,
            });
            let has_path = located(ParameterIn::Path);
            let has_query = located(ParameterIn::Query);
            let has_body = operation.request_body.is_some();
            let answers = [
                (
                    has_query || has_body,
                    "400",
                    "请求格式不正确（查询参数或 JSON 无法解析）",
                ),
                (!public, "401", "未登录，或令牌无效、已吊销"),
                (
                    !public,
                    "403",
                    "没有权限，须先修改密码，或写操作缺少 CSRF 令牌",
                ),
                (has_path, "404", "对象不存在（或路径中的编号不是数字）"),
                (has_body, "413", "提交的内容过大"),
                (has_body, "415", "请求体的内容类型不受支持"),
                (has_body, "422", "字段缺失、类型不正确或不符合业务规则"),
                (paged, "422", "页码或每页条数超出范围"),
            ];
            for (applies, status, description) in answers {
                if applies && !operation.responses.responses.contains_key(status) {
                    let response = ResponseBuilder::new().description(description).content(
                        "application/json",
                        Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                    );
                    operation
                        .responses
                        .responses
                        .insert(status.to_string(), response.into());
                }
            }
        }
    }
}
