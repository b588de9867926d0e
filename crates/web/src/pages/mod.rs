//! What every server-rendered page shares: rendering, form errors, pagination, the post-action
//! notices; `layout` holds the frame around every page. The pages themselves live with their
//! area under `areas/`.

mod layout;
pub mod notice;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dangjian_app::{AppError, FieldError};

use crate::error::{HttpError, OwnBody};
pub use layout::{Csrf, Layout};

/// Renders a page with a status of its choosing (a form shown again with errors is a 422).
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            response.extensions_mut().insert(OwnBody);
            response
        }
        Err(error) => {
            tracing::error!(%error, "template failed to render");
            HttpError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "服务器内部错误",
            )
            .into_response()
        }
    }
}

pub fn ok(page: &impl Template) -> Response {
    render(StatusCode::OK, page)
}

/// A refused form's errors as the form page lists them: each invalid field, or the one reason
/// (an invalid value or a conflict). Any other error is not the form's to show.
pub fn form_errors(error: AppError) -> Result<Vec<FieldError>, HttpError> {
    let one = |field: Option<&'static str>, message: String| FieldError {
        field: field.unwrap_or(""),
        label: "",
        value: String::new(),
        message,
    };
    match error {
        AppError::InvalidFields(errors) => Ok(errors),
        AppError::Invalid { field, message } => Ok(vec![one(field, message)]),
        AppError::Conflict(message) => Ok(vec![one(None, message)]),
        other => Err(other.into()),
    }
}

/// Pagination links that keep the other query parameters.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    base: String,
}

impl Pager {
    pub fn new<T>(page: &dangjian_app::Page<T>, path: &str, params: &[(&str, &str)]) -> Pager {
        let kept: Vec<(&str, &str)> = params
            .iter()
            .copied()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let query = serde_urlencoded::to_string(&kept).unwrap_or_default();
        let base = if query.is_empty() {
            format!("{path}?")
        } else {
            format!("{path}?{query}&")
        };
        Pager {
            page: page.page,
            pages: page.pages(),
            total: page.total,
            base,
        }
    }

    pub fn href(&self, page: i64) -> String {
        format!("{}page={page}", self.base)
    }
}

/// A page number from a query string; anything unreadable is the first page.
pub fn page_number(raw: Option<&str>) -> Option<i64> {
    raw.and_then(|p| p.trim().parse().ok())
}

/// An empty `<select>` choice arrives as `org_id=`; that means "none", not a malformed form.
pub(crate) fn empty_as_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        raw.trim()
            .parse()
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}
