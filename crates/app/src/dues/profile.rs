//! A member's dues profile: category and monthly base with yearly history and mid-year changes,
//! reliefs by committee decision, and voluntary and special dues kept apart (党费规定).

use dangjian_domain::MemberId;
use dangjian_domain::Month;
use dangjian_domain::OrgId;
use dangjian_domain::access::Action;
use dangjian_domain::dues::collection::parse_channel;
use dangjian_domain::dues::{ExtraKind, Fen, MonthStatus, ReliefKind};
use dangjian_store::Tx;
use dangjian_store::dues::profile::{self, NewBase, NewExtra, NewRelief};
use dangjian_store::dues::sheet::{self, DuesMember};
use serde::Deserialize;

use super::access::member_for;
use super::ledger::{due_in, write_month};
use super::settings;
use super::view::{self, ProfileView};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::members::record::parse_date;
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// A member's dues profile, history and yearly totals (their own, or one the actor may see).
pub async fn profile(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
    year: Option<i16>,
) -> AppResult<ProfileView> {
    let (member, path) = member_for(app, actor, member_id.0, Action::ViewMembers).await?;
    view::profile(app, actor, &member, &path, year).await
}

/// The yearly assessment or a mid-year change of a member's category and base.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct BaseInput {
    /// First month it applies to, `2026-01`; a month other than January is a mid-year change.
    pub effective_from: String,
    /// 在职、离退休、农民、学生、下岗失业/无固定收入、其他.
    pub category: String,
    /// Monthly base in yuan (`4500.50`); empty for fixed-amount categories.
    #[serde(default)]
    pub income: String,
    /// Why (required for a mid-year change, which is an explicit decision).
    #[serde(default)]
    pub reason: String,
}

pub(crate) fn parse_month(field: &'static str, text: &str) -> AppResult<Month> {
    Month::parse(text).map_err(|m| AppError::invalid(field, m))
}

/// Sets a member's category and base from a month on. The amount is computed with the bracket
/// rule and kept with the row; open months not yet paid follow the new amount.
pub async fn set_base(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
    input: &BaseInput,
    ctx: &RequestContext,
) -> AppResult<ProfileView> {
    let (member, path) = member_for(app, actor, member_id.0, Action::ManageDues).await?;
    let from = parse_month("effective_from", &input.effective_from)?;
    let reason = input.reason.trim();
    // RULES.md "Dues": set at the start of each year; a change within the year is an explicit,
    // audited decision, so it must say why.
    if from.number() != 1 && reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "年度中途调整党费基数须填写调整原因",
        ));
    }
    if reason.chars().count() > 200 {
        return Err(AppError::invalid("reason", "原因最多 200 字"));
    }
    let mut handle = app.store.acquire().await?;
    let settings = settings::for_path(handle.conn(), &path).await?;
    drop(handle);
    let assessment = super::assess(&input.category, Some(&input.income), &settings)?;
    let mut tx = app.begin().await?;
    apply_base(
        &mut tx,
        Some(actor.account_id.0),
        &member,
        from,
        &assessment,
        reason,
    )
    .await?;
    let kind = if from.number() == 1 {
        "年度核定"
    } else {
        "年度中途调整"
    };
    let entry = Entry::new(
        AuditAction::DuesBaseSet,
        AuditEntity::Member,
        member_id,
        format!(
            "{kind} {} 的党费（自 {} 起）：{}",
            member.name,
            from.label(),
            assessment.explanation
        ),
    )
    .org(Some(OrgId(member.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    profile(app, actor, member_id, Some(from.year())).await
}

/// Stores a base row and brings the member's open months in line with it.
pub(crate) async fn apply_base(
    tx: &mut Tx,
    created_by: Option<i64>,
    member: &DuesMember,
    from: Month,
    assessment: &dangjian_domain::dues::Assessment,
    reason: &str,
) -> AppResult<()> {
    let new = NewBase {
        member_id: member.id,
        org_id: member.branch_id,
        effective_from: &from.to_string(),
        category: assessment.category.code(),
        base_fen: assessment.base.map(|b| b.0),
        amount_fen: assessment.amount.0,
        reason,
        created_by,
        now: tx.now_micros(),
    };
    profile::insert_base(tx.conn(), &new).await?;
    refresh_open_months(tx, member, from, None).await
}

/// Re-derives the amount due of the member's open, unpaid months from `from` (to `to`) after
/// their base or relief changed. Months already paid in full keep what was due when paid.
async fn refresh_open_months(
    tx: &mut Tx,
    member: &DuesMember,
    from: Month,
    to: Option<Month>,
) -> AppResult<()> {
    let bases = profile::bases_of_member(tx.conn(), member.id).await?;
    let reliefs = profile::reliefs_of_member(tx.conn(), member.id).await?;
    let rows = sheet::months_of_member(tx.conn(), member.id, &from.to_string()).await?;
    for row in rows {
        let Ok(month) = Month::parse(&row.month) else {
            continue;
        };
        if to.is_some_and(|to| month > to) {
            break;
        }
        let status = MonthStatus::from_code(&row.status).unwrap_or(MonthStatus::Unpaid);
        if !(status.owes() || status == MonthStatus::Exempt) {
            continue;
        }
        let Some(due) = due_in(&bases, &reliefs, month) else {
            continue;
        };
        if due.0 != row.due_fen {
            let changed = dangjian_store::dues::sheet::MonthRow {
                due_fen: due.0,
                ..row.clone()
            };
            write_month(tx, Some(&row), changed).await?;
        }
    }
    Ok(())
}

/// Reduced or exempted dues by decision (党费规定: the member applies, the branch decides, the
/// superior committee approves); dates as `YYYY-MM-DD`, months as `YYYY-MM`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReliefInput {
    /// `exempt` (免交) or `reduced` (少交).
    pub kind: String,
    /// The reduced monthly amount in yuan (少交 only).
    #[serde(default)]
    pub amount: String,
    pub from_month: String,
    pub to_month: String,
    #[schema(format = Date)]
    pub applied_on: String,
    #[schema(format = Date)]
    pub decided_on: String,
    #[schema(format = Date)]
    pub approved_on: String,
    /// The decision's reference: minutes or document number.
    pub decision_ref: String,
}

fn date_field(field: &'static str, label: &str, text: &str) -> AppResult<jiff::civil::Date> {
    parse_date(text)
        .ok_or_else(|| AppError::invalid(field, format!("请填写{label}（如 2026-03-01）")))
}

pub async fn add_relief(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
    input: &ReliefInput,
    ctx: &RequestContext,
) -> AppResult<ProfileView> {
    let (member, _) = member_for(app, actor, member_id.0, Action::ManageDues).await?;
    let kind = ReliefKind::from_code(input.kind.trim())
        .or(match input.kind.trim() {
            "免交" => Some(ReliefKind::Exempt),
            "少交" => Some(ReliefKind::Reduced),
            _ => None,
        })
        .ok_or_else(|| AppError::invalid("kind", "请选择免交或少交"))?;
    let amount = match kind {
        ReliefKind::Exempt => Fen::ZERO,
        ReliefKind::Reduced => {
            let fen = Fen::from_yuan_str(&input.amount)
                .map_err(|e| AppError::invalid("amount", format!("少交后的月交金额：{e}")))?;
            if fen.0 == 0 {
                return Err(AppError::invalid(
                    "amount",
                    "少交后的月交金额须大于 0；不交请选择免交",
                ));
            }
            fen
        }
    };
    let from = parse_month("from_month", &input.from_month)?;
    let to = parse_month("to_month", &input.to_month)?;
    if to < from {
        return Err(AppError::invalid("to_month", "截止月份不能早于起始月份"));
    }
    let applied = date_field("applied_on", "本人申请日期", &input.applied_on)?;
    let decided = date_field("decided_on", "支部决定日期", &input.decided_on)?;
    let approved = date_field("approved_on", "上级党委批准日期", &input.approved_on)?;
    if !(applied <= decided && decided <= approved) {
        return Err(AppError::invalid(
            "approved_on",
            "须先由本人申请、再经支部决定、后报上级党委批准，日期顺序不符",
        ));
    }
    if approved > app.today() {
        return Err(AppError::invalid("approved_on", "批准日期不能晚于今天"));
    }
    let decision_ref = input.decision_ref.trim();
    if decision_ref.is_empty() || decision_ref.chars().count() > 100 {
        return Err(AppError::invalid(
            "decision_ref",
            "请填写决定文号或会议记录（最多 100 字）",
        ));
    }
    let mut tx = app.begin().await?;
    let new = NewRelief {
        member_id: member_id.0,
        org_id: member.branch_id,
        kind: kind.code(),
        amount_fen: amount.0,
        from_month: &from.to_string(),
        to_month: &to.to_string(),
        applied_on: &applied.to_string(),
        decided_on: &decided.to_string(),
        approved_on: &approved.to_string(),
        decision_ref,
        created_by: Some(actor.account_id.0),
        now: tx.now_micros(),
    };
    profile::insert_relief(tx.conn(), &new).await?;
    refresh_open_months(&mut tx, &member, from, Some(to)).await?;
    let what = match kind {
        ReliefKind::Exempt => "免交".to_string(),
        ReliefKind::Reduced => format!("少交（每月 {} 元）", amount.yuan()),
    };
    let entry = Entry::new(
        AuditAction::DuesReliefRecorded,
        AuditEntity::Member,
        member_id,
        format!(
            "登记 {} {}—{} 党费{what}，{decision_ref}，{approved} 批准",
            member.name,
            from.label(),
            to.label()
        ),
    )
    .org(Some(OrgId(member.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    profile(app, actor, member_id, Some(from.year())).await
}

/// Voluntary extra dues (自愿多交, no upper limit) or special dues (特殊党费), recorded apart.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ExtraInput {
    /// `voluntary` (自愿多交) or `special` (特殊党费).
    pub kind: String,
    /// Yuan, e.g. `500` or `500.00`.
    pub amount: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub paid_on: String,
    /// e.g. 抗震救灾.
    #[serde(default)]
    pub purpose: String,
    /// 现金、转账、线上.
    pub channel: String,
    #[serde(default)]
    pub receipt_no: String,
}

pub async fn record_extra(
    app: &App,
    actor: &Actor,
    member_id: MemberId,
    input: &ExtraInput,
    ctx: &RequestContext,
) -> AppResult<ProfileView> {
    let (member, _) = member_for(app, actor, member_id.0, Action::ManageDues).await?;
    let kind = ExtraKind::from_code(input.kind.trim())
        .or(match input.kind.trim() {
            "自愿多交" | "自愿多交党费" => Some(ExtraKind::Voluntary),
            "特殊党费" => Some(ExtraKind::Special),
            _ => None,
        })
        .ok_or_else(|| AppError::invalid("kind", "请选择自愿多交党费或特殊党费"))?;
    let amount = Fen::from_yuan_str(&input.amount)
        .map_err(|e| AppError::invalid("amount", e.to_string()))?;
    if amount.0 == 0 {
        return Err(AppError::invalid("amount", "金额须大于 0"));
    }
    let paid_on = date_field("paid_on", "交纳日期", &input.paid_on)?;
    if paid_on > app.today() {
        return Err(AppError::invalid("paid_on", "交纳日期不能晚于今天"));
    }
    let channel = parse_channel(&input.channel).map_err(|m| AppError::invalid("channel", m))?;
    let purpose = input.purpose.trim();
    if kind == ExtraKind::Special && purpose.is_empty() {
        return Err(AppError::invalid(
            "purpose",
            "特殊党费请填写用途，如抗震救灾",
        ));
    }
    let receipt_no = input.receipt_no.trim();
    if purpose.chars().count() > 100 || receipt_no.chars().count() > 50 {
        return Err(AppError::invalid(
            "purpose",
            "用途最多 100 字，收据号最多 50 字",
        ));
    }
    let mut tx = app.begin().await?;
    let new = NewExtra {
        member_id: member_id.0,
        org_id: member.branch_id,
        kind: kind.code(),
        amount_fen: amount.0,
        paid_on: &paid_on.to_string(),
        purpose,
        channel,
        receipt_no,
        created_by: Some(actor.account_id.0),
        now: tx.now_micros(),
    };
    profile::insert_extra(tx.conn(), &new).await?;
    let entry = Entry::new(
        AuditAction::DuesExtraRecorded,
        AuditEntity::Member,
        member_id,
        format!("登记 {} {} {} 元", member.name, kind.label(), amount.yuan()),
    )
    .org(Some(OrgId(member.branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    profile(app, actor, member_id, Some(paid_on.year())).await
}
