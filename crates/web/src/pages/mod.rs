//! Server-rendered pages. Each module is one area; this file holds what every page shares:
//! the layout (user box, navigation by role, CSRF token), pagination and rendering.

pub mod accounts;
pub mod activities;
pub mod assessment;
pub mod audit;
pub mod awards;
pub mod development;
pub mod dues;
pub mod evaluation;
pub mod home;
pub mod life;
pub mod life_files;
pub mod login;
pub mod member_accounts;
pub mod members;
pub mod notice;
pub mod orgs;
pub mod password;
pub mod points;
pub mod roster_io;
pub mod setup;
pub mod tokens;
pub mod transfers;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use dangjian_app::{Actor, AppError, FieldError};

use crate::cookies::CsrfToken;
use crate::error::{HttpError, OwnBody};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub active: bool,
}

pub struct UserBox {
    pub name: String,
    pub role_label: &'static str,
    pub org_name: Option<String>,
}

/// What the shared frame of every page shows.
pub struct Layout {
    pub csrf: String,
    pub user: Option<UserBox>,
    pub nav: Vec<NavItem>,
    /// The phone's bottom tab bar: the entries with a tab label, under that label.
    pub tabs: Vec<NavItem>,
}

/// Every area's navigation entries in their order; an entry appears only for roles that may use
/// it.
fn navigation() -> &'static [&'static crate::routes::NavEntry] {
    static ENTRIES: std::sync::OnceLock<Vec<&'static crate::routes::NavEntry>> =
        std::sync::OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut entries: Vec<_> = crate::routes::AREAS
            .iter()
            .flat_map(|area| area.navigation)
            .collect();
        entries.sort_by_key(|entry| entry.position);
        entries
    })
}

impl Layout {
    /// The frame of an error page or a page before sign-in: no user, no navigation.
    pub fn bare(csrf: String) -> Layout {
        Layout {
            csrf,
            user: None,
            nav: Vec::new(),
            tabs: Vec::new(),
        }
    }

    pub fn for_actor(csrf: String, actor: &Actor, active: &str) -> Layout {
        let offered: Vec<_> = navigation()
            .iter()
            .filter(|entry| entry.action.is_none_or(|a| actor.grant.may_ever(a)))
            .collect();
        let item = |entry: &crate::routes::NavEntry, label: &'static str| NavItem {
            href: entry.href,
            label,
            description: entry.description,
            active: entry.href == active,
        };
        let nav = offered
            .iter()
            .map(|entry| item(entry, entry.label))
            .collect();
        let tabs = offered
            .iter()
            .filter_map(|entry| entry.tab.map(|tab| item(entry, tab)))
            .collect();
        let user = UserBox {
            name: actor.name.clone(),
            role_label: actor.role().label(),
            org_name: actor.org_name.clone(),
        };
        Layout {
            csrf,
            user: Some(user),
            nav,
            tabs,
        }
    }
}

/// The CSRF token to embed in this page's forms.
pub struct Csrf(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Csrf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Csrf(
            parts
                .extensions
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
        ))
    }
}

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
