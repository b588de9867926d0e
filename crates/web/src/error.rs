//! Errors as the user sees them. Handlers return [`HttpError`] (or anything that converts into
//! it); [`finish_errors`] turns every error response, ours or the framework's, into a Chinese page
//! or JSON with the request id, so no path shows a bare status or an English message.

use askama::Template;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use dangjian_app::AppError;

use crate::AppState;
use crate::pages::Layout;

/// What an error response says, attached to the response for [`finish_errors`] to render.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
}

/// Marks a response whose body a handler rendered itself (a form shown again with its errors),
/// which [`finish_errors`] must leave alone.
#[derive(Debug, Clone, Copy)]
pub struct OwnBody;

#[derive(Debug)]
pub struct HttpError {
    pub status: StatusCode,
    pub info: ErrorInfo,
    /// Seconds until a throttled or turned-away caller may try again (`Retry-After`: a 429, or a
    /// 503 when too many imports run at once).
    pub retry_after: Option<i64>,
}

impl HttpError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            info: ErrorInfo {
                code,
                message: message.into(),
            },
            retry_after: None,
        }
    }

    pub fn not_found() -> HttpError {
        HttpError::new(StatusCode::NOT_FOUND, "not_found", "页面不存在")
    }
}

pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthenticated | AppError::BadCredentials(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid { .. } | AppError::InvalidFields(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) | AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for HttpError {
    fn from(error: AppError) -> HttpError {
        // The cause goes to the log (with the request id from the span), never to the user.
        match &error {
            AppError::Internal(cause) => tracing::error!(error = %cause, "internal error"),
            AppError::Unexpected(cause) => tracing::error!(error = %cause, "unexpected failure"),
            _ => {}
        }
        HttpError {
            retry_after: error.retry_after_seconds(),
            ..HttpError::new(status_of(&error), error.code(), error.to_string())
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self.info);
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Adds `Retry-After` to a page a handler rendered itself for `error` (a sign-in form shown again
/// after too many attempts).
pub fn with_retry_after(mut response: Response, error: &AppError) -> Response {
    if let Some(seconds) = error.retry_after_seconds() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Seconds a 429 asks the client to wait when its handler did not say.
const DEFAULT_RETRY_AFTER: i64 = 60;

/// The Chinese message for a status the framework produced on its own.
fn default_info(status: StatusCode) -> ErrorInfo {
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "页面不存在"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "不支持该请求方法"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "提交的内容过大"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "不支持的内容类型"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "请求处理超时，请稍后重试"),
        StatusCode::UNAUTHORIZED => ("unauthenticated", "请先登录"),
        StatusCode::FORBIDDEN => ("forbidden", "没有权限访问"),
        s if s.is_server_error() => ("internal", "服务器内部错误"),
        _ => ("bad_request", "请求无效"),
    };
    ErrorInfo {
        code,
        message: message.into(),
    }
}

fn title_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "页面不存在",
        StatusCode::FORBIDDEN => "没有权限",
        StatusCode::UNAUTHORIZED => "请先登录",
        s if s.is_server_error() => "服务器出错了",
        _ => "请求无法完成",
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: &'static str,
    message: String,
    request_id: String,
}

/// Renders every error response: JSON under `/api/`, a page elsewhere; both carry the request id.
pub async fn finish_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let csrf = crate::cookies::csrf_token(&request, &state.config).unwrap_or_default();
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut response = next.run(request).await;
    let status = response.status();
    // Every 429 says when to come back, so a well-behaved client does not hammer us.
    if status == StatusCode::TOO_MANY_REQUESTS
        && !response.headers().contains_key(header::RETRY_AFTER)
    {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(DEFAULT_RETRY_AFTER));
    }
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<OwnBody>().is_some()
    {
        return response;
    }
    let info = response
        .extensions()
        .get::<ErrorInfo>()
        .cloned()
        .unwrap_or_else(|| default_info(status));
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = if is_api {
        let json = serde_json::json!({ "code": info.code, "message": info.message, "request_id": request_id });
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        Json(json).into_response().into_body()
    } else {
        let page = ErrorPage {
            layout: Layout::bare(csrf),
            status: status.as_u16(),
            title: title_of(status),
            message: info.message,
            request_id,
        };
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        Html(page.render().unwrap_or_else(|_| "服务器内部错误".into()))
            .into_response()
            .into_body()
    };
    Response::from_parts(parts, body)
}

/// A panic in a handler is a bug; the user gets a 500 page with the request id, never a dropped
/// connection, and the log gets the panic message.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "handler panicked");
    HttpError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "服务器内部错误",
    )
    .into_response()
}
