//! Organizational-life screens: the host's rotating QR code, the member's scan page, printable
//! minutes, the compliance view and the dual-organizational-life report.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use dangjian_app::activities::compliance::{self, ComplianceView, DualLifeReport};
use dangjian_app::activities::{self, ActivityDetail, CheckInDisplay};
use dangjian_app::{Actor, AppError};
use dangjian_domain::ActivityId;
use dangjian_domain::OrgId;
use serde::Deserialize;

use crate::AppState;
use crate::charts::{self, Chart};
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "life/activity_checkin.html")]
struct ScreenPage {
    layout: Layout,
    display: CheckInDisplay,
    qr_svg: String,
}

/// The same screen for a projector: no navigation, the code as large as the wall allows.
#[derive(Template)]
#[template(path = "life/activity_projector.html")]
struct ProjectorPage {
    layout: Layout,
    display: CheckInDisplay,
    qr_svg: String,
}

#[derive(Deserialize, Default)]
pub struct ScreenQuery {
    /// `projector` for the projection mode.
    #[serde(default)]
    view: String,
}

#[derive(Template)]
#[template(path = "life/activity_qr_partial.html")]
struct QrPartial {
    display: CheckInDisplay,
    qr_svg: String,
}

/// The absolute address a phone's camera opens: the host the screen was loaded from.
pub(crate) fn absolute(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}{path}")
}

fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(260, 260)
            .quiet_zone(true)
            .build(),
        Err(error) => {
            tracing::error!(%error, "check-in QR code could not be built");
            String::new()
        }
    }
}

async fn display(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    id: i64,
) -> Result<(CheckInDisplay, String), HttpError> {
    let display = activities::check_in_display(&state.app, actor, ActivityId(id)).await?;
    let svg = qr_svg(&absolute(state, headers, &display.url));
    Ok((display, svg))
}

/// The host's screen: the QR code and the count refresh themselves (htmx polls the partial).
pub async fn check_in_screen(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    headers: HeaderMap,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<ScreenQuery>,
) -> Result<Response, HttpError> {
    let (display, qr_svg) = display(&state, &actor, &headers, id).await?;
    let layout = Layout::for_actor(csrf, &actor, "/activities");
    if query.view == "projector" {
        return Ok(ok(&ProjectorPage {
            layout,
            display,
            qr_svg,
        }));
    }
    Ok(ok(&ScreenPage {
        layout,
        display,
        qr_svg,
    }))
}

pub async fn check_in_qr(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    headers: HeaderMap,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let (display, qr_svg) = display(&state, &actor, &headers, id).await?;
    Ok(ok(&QrPartial { display, qr_svg }))
}

#[derive(Template)]
#[template(path = "life/checkin.html")]
struct ScanPage {
    layout: Layout,
    detail: ActivityDetail,
    code: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CodeParams {
    #[serde(default)]
    code: String,
}

/// What the member's phone opens after scanning: the activity and one button to check in.
pub async fn scan(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<CodeParams>,
) -> Result<Response, HttpError> {
    let detail = activities::get(&state.app, &actor, ActivityId(id)).await?;
    Ok(ok(&ScanPage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
        detail,
        code: query.code.chars().take(64).collect(),
        error: None,
    }))
}

pub async fn check_in(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<CodeParams>,
) -> Result<Response, HttpError> {
    match activities::check_in(&state.app, &actor, &ctx, ActivityId(id), &form.code).await {
        Ok(()) => Ok(notice::redirect(
            &format!("/activities/{id}"),
            Notice::CheckedIn,
        )),
        Err(
            error @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::Forbidden(_)),
        ) => {
            let status = crate::error::status_of(&error);
            let detail = activities::get(&state.app, &actor, ActivityId(id)).await?;
            Ok(render(
                status,
                &ScanPage {
                    layout: Layout::for_actor(csrf, &actor, "/activities"),
                    detail,
                    code: String::new(),
                    error: Some(error.to_string()),
                },
            ))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "life/minutes_print.html")]
struct PrintPage {
    detail: ActivityDetail,
}

/// The minutes as a paper minute book page (A4, print CSS).
pub async fn print_minutes(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let detail = activities::get(&state.app, &actor, ActivityId(id)).await?;
    if !detail.activity.can_manage && detail.attendees.is_empty() {
        return Err(AppError::forbidden().into());
    }
    Ok(ok(&PrintPage { detail }))
}

#[derive(Deserialize, Default)]
pub struct PeriodParams {
    #[serde(default)]
    period: String,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "life/compliance.html")]
struct CompliancePage {
    layout: Layout,
    view: ComplianceView,
    chart: Option<Chart>,
}

pub async fn compliance(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<PeriodParams>,
) -> Result<Response, HttpError> {
    let page = crate::pages::page_number(query.page.as_deref());
    let view = compliance::compliance(&state.app, &actor, OrgId(id), &query.period, page).await?;
    Ok(ok(&CompliancePage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
        chart: charts::compliance(&view),
        view,
    }))
}

#[derive(Template)]
#[template(path = "life/dual_life.html")]
struct DualLifePage {
    layout: Layout,
    report: DualLifeReport,
}

pub async fn dual_life(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<PeriodParams>,
) -> Result<Response, HttpError> {
    let report = compliance::dual_life(&state.app, &actor, OrgId(id), &query.period).await?;
    Ok(ok(&DualLifePage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
        report,
    }))
}

/// The 三会一课台账 of a node's subtree for a period, as .xlsx.
pub async fn ledger(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    headers: HeaderMap,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<PeriodParams>,
) -> Result<Response, HttpError> {
    let base = absolute(&state, &headers, "");
    let ledger =
        activities::ledger::ledger_xlsx(&state.app, &actor, &ctx, OrgId(id), &query.period, &base)
            .await?;
    Ok(crate::areas::members::pages::roster_io::download(
        ledger.bytes,
        &ledger.file_name,
        "ledger.xlsx",
    ))
}
