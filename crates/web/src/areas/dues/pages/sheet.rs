//! An organization's dues: a branch's or group's monthly sheet (with the secretary's recording
//! form), a committee's summary of its subtree, and a year report.

use askama::Template;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::dues::collection::{self, PaymentInput};
use dangjian_app::dues::import::{self, DuesImport};
use dangjian_app::dues::reports::{self, SummaryView, YearReport};
use dangjian_app::dues::sheet_view::{self, SheetView};
use dangjian_app::members::import::{Caller, ImportOutcome, RowError};
use dangjian_app::{Actor, AppError, orgs};
use dangjian_domain::dues::collection::CHANNELS;
use dangjian_domain::{OrgId, OrgKind};
use serde::Deserialize;

use super::HERE;
use crate::AppState;
use crate::areas::dues::api::MonthQuery;
use crate::areas::members::pages::roster_io::read_upload;
use crate::charts::{self, Chart};
use crate::error::HttpError;
use crate::extract::{FormFields, IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "dues/dues_sheet.html")]
pub(super) struct SheetPage {
    layout: Layout,
    sheet: SheetView,
    channels: [&'static str; 3],
    today: String,
    unopened: bool,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "dues/dues_summary.html")]
struct SummaryPage {
    layout: Layout,
    summary: SummaryView,
    chart: Option<Chart>,
    trend: Option<Chart>,
    /// The farmers' amount, shown and settable on a top-level organization by its managers.
    farmer_amount: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SheetQuery {
    #[serde(default)]
    month: String,
    notice: Option<String>,
}

pub(super) async fn sheet_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    month: &str,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<SheetPage, HttpError> {
    let sheet = sheet_view::sheet(&state.app, actor, OrgId(id), month).await?;
    Ok(SheetPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        unopened: sheet.rows.iter().any(|r| !r.opened && r.status != "none"),
        sheet,
        channels: CHANNELS,
        today: state.app.today().to_string(),
        notice,
        error,
    })
}

/// Branches and groups get their sheet; committees and general branches their summary.
pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<SheetQuery>,
) -> Result<Response, HttpError> {
    let month = MonthQuery { month: query.month }.month_or_current(state.app.today());
    let org = orgs::get_org(&state.app, &actor, OrgId(id)).await?;
    if matches!(org.kind, OrgKind::Branch | OrgKind::Group) {
        let notice = notice::text_of(query.notice.as_deref());
        return Ok(ok(&sheet_page(
            &state, &actor, csrf, id, &month, notice, None,
        )
        .await?));
    }
    Ok(ok(
        &summary_page(&state, &actor, csrf, id, &month, None).await?
    ))
}

async fn summary_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    month: &str,
    error: Option<String>,
) -> Result<SummaryPage, HttpError> {
    let summary = reports::summary(&state.app, actor, OrgId(id), month).await?;
    let farmer_amount =
        dangjian_app::dues::settings::editable_farmer_amount(&state.app, actor, OrgId(id)).await?;
    Ok(SummaryPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        chart: charts::dues_summary(&summary),
        trend: charts::dues_trend(&summary),
        summary,
        farmer_amount,
        error,
    })
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    farmer_amount: String,
}

pub async fn settings(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<SettingsForm>,
) -> Result<Response, HttpError> {
    match dangjian_app::dues::settings::set_farmer_amount(
        &state.app,
        &actor,
        OrgId(id),
        &form.farmer_amount,
        &ctx,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}/dues")).into_response()),
        Err(error @ AppError::Invalid { .. }) => {
            let month = MonthQuery::default().month_or_current(state.app.today());
            let page =
                summary_page(&state, &actor, csrf, id, &month, Some(error.to_string())).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(error) => Err(error.into()),
    }
}

async fn after(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    month: &str,
    result: Result<(), AppError>,
    done: Notice,
) -> Result<Response, HttpError> {
    match result {
        Ok(()) => Ok(notice::redirect(
            &format!("/orgs/{id}/dues?month={month}"),
            done,
        )),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let page =
                sheet_page(state, actor, csrf, id, month, None, Some(error.to_string())).await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct OpenForm {
    #[serde(default)]
    month: String,
}

pub async fn open(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<OpenForm>,
) -> Result<Response, HttpError> {
    let month = MonthQuery { month: form.month }.month_or_current(state.app.today());
    let result = collection::open_month(&state.app, &actor, OrgId(id), &month, &ctx)
        .await
        .map(|_| ());
    after(
        &state,
        &actor,
        csrf,
        id,
        &month,
        result,
        Notice::DuesMonthOpened,
    )
    .await
}

/// The sheet's recording form: the ticked members paid the month in full, the same day and way.
/// Field pairs, since a form repeats `member_id` once per ticked row.
pub async fn pay(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(fields): PageForm<FormFields>,
) -> Result<Response, HttpError> {
    let field = |name: &str| fields.first(name);
    let month = MonthQuery {
        month: field("month"),
    }
    .month_or_current(state.app.today());
    let payments: Vec<PaymentInput> = fields
        .all("member_id")
        .filter_map(|v| v.trim().parse().ok())
        .map(|member_id| PaymentInput {
            member_id,
            months: vec![month.clone()],
            amount: String::new(),
            paid_on: field("paid_on"),
            channel: field("channel"),
            receipt_no: field("receipt_no"),
        })
        .collect();
    let result = collection::record_payments(&state.app, &actor, &payments, &ctx)
        .await
        .map(|_| ());
    after(&state, &actor, csrf, id, &month, result, Notice::DuesPaid).await
}

#[derive(Template)]
#[template(path = "dues/dues_year.html")]
struct YearPage {
    layout: Layout,
    report: YearReport,
    chart: Option<Chart>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i16>,
}

pub async fn year(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<YearQuery>,
) -> Result<Response, HttpError> {
    let year = query.year.unwrap_or_else(|| state.app.today().year());
    let report = reports::year_report(&state.app, &actor, OrgId(id), year).await?;
    Ok(ok(&YearPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        chart: charts::dues_year(&report),
        report,
    }))
}

#[derive(Template)]
#[template(path = "dues/dues_import_partial.html")]
struct ImportResultBox {
    imported: Option<u64>,
    message: String,
    errors: Vec<RowError>,
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    #[serde(default)]
    kind: String,
}

/// The sheet page's import box (htmx, multipart): the result or every problem, as a fragment.
pub async fn import(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<ImportQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let mut result = ImportResultBox {
        imported: None,
        message: String::new(),
        errors: Vec::new(),
    };
    let outcome = match (DuesImport::parse(&query.kind), read_upload(multipart).await) {
        (Err(error), _) => Err(error),
        (_, Err(error)) => {
            result.message = error.info.message;
            return fragment(error.status, &result);
        }
        (Ok(kind), Ok(upload)) => match upload.into_parts() {
            Ok((_, file)) => {
                import::import_dues(
                    &state.app,
                    Caller::Actor(&actor),
                    kind,
                    OrgId(id),
                    file,
                    &ctx,
                )
                .await
            }
            Err(error) => Err(error),
        },
    };
    match outcome {
        Ok(ImportOutcome::Imported(done)) => {
            result.imported = Some(done.count);
            fragment(StatusCode::OK, &result)
        }
        Ok(ImportOutcome::Rejected(rejected)) => {
            result.message = rejected.message();
            result.errors = rejected.errors;
            fragment(StatusCode::UNPROCESSABLE_ENTITY, &result)
        }
        Err(error) => {
            let status = crate::error::status_of(&error);
            result.message = HttpError::from(error).info.message;
            fragment(status, &result)
        }
    }
}

fn fragment(status: StatusCode, result: &ImportResultBox) -> Response {
    let mut response = render(status, result);
    response
        .headers_mut()
        .insert("x-fragment", HeaderValue::from_static("import-result"));
    response
}
