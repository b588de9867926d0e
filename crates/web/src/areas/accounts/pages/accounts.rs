use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::accounts::{self, AccountView, NewAccountInput};
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::{AppError, PageParams};
use dangjian_domain::access::Action;
use dangjian_domain::{AccountId, Role};
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice};
use crate::pages::{Csrf, Layout, Pager, ok, page_number, render};
use crate::session::{Ctx, CurrentActor};

const HERE: &str = "/admin/accounts";

#[derive(Template)]
#[template(path = "accounts/accounts.html")]
struct AccountsPage {
    layout: Layout,
    accounts: Vec<AccountView>,
    q: String,
    pager: Pager,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<String>,
    notice: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<ListQuery>,
) -> Result<Response, HttpError> {
    let q = query.q.unwrap_or_default();
    let params = PageParams::new(page_number(query.page.as_deref()), None);
    let page = accounts::list_accounts(&state.app, &actor, Some(&q), params).await?;
    let pager = Pager::new(&page, HERE, &[("q", &q)]);
    let notice = notice::text_of(query.notice.as_deref());
    let view = AccountsPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        accounts: page.items,
        q,
        pager,
        notice,
    };
    Ok(ok(&view))
}

#[derive(Template)]
#[template(path = "accounts/account_new.html")]
struct NewAccountPage {
    layout: Layout,
    error: Option<String>,
    roles: Vec<(&'static str, &'static str)>,
    orgs: Vec<OrgView>,
    form: AccountForm,
}

#[derive(Deserialize, Default)]
pub struct AccountForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    role: String,
    #[serde(default, deserialize_with = "crate::pages::empty_as_none")]
    org_id: Option<i64>,
    #[serde(default)]
    password: String,
}

impl AccountForm {
    fn org_selected(&self, org: &OrgView) -> bool {
        self.org_id == Some(org.id.0)
    }
}

async fn new_account_page(
    state: &AppState,
    actor: &dangjian_app::Actor,
    csrf: String,
    form: AccountForm,
    error: Option<String>,
) -> Result<NewAccountPage, HttpError> {
    let roles = Role::ALL
        .iter()
        .filter(|r| actor.role().may_grant(**r))
        .map(|r| (r.code(), r.label()))
        .collect();
    let orgs = orgs::orgs_in_reach(&state.app, actor, Action::ManageAccounts).await?;
    Ok(NewAccountPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        error,
        roles,
        orgs,
        form,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    actor.reach(Action::ManageAccounts)?;
    let form = AccountForm {
        role: Role::Member.code().to_string(),
        ..AccountForm::default()
    };
    Ok(ok(
        &new_account_page(&state, &actor, csrf, form, None).await?
    ))
}

pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<AccountForm>,
) -> Result<Response, HttpError> {
    let input = NewAccountInput {
        phone: form.phone.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
        org_id: form.org_id,
        password: Some(form.password.clone()),
    };
    match accounts::create_account(&state.app, &actor, &input, &ctx).await {
        Ok(created) => Ok(ok(&SecretPage {
            layout: Layout::for_actor(csrf, &actor, HERE),
            title: "账号已创建",
            explanation: format!(
                "{}（{}）的账号已创建，登录名为手机号 {}。请把下面的初始密码当面或通过可靠渠道告知本人，首次登录后须修改：",
                created.account.name, created.account.role_label, created.account.phone
            ),
            secret: created.initial_password,
            back_href: HERE,
            back_label: "返回账号列表",
        })),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let form = AccountForm {
                password: String::new(),
                ..form
            };
            Ok(render(
                status,
                &new_account_page(&state, &actor, csrf, form, Some(error.to_string())).await?,
            ))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/secret_shown_once.html")]
pub struct SecretPage {
    pub layout: Layout,
    pub title: &'static str,
    pub explanation: String,
    pub secret: String,
    pub back_href: &'static str,
    pub back_label: &'static str,
}

pub async fn reset_password(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let account = accounts::get_account(&state.app, &actor, AccountId(id)).await?;
    let password = accounts::reset_password(&state.app, &actor, AccountId(id), &ctx).await?;
    Ok(ok(&SecretPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        title: "密码已重置",
        explanation: format!(
            "{} 的密码已重置，其所有登录已退出。新的临时密码如下，本人登录后须立即修改：",
            account.name
        ),
        secret: password,
        back_href: HERE,
        back_label: "返回账号列表",
    }))
}

pub async fn unlock(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    accounts::unlock_account(&state.app, &actor, AccountId(id), &ctx).await?;
    Ok(notice::redirect(HERE, Notice::AccountUnlocked))
}
