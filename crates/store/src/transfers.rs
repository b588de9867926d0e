//! Transfers of membership. A transfer row is the whole history of one move; the member's own row
//! changes only when the receiving side accepts (internal) or the letter is issued (out).

use crate::db::on_backend;
use crate::{Conn, Result, SubtreeRange};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TransferRow {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub kind: String,
    pub status: String,
    pub from_branch_id: Option<i64>,
    pub from_branch_name: Option<String>,
    pub to_branch_id: Option<i64>,
    pub to_branch_name: Option<String>,
    pub to_group_id: Option<i64>,
    pub counterpart: String,
    pub letter_no: String,
    pub issued_on: Option<String>,
    pub slip_due_on: Option<String>,
    pub slip_returned_on: Option<String>,
    pub reason: String,
    pub decision_note: String,
    pub initiated_by_name: String,
    pub created_at: i64,
}

macro_rules! select_transfers {
    () => {
        "SELECT t.id, t.member_id, m.name AS member_name, t.kind, t.status, t.from_branch_id, f.name AS from_branch_name,
                t.to_branch_id, d.name AS to_branch_name, t.to_group_id, t.counterpart, t.letter_no, t.issued_on,
                t.slip_due_on, t.slip_returned_on, t.reason, t.decision_note, a.name AS initiated_by_name, t.created_at
         FROM transfers t JOIN members m ON m.id = t.member_id
         LEFT JOIN org_nodes f ON f.id = t.from_branch_id
         LEFT JOIN org_nodes d ON d.id = t.to_branch_id
         JOIN accounts a ON a.id = t.initiated_by "
    };
}

pub struct NewTransfer<'a> {
    pub member_id: i64,
    pub kind: &'a str,
    pub status: &'a str,
    pub from_branch_id: Option<i64>,
    pub to_branch_id: Option<i64>,
    pub to_group_id: Option<i64>,
    pub counterpart: &'a str,
    pub letter_no: &'a str,
    pub issued_on: Option<&'a str>,
    pub slip_due_on: Option<&'a str>,
    pub reason: &'a str,
    pub initiated_by: i64,
    pub now: i64,
}

pub async fn insert_transfer(conn: Conn<'_>, new: &NewTransfer<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO transfers (member_id, kind, status, from_branch_id, to_branch_id, to_group_id, counterpart,
                                letter_no, issued_on, slip_due_on, reason, initiated_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(new.member_id)
        .bind(new.kind)
        .bind(new.status)
        .bind(new.from_branch_id)
        .bind(new.to_branch_id)
        .bind(new.to_group_id)
        .bind(new.counterpart)
        .bind(new.letter_no)
        .bind(new.issued_on)
        .bind(new.slip_due_on)
        .bind(new.reason)
        .bind(new.initiated_by)
        .bind(new.now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn transfer_by_id(conn: Conn<'_>, id: i64) -> Result<Option<TransferRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_transfers!(),
        "WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

/// Transfers leaving or entering a subtree (all when `None`), newest first.
pub async fn transfers_in_scope(
    conn: Conn<'_>,
    scope: Option<&SubtreeRange>,
) -> Result<Vec<TransferRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_transfers!(),
        "WHERE $1 IS NULL OR (f.path >= $1 AND f.path < $2) OR (d.path >= $1 AND d.path < $2)
         ORDER BY t.created_at DESC, t.id DESC LIMIT 500"
    ))
    .bind(scope.map(|r| r.start.as_str()))
    .bind(scope.map(|r| r.end.as_str()))
    .fetch_all(c)
    .await?))
}

pub async fn transfers_of_member(conn: Conn<'_>, member_id: i64) -> Result<Vec<TransferRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_transfers!(),
        "WHERE t.member_id = $1 ORDER BY t.created_at, t.id"
    ))
    .bind(member_id)
    .fetch_all(c)
    .await?))
}

/// Closes a pending transfer with a decision (accepted, rejected, cancelled).
pub async fn decide(
    conn: Conn<'_>,
    id: i64,
    status: &str,
    to_group_id: Option<i64>,
    note: &str,
    by: i64,
    now: i64,
) -> Result<u64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query(
            "UPDATE transfers SET status = $1, to_group_id = COALESCE($2, to_group_id), decision_note = $3, decided_by = $4,
                decided_at = $5 WHERE id = $6 AND status = 'pending'",
        )
        .bind(status)
        .bind(to_group_id)
        .bind(note)
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected())
    })
}

pub async fn record_slip(conn: Conn<'_>, id: i64, returned_on: &str) -> Result<u64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query(
            "UPDATE transfers SET slip_returned_on = $1, status = 'received' WHERE id = $2 AND kind = 'out' AND slip_returned_on IS NULL",
        )
        .bind(returned_on)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected())
    })
}
