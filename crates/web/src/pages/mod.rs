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
use dangjian_domain::access::Action;

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
}

/// The modules of the navigation, each with the action that opens it (`None`: everyone signed in).
/// A module appears only for roles that may use it.
const MODULES: &[(&str, &str, &str, Option<Action>)] = &[
    ("/", "首页", "回到首页", None),
    (
        "/activities",
        "组织生活",
        "三会一课、主题党日：制定计划、审批、签到、记录，查看落实情况",
        None,
    ),
    (
        "/orgs",
        "组织架构",
        "查看和调整党委、党总支、党支部、党小组",
        Some(Action::ViewOrg),
    ),
    (
        "/members",
        "党员花名册",
        "按组织、类别、年龄、入党年份查找党员，登记和修改党员信息",
        Some(Action::ViewMembers),
    ),
    (
        "/transfers",
        "组织关系转接",
        "发起、接收、退回组织关系转接，登记介绍信回执",
        Some(Action::ManageMembers),
    ),
    (
        "/dues",
        "党费",
        "按规定比例计算党费，登记每月收缴，查看欠交和收缴报表",
        None,
    ),
    (
        "/points",
        "党员积分",
        "积分卡、积分排行、加扣分申报审批、积分通报",
        None,
    ),
    (
        "/admin/accounts",
        "账号管理",
        "为书记、党小组长和党员开通账号，重置密码，解锁账号",
        Some(Action::ManageAccounts),
    ),
    (
        "/admin/tokens",
        "API 令牌",
        "签发和吊销供其他系统对接使用的令牌",
        Some(Action::ManageApiTokens),
    ),
    (
        "/admin/audit",
        "审计日志",
        "查看谁在何时做了什么",
        Some(Action::ViewAudit),
    ),
    ("/account/password", "修改密码", "修改自己的登录密码", None),
];

impl Layout {
    /// The frame of an error page or a page before sign-in: no user, no navigation.
    pub fn bare(csrf: String) -> Layout {
        Layout {
            csrf,
            user: None,
            nav: Vec::new(),
        }
    }

    pub fn for_actor(csrf: String, actor: &Actor, active: &str) -> Layout {
        let nav = MODULES
            .iter()
            .filter(|(_, _, _, action)| action.is_none_or(|a| actor.grant.may_ever(a)))
            .map(|(href, label, description, _)| NavItem {
                href,
                label,
                description,
                active: *href == active,
            })
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
