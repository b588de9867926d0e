//! The monthly sheet as pages and the API read it: opened rows, and for members not on it yet
//! what would be due.

use std::collections::BTreeMap;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::dues::Fen;
use dangjian_domain::{Month, OrgId};
use dangjian_store::Conn;
use dangjian_store::dues::profile;
use dangjian_store::dues::sheet::{self, DuesMember, MonthRow};
use serde::Serialize;

use super::ledger::{due_in, first_month, last_month};
use super::profile::parse_month;
use super::view::MonthView;
use crate::members::{Placement, placement};
use crate::{Actor, App, AppResult, orgs};

/// A branch's or group's sheet for a month: every member with what is due and what was paid.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetView {
    pub org_id: i64,
    pub org_name: String,
    pub month: String,
    pub month_label: String,
    pub rows: Vec<MonthView>,
    pub due_fen: i64,
    pub due: String,
    pub collected_fen: i64,
    pub collected: String,
    /// Collected ÷ due, in percent with one decimal (`93.5`); none when nothing is due.
    pub rate: Option<String>,
    /// The rate as a page shows it: `93.5%`, or that nothing was assessed.
    pub rate_shown: String,
    pub paid_count: i64,
    pub partial_count: i64,
    pub unpaid_count: i64,
    pub can_manage: bool,
}

/// The collection rate for the API (none when nothing is due) and as a page shows it: with
/// nothing assessed there is no rate to show, not "100%".
pub(crate) fn rate_of(collected: i64, due: i64) -> (Option<String>, String) {
    match dangjian_domain::percent::tenths(collected, due) {
        Some(tenths) => {
            let text = dangjian_domain::percent::text(tenths);
            (Some(text.clone()), format!("{text}%"))
        }
        None => (None, "未核定应交".to_string()),
    }
}

pub(crate) async fn sheet_place(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    action: Action,
) -> AppResult<Placement> {
    // Authorize on the node before asking whether it can hold a sheet (a dissolved or temporary
    // branch, a committee): that is the node's state, not for another organization to learn.
    let path = orgs::path_of(app, org_id).await?;
    actor.authorize(action, Scope::Org(&path))?;
    placement(app, org_id).await
}

/// Each member the month's sheet holds, with their month: the opened row, or for a member not on
/// it yet what would be due. Members who had not joined or had left by the month are not listed.
pub(crate) async fn month_lines(
    mut conn: Conn<'_>,
    place: &Placement,
    month: Month,
) -> AppResult<Vec<(DuesMember, MonthView)>> {
    let members = sheet::dues_members_of(conn.reborrow(), place.branch_id, place.group_id).await?;
    let rows = sheet::sheet_rows(
        conn.reborrow(),
        place.branch_id,
        place.group_id,
        &month.to_string(),
        &month.to_string(),
    )
    .await?;
    let by_member: BTreeMap<i64, &MonthRow> = rows.iter().map(|r| (r.member_id, r)).collect();
    let mut lines = Vec::new();
    for member in members {
        if let Some(row) = by_member.get(&member.id) {
            let view = MonthView::from_row(row, &member.name);
            lines.push((member, view));
            continue;
        }
        let belongs = first_month(&member).is_none_or(|f| f <= month)
            && last_month(&member).is_none_or(|l| month <= l);
        if !belongs {
            continue;
        }
        let bases = profile::bases_of_member(conn.reborrow(), member.id).await?;
        let reliefs = profile::reliefs_of_member(conn.reborrow(), member.id).await?;
        let view = MonthView::preview(
            member.id,
            &member.name,
            month,
            due_in(&bases, &reliefs, month),
        );
        lines.push((member, view));
    }
    Ok(lines)
}

/// The sheet as it stands: opened rows, and for members not on it yet what would be due.
pub async fn sheet(app: &App, actor: &Actor, org_id: OrgId, month: &str) -> AppResult<SheetView> {
    let place = sheet_place(app, actor, org_id, Action::ViewMembers).await?;
    let month = parse_month("month", month)?;
    let (org, _) = orgs::load(app, org_id).await?;
    let mut handle = app.store.acquire().await?;
    let views: Vec<MonthView> = month_lines(handle.conn(), &place, month)
        .await?
        .into_iter()
        .map(|(_, view)| view)
        .collect();
    drop(handle);
    let due: i64 = views.iter().filter(|v| v.opened).map(|v| v.due_fen).sum();
    let collected: i64 = views.iter().map(|v| v.paid_fen).sum();
    let count = |s: &str| views.iter().filter(|v| v.status == s).count() as i64;
    let (rate, rate_shown) = rate_of(collected, due);
    Ok(SheetView {
        org_id: org_id.0,
        org_name: org.name,
        month: month.to_string(),
        month_label: month.label(),
        due_fen: due,
        due: Fen(due).yuan(),
        collected_fen: collected,
        collected: Fen(collected).yuan(),
        rate,
        rate_shown,
        paid_count: count("paid"),
        partial_count: count("partial"),
        unpaid_count: count("unpaid"),
        can_manage: super::access::may_manage(actor, &place.path),
        rows: views,
    })
}
