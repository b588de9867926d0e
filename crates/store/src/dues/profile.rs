//! A member's dues profile: category and base history, reliefs, extra dues. Rows are only ever
//! inserted; history is read back in order.

use crate::db::on_backend;
use crate::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BaseRow {
    pub id: i64,
    pub member_id: i64,
    pub effective_from: String,
    pub category: String,
    pub base_fen: Option<i64>,
    pub amount_fen: i64,
    pub reason: String,
    pub created_by_name: Option<String>,
    pub created_at: i64,
}

pub struct NewBase<'a> {
    pub member_id: i64,
    pub org_id: i64,
    pub effective_from: &'a str,
    pub category: &'a str,
    pub base_fen: Option<i64>,
    pub amount_fen: i64,
    pub reason: &'a str,
    pub created_by: Option<i64>,
    pub now: i64,
}

pub async fn insert_base(conn: Conn<'_>, new: &NewBase<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO dues_bases (member_id, org_id, effective_from, category, base_fen, amount_fen, reason, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.member_id)
        .bind(new.org_id)
        .bind(new.effective_from)
        .bind(new.category)
        .bind(new.base_fen)
        .bind(new.amount_fen)
        .bind(new.reason)
        .bind(new.created_by)
        .bind(new.now)
        .fetch_one(c)
        .await?)
    })
}

/// A member's bases in force order: by first month, a later entry for the same month winning.
pub async fn bases_of_member(conn: Conn<'_>, member_id: i64) -> Result<Vec<BaseRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
        "SELECT b.id, b.member_id, b.effective_from, b.category, b.base_fen, b.amount_fen, b.reason,
                a.name AS created_by_name, b.created_at
         FROM dues_bases b LEFT JOIN accounts a ON a.id = b.created_by
         WHERE b.member_id = $1 ORDER BY b.effective_from, b.id",
    )
    .bind(member_id)
    .fetch_all(c)
    .await?)
    })
}

/// The latest base of each member of a branch in force in `month`, for opening a sheet.
pub async fn bases_in_force(conn: Conn<'_>, branch_id: i64, month: &str) -> Result<Vec<BaseRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
        "SELECT b.id, b.member_id, b.effective_from, b.category, b.base_fen, b.amount_fen, b.reason,
                NULL AS created_by_name, b.created_at
         FROM dues_bases b JOIN members m ON m.id = b.member_id
         WHERE m.branch_id = $1 AND b.effective_from <= $2
         ORDER BY b.member_id, b.effective_from, b.id",
    )
    .bind(branch_id)
    .bind(month)
    .fetch_all(c)
    .await?)
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReliefRow {
    pub id: i64,
    pub member_id: i64,
    pub kind: String,
    pub amount_fen: i64,
    pub from_month: String,
    pub to_month: String,
    pub applied_on: String,
    pub decided_on: String,
    pub approved_on: String,
    pub decision_ref: String,
    pub created_at: i64,
}

pub struct NewRelief<'a> {
    pub member_id: i64,
    pub org_id: i64,
    pub kind: &'a str,
    pub amount_fen: i64,
    pub from_month: &'a str,
    pub to_month: &'a str,
    pub applied_on: &'a str,
    pub decided_on: &'a str,
    pub approved_on: &'a str,
    pub decision_ref: &'a str,
    pub created_by: Option<i64>,
    pub now: i64,
}

pub async fn insert_relief(conn: Conn<'_>, new: &NewRelief<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO dues_reliefs (member_id, org_id, kind, amount_fen, from_month, to_month, applied_on, decided_on,
                                   approved_on, decision_ref, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(new.member_id)
        .bind(new.org_id)
        .bind(new.kind)
        .bind(new.amount_fen)
        .bind(new.from_month)
        .bind(new.to_month)
        .bind(new.applied_on)
        .bind(new.decided_on)
        .bind(new.approved_on)
        .bind(new.decision_ref)
        .bind(new.created_by)
        .bind(new.now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn reliefs_of_member(conn: Conn<'_>, member_id: i64) -> Result<Vec<ReliefRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT id, member_id, kind, amount_fen, from_month, to_month, applied_on, decided_on, approved_on,
                decision_ref, created_at
         FROM dues_reliefs WHERE member_id = $1 ORDER BY from_month, id",
        )
        .bind(member_id)
        .fetch_all(c)
        .await?)
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExtraRow {
    pub id: i64,
    pub member_id: i64,
    pub kind: String,
    pub amount_fen: i64,
    pub paid_on: String,
    pub purpose: String,
    pub channel: String,
    pub receipt_no: String,
}

pub struct NewExtra<'a> {
    pub member_id: i64,
    pub org_id: i64,
    pub kind: &'a str,
    pub amount_fen: i64,
    pub paid_on: &'a str,
    pub purpose: &'a str,
    pub channel: &'a str,
    pub receipt_no: &'a str,
    pub created_by: Option<i64>,
    pub now: i64,
}

pub async fn insert_extra(conn: Conn<'_>, new: &NewExtra<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO dues_extras (member_id, org_id, kind, amount_fen, paid_on, purpose, channel, receipt_no, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(new.member_id)
        .bind(new.org_id)
        .bind(new.kind)
        .bind(new.amount_fen)
        .bind(new.paid_on)
        .bind(new.purpose)
        .bind(new.channel)
        .bind(new.receipt_no)
        .bind(new.created_by)
        .bind(new.now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn extras_of_member(conn: Conn<'_>, member_id: i64) -> Result<Vec<ExtraRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT id, member_id, kind, amount_fen, paid_on, purpose, channel, receipt_no
         FROM dues_extras WHERE member_id = $1 ORDER BY paid_on, id",
    )
    .bind(member_id)
    .fetch_all(c)
    .await?))
}
