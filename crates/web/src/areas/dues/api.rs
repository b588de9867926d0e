//! The dues API (`/api/v1/dues/...`). Its OpenAPI paths are collected in [`DuesApi`] and merged
//! into the document in one place (`api::openapi_document`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangjian_app::AppError;
use dangjian_app::audit;
use dangjian_app::dues::bases_grid::{BasesGrid, GridSave, GridSaved};
use dangjian_app::dues::batch::{self, BatchPayment, BatchPaymentInput};
use dangjian_app::dues::collection::{self, PaymentInput, PaymentResult};
use dangjian_app::dues::profile::{self, BaseInput, ExtraInput, ReliefInput};
use dangjian_app::dues::reports::{self, SummaryView, YearReport};
use dangjian_app::dues::sheet_view::{self, SheetView};
use dangjian_app::dues::view::ProfileView;
use dangjian_app::dues::{self, CalcResult};
use dangjian_domain::MemberId;
use dangjian_domain::Month;
use dangjian_domain::OrgId;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::response::{IntoResponse, Response};
use dangjian_app::dues::import::{self, DuesImport};
use dangjian_app::members::import::{Caller, ImportOutcome};

use crate::AppState;
use crate::api::ErrorBody;
use crate::areas::members::api::roster_io::{
    ImportErrorBody, ImportForm, ImportResult, XlsxFile, refused,
};
use crate::areas::members::pages::roster_io::read_upload;
use crate::areas::members::pages::roster_io::xlsx_response;
use crate::error::HttpError;
use crate::error::status_of;
use crate::extract::{ApiJson, IdPath, QueryParams};
use crate::session::{Ctx, CurrentActor};

#[derive(OpenApi)]
#[openapi(paths(
    calc,
    member_dues,
    mine,
    set_base,
    add_relief,
    record_extra,
    sheet,
    open_month,
    pay,
    pay_batch,
    summary,
    year,
    export,
    import_template,
    prefilled_import_template,
    bases_grid,
    save_bases_grid,
    import_file,
    settings,
))]
pub struct DuesApi;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct CalcQuery {
    /// 在职、离退休、农民、学生、下岗失业/无固定收入、其他.
    #[serde(default)]
    pub category: String,
    /// Monthly income (base) in yuan: `4500`, `4500.5` or `4500.50`; optional for fixed amounts.
    pub income: Option<String>,
}

/// The monthly dues of a category and income, with the bracket and an explanation (党费规定).
#[utoipa::path(get, path = "/api/v1/dues/calc", tag = "dues", params(CalcQuery),
    responses((status = 200, body = CalcResult), (status = 422, body = ErrorBody)))]
pub async fn calc(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(query): QueryParams<CalcQuery>,
) -> Result<Json<CalcResult>, HttpError> {
    Ok(Json(
        dues::calc::calculate(&state.app, &actor, &query.category, query.income.as_deref()).await?,
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// e.g. 2026; default: this year.
    #[param(minimum = -32768, maximum = 32767)]
    pub year: Option<i16>,
}

/// A member's dues: category and base in force, history, reliefs, extra dues, the year's months
/// and totals. Members may read their own.
#[utoipa::path(get, path = "/api/v1/members/{id}/dues", tag = "dues", params(("id" = i64, Path), YearQuery),
    responses((status = 200, body = ProfileView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn member_dues(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<YearQuery>,
) -> Result<Json<ProfileView>, HttpError> {
    Ok(Json(
        profile::profile(&state.app, &actor, MemberId(id), query.year).await?,
    ))
}

/// The caller's own dues history and yearly total.
#[utoipa::path(get, path = "/api/v1/dues/mine", tag = "dues", params(YearQuery),
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    QueryParams(query): QueryParams<YearQuery>,
) -> Result<Json<ProfileView>, HttpError> {
    let own = dues::own_member_id(&state.app, &actor)
        .await?
        .ok_or(AppError::NotFound("本人的党员档案"))?;
    Ok(Json(
        profile::profile(&state.app, &actor, MemberId(own), query.year).await?,
    ))
}

/// Sets the member's category and base from a month on (the yearly assessment, or a mid-year
/// change with its reason).
#[utoipa::path(post, path = "/api/v1/members/{id}/dues/bases", tag = "dues", params(("id" = i64, Path)), request_body = BaseInput,
    responses((status = 201, body = ProfileView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_base(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<BaseInput>,
) -> Result<(StatusCode, Json<ProfileView>), HttpError> {
    let view = profile::set_base(&state.app, &actor, MemberId(id), &body, &ctx).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Records a reduction or exemption decided by the branch and approved by the superior committee.
#[utoipa::path(post, path = "/api/v1/members/{id}/dues/reliefs", tag = "dues", params(("id" = i64, Path)), request_body = ReliefInput,
    responses((status = 201, body = ProfileView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add_relief(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReliefInput>,
) -> Result<(StatusCode, Json<ProfileView>), HttpError> {
    let view = profile::add_relief(&state.app, &actor, MemberId(id), &body, &ctx).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Records voluntary extra dues or special dues, apart from the monthly amount.
#[utoipa::path(post, path = "/api/v1/members/{id}/dues/extras", tag = "dues", params(("id" = i64, Path)), request_body = ExtraInput,
    responses((status = 201, body = ProfileView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn record_extra(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ExtraInput>,
) -> Result<(StatusCode, Json<ProfileView>), HttpError> {
    let view = profile::record_extra(&state.app, &actor, MemberId(id), &body, &ctx).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Deserialize, IntoParams, ToSchema, Default)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `2026-03`; default: this month.
    #[serde(default)]
    pub month: String,
}

impl MonthQuery {
    pub fn month_or_current(&self, today: jiff::civil::Date) -> String {
        match self.month.trim() {
            "" => Month::of(today).to_string(),
            text => text.to_string(),
        }
    }
}

/// A branch's or group's collection sheet for a month.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/sheet", tag = "dues", params(("id" = i64, Path), MonthQuery),
    responses((status = 200, body = SheetView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn sheet(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<MonthQuery>,
) -> Result<Json<SheetView>, HttpError> {
    Ok(Json(
        sheet_view::sheet(
            &state.app,
            &actor,
            OrgId(id),
            &query.month_or_current(state.app.today()),
        )
        .await?,
    ))
}

/// Opens a month's sheet: a row with the amount due for every member whose base is set.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/dues/sheet/open", tag = "dues", params(("id" = i64, Path)), request_body = MonthQuery,
    responses((status = 200, body = SheetView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn open_month(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MonthQuery>,
) -> Result<Json<SheetView>, HttpError> {
    Ok(Json(
        collection::open_month(
            &state.app,
            &actor,
            OrgId(id),
            &body.month_or_current(state.app.today()),
            &ctx,
        )
        .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct PaymentsRequest {
    pub payments: Vec<PaymentInput>,
}

/// Records payments, each month on its own row; all or nothing.
#[utoipa::path(post, path = "/api/v1/dues/payments", tag = "dues", request_body = PaymentsRequest,
    responses((status = 201, body = PaymentResult), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "党员不存在")))]
pub async fn pay(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<PaymentsRequest>,
) -> Result<(StatusCode, Json<PaymentResult>), HttpError> {
    let result = collection::record_payments(&state.app, &actor, &body.payments, &ctx).await?;
    Ok((StatusCode::CREATED, Json(result)))
}

/// 本月全部已交: a month's payment for the listed members of a branch's or group's sheet, or for
/// every member who still owes it, each for what the month still asks. With `dry_run` nothing is
/// written: the answer lists who would be recorded for how much and who is skipped and why. The
/// confirmation writes every row and one audit entry listing them, or, on any refusal, nothing.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/dues/payments/batch", tag = "dues", params(("id" = i64, Path)), request_body = BatchPaymentInput,
    responses((status = 200, body = BatchPayment, description = "dry_run: what would be recorded and skipped"),
        (status = 201, body = BatchPayment, description = "recorded"),
        (status = 409, body = ErrorBody, description = "nothing left to record"), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn pay_batch(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<BatchPaymentInput>,
) -> Result<(StatusCode, Json<BatchPayment>), HttpError> {
    let result = batch::record_month_for_many(&state.app, &actor, OrgId(id), &body, &ctx).await?;
    let status = if result.dry_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(result)))
}

/// A committee's (or any node's) month: its subtree's due, collected, collection rate and arrears,
/// then each child's, read from the maintained totals.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/summary", tag = "dues", params(("id" = i64, Path), MonthQuery),
    responses((status = 200, body = SummaryView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn summary(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<MonthQuery>,
) -> Result<Json<SummaryView>, HttpError> {
    Ok(Json(
        reports::summary(
            &state.app,
            &actor,
            OrgId(id),
            &query.month_or_current(state.app.today()),
        )
        .await?,
    ))
}

/// A branch's or group's year: each month, the year, and each member's year.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/year", tag = "dues", params(("id" = i64, Path), YearQuery),
    responses((status = 200, body = YearReport), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn year(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<YearQuery>,
) -> Result<Json<YearReport>, HttpError> {
    let year = query.year.unwrap_or_else(|| state.app.today().year());
    Ok(Json(
        reports::year_report(&state.app, &actor, OrgId(id), year).await?,
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `sheet` (a month's sheet), `summary` (a subtree's month) or `year` (a branch's year).
    #[serde(default)]
    pub report: String,
    /// For `sheet` and `summary`: `2026-03`; default this month.
    #[serde(default)]
    pub month: String,
    /// For `year`; default this year.
    #[param(minimum = -32768, maximum = 32767)]
    pub year: Option<i16>,
}

/// The report as an .xlsx workbook.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/export", tag = "dues", params(("id" = i64, Path), ExportQuery),
    responses(
        (status = 200, description = "党费报表", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = XlsxFile),
        (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<ExportQuery>,
) -> Result<Response, HttpError> {
    let month = MonthQuery {
        month: query.month.clone(),
    }
    .month_or_current(state.app.today());
    let app = &state.app;
    let (bytes, name) = match query.report.as_str() {
        "sheet" => reports::sheet_xlsx(&sheet_view::sheet(app, &actor, OrgId(id), &month).await?)?,
        "summary" => {
            reports::summary_xlsx(&reports::summary(app, &actor, OrgId(id), &month).await?)?
        }
        "year" => {
            let year = query.year.unwrap_or_else(|| state.app.today().year());
            reports::year_xlsx(&reports::year_report(app, &actor, OrgId(id), year).await?)?
        }
        _ => {
            return Err(AppError::invalid("report", "报表应为 sheet、summary 或 year").into());
        }
    };
    audit::exported(app, &actor, &ctx, OrgId(id), &name).await?;
    Ok(xlsx_response(bytes, &name))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `payments` (a month's payments) or `bases` (a year's bases).
    #[serde(default)]
    pub kind: String,
}

/// The import template of a kind (.xlsx, header row only).
#[utoipa::path(get, path = "/api/v1/dues/import-template", tag = "dues", params(ImportQuery),
    responses(
        (status = 200, description = "导入模板", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = XlsxFile),
        (status = 422, body = ErrorBody)))]
pub async fn import_template(
    CurrentActor(_actor): CurrentActor,
    QueryParams(query): QueryParams<ImportQuery>,
) -> Result<Response, HttpError> {
    let kind = DuesImport::parse(&query.kind)?;
    let name = match kind {
        DuesImport::Payments => "党费交纳导入模板.xlsx",
        DuesImport::Bases => "党费基数导入模板.xlsx",
    };
    Ok(xlsx_response(import::template(kind)?, name))
}

/// The import template of a kind filled in for the organization's members, keyed by 党员编号:
/// bases with each member's category and base in force, payments with this month's amount still
/// owed and today's date. Only what changed needs typing; no ID number is asked for.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/import-template", tag = "dues", params(("id" = i64, Path), ImportQuery),
    responses(
        (status = 200, description = "预填的导入模板", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = XlsxFile),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn prefilled_import_template(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<ImportQuery>,
) -> Result<Response, HttpError> {
    let kind = DuesImport::parse(&query.kind)?;
    let (name, bytes) =
        import::prefilled_template(&state.app, &actor, &ctx, OrgId(id), kind).await?;
    Ok(xlsx_response(bytes, &name))
}

/// 党费基数一览: each member of the branch or group with the category and base in force.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dues/bases", tag = "dues", params(("id" = i64, Path)),
    responses((status = 200, body = BasesGrid), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "不是党支部或党小组")))]
pub async fn bases_grid(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Json<BasesGrid>, HttpError> {
    Ok(Json(
        dangjian_app::dues::bases_grid::grid(&state.app, &actor, OrgId(id)).await?,
    ))
}

/// Saves the edited bases of the grid together: every row checked as an import would be (rows
/// equal to the base in force change nothing). Without `confirm` it answers the changes (200,
/// nothing written); with it, writes them in one step with one audit entry (201). Any refused
/// row refuses all, listed by row (the n-th member of `rows` is row n+1).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/dues/bases", tag = "dues", params(("id" = i64, Path)), request_body = GridSave,
    responses((status = 200, body = GridSaved, description = "预览，未写入"), (status = 201, body = GridSaved),
        (status = 409, body = ErrorBody, description = "没有改动"),
        (status = 422, body = ErrorBody, description = "输入有误；逐行的问题另在 errors 中列出（同导入的 ImportErrorBody）"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn save_bases_grid(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<GridSave>,
) -> Result<Response, HttpError> {
    match dangjian_app::dues::bases_grid::save(&state.app, &actor, &ctx, OrgId(id), &body).await? {
        Ok(saved) => {
            let status = if saved.done {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(saved)).into_response())
        }
        Err(errors) => {
            let total = errors.len() as u64;
            Ok(refused(
                format!("有 {total} 处问题，未保存任何改动"),
                ctx.request_id,
                errors,
                total,
            ))
        }
    }
}

/// Imports a month's payments or a year's bases into a branch or group from .xlsx (multipart
/// `org_id` + `file`): every row checked, all applied in one transaction or none, each problem
/// listed by row and column.
#[utoipa::path(post, path = "/api/v1/dues/import", tag = "dues", params(ImportQuery),
    request_body(content = inline(ImportForm), content_type = "multipart/form-data"),
    responses((status = 200, body = ImportResult), (status = 422, body = ImportErrorBody), (status = 403, body = ErrorBody)))]
pub async fn import_file(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    QueryParams(query): QueryParams<ImportQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, HttpError> {
    let kind = match DuesImport::parse(&query.kind) {
        Ok(kind) => kind,
        Err(error) => return Ok(refused(error.to_string(), ctx.request_id, Vec::new(), 0)),
    };
    let (org, file) = match read_upload(multipart).await?.into_parts() {
        Ok(parts) => parts,
        Err(error) => return Ok(refused(error.to_string(), ctx.request_id, Vec::new(), 0)),
    };
    match import::import_dues(&state.app, Caller::Actor(&actor), kind, org, file, &ctx).await {
        Ok(ImportOutcome::Imported(done)) => Ok(Json(ImportResult {
            imported: done.count,
        })
        .into_response()),
        Ok(ImportOutcome::Rejected(rejected)) => Ok(refused(
            rejected.message(),
            ctx.request_id,
            rejected.errors,
            rejected.total_errors,
        )),
        Err(error) if status_of(&error) == StatusCode::UNPROCESSABLE_ENTITY => {
            Ok(refused(error.to_string(), ctx.request_id, Vec::new(), 0))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct SettingsRequest {
    /// Farmers' fixed monthly amount in yuan, 0.20 to 1.00.
    #[serde(default)]
    pub farmer_amount: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct SettingsBody {
    pub farmer_amount_fen: i64,
}

/// Sets the farmers' fixed amount for a top-level organization's tree (the provincial committee
/// decides 0.20–1.00 yuan; default 0.20).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/dues/settings", tag = "dues", params(("id" = i64, Path)), request_body = SettingsRequest,
    responses((status = 200, body = SettingsBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn settings(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<SettingsRequest>,
) -> Result<Json<SettingsBody>, HttpError> {
    let settings =
        dues::settings::set_farmer_amount(&state.app, &actor, OrgId(id), &body.farmer_amount, &ctx)
            .await?;
    Ok(Json(SettingsBody {
        farmer_amount_fen: settings.farmer_amount.amount().0,
    }))
}
