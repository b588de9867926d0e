//! Organizational life's calendar pages, members' private calendar feeds, and the photos and
//! documents of a meeting.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::AppError;
use dangjian_app::activities;
use dangjian_domain::ActivityId;
use dangjian_domain::{AttachmentId, OrgId};
use serde::Deserialize;

use super::life::absolute;
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice};
use crate::pages::{Csrf, Layout, ok};
use crate::session::{Ctx, CurrentActor};

#[derive(Deserialize, Default)]
pub struct MonthParams {
    #[serde(default)]
    month: String,
}

#[derive(Template)]
#[template(path = "life/calendar.html")]
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
    let calendar =
        activities::calendar::month_view(&state.app, &actor, OrgId(id), &query.month).await?;
    Ok(ok(&CalendarPage {
        layout: Layout::for_actor(csrf, &actor, "/activities"),
        calendar,
    }))
}

#[derive(Template)]
#[template(path = "life/calendar_feed.html")]
struct FeedPage {
    layout: Layout,
    has_feed: bool,
    /// Shown once, right after it is created.
    url: Option<String>,
    notice: Option<&'static str>,
    can_subscribe: bool,
}

/// The member's calendar subscription: create (or replace) and revoke the secret URL.
pub async fn feed_page(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    let layout = Layout::for_actor(csrf, &actor, "/activities");
    // An administrator's account without a member record has no meetings to subscribe to: say so
    // on the page instead of refusing it.
    if actor.member_id.is_none() {
        return Ok(ok(&FeedPage {
            layout,
            has_feed: false,
            url: None,
            notice: Some("本账号没有关联党员档案，没有需要参加的活动可订阅。"),
            can_subscribe: false,
        }));
    }
    let has_feed = activities::calendar::has_feed(&state.app, &actor).await?;
    Ok(ok(&FeedPage {
        layout,
        has_feed,
        url: None,
        notice: None,
        can_subscribe: true,
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
            notice: Some("订阅地址已停用，手机日历将不再更新。"),
            can_subscribe: true,
        }));
    }
    let token = activities::calendar::create_feed(&state.app, &actor, &ctx).await?;
    let url = absolute(&state, &headers, &format!("/calendar/{token}.ics"));
    Ok(ok(&FeedPage {
        layout,
        has_feed: true,
        url: Some(url),
        notice: None,
        can_subscribe: true,
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

/// The manager uploads a photo or document to the activity's record; a refusal is shown on the
/// activity's page, as for every other action there.
pub async fn upload(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, HttpError> {
    let result = match read_file(multipart).await {
        Ok((name, bytes)) => {
            activities::attach(&state.app, &actor, &ctx, ActivityId(id), &name, &bytes).await
        }
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        return super::activities::back(&state, &actor, csrf, id, Err(error)).await;
    }
    let target = notice::url(
        &format!("/activities/{id}#attachments"),
        Notice::AttachmentUploaded,
    );
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
    let (view, bytes) = activities::attachment(
        &state.app,
        &actor,
        ActivityId(id),
        AttachmentId(attachment_id),
    )
    .await?;
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
