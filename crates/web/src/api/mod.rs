//! The JSON API under `/api/v1/`: the same use cases as the pages, thin handlers, and the
//! OpenAPI document generated from the handlers' annotations.

pub mod accounts;
pub mod activities;
pub mod activity_outputs;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod awards;
pub mod development;
pub mod dues;
pub mod evaluation;
pub mod members;
pub mod orgs;
pub mod points;
pub mod roster_io;
pub mod tokens;
pub mod transfers;

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
    info(title = "dangjian API", description = "党建工作平台 JSON 接口。认证：登录后的会话 Cookie（写操作须带 X-CSRF-Token 请求头，值为 dj_csrf Cookie），或管理员签发的 API 令牌（Authorization: Bearer）。错误统一为 {\"code\",\"message\"}。"),
    paths(
        auth::login, auth::logout, auth::me, auth::change_password,
        accounts::list, accounts::create, accounts::get_one, accounts::reset_password, accounts::unlock,
        tokens::list, tokens::issue, tokens::revoke,
        audit::list,
        orgs::list, orgs::get_one, orgs::create, orgs::update, orgs::delete, orgs::move_targets, orgs::move_to, orgs::dissolve,
        members::list, members::create, members::get_one, members::update, members::reveal_id_number,
        roster_io::import_template, roster_io::import, roster_io::export,
        orgs::health, orgs::positions, orgs::appoint, orgs::end_position,
        transfers::list, transfers::start, transfers::out, transfers::transfer_in, transfers::accept,
        transfers::reject, transfers::cancel, transfers::slip,
        activities::list, activities::create, activities::get_one, activities::update, activities::act,
        activities::check_in_code, activities::check_in, activities::attendance, activities::invite,
        activities::request_leave, activities::decide_leave, activities::make_up, activities::minutes,
        activities::vote, activities::amend, activities::org_compliance, activities::dual_life,
        activities::mine, activity_outputs::ledger, activity_outputs::calendar, activity_outputs::create_feed,
        activity_outputs::revoke_feed, activity_outputs::upload, activity_outputs::attachment,
        development::dashboard, development::create, development::get_one, development::record_step,
        development::extension, development::cancellation, development::check_file,
    ),
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
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::cookies::SESSION))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI 3 document served at `/api/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
        .merge_from(dues::DuesApi::openapi())
        .merge_from(points::PointsApi::openapi())
        .merge_from(evaluation::EvaluationApi::openapi())
        .merge_from(awards::AwardsApi::openapi())
        .merge_from(assessment::AssessmentApi::openapi())
}
