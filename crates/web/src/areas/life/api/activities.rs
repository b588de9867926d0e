//! Organizational life over JSON: plans, approval, check-in, attendance, minutes, votes,
//! compliance.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::activities::compliance::{self, ComplianceView, DualLifeReport};
use dangjian_app::activities::{
    self, ActivityDetail, ActivityListFilter, ActivityView, CheckInDisplay, MarkMany,
    MonthPlanInput, MonthPlanView, MyActivityView, PlanInput, VoteInput,
};
use dangjian_app::{AppError, Page, PageParams};
use dangjian_domain::ActivityId;
use dangjian_domain::{MemberId, OrgId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::ErrorBody;
use crate::error::HttpError;
use crate::extract::{ApiJson, IdPath, QueryParams};
use crate::session::{Ctx, CurrentActor};

/// Activities in the caller's reach, newest first.
#[utoipa::path(get, path = "/api/v1/activities", tag = "activities", params(ActivityListFilter),
    responses((status = 200, body = Page<ActivityView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(filter): QueryParams<ActivityListFilter>,
) -> Result<Json<Page<ActivityView>>, HttpError> {
    PageParams::checked(filter.page, filter.per_page)?;
    Ok(Json(activities::list(&state.app, &actor, &filter).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateRequest {
    /// The branch, group or committee holding the activity.
    pub org_id: i64,
    #[serde(flatten)]
    pub plan: PlanInput,
}

/// Plans an activity; the node's members are its expected attendees. A group's plan must then be
/// submitted to its branch for approval.
#[utoipa::path(post, path = "/api/v1/activities", tag = "activities", request_body = CreateRequest,
    responses((status = 201, body = ActivityDetail), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "所选组织不存在")))]
pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<CreateRequest>,
) -> Result<(StatusCode, Json<ActivityDetail>), HttpError> {
    let id = activities::create(&state.app, &actor, &ctx, OrgId(body.org_id), &body.plan).await?;
    Ok((
        StatusCode::CREATED,
        Json(activities::get(&state.app, &actor, id).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = i64, Path)),
    responses((status = 200, body = ActivityDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<ActivityDetail>, HttpError> {
    Ok(Json(
        activities::get(&state.app, &actor, ActivityId(id)).await?,
    ))
}

/// Edits a draft or returned plan.
#[utoipa::path(put, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = i64, Path)), request_body = PlanInput,
    responses((status = 200, body = ActivityDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(plan): ApiJson<PlanInput>,
) -> Result<Json<ActivityDetail>, HttpError> {
    activities::update(&state.app, &actor, &ctx, ActivityId(id), &plan).await?;
    Ok(Json(
        activities::get(&state.app, &actor, ActivityId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ActionRequest {
    /// submit, approve, return, publish, cancel, open_check_in, close_check_in, finish, archive.
    pub action: String,
    /// Approval opinion; required to return a plan.
    #[serde(default)]
    pub note: String,
}

/// Moves an activity along its lifecycle.
#[utoipa::path(post, path = "/api/v1/activities/{id}/actions", tag = "activities", params(("id" = i64, Path)), request_body = ActionRequest,
    responses((status = 200, body = ActivityDetail), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ActionRequest>,
) -> Result<Json<ActivityDetail>, HttpError> {
    let app = &state.app;
    match body.action.as_str() {
        "submit" => activities::submit(app, &actor, &ctx, ActivityId(id)).await?,
        "approve" => activities::approve(app, &actor, &ctx, ActivityId(id), &body.note).await?,
        "return" => activities::return_plan(app, &actor, &ctx, ActivityId(id), &body.note).await?,
        "publish" => activities::publish(app, &actor, &ctx, ActivityId(id)).await?,
        "cancel" => activities::cancel(app, &actor, &ctx, ActivityId(id)).await?,
        "open_check_in" => {
            activities::set_check_in(app, &actor, &ctx, ActivityId(id), true).await?
        }
        "close_check_in" => {
            activities::set_check_in(app, &actor, &ctx, ActivityId(id), false).await?
        }
        "finish" => activities::finish(app, &actor, &ctx, ActivityId(id)).await?,
        "archive" => activities::archive(app, &actor, &ctx, ActivityId(id)).await?,
        _ => return Err(AppError::invalid("action", "未知的操作").into()),
    }
    Ok(Json(activities::get(app, &actor, ActivityId(id)).await?))
}

/// The host's current check-in code (it changes every 30 seconds).
#[utoipa::path(get, path = "/api/v1/activities/{id}/check-in-code", tag = "activities", params(("id" = i64, Path)),
    responses((status = 200, body = CheckInDisplay), (status = 409, body = ErrorBody)))]
pub async fn check_in_code(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<CheckInDisplay>, HttpError> {
    Ok(Json(
        activities::check_in_display(&state.app, &actor, ActivityId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CheckInRequest {
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct Done {
    pub message: String,
}

/// The signed-in member checks in with the scanned code.
#[utoipa::path(post, path = "/api/v1/activities/{id}/check-in", tag = "activities", params(("id" = i64, Path)), request_body = CheckInRequest,
    responses((status = 200, body = Done), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<CheckInRequest>,
) -> Result<Json<Done>, HttpError> {
    activities::check_in(&state.app, &actor, &ctx, ActivityId(id), &body.code).await?;
    Ok(Json(Done {
        message: "签到成功".into(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceRequest {
    pub member_id: i64,
    /// present, leave or absent. Read by `markable_attendance`, so anything else gets its 422.
    pub status: String,
}

/// The recorder marks attendance by hand (audited; after the meeting it is a correction).
#[utoipa::path(post, path = "/api/v1/activities/{id}/attendance", tag = "activities", params(("id" = i64, Path)), request_body = AttendanceRequest,
    responses((status = 200, body = ActivityDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attendance(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<AttendanceRequest>,
) -> Result<Json<ActivityDetail>, HttpError> {
    let status = activities::markable_attendance(&body.status)?;
    activities::mark(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        MemberId(body.member_id),
        status,
    )
    .await?;
    Ok(Json(
        activities::get(&state.app, &actor, ActivityId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceBatchRequest {
    pub member_ids: Vec<i64>,
    /// present, leave or absent.
    pub status: String,
    /// False (the default) only answers what would change.
    #[serde(default)]
    pub confirm: bool,
}

/// The recorder marks several attendees at once: without `confirm` the answer lists who would
/// change and who is already so marked (200, nothing written); with it, all are written in one
/// step with one audit entry (201). A member not on the list refuses the whole batch.
#[utoipa::path(post, path = "/api/v1/activities/{id}/attendance/batch", tag = "activities", params(("id" = i64, Path)), request_body = AttendanceBatchRequest,
    responses((status = 200, body = MarkMany, description = "预览，未写入"), (status = 201, body = MarkMany), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn attendance_batch(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<AttendanceBatchRequest>,
) -> Result<(StatusCode, Json<MarkMany>), HttpError> {
    let status = activities::markable_attendance(&body.status)?;
    let members: Vec<MemberId> = body.member_ids.iter().copied().map(MemberId).collect();
    let batch = activities::mark_many(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        &members,
        status,
        body.confirm,
    )
    .await?;
    let code = if batch.done {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(batch)))
}

#[derive(Deserialize, ToSchema)]
pub struct InviteRequest {
    pub member_id: i64,
    /// Why they attend: 列席, 上级观察员, 领导干部以普通党员身份参加, ...
    #[serde(default)]
    pub invited_as: String,
}

#[utoipa::path(post, path = "/api/v1/activities/{id}/attendees", tag = "activities", params(("id" = i64, Path)), request_body = InviteRequest,
    responses((status = 200, body = ActivityDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<InviteRequest>,
) -> Result<Json<ActivityDetail>, HttpError> {
    activities::invite(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        MemberId(body.member_id),
        &body.invited_as,
    )
    .await?;
    Ok(Json(
        activities::get(&state.app, &actor, ActivityId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct LeaveRequest {
    pub reason: String,
}

/// The signed-in member asks for leave.
#[utoipa::path(post, path = "/api/v1/activities/{id}/leave", tag = "activities", params(("id" = i64, Path)), request_body = LeaveRequest,
    responses((status = 200, body = Done), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_leave(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<LeaveRequest>,
) -> Result<Json<Done>, HttpError> {
    activities::request_leave(&state.app, &actor, &ctx, ActivityId(id), &body.reason).await?;
    Ok(Json(Done {
        message: "已提交请假申请".into(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct LeaveDecision {
    pub member_id: i64,
    pub approve: bool,
}

#[utoipa::path(post, path = "/api/v1/activities/{id}/leave-decisions", tag = "activities", params(("id" = i64, Path)), request_body = LeaveDecision,
    responses((status = 200, body = ActivityDetail), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn decide_leave(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<LeaveDecision>,
) -> Result<Json<ActivityDetail>, HttpError> {
    activities::decide_leave(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        MemberId(body.member_id),
        body.approve,
    )
    .await?;
    Ok(Json(
        activities::get(&state.app, &actor, ActivityId(id)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct MakeUpRequest {
    pub note: String,
}

/// The signed-in member confirms the make-up study (补学) of a meeting they missed.
#[utoipa::path(post, path = "/api/v1/activities/{id}/make-up", tag = "activities", params(("id" = i64, Path)), request_body = MakeUpRequest,
    responses((status = 200, body = Done), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn make_up(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MakeUpRequest>,
) -> Result<Json<Done>, HttpError> {
    activities::confirm_make_up(&state.app, &actor, &ctx, ActivityId(id), &body.note).await?;
    Ok(Json(Done {
        message: "补学已确认".into(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct MinutesRequest {
    pub minutes: String,
    #[serde(default)]
    pub resolutions: String,
}

#[utoipa::path(post, path = "/api/v1/activities/{id}/minutes", tag = "activities", params(("id" = i64, Path)), request_body = MinutesRequest,
    responses((status = 200, body = ActivityDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn minutes(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MinutesRequest>,
) -> Result<Json<ActivityDetail>, HttpError> {
    activities::record_minutes(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        &body.minutes,
        &body.resolutions,
    )
    .await?;
    Ok(Json(
        activities::get(&state.app, &actor, ActivityId(id)).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct VoteResult {
    /// Whether the vote stands and, if not, which rule it failed.
    pub explanation: String,
}

/// Records a branch assembly's vote; the answer says whether it stands and why.
#[utoipa::path(post, path = "/api/v1/activities/{id}/votes", tag = "activities", params(("id" = i64, Path)), request_body = VoteInput,
    responses((status = 200, body = VoteResult), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn vote(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<VoteInput>,
) -> Result<Json<VoteResult>, HttpError> {
    let explanation =
        activities::record_vote(&state.app, &actor, &ctx, ActivityId(id), &body).await?;
    Ok(Json(VoteResult { explanation }))
}

#[derive(Deserialize, ToSchema)]
pub struct AmendRequest {
    /// minutes or resolutions.
    pub field: String,
    pub text: String,
    pub reason: String,
}

/// Corrects an archived record; who and why stay visible.
#[utoipa::path(post, path = "/api/v1/activities/{id}/amendments", tag = "activities", params(("id" = i64, Path)), request_body = AmendRequest,
    responses((status = 200, body = ActivityDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn amend(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<AmendRequest>,
) -> Result<Json<ActivityDetail>, HttpError> {
    activities::amend(
        &state.app,
        &actor,
        &ctx,
        ActivityId(id),
        &body.field,
        &body.text,
        &body.reason,
    )
    .await?;
    Ok(Json(
        activities::get(&state.app, &actor, ActivityId(id)).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `2026-11`, `2026-Q4` or `2026`; default: the current quarter (compliance) or year.
    pub period: Option<String>,
    pub page: Option<i64>,
}

/// 生成本月计划: the month's required activities the node has not planned yet, drafted from its
/// last meeting of each kind. Without `confirm` it only answers what it would draft (200); with
/// it, writes them as drafts in one step (201) for review and publishing.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/activities/month-plan", tag = "activities", params(("id" = i64, Path)),
    request_body = MonthPlanInput,
    responses((status = 200, body = MonthPlanView, description = "预览，未写入"), (status = 201, body = MonthPlanView), (status = 409, body = ErrorBody, description = "本月必开活动都已安排"), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn month_plan(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MonthPlanInput>,
) -> Result<(StatusCode, Json<MonthPlanView>), HttpError> {
    let view = activities::plan_month(&state.app, &actor, &ctx, OrgId(id), &body).await?;
    let status = if view.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(view)))
}

/// Required activities held, due or overdue for a node and its branches in a period.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/compliance", tag = "activities", params(("id" = i64, Path), PeriodQuery),
    responses((status = 200, body = ComplianceView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn org_compliance(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<PeriodQuery>,
) -> Result<Json<ComplianceView>, HttpError> {
    let period = query.period.unwrap_or_default();
    Ok(Json(
        compliance::compliance(&state.app, &actor, OrgId(id), &period, query.page).await?,
    ))
}

/// Leading cadres' participation in their branch's and group's organizational life.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dual-life", tag = "activities", params(("id" = i64, Path), super::activity_outputs::PeriodOnly),
    responses((status = 200, body = DualLifeReport), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn dual_life(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<super::activity_outputs::PeriodOnly>,
) -> Result<Json<DualLifeReport>, HttpError> {
    let period = query.period.unwrap_or_default();
    Ok(Json(
        compliance::dual_life(&state.app, &actor, OrgId(id), &period).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based, at most 1000000.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<i64>,
    /// Rows per page, 1–200 (default 20); more is refused (422), not clamped.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// The signed-in member's own activities and attendance.
#[utoipa::path(get, path = "/api/v1/me/activities", tag = "activities", params(PageQuery),
    responses((status = 200, body = Page<MyActivityView>), (status = 409, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Json<Page<MyActivityView>>, HttpError> {
    let page = PageParams::checked(query.page, query.per_page)?;
    Ok(Json(
        activities::my_activities(&state.app, &actor, page).await?,
    ))
}
