//! 本月全部已交 (issue #26): one month's payment recorded for many members of a sheet at once,
//! each for what the month still asks of them. Always two steps: a dry run that lists who will be
//! recorded for how much and who is skipped and why, then the confirmation that writes — all rows
//! and one audit entry listing them in one transaction, or nothing.

use std::collections::HashSet;

use dangjian_domain::access::Action;
use dangjian_domain::dues::Fen;
use dangjian_domain::{Month, OrgId};
use dangjian_store::Conn;
use dangjian_store::dues::sheet::DuesMember;
use serde::{Deserialize, Serialize};

use super::collection::{PaymentInput, check_payment, pay};
use super::profile::parse_month;
use super::sheet_view::{month_lines, sheet_place};
use super::view::MonthView;
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::members::Placement;
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

/// The most members one request may name: more than any branch holds, few enough that a form
/// cannot make the server do unbounded work.
pub const MAX_MEMBERS: usize = 2000;

/// A month's payment for several members of a branch's or group's sheet.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct BatchPaymentInput {
    /// The month paid, `2026-03`.
    pub month: String,
    /// The members paying; absent: every member of the sheet who still owes the month.
    #[serde(default)]
    pub member_ids: Option<Vec<i64>>,
    /// `YYYY-MM-DD`; empty: today.
    #[serde(default)]
    #[schema(format = Date)]
    pub paid_on: String,
    /// 现金、转账、线上.
    pub channel: String,
    #[serde(default)]
    pub receipt_no: String,
    /// true: only say what would be recorded and skipped; nothing is written.
    #[serde(default)]
    pub dry_run: bool,
    /// The `total_fen` the dry run showed. When given and the batch now comes to another total (a
    /// member paid or a base changed meanwhile), nothing is written: confirm what you saw.
    #[serde(default)]
    pub expected_total_fen: Option<i64>,
}

/// One member's month to be recorded (or, after the confirmation, recorded).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchLine {
    pub member_id: i64,
    pub member_name: String,
    pub due_fen: i64,
    pub due: String,
    /// Already paid before this payment (a partial payment earlier in the month).
    pub paid_before_fen: i64,
    pub paid_before: String,
    /// What this payment records: what the month still asks.
    pub amount_fen: i64,
    pub amount: String,
}

/// A member of the selection who is not recorded, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchSkip {
    pub member_id: i64,
    pub member_name: String,
    /// 本月已交清, 本月免交 or 未核定党费基数.
    pub reason: String,
}

/// What the batch records (a dry run) or recorded, and whom it skipped.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchPayment {
    pub org_id: i64,
    pub org_name: String,
    pub month: String,
    pub month_label: String,
    #[schema(format = Date)]
    pub paid_on: String,
    pub channel: String,
    pub receipt_no: String,
    /// true: nothing was written; `lines` is what the confirmation would record.
    pub dry_run: bool,
    pub lines: Vec<BatchLine>,
    pub skipped: Vec<BatchSkip>,
    pub total_fen: i64,
    pub total: String,
}

/// Which members of the sheet the batch is about.
enum Selection {
    All,
    Only(Vec<i64>),
}

impl Selection {
    fn parse(member_ids: Option<&[i64]>) -> AppResult<Selection> {
        let Some(ids) = member_ids else {
            return Ok(Selection::All);
        };
        if ids.is_empty() {
            return Err(AppError::invalid("member_ids", "请勾选要登记的党员"));
        }
        if ids.len() > MAX_MEMBERS {
            return Err(AppError::invalid(
                "member_ids",
                format!("一次最多登记 {MAX_MEMBERS} 名党员"),
            ));
        }
        let mut seen = HashSet::new();
        if let Some(twice) = ids.iter().find(|id| !seen.insert(**id)) {
            return Err(AppError::invalid(
                "member_ids",
                format!("党员（编号 {twice}）重复选择了两次"),
            ));
        }
        Ok(Selection::Only(ids.to_vec()))
    }
}

/// Why a member's month is not recorded; `None` when it still owes something.
fn skip_reason(view: &MonthView) -> Option<&'static str> {
    match view.status.as_str() {
        "unpaid" | "partial" => None,
        "paid" => Some("本月已交清"),
        "exempt" => Some("本月免交"),
        _ => Some("未核定党费基数"),
    }
}

/// Who of the selection is recorded for how much, and who is skipped: read from `conn`, which at
/// the confirmation is the writing transaction's, so what is written is what was judged.
async fn plan(
    conn: Conn<'_>,
    place: &Placement,
    org_name: &str,
    month: Month,
    selection: &Selection,
) -> AppResult<(Vec<(DuesMember, BatchLine)>, Vec<BatchSkip>)> {
    let mut lines = month_lines(conn, place, month).await?;
    if let Selection::Only(ids) = selection {
        // Unknown, elsewhere and outside the caller's reach read alike: not on this sheet.
        if let Some(stranger) = ids
            .iter()
            .find(|id| !lines.iter().any(|(m, _)| m.id == **id))
        {
            return Err(AppError::invalid(
                "member_ids",
                format!(
                    "所选党员（编号 {stranger}）不在{org_name}{}的党费收缴表中",
                    month.label()
                ),
            ));
        }
        // In the sheet's order, by name, whatever order the ids came in.
        lines.retain(|(m, _)| ids.contains(&m.id));
    }
    let mut to_record = Vec::new();
    let mut skipped = Vec::new();
    for (member, view) in lines {
        if let Some(reason) = skip_reason(&view) {
            skipped.push(BatchSkip {
                member_id: member.id,
                member_name: member.name.clone(),
                reason: reason.to_string(),
            });
            continue;
        }
        let amount = Fen(view.due_fen - view.paid_fen);
        let line = BatchLine {
            member_id: member.id,
            member_name: member.name.clone(),
            due_fen: view.due_fen,
            due: view.due.clone(),
            paid_before_fen: view.paid_fen,
            paid_before: view.paid.clone(),
            amount_fen: amount.0,
            amount: amount.yuan(),
        };
        to_record.push((member, line));
    }
    Ok((to_record, skipped))
}

/// Records the month's payment for the selected members (or every member who owes it) of an
/// organization's sheet; with `dry_run`, only says what it would do. Authorized as recording a
/// single payment is (`ManageDues`), on the organization whose sheet it is.
pub async fn record_month_for_many(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    input: &BatchPaymentInput,
    ctx: &RequestContext,
) -> AppResult<BatchPayment> {
    let place = sheet_place(app, actor, org_id, Action::ManageDues).await?;
    let month = parse_month("month", &input.month)?;
    let selection = Selection::parse(input.member_ids.as_deref())?;
    // The same rules as one payment: the day, the way, the receipt, and a month not yet payable.
    let payment = check_payment(
        &PaymentInput {
            member_id: 0,
            months: vec![month.to_string()],
            amount: String::new(),
            paid_on: input.paid_on.clone(),
            channel: input.channel.clone(),
            receipt_no: input.receipt_no.clone(),
        },
        app.today(),
    )?;
    let (org, _) = orgs::load(app, org_id).await?;
    let answer = |lines: Vec<BatchLine>, skipped: Vec<BatchSkip>, dry_run: bool| {
        let total = Fen(lines.iter().map(|l| l.amount_fen).sum());
        BatchPayment {
            org_id: org_id.0,
            org_name: org.name.clone(),
            month: month.to_string(),
            month_label: month.label(),
            paid_on: payment.paid_on.to_string(),
            channel: payment.channel.to_string(),
            receipt_no: payment.receipt_no.clone(),
            dry_run,
            lines,
            skipped,
            total_fen: total.0,
            total: total.yuan(),
        }
    };

    if input.dry_run {
        let mut handle = app.store.acquire().await?;
        let (lines, skipped) = plan(handle.conn(), &place, &org.name, month, &selection).await?;
        return Ok(answer(
            lines.into_iter().map(|(_, l)| l).collect(),
            skipped,
            true,
        ));
    }

    let mut tx = app.begin().await?;
    let (lines, skipped) = plan(tx.conn(), &place, &org.name, month, &selection).await?;
    if lines.is_empty() {
        return Err(AppError::Conflict(format!(
            "没有要登记的党员：所选党员{}均已交清、免交或未核定党费基数",
            month.label()
        )));
    }
    let total: i64 = lines.iter().map(|(_, l)| l.amount_fen).sum();
    if let Some(expected) = input.expected_total_fen
        && expected != total
    {
        return Err(AppError::Conflict(format!(
            "确认期间收缴表有变化：现在共应登记 {} 元，而确认页上是 {} 元。请返回收缴表重新确认",
            Fen(total).yuan(),
            Fen(expected).yuan()
        )));
    }
    let mut touched = Vec::new();
    for (member, line) in &lines {
        for (row, paid) in pay(&mut tx, member, &payment).await? {
            touched.push(format!(
                "收缴表第 {} 行：{}（党员编号 {}）{} {} 元",
                row.id,
                line.member_name,
                member.id,
                row.month,
                paid.yuan()
            ));
        }
    }
    let recorded: Vec<BatchLine> = lines.into_iter().map(|(_, l)| l).collect();
    let result = answer(recorded, skipped, false);
    let skipped_text = if result.skipped.is_empty() {
        String::new()
    } else {
        format!(
            "；跳过 {} 人（{}）",
            result.skipped.len(),
            result
                .skipped
                .iter()
                .map(|s| format!("{} {}", s.member_name, s.reason))
                .collect::<Vec<_>>()
                .join("，")
        )
    };
    let entry = Entry::new(
        AuditAction::DuesPaid,
        AuditEntity::Org,
        org_id.0,
        format!(
            "批量登记{}{}党费：{} 人，共 {} 元（{}，{}）{skipped_text}",
            result.org_name,
            result.month_label,
            result.lines.len(),
            result.total,
            result.paid_on,
            result.channel
        ),
    )
    .org(Some(org_id))
    .change(None, Some(touched.join("\n")));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(result)
}
