//! Accounts for the roster: an organization's members and their accounts, opening them in one
//! step with a handover list, and linking an account to a member's record.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::accounts::roster::{self, OpenedAccounts, RosterAccountView, Selection};
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::{AppError, PageParams};
use dangjian_domain::MemberId;
use dangjian_domain::OrgId;
use dangjian_domain::access::Action;
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice};
use crate::pages::{Csrf, Layout, Pager, ok, page_number, render};
use crate::session::{Ctx, CurrentActor};

const HERE: &str = "/admin/accounts/roster";

#[derive(Template)]
#[template(path = "accounts/roster_accounts.html")]
struct RosterAccountsPage {
    layout: Layout,
    orgs: Vec<OrgView>,
    org_id: i64,
    org_name: String,
    members: Vec<RosterAccountView>,
    may_open: i64,
    without_only: bool,
    max_at_once: usize,
    pager: Pager,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct RosterQuery {
    org: Option<String>,
    without: Option<String>,
    page: Option<String>,
}

async fn roster_page(
    state: &AppState,
    actor: &dangjian_app::Actor,
    csrf: String,
    org: Option<i64>,
    without_only: bool,
    page: Option<i64>,
    error: Option<String>,
) -> Result<RosterAccountsPage, HttpError> {
    let orgs = orgs::orgs_in_reach(&state.app, actor, Action::ManageAccounts).await?;
    let org_id = org
        .or(actor.org_id.map(|id| id.0))
        .or(orgs.first().map(|o| o.id.0))
        .ok_or(AppError::NotFound("组织"))?;
    let params = PageParams::new(page, Some(100));
    let roster =
        roster::roster_accounts(&state.app, actor, OrgId(org_id), without_only, params).await?;
    let org_param = org_id.to_string();
    let pager = Pager::new(
        &roster.members,
        HERE,
        &[
            ("org", &org_param),
            ("without", if without_only { "1" } else { "" }),
        ],
    );
    Ok(RosterAccountsPage {
        layout: Layout::for_actor(csrf, actor, "/admin/accounts"),
        orgs,
        org_id,
        org_name: roster.org_name,
        members: roster.members.items,
        may_open: roster.may_open,
        without_only,
        max_at_once: roster::MAX_ACCOUNTS_AT_ONCE,
        pager,
        error,
    })
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<RosterQuery>,
) -> Result<Response, HttpError> {
    let org = query.org.as_deref().and_then(|o| o.trim().parse().ok());
    let without_only = query.without.as_deref() == Some("1");
    let page = roster_page(
        &state,
        &actor,
        csrf,
        org,
        without_only,
        page_number(query.page.as_deref()),
        None,
    )
    .await?;
    Ok(ok(&page))
}

#[derive(Template)]
#[template(path = "accounts/roster_handover.html")]
struct HandoverPage {
    layout: Layout,
    opened: OpenedAccounts,
    csv_href: String,
}

impl HandoverPage {
    /// The handover list as a CSV file inside the link itself: the initial passwords are never
    /// stored, so the download cannot be fetched again later. The BOM makes Excel read UTF-8.
    fn csv_href(opened: &OpenedAccounts) -> String {
        let mut csv = String::from("\u{feff}姓名,所在组织,登录手机号,初始密码\r\n");
        for row in &opened.opened {
            csv.push_str(&format!(
                "{},{},{},{}\r\n",
                csv_field(&row.name),
                csv_field(&row.org_name),
                row.phone,
                row.initial_password
            ));
        }
        use base64::Engine;
        format!(
            "data:text/csv;charset=utf-8;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(csv)
        )
    }
}

/// A CSV field, quoted when it holds a separator or a quote; a leading formula character is
/// defused so a spreadsheet shows the text instead of running it.
fn csv_field(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// Opens accounts for the chosen members (`member` fields) or, with `scope=all`, for every
/// member of the organization who has none yet; answers with the handover list.
pub async fn open(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
    };
    let org_id: Option<i64> = value("org_id").and_then(|v| v.parse().ok());
    let Some(org_id) = org_id else {
        return Err(AppError::invalid("org_id", "请选择组织").into());
    };
    let selection = if value("scope") == Some("all") {
        Selection::AllWithout
    } else {
        Selection::Members(
            fields
                .iter()
                .filter(|(key, _)| key == "member")
                .filter_map(|(_, value)| value.trim().parse().ok())
                .collect(),
        )
    };
    match roster::open_for_roster(&state.app, &actor, OrgId(org_id), &selection, &ctx).await {
        Ok(opened) => {
            let csv_href = HandoverPage::csv_href(&opened);
            Ok(ok(&HandoverPage {
                layout: Layout::for_actor(csrf, &actor, "/admin/accounts"),
                opened,
                csv_href,
            }))
        }
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let page = roster_page(
                &state,
                &actor,
                csrf,
                Some(org_id),
                false,
                None,
                Some(error.to_string()),
            )
            .await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    phone: String,
}

/// Links the account signing in with the given phone number to this member's record.
pub async fn link(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(member_id): IdPath,
    PageForm(form): PageForm<LinkForm>,
) -> Result<Response, HttpError> {
    let here = format!("/members/{member_id}");
    roster::link_to_member(&state.app, &actor, MemberId(member_id), &form.phone, &ctx).await?;
    Ok(notice::redirect(&here, Notice::AccountLinked))
}

pub async fn unlink(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(member_id): IdPath,
) -> Result<Response, HttpError> {
    roster::unlink_from_member(&state.app, &actor, MemberId(member_id), &ctx).await?;
    Ok(notice::redirect(
        &format!("/members/{member_id}"),
        Notice::AccountUnlinked,
    ))
}

/// Opens the account of one member from their page, with the handover page for that one.
pub async fn open_one(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(member_id): IdPath,
) -> Result<Response, HttpError> {
    let profile = dangjian_app::members::profile(&state.app, &actor, MemberId(member_id)).await?;
    let org_id = profile.member.group_id.unwrap_or(profile.member.branch_id);
    let opened = roster::open_for_roster(
        &state.app,
        &actor,
        OrgId(org_id),
        &Selection::Members(vec![member_id]),
        &ctx,
    )
    .await?;
    let csv_href = HandoverPage::csv_href(&opened);
    Ok(ok(&HandoverPage {
        layout: Layout::for_actor(csrf, &actor, "/admin/accounts"),
        opened,
        csv_href,
    }))
}
