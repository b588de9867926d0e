//! What dues pages and the API show: amounts in fen with their yuan text beside them.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::dues::{ArrearsLevel, DuesCategory, ExtraKind, Fen, MonthStatus, ReliefKind};
use dangjian_domain::{Month, OrgPath};
use dangjian_store::dues::profile::{self, BaseRow, ExtraRow, ReliefRow};
use dangjian_store::dues::sheet::{self, DuesMember, MonthRow};
use serde::Serialize;

use super::access::may_manage;
use crate::{Actor, App, AppResult};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BaseView {
    pub effective_from: String,
    pub category: String,
    pub category_label: &'static str,
    /// Monthly base in yuan; empty for fixed-amount categories.
    pub base: String,
    pub amount_fen: i64,
    pub amount: String,
    pub reason: String,
    pub set_by: String,
}

impl BaseView {
    fn from_row(row: &BaseRow) -> BaseView {
        let category = DuesCategory::from_code(&row.category);
        BaseView {
            effective_from: row.effective_from.clone(),
            category: row.category.clone(),
            category_label: category.map_or("", DuesCategory::label),
            base: row
                .base_fen
                .map(|b| Fen(b).yuan_grouped())
                .unwrap_or_default(),
            amount_fen: row.amount_fen,
            amount: Fen(row.amount_fen).yuan(),
            reason: row.reason.clone(),
            set_by: row.created_by_name.clone().unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReliefView {
    pub kind: String,
    pub kind_label: &'static str,
    pub amount: String,
    pub from_month: String,
    pub to_month: String,
    #[schema(format = Date)]
    pub applied_on: String,
    #[schema(format = Date)]
    pub decided_on: String,
    #[schema(format = Date)]
    pub approved_on: String,
    pub decision_ref: String,
}

impl ReliefView {
    fn from_row(row: &ReliefRow) -> ReliefView {
        ReliefView {
            kind: row.kind.clone(),
            kind_label: ReliefKind::from_code(&row.kind).map_or("", ReliefKind::label),
            amount: Fen(row.amount_fen).yuan(),
            from_month: row.from_month.clone(),
            to_month: row.to_month.clone(),
            applied_on: row.applied_on.clone(),
            decided_on: row.decided_on.clone(),
            approved_on: row.approved_on.clone(),
            decision_ref: row.decision_ref.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExtraView {
    pub kind: String,
    pub kind_label: &'static str,
    pub amount_fen: i64,
    pub amount: String,
    #[schema(format = Date)]
    pub paid_on: String,
    pub purpose: String,
    pub channel: String,
    pub receipt_no: String,
}

impl ExtraView {
    fn from_row(row: &ExtraRow) -> ExtraView {
        ExtraView {
            kind: row.kind.clone(),
            kind_label: ExtraKind::from_code(&row.kind).map_or("", ExtraKind::label),
            amount_fen: row.amount_fen,
            amount: Fen(row.amount_fen).yuan(),
            paid_on: row.paid_on.clone(),
            purpose: row.purpose.clone(),
            channel: row.channel.clone(),
            receipt_no: row.receipt_no.clone(),
        }
    }
}

/// One member's month on a sheet or in their history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthView {
    pub member_id: i64,
    pub member_name: String,
    pub month: String,
    pub due_fen: i64,
    pub due: String,
    pub paid_fen: i64,
    pub paid: String,
    /// unpaid, partial, paid, exempt; `none` when no base is set for the month.
    pub status: String,
    pub status_label: &'static str,
    #[schema(format = Date)]
    pub paid_on: Option<String>,
    pub channel: String,
    pub receipt_no: String,
    /// Consecutive unpaid months ending with this one.
    pub arrears_streak: i64,
    /// Empty, or the warning (3 months) or case flag (6 months).
    pub arrears_label: &'static str,
    /// Whether the month is on the sheet yet (a month not opened shows what would be due).
    pub opened: bool,
}

impl MonthView {
    pub(crate) fn from_row(row: &MonthRow, name: &str) -> MonthView {
        let status = MonthStatus::from_code(&row.status).unwrap_or(MonthStatus::Unpaid);
        MonthView {
            member_id: row.member_id,
            member_name: name.to_string(),
            month: row.month.clone(),
            due_fen: row.due_fen,
            due: Fen(row.due_fen).yuan(),
            paid_fen: row.paid_fen,
            paid: Fen(row.paid_fen).yuan(),
            status: row.status.clone(),
            status_label: status.label(),
            paid_on: row.paid_on.clone(),
            channel: row.channel.clone(),
            receipt_no: row.receipt_no.clone(),
            arrears_streak: row.arrears_streak,
            arrears_label: ArrearsLevel::of(row.arrears_streak).label(),
            opened: true,
        }
    }

    /// A month not on the sheet yet: what is due, or that no base is set.
    pub(crate) fn preview(member_id: i64, name: &str, month: Month, due: Option<Fen>) -> MonthView {
        let (status, label) = match due {
            Some(d) if d.0 == 0 => ("exempt", "免交"),
            Some(_) => ("unpaid", "未交"),
            None => ("none", "未核定基数"),
        };
        let due = due.unwrap_or_default();
        MonthView {
            member_id,
            member_name: name.to_string(),
            month: month.to_string(),
            due_fen: due.0,
            due: due.yuan(),
            paid_fen: 0,
            paid: Fen::ZERO.yuan(),
            status: status.into(),
            status_label: label,
            paid_on: None,
            channel: String::new(),
            receipt_no: String::new(),
            arrears_streak: 0,
            arrears_label: "",
            opened: false,
        }
    }
}

/// A member's dues: what is in force, the history, and the year's totals.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfileView {
    pub member_id: i64,
    pub member_name: String,
    pub year: i16,
    /// The category and base in force this month, if set.
    pub current: Option<BaseView>,
    pub bases: Vec<BaseView>,
    pub reliefs: Vec<ReliefView>,
    /// The year's voluntary and special dues, apart from the monthly amounts.
    pub extras: Vec<ExtraView>,
    /// The year's months on the sheet.
    pub months: Vec<MonthView>,
    /// Monthly dues paid for the year's months.
    pub year_paid_fen: i64,
    pub year_paid: String,
    pub year_due_fen: i64,
    pub year_due: String,
    pub year_extras_fen: i64,
    pub year_extras: String,
    /// Consecutive unpaid months up to the latest month on the sheet.
    pub arrears_streak: i64,
    pub arrears_label: &'static str,
    pub can_manage: bool,
    /// Whether the caller may open the member's record (a member reads their own dues only).
    pub can_open_member: bool,
}

pub(crate) async fn profile(
    app: &App,
    actor: &Actor,
    member: &DuesMember,
    path: &OrgPath,
    year: Option<i16>,
) -> AppResult<ProfileView> {
    let year = year.unwrap_or_else(|| app.today().year());
    let mut handle = app.store.acquire().await?;
    let bases = profile::bases_of_member(handle.conn(), member.id).await?;
    let reliefs = profile::reliefs_of_member(handle.conn(), member.id).await?;
    let extras = profile::extras_of_member(handle.conn(), member.id).await?;
    let all_months = sheet::months_of_member(handle.conn(), member.id, "").await?;
    drop(handle);
    let this_month = Month::of(app.today());
    let current = bases
        .iter()
        .rev()
        .find(|b| b.effective_from <= this_month.to_string())
        .map(BaseView::from_row);
    let prefix = format!("{year:04}-");
    let months: Vec<MonthView> = all_months
        .iter()
        .filter(|r| r.month.starts_with(&prefix))
        .map(|r| MonthView::from_row(r, &member.name))
        .collect();
    let extras: Vec<ExtraView> = extras
        .iter()
        .filter(|e| e.paid_on.starts_with(&prefix))
        .map(ExtraView::from_row)
        .collect();
    let year_paid: Fen = months.iter().map(|m| Fen(m.paid_fen)).sum();
    let year_due: Fen = months.iter().map(|m| Fen(m.due_fen)).sum();
    let year_extras: Fen = extras.iter().map(|e| Fen(e.amount_fen)).sum();
    let streak = all_months.last().map_or(0, |r| r.arrears_streak);
    Ok(ProfileView {
        member_id: member.id,
        member_name: member.name.clone(),
        year,
        current,
        bases: bases.iter().map(BaseView::from_row).collect(),
        reliefs: reliefs.iter().map(ReliefView::from_row).collect(),
        extras,
        months,
        year_paid_fen: year_paid.0,
        year_paid: year_paid.yuan(),
        year_due_fen: year_due.0,
        year_due: year_due.yuan(),
        year_extras_fen: year_extras.0,
        year_extras: year_extras.yuan(),
        arrears_streak: streak,
        arrears_label: ArrearsLevel::of(streak).label(),
        can_manage: may_manage(actor, path),
        can_open_member: actor.grant.permits(Action::ViewMembers, Scope::Org(path)),
    })
}
