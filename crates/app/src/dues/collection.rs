//! The monthly collection (党费规定: 按月交纳; with the branch's consent by the quarter; 补交
//! allowed). Each member's month is its own row; paying several months records each one.

use dangjian_domain::Month;
use dangjian_domain::OrgId;
use dangjian_domain::access::Action;
use dangjian_domain::dues::collection::parse_channel;
use dangjian_domain::dues::{Fen, MonthStatus};
use dangjian_domain::events::EventKind;
use dangjian_store::Tx;
use dangjian_store::dues::profile;
use dangjian_store::dues::sheet::{self, DuesMember, MonthRow};
use serde::{Deserialize, Serialize};

use super::access::member_for;
use super::ledger::{
    check_membership, due_in, first_month, last_month, record_dues_event, write_month,
};
use super::profile::parse_month;
use super::sheet_view::{SheetView, sheet_place};
use super::view::MonthView;
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::members::Placement;
use crate::members::record::parse_date;
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// One member's payment: one month, or several at once (each recorded on its own row).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PaymentInput {
    pub member_id: i64,
    /// Months paid for, `2026-03`.
    pub months: Vec<String>,
    /// Yuan paid for a single month when less than due (a partial payment); empty: the full amount.
    #[serde(default)]
    pub amount: String,
    /// `YYYY-MM-DD`; empty: today.
    #[serde(default)]
    #[schema(format = Date)]
    pub paid_on: String,
    /// 现金、转账、线上.
    pub channel: String,
    #[serde(default)]
    pub receipt_no: String,
}

/// What was recorded: each month as it now stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PaymentResult {
    pub months: Vec<MonthView>,
    pub total_fen: i64,
    pub total: String,
}

/// The latest month a payment may cover: the end of the current quarter (paying by the quarter
/// is allowed with the branch's consent, 党费规定).
fn latest_payable(today: jiff::civil::Date) -> Month {
    let month = Month::of(today);
    let quarter_end = month.quarter() * 3;
    Month::new(month.year(), quarter_end).unwrap_or(month)
}

/// Records payments for one or more members in one transaction: all of them or, when any is
/// refused, none.
pub async fn record_payments(
    app: &App,
    actor: &Actor,
    payments: &[PaymentInput],
    ctx: &RequestContext,
) -> AppResult<PaymentResult> {
    if payments.is_empty() {
        return Err(AppError::invalid("member_id", "请选择要登记的党员"));
    }
    let mut checked = Vec::new();
    for payment in payments {
        let (member, _) = member_for(app, actor, payment.member_id, Action::ManageDues).await?;
        checked.push((member, check_payment(payment, app.today())?));
    }
    let mut tx = app.begin().await?;
    let mut results = Vec::new();
    let mut summary = Vec::new();
    for (member, payment) in &checked {
        let rows = pay(&mut tx, member, payment).await?;
        let total: Fen = rows.iter().map(|(_, paid)| *paid).sum();
        summary.push(format!(
            "{} {} {} 元",
            member.name,
            payment
                .months
                .iter()
                .map(|m| m.label())
                .collect::<Vec<_>>()
                .join("、"),
            total.yuan()
        ));
        results.extend(
            rows.into_iter()
                .map(|(row, _)| MonthView::from_row(&row, &member.name)),
        );
    }
    let total: Fen = Fen(results.iter().map(|r| r.paid_fen).sum());
    let first = &checked[0].0;
    let entry = Entry::new(
        AuditAction::DuesPaid,
        AuditEntity::Member,
        first.id,
        format!("登记党费：{}", summary.join("；")),
    )
    .org(Some(OrgId(first.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(PaymentResult {
        months: results,
        total_fen: total.0,
        total: total.yuan(),
    })
}

pub(crate) struct Payment {
    pub(crate) months: Vec<Month>,
    pub(crate) amount: Option<Fen>,
    pub(crate) paid_on: jiff::civil::Date,
    pub(crate) channel: &'static str,
    pub(crate) receipt_no: String,
}

pub(crate) fn check_payment(input: &PaymentInput, today: jiff::civil::Date) -> AppResult<Payment> {
    let mut months = Vec::new();
    for text in &input.months {
        let month = parse_month("months", text)?;
        if months.contains(&month) {
            return Err(AppError::invalid(
                "months",
                format!("{} 重复", month.label()),
            ));
        }
        months.push(month);
    }
    months.sort();
    if months.is_empty() || months.len() > 12 {
        return Err(AppError::invalid("months", "请选择 1 至 12 个月份"));
    }
    let amount = match input.amount.trim() {
        "" => None,
        text => {
            let fen =
                Fen::from_yuan_str(text).map_err(|e| AppError::invalid("amount", e.to_string()))?;
            if fen.0 == 0 {
                return Err(AppError::invalid("amount", "交纳金额须大于 0"));
            }
            if months.len() > 1 {
                return Err(AppError::invalid(
                    "amount",
                    "一次交纳多个月时按每月应交金额全额登记，部分交纳请逐月登记",
                ));
            }
            Some(fen)
        }
    };
    let paid_on = match input.paid_on.trim() {
        "" => today,
        text => parse_date(text)
            .ok_or_else(|| AppError::invalid("paid_on", "交纳日期格式应为 2026-03-01"))?,
    };
    if paid_on > today {
        return Err(AppError::invalid("paid_on", "交纳日期不能晚于今天"));
    }
    let latest = latest_payable(paid_on.max(today));
    if let Some(late) = months.iter().find(|m| **m > latest) {
        return Err(AppError::invalid(
            "months",
            format!(
                "{} 尚未到期，最多可预交到本季度末（{}）",
                late.label(),
                latest.label()
            ),
        ));
    }
    let channel = parse_channel(&input.channel).map_err(|m| AppError::invalid("channel", m))?;
    let receipt_no = input.receipt_no.trim().to_string();
    if receipt_no.chars().count() > 50 {
        return Err(AppError::invalid("receipt_no", "收据号最多 50 字"));
    }
    Ok(Payment {
        months,
        amount,
        paid_on,
        channel,
        receipt_no,
    })
}

/// The node a member's row counts toward: their group, else their branch.
fn node_of(member: &DuesMember) -> i64 {
    member.group_id.unwrap_or(member.branch_id)
}

pub(crate) async fn pay(
    tx: &mut Tx,
    member: &DuesMember,
    payment: &Payment,
) -> AppResult<Vec<(MonthRow, Fen)>> {
    let bases = profile::bases_of_member(tx.conn(), member.id).await?;
    let reliefs = profile::reliefs_of_member(tx.conn(), member.id).await?;
    let mut done = Vec::new();
    for &month in &payment.months {
        check_membership(member, month)?;
        let existing = sheet::month_of_member(tx.conn(), member.id, &month.to_string()).await?;
        let due = match &existing {
            Some(row) => Fen(row.due_fen),
            None => due_in(&bases, &reliefs, month).ok_or_else(|| {
                AppError::invalid(
                    "months",
                    format!(
                        "{} 尚未核定 {} 的党费基数，请先核定",
                        member.name,
                        month.label()
                    ),
                )
            })?,
        };
        let already = existing.as_ref().map_or(Fen::ZERO, |r| Fen(r.paid_fen));
        let status = MonthStatus::from_amounts(due, already);
        if matches!(status, MonthStatus::Paid | MonthStatus::Exempt) {
            return Err(AppError::Conflict(format!(
                "{} {} 的党费{}，不能重复登记",
                member.name,
                month.label(),
                if status == MonthStatus::Paid {
                    "已交"
                } else {
                    "已免交"
                }
            )));
        }
        let outstanding = Fen(due.0 - already.0);
        let amount = payment.amount.unwrap_or(outstanding);
        if amount > outstanding {
            return Err(AppError::invalid(
                "amount",
                format!(
                    "{} {} 还应交 {} 元，多出的部分请登记为自愿多交党费",
                    member.name,
                    month.label(),
                    outstanding.yuan()
                ),
            ));
        }
        let row = MonthRow {
            id: 0,
            member_id: member.id,
            branch_id: existing.as_ref().map_or(member.branch_id, |r| r.branch_id),
            org_id: existing.as_ref().map_or(node_of(member), |r| r.org_id),
            month: month.to_string(),
            due_fen: due.0,
            paid_fen: already.0 + amount.0,
            status: String::new(),
            paid_on: Some(payment.paid_on.to_string()),
            channel: payment.channel.to_string(),
            receipt_no: payment.receipt_no.clone(),
            arrears_streak: 0,
        };
        let row = write_month(tx, existing.as_ref(), row).await?;
        let on_time = payment.paid_on <= month.last_day();
        if row.status == MonthStatus::Paid.code() && on_time {
            record_dues_event(tx, &row, EventKind::DuesPaidOnTime).await?;
        } else if !on_time {
            record_dues_event(tx, &row, EventKind::DuesInArrears).await?;
        }
        done.push((row, amount));
    }
    Ok(done)
}

/// Opens a month's sheet for a branch or group: a row with the amount due for every member whose
/// base is set, so the month counts in the totals. Months that ended owing become arrears events.
pub async fn open_month(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    month: &str,
    ctx: &RequestContext,
) -> AppResult<SheetView> {
    let place = sheet_place(app, actor, org_id, Action::ManageDues).await?;
    let month_value = parse_month("month", month)?;
    if month_value > latest_payable(app.today()) {
        return Err(AppError::invalid(
            "month",
            format!("{} 尚未到来", month_value.label()),
        ));
    }
    let mut tx = app.begin().await?;
    let opened = open_in(&mut tx, &place, month_value).await?;
    if opened > 0 {
        let entry = Entry::new(
            AuditAction::DuesMonthOpened,
            AuditEntity::Org,
            org_id.0,
            format!("生成 {} 党费收缴表（{opened} 人）", month_value.label()),
        )
        .org(Some(org_id));
        audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    }
    tx.commit().await?;
    super::sheet_view::sheet(app, actor, org_id, month).await
}

/// Opens the month for the placement's members inside `tx`; returns how many rows it added.
pub(crate) async fn open_in(tx: &mut Tx, place: &Placement, month: Month) -> AppResult<usize> {
    let members = sheet::dues_members_of(tx.conn(), place.branch_id, place.group_id).await?;
    let mut opened = 0;
    for member in &members {
        let active = last_month(member).is_none();
        if !active || first_month(member).is_some_and(|f| f > month) {
            continue;
        }
        if sheet::month_of_member(tx.conn(), member.id, &month.to_string())
            .await?
            .is_some()
        {
            continue;
        }
        let bases = profile::bases_of_member(tx.conn(), member.id).await?;
        let reliefs = profile::reliefs_of_member(tx.conn(), member.id).await?;
        let Some(due) = due_in(&bases, &reliefs, month) else {
            continue;
        };
        let row = MonthRow {
            id: 0,
            member_id: member.id,
            branch_id: member.branch_id,
            org_id: node_of(member),
            month: month.to_string(),
            due_fen: due.0,
            paid_fen: 0,
            status: String::new(),
            paid_on: None,
            channel: String::new(),
            receipt_no: String::new(),
            arrears_streak: 0,
        };
        write_month(tx, None, row).await?;
        opened += 1;
    }
    // Months that have ended still owing are in arrears: one event per member and month.
    let current = Month::of(crate::clock::day_of(tx));
    for row in sheet::owing_before(tx.conn(), place.branch_id, &current.to_string()).await? {
        if place.group_id.is_none_or(|g| g == row.org_id) {
            record_dues_event(tx, &row, EventKind::DuesInArrears).await?;
        }
    }
    Ok(opened)
}
