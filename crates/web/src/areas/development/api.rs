//! Member development over JSON: the dashboard, applicants, steps, probation decisions and the
//! checker itself (the same one as `dangjian development check`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::development::{
    self, ApplicantDetail, ApplicantInput, Dashboard, DecisionInput, StepInput,
};
use dangjian_domain::ApplicantId;
use dangjian_domain::OrgId;
use dangjian_domain::development::{DevelopmentFile, check};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath};
use crate::session::{Ctx, CurrentActor};

/// Everyone in the pipeline of a branch or committee by stage, with next steps and overdue items.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/development", tag = "development", params(("id" = i64, Path)),
    responses((status = 200, body = Dashboard), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn dashboard(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<Dashboard>, HttpError> {
    Ok(Json(
        development::dashboard(&state.app, &actor, OrgId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct NewApplicantRequest {
    /// The branch (or one of its groups) handling the application.
    pub org_id: i64,
    #[serde(flatten)]
    pub applicant: ApplicantInput,
}

/// Register an applicant (入党申请人); step 1 is recorded with the day the application was received.
#[utoipa::path(post, path = "/api/v1/development/applicants", tag = "development", request_body = NewApplicantRequest,
    responses((status = 201, body = ApplicantDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "所选组织不存在")))]
pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<NewApplicantRequest>,
) -> Result<(StatusCode, Json<ApplicantDetail>), HttpError> {
    let created = development::create_applicant(
        &state.app,
        &actor,
        OrgId(body.org_id),
        &body.applicant,
        &ctx,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// An applicant's whole file: recorded steps, deviations, next steps with their windows.
#[utoipa::path(get, path = "/api/v1/development/applicants/{id}", tag = "development", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicantDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<ApplicantDetail>, HttpError> {
    Ok(Json(
        development::applicant_detail(&state.app, &actor, ApplicantId(id)).await?,
    ))
}

/// Record one step. A step that breaks a rule is refused (422) with the rule and the date it would
/// be allowed, unless `deviation_reason` is given: then it is recorded as a known deviation.
#[utoipa::path(post, path = "/api/v1/development/applicants/{id}/steps", tag = "development", params(("id" = i64, Path)), request_body = StepInput,
    responses((status = 201, body = ApplicantDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn record_step(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<StepInput>,
) -> Result<(StatusCode, Json<ApplicantDetail>), HttpError> {
    let detail = development::record_step(&state.app, &actor, ApplicantId(id), &body, &ctx).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Extend the probation (once, 6 to 12 months), as the branch assembly voted.
#[utoipa::path(post, path = "/api/v1/development/applicants/{id}/extension", tag = "development", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 201, body = ApplicantDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn extension(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<DecisionInput>,
) -> Result<(StatusCode, Json<ApplicantDetail>), HttpError> {
    let detail =
        development::record_extension(&state.app, &actor, ApplicantId(id), &body, &ctx).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Cancel the probationary membership, as the branch assembly voted; the person leaves the roster.
#[utoipa::path(post, path = "/api/v1/development/applicants/{id}/cancellation", tag = "development", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 201, body = ApplicantDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn cancellation(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<DecisionInput>,
) -> Result<(StatusCode, Json<ApplicantDetail>), HttpError> {
    let detail =
        development::record_cancellation(&state.app, &actor, ApplicantId(id), &body, &ctx).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

#[derive(Serialize, ToSchema)]
pub struct CheckViolation {
    pub step: u8,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckResult {
    pub clean: bool,
    pub violations: Vec<CheckViolation>,
    /// The same as `dangjian development check` prints: `step N: <message>`.
    pub lines: Vec<String>,
}

/// Check a development file (the JSON format of docs/member-development.md) against every rule,
/// as of today in China. Writes nothing.
#[utoipa::path(post, path = "/api/v1/development/check", tag = "development",
    request_body(content = Object, description = "{\"birth_date\": \"YYYY-MM-DD\", \"steps\": [{\"step\": 1, \"date\": \"YYYY-MM-DD\"}], \"probation\": {}}"),
    responses((status = 200, body = CheckResult), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check_file(
    State(state): State<AppState>,
    CurrentActor(_actor): CurrentActor,
    ApiJson(file): ApiJson<DevelopmentFile>,
) -> Json<CheckResult> {
    let violations = check(&file, state.app.today());
    Json(CheckResult {
        clean: violations.is_empty(),
        lines: violations.iter().map(ToString::to_string).collect(),
        violations: violations
            .into_iter()
            .map(|v| CheckViolation {
                step: v.step.get(),
                message: v.message,
            })
            .collect(),
    })
}
