//! Positions held in a committee or a group (书记, 委员, 党小组长, ...), with terms. Ending a
//! position sets its end date; nothing is deleted, so who held what when stays answerable.

use crate::db::on_backend;
use crate::{Conn, Result, SubtreeRange};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PositionRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub member_id: i64,
    pub member_name: String,
    pub position: String,
    pub started_on: String,
    pub obtained_by: String,
    pub term_ends_on: Option<String>,
    pub ended_on: Option<String>,
}

macro_rules! select_positions {
    () => {
        "SELECT p.id, p.org_id, o.name AS org_name, p.member_id, m.name AS member_name, p.position, p.started_on,
                p.obtained_by, p.term_ends_on, p.ended_on
         FROM positions p JOIN org_nodes o ON o.id = p.org_id JOIN members m ON m.id = p.member_id "
    };
}

pub struct NewPosition<'a> {
    pub org_id: i64,
    pub member_id: i64,
    pub position: &'a str,
    pub started_on: &'a str,
    pub obtained_by: &'a str,
    pub term_ends_on: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_position(conn: Conn<'_>, new: &NewPosition<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO positions (org_id, member_id, position, started_on, obtained_by, term_ends_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.org_id)
        .bind(new.member_id)
        .bind(new.position)
        .bind(new.started_on)
        .bind(new.obtained_by)
        .bind(new.term_ends_on)
        .bind(new.now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn end_position(conn: Conn<'_>, id: i64, ended_on: &str) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE positions SET ended_on = $1 WHERE id = $2 AND ended_on IS NULL"
    )
    .bind(ended_on)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Positions currently held in the nodes of a subtree, node by node; the order within a node is
/// the caller's (`Position::precedence`), since the codes do not sort the way a committee is named.
pub async fn current_positions_in_subtree(
    conn: Conn<'_>,
    range: &SubtreeRange,
) -> Result<Vec<PositionRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(concat!(
            select_positions!(),
            "WHERE o.path >= $1 AND o.path < $2 AND p.ended_on IS NULL ORDER BY o.path, p.id"
        ))
        .bind(&range.start)
        .bind(&range.end)
        .fetch_all(c)
        .await?)
    })
}

/// Every position a member has held, newest first.
pub async fn positions_of_member(conn: Conn<'_>, member_id: i64) -> Result<Vec<PositionRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_positions!(),
        "WHERE p.member_id = $1 ORDER BY p.started_on DESC"
    ))
    .bind(member_id)
    .fetch_all(c)
    .await?))
}

/// The members of a node's committee on a day (书记, 委员, …; not 党小组长), each once, still on
/// the roster.
pub async fn committee_member_ids(conn: Conn<'_>, org_id: i64, on: &str) -> Result<Vec<i64>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT DISTINCT p.member_id FROM positions p JOIN members m ON m.id = p.member_id
         WHERE p.org_id = $1 AND p.position <> 'group_leader' AND p.started_on <= $2
           AND (p.ended_on IS NULL OR p.ended_on > $2) AND m.status IN ('normal', 'lost')
         ORDER BY p.member_id"
    )
    .bind(org_id)
    .bind(on)
    .fetch_all(c)
    .await?))
}
