//! Organizational-life screens: the host's rotating QR code, the member's scan page, printable
//! minutes, the compliance view and the dual-organizational-life report.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::activities::compliance::{self, ComplianceView, DualLifeReport};
use dangjian_app::activities::{self, ActivityDetail, CheckInDisplay};
use dangjian_app::{Actor, AppError};
use serde::Deserialize;

use super::{Csrf, Layout, ok, render};
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::session::{Ctx, CurrentActor};

#[derive(Template)]
#[template(path = "activity_checkin.html")]
struct ScreenPage {
    layout: Layout,
    display: CheckInDisplay,
    qr_svg: String,
}

#[derive(Template)]
#[template(path = "activity_qr_partial.html")]
struct QrPartial {
    display: CheckInDisplay,
    qr_svg: String,
}

/// The absolute address a phone's camera opens: the host the screen was loaded from.
fn absolute(state: &AppState, headers: &HeaderMap, path: &str) -> String {
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
    let display = activities::check_in_display(&state.app, actor, id).await?;
    let svg = qr_svg(&absolute(state, headers, &display.url));
    Ok((display, svg))
}

/// The host's screen: the QR code refreshes itself (htmx polls the partial).
pub async fn check_in_screen(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    headers: HeaderMap,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let (display, qr_svg) = display(&state, &actor, &headers, id).await?;
    Ok(ok(&ScreenPage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
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
#[template(path = "checkin.html")]
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
    let detail = activities::get(&state.app, &actor, id).await?;
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
    match activities::check_in(&state.app, &actor, &ctx, id, &form.code).await {
        Ok(()) => {
            let query = serde_urlencoded::to_string([("notice", "签到成功")]).unwrap_or_default();
            Ok(Redirect::to(&format!("/activities/{id}?{query}")).into_response())
        }
        Err(
            error @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::Forbidden(_)),
        ) => {
            let status = crate::error::status_of(&error);
            let detail = activities::get(&state.app, &actor, id).await?;
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
#[template(path = "minutes_print.html")]
struct PrintPage {
    detail: ActivityDetail,
}

/// The minutes as a paper minute book page (A4, print CSS).
pub async fn print_minutes(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let detail = activities::get(&state.app, &actor, id).await?;
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
#[template(path = "compliance.html")]
struct CompliancePage {
    layout: Layout,
    view: ComplianceView,
}

pub async fn compliance(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<PeriodParams>,
) -> Result<Response, HttpError> {
    let page = super::page_number(query.page.as_deref());
    let view = compliance::compliance(&state.app, &actor, id, &query.period, page).await?;
    Ok(ok(&CompliancePage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
        view,
    }))
}

#[derive(Template)]
#[template(path = "dual_life.html")]
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
    let report = compliance::dual_life(&state.app, &actor, id, &query.period).await?;
    Ok(ok(&DualLifePage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
        report,
    }))
}

/// The 三会一课台账 of a node's subtree for a period, as .xlsx.
pub async fn ledger(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    headers: HeaderMap,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<PeriodParams>,
) -> Result<Response, HttpError> {
    let base = absolute(&state, &headers, "");
    let ledger =
        activities::ledger::ledger_xlsx(&state.app, &actor, id, &query.period, &base).await?;
    Ok(super::roster_io::download(
        ledger.bytes,
        &ledger.file_name,
        "ledger.xlsx",
    ))
}

#[derive(Deserialize, Default)]
pub struct MonthParams {
    #[serde(default)]
    month: String,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    layout: Layout,
    calendar: activities::calendar::CalendarMonth,
}

/// A node's activities of a month.
pub async fn calendar(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<MonthParams>,
) -> Result<Response, HttpError> {
    let calendar = activities::calendar::month_view(&state.app, &actor, id, &query.month).await?;
    Ok(ok(&CalendarPage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
        calendar,
    }))
}

#[derive(Template)]
#[template(path = "calendar_feed.html")]
struct FeedPage {
    layout: Layout,
    has_feed: bool,
    /// Shown once, right after it is created.
    url: Option<String>,
    notice: Option<String>,
}

/// The member's calendar subscription: create (or replace) and revoke the secret URL.
pub async fn feed_page(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    let has_feed = activities::calendar::has_feed(&state.app, &actor).await?;
    Ok(ok(&FeedPage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
        has_feed,
        url: None,
        notice: None,
    }))
}

#[derive(Deserialize, Default)]
pub struct FeedForm {
    #[serde(default)]
    action: String,
}

pub async fn feed_change(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    headers: HeaderMap,
    PageForm(form): PageForm<FeedForm>,
) -> Result<Response, HttpError> {
    let layout = Layout::for_actor(csrf, &actor, "/activities");
    if form.action == "revoke" {
        activities::calendar::revoke_feed(&state.app, &actor, &ctx).await?;
        return Ok(ok(&FeedPage {
            layout,
            has_feed: false,
            url: None,
            notice: Some("订阅地址已停用，手机日历将不再更新。".into()),
        }));
    }
    let token = activities::calendar::create_feed(&state.app, &actor, &ctx).await?;
    let url = absolute(&state, &headers, &format!("/calendar/{token}.ics"));
    Ok(ok(&FeedPage {
        layout,
        has_feed: true,
        url: Some(url),
        notice: None,
    }))
}

/// The feed a phone's calendar fetches (public: the secret URL is the credential).
pub async fn feed(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Result<Response, HttpError> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let text = activities::calendar::feed(&state.app, token).await?;
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, max-age=300"),
    );
    Ok(response)
}

/// Request size for an attachment upload: the file plus the form's other fields.
pub const ATTACHMENT_BODY_LIMIT: usize = activities::MAX_ATTACHMENT_BYTES + 64 * 1024;

/// Reads the `file` field of a multipart upload into memory (bounded by the route's body limit).
pub async fn read_file(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(String, Vec<u8>), AppError> {
    let mut multipart = multipart
        .map_err(|_| AppError::invalid("file", "请以 multipart/form-data 上传文件（字段 file）"))?;
    let too_big = || AppError::invalid("file", "文件过大：每个附件不超过 5 MB");
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_big()
        } else {
            AppError::invalid("file", "上传的内容不完整，请重新上传")
        }
    })? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| too_big())?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(AppError::invalid("file", "请选择要上传的照片或文件"))
}

/// The manager uploads a photo or document to the activity's record.
pub async fn upload(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, HttpError> {
    let result = match read_file(multipart).await {
        Ok((name, bytes)) => activities::attach(&state.app, &actor, &ctx, id, &name, &bytes).await,
        Err(error) => Err(error),
    };
    let notice = match result {
        Ok(_) => "附件已上传".to_string(),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => error.to_string(),
        Err(error) => return Err(error.into()),
    };
    let query = serde_urlencoded::to_string([("notice", notice)]).unwrap_or_default();
    let target = format!("/activities/{id}?{query}#attachments");
    // The form posts through htmx (multipart carries the CSRF token in a header): tell htmx to
    // navigate; a plain client gets an ordinary redirect.
    if headers.contains_key("hx-request") {
        let mut response = axum::http::StatusCode::NO_CONTENT.into_response();
        if let Ok(value) = axum::http::HeaderValue::from_str(&target) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return Ok(response);
    }
    Ok(Redirect::to(&target).into_response())
}

/// An attachment, shown inline; `nosniff` so a browser never reinterprets it.
pub async fn download_attachment(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    axum::extract::Path((id, attachment_id)): axum::extract::Path<(String, String)>,
) -> Result<Response, HttpError> {
    let (Ok(id), Ok(attachment_id)) = (id.parse::<i64>(), attachment_id.parse::<i64>()) else {
        return Err(AppError::NotFound("附件").into());
    };
    let (view, bytes) = activities::attachment(&state.app, &actor, id, attachment_id).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = axum::http::HeaderValue::from_str(&view.content_type) {
        headers.insert(axum::http::header::CONTENT_TYPE, value);
    }
    headers.insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
