//! The one way a sheet row changes: [`write_month`] stores it, re-derives the arrears streaks of
//! the member's following months, and adds every change to the maintained totals of the row's
//! node and all its ancestors — in the caller's transaction, so data and totals commit together.

use dangjian_domain::Month;
use dangjian_domain::OrgPath;
use dangjian_domain::dues::collection::next_streak;
use dangjian_domain::dues::{Fen, MonthStatus};
use dangjian_domain::events::{EventKind, source_key};
use dangjian_domain::member::MemberStatus;
use dangjian_store::dues::profile::{BaseRow, ReliefRow};
use dangjian_store::dues::sheet::{self, DuesMember, MonthRow};
use dangjian_store::dues::totals::{self, Totals};
use dangjian_store::events::{NewEvent, record_event};
use dangjian_store::{Tx, orgs};

use crate::{AppError, AppResult};

/// What one row adds to its nodes' totals.
pub(crate) fn contribution(row: &MonthRow) -> Totals {
    let status = MonthStatus::from_code(&row.status).unwrap_or(MonthStatus::Unpaid);
    Totals {
        members: 1,
        due_fen: row.due_fen,
        collected_fen: row.paid_fen,
        settled: i64::from(matches!(status, MonthStatus::Paid | MonthStatus::Exempt)),
        partial: i64::from(status == MonthStatus::Partial),
        warned: i64::from(row.arrears_streak >= 3),
        flagged: i64::from(row.arrears_streak >= 6),
    }
}

/// The node and its ancestors, whose totals a row of `org_id` counts toward.
async fn counted_nodes(tx: &mut Tx, org_id: i64) -> AppResult<Vec<i64>> {
    let row = orgs::org_by_id(tx.conn(), org_id)
        .await?
        .ok_or(AppError::NotFound("组织"))?;
    let path = OrgPath::parse(&row.path).ok_or(AppError::NotFound("组织"))?;
    Ok(path.ids().into_iter().map(|id| id.0).collect())
}

async fn apply(tx: &mut Tx, before: Option<&MonthRow>, after: &MonthRow) -> AppResult<()> {
    let old = before.map(contribution).unwrap_or_default();
    let new = contribution(after);
    let nodes = counted_nodes(tx, after.org_id).await?;
    totals::add(tx.conn(), &nodes, &after.month, &new.minus(old)).await?;
    Ok(())
}

/// Stores `row` (inserting when `before` is `None`), with its status derived from the amounts and
/// its streak from the month before; then carries the streak forward through the later months.
pub(crate) async fn write_month(
    tx: &mut Tx,
    before: Option<&MonthRow>,
    mut row: MonthRow,
) -> AppResult<MonthRow> {
    let now = tx.now_micros();
    let status = MonthStatus::from_amounts(Fen(row.due_fen), Fen(row.paid_fen));
    row.status = status.code().to_string();
    let month = Month::parse(&row.month).map_err(|m| AppError::invalid("month", m))?;
    let previous = sheet::month_of_member(tx.conn(), row.member_id, &month.previous().to_string())
        .await?
        .map_or(0, |r| r.arrears_streak);
    row.arrears_streak = next_streak(previous, status);
    match before {
        Some(old) => {
            row.id = old.id;
            sheet::update_month(tx.conn(), &row, now).await?;
        }
        None => row.id = sheet::insert_month(tx.conn(), &row, now).await?,
    }
    apply(tx, before, &row).await?;

    // A later month's streak depends on this one only through an unbroken chain of months.
    let later =
        sheet::months_of_member(tx.conn(), row.member_id, &month.next().to_string()).await?;
    let (mut expected, mut streak) = (month.next(), row.arrears_streak);
    for old in later {
        if old.month != expected.to_string() {
            break;
        }
        let status = MonthStatus::from_code(&old.status).unwrap_or(MonthStatus::Unpaid);
        let new_streak = next_streak(streak, status);
        if new_streak == old.arrears_streak {
            break;
        }
        let updated = MonthRow {
            arrears_streak: new_streak,
            ..old.clone()
        };
        sheet::update_month(tx.conn(), &updated, now).await?;
        apply(tx, Some(&old), &updated).await?;
        (expected, streak) = (expected.next(), new_streak);
    }
    Ok(row)
}

/// The monthly amount due from a member in `month`: the base in force, unless a relief covers it.
/// `None` when no base has been set yet for that month.
pub(crate) fn due_in(bases: &[BaseRow], reliefs: &[ReliefRow], month: Month) -> Option<Fen> {
    let key = month.to_string();
    let base = bases.iter().rev().find(|b| b.effective_from <= key)?;
    let relief = reliefs
        .iter()
        .rev()
        .find(|r| r.from_month <= key && key <= r.to_month);
    Some(match relief {
        Some(r) => Fen(r.amount_fen.min(base.amount_fen)),
        None => Fen(base.amount_fen),
    })
}

/// The first month a member pays for: the month the branch assembly admitted them (RULES.md
/// "Dues": probationary members pay from the month of step 15).
pub(crate) fn first_month(member: &DuesMember) -> Option<Month> {
    member
        .joined_on
        .as_deref()
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .map(Month::of)
}

/// The last month a member pays for here, when they have left (transferred out, died, …).
pub(crate) fn last_month(member: &DuesMember) -> Option<Month> {
    if MemberStatus::from_code(&member.status).is_some_and(MemberStatus::is_active) {
        return None;
    }
    let left = member
        .left_on
        .as_deref()
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .unwrap_or_else(|| {
            dangjian_domain::time::from_micros(member.updated_at)
                .to_zoned(dangjian_domain::time::china())
                .date()
        });
    Some(Month::of(left))
}

/// Refuses a month outside the member's membership here, with the reason.
pub(crate) fn check_membership(member: &DuesMember, month: Month) -> AppResult<()> {
    if let Some(first) = first_month(member)
        && month < first
    {
        return Err(AppError::invalid(
            "months",
            format!(
                "{} 于 {} 入党，不能登记入党前 {} 的党费",
                member.name,
                first.label(),
                month.label()
            ),
        ));
    }
    if let Some(last) = last_month(member)
        && month > last
    {
        return Err(AppError::invalid(
            "months",
            format!(
                "{} 已于 {} 离开本组织，不能登记 {} 的党费",
                member.name,
                last.label(),
                month.label()
            ),
        ));
    }
    Ok(())
}

/// Records the month's dues event for the points ledger, once per member and month: paid on
/// time when paid in full by the month's last day, in arrears when the month ended owing. The
/// two exclude each other, whichever is recorded first stands.
pub(crate) async fn record_dues_event(
    tx: &mut Tx,
    row: &MonthRow,
    kind: EventKind,
) -> AppResult<()> {
    let other = match kind {
        EventKind::DuesPaidOnTime => EventKind::DuesInArrears,
        _ => EventKind::DuesPaidOnTime,
    };
    if sheet::event_recorded(
        tx.conn(),
        &source_key("dues", &row.month, row.member_id, other),
    )
    .await?
    {
        return Ok(());
    }
    let month = Month::parse(&row.month).map_err(|m| AppError::invalid("month", m))?;
    // The fact counts for its month, on the day it was recorded (issue #14: a payment recorded on
    // 2 December was booked on 31 December, a point dated in the future). A month settled later
    // counts on its last day; one paid ahead, from its first day.
    let occurred_on = crate::clock::day_of(tx)
        .min(month.last_day())
        .max(month.first_day());
    let event = NewEvent {
        source_key: source_key("dues", &row.month, row.member_id, kind),
        kind: kind.code().to_string(),
        member_id: Some(row.member_id),
        org_id: row.branch_id,
        occurred_on: occurred_on.to_string(),
        recorded_at: tx.now_micros(),
        // The month is `YYYY-MM`, so the JSON needs no escaping.
        payload: format!(
            r#"{{"month":"{}","due_fen":{},"paid_fen":{}}}"#,
            row.month, row.due_fen, row.paid_fen
        ),
    };
    record_event(tx, &event).await?;
    Ok(())
}
