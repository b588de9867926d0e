//! The monthly sheet: one row per member and month. Every change to a row goes through
//! [`insert_month`] or [`update_month`], and the caller applies the counter delta (see `totals`).

use crate::db::on_backend;
use crate::{Conn, Result};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MonthRow {
    pub id: i64,
    pub member_id: i64,
    pub branch_id: i64,
    pub org_id: i64,
    pub month: String,
    pub due_fen: i64,
    pub paid_fen: i64,
    pub status: String,
    pub paid_on: Option<String>,
    pub channel: String,
    pub receipt_no: String,
    pub arrears_streak: i64,
}

const COLUMNS: &str = "id, member_id, branch_id, org_id, month, due_fen, paid_fen, status, paid_on, channel, receipt_no, arrears_streak";

pub async fn insert_month(conn: Conn<'_>, row: &MonthRow, now: i64) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO dues_months (member_id, branch_id, org_id, month, due_fen, paid_fen, status, paid_on, channel,
                                  receipt_no, arrears_streak, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(row.member_id)
        .bind(row.branch_id)
        .bind(row.org_id)
        .bind(&row.month)
        .bind(row.due_fen)
        .bind(row.paid_fen)
        .bind(&row.status)
        .bind(&row.paid_on)
        .bind(&row.channel)
        .bind(&row.receipt_no)
        .bind(row.arrears_streak)
        .bind(now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn update_month(conn: Conn<'_>, row: &MonthRow, now: i64) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE dues_months SET due_fen = $1, paid_fen = $2, status = $3, paid_on = $4, channel = $5, receipt_no = $6,
                arrears_streak = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(row.due_fen)
        .bind(row.paid_fen)
        .bind(&row.status)
        .bind(&row.paid_on)
        .bind(&row.channel)
        .bind(&row.receipt_no)
        .bind(row.arrears_streak)
        .bind(now)
        .bind(row.id)
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn month_of_member(
    conn: Conn<'_>,
    member_id: i64,
    month: &str,
) -> Result<Option<MonthRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM dues_months WHERE member_id = $1 AND month = $2"
    )))
    .bind(member_id)
    .bind(month)
    .fetch_optional(c)
    .await?))
}

/// A member's months from `from` on (all when `from` is empty), in order.
pub async fn months_of_member(conn: Conn<'_>, member_id: i64, from: &str) -> Result<Vec<MonthRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM dues_months WHERE member_id = $1 AND month >= $2 ORDER BY month"
    )))
    .bind(member_id)
    .bind(from)
    .fetch_all(c)
    .await?))
}

/// The sheet of a branch (or of one node: a group) for a month range, by member then month.
pub async fn sheet_rows(
    conn: Conn<'_>,
    branch_id: i64,
    org_id: Option<i64>,
    from: &str,
    to: &str,
) -> Result<Vec<MonthRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM dues_months
         WHERE branch_id = $1 AND ($2 IS NULL OR org_id = $2) AND month >= $3 AND month <= $4
         ORDER BY member_id, month"
    )))
    .bind(branch_id)
    .bind(org_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?))
}

/// Months of a branch before `month` that still owe: the arrears to record as events.
pub async fn owing_before(conn: Conn<'_>, branch_id: i64, month: &str) -> Result<Vec<MonthRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM dues_months
         WHERE branch_id = $1 AND month < $2 AND status IN ('unpaid', 'partial') ORDER BY month, member_id"
        )))
        .bind(branch_id)
        .bind(month)
        .fetch_all(c)
        .await?)
    })
}

/// Whether an event with this source key exists (paid on time and in arrears exclude each other).
pub async fn event_recorded(conn: Conn<'_>, source_key: &str) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM domain_events WHERE source_key = $1",
    )
    .bind(source_key)
    .fetch_one(c)
    .await?
        > 0))
}

/// What collecting dues needs to know about a member: where they are, when they joined, whether
/// and when they left (the last letter out of the system, else the last change of status).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DuesMember {
    pub id: i64,
    pub name: String,
    pub branch_id: i64,
    pub group_id: Option<i64>,
    pub joined_on: Option<String>,
    pub status: String,
    pub updated_at: i64,
    pub left_on: Option<String>,
}

macro_rules! select_dues_members {
    () => {
        "SELECT m.id, m.name, m.branch_id, m.group_id, m.joined_on, m.status, m.updated_at,
                (SELECT MAX(t.issued_on) FROM transfers t WHERE t.member_id = m.id AND t.kind = 'out') AS left_on
         FROM members m "
    };
}

pub async fn dues_member(conn: Conn<'_>, member_id: i64) -> Result<Option<DuesMember>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_dues_members!(),
        "WHERE m.id = $1"
    ))
    .bind(member_id)
    .fetch_optional(c)
    .await?))
}

/// The members of a branch (or of one of its groups), by name.
pub async fn dues_members_of(
    conn: Conn<'_>,
    branch_id: i64,
    group_id: Option<i64>,
) -> Result<Vec<DuesMember>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_dues_members!(),
        "WHERE m.branch_id = $1 AND ($2 IS NULL OR m.group_id = $2) ORDER BY m.name, m.id"
    ))
    .bind(branch_id)
    .bind(group_id)
    .fetch_all(c)
    .await?))
}
