//! Maintained dues totals per organization node and month, for the node's whole subtree. Each
//! sheet write adds its delta to the row of every ancestor in the same transaction; the summary of
//! a committee reads its own and its children's rows. A test proves they equal a recount.

use crate::db::on_backend;
use crate::{Conn, Result, SubtreeRange};

/// A change to the totals, or the totals themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Totals {
    pub members: i64,
    pub due_fen: i64,
    pub collected_fen: i64,
    pub settled: i64,
    pub partial: i64,
    pub warned: i64,
    pub flagged: i64,
}

impl Totals {
    pub fn is_zero(&self) -> bool {
        *self == Totals::default()
    }

    pub fn minus(self, other: Totals) -> Totals {
        Totals {
            members: self.members - other.members,
            due_fen: self.due_fen - other.due_fen,
            collected_fen: self.collected_fen - other.collected_fen,
            settled: self.settled - other.settled,
            partial: self.partial - other.partial,
            warned: self.warned - other.warned,
            flagged: self.flagged - other.flagged,
        }
    }

    pub fn plus(self, other: Totals) -> Totals {
        self.minus(Totals::default().minus(other))
    }
}

/// Adds `delta` to the month's totals of each node in `org_ids` (a row's node and its ancestors).
pub async fn add(conn: Conn<'_>, org_ids: &[i64], month: &str, delta: &Totals) -> Result<()> {
    if delta.is_zero() {
        return Ok(());
    }
    on_backend!(conn, |c| {
        for org_id in org_ids {
            sqlx::query(
                "INSERT INTO dues_totals (org_id, month, members, due_fen, collected_fen, settled, partial, warned, flagged)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (org_id, month) DO UPDATE SET
                   members = dues_totals.members + excluded.members,
                   due_fen = dues_totals.due_fen + excluded.due_fen,
                   collected_fen = dues_totals.collected_fen + excluded.collected_fen,
                   settled = dues_totals.settled + excluded.settled,
                   partial = dues_totals.partial + excluded.partial,
                   warned = dues_totals.warned + excluded.warned,
                   flagged = dues_totals.flagged + excluded.flagged",
            )
            .bind(org_id)
            .bind(month)
            .bind(delta.members)
            .bind(delta.due_fen)
            .bind(delta.collected_fen)
            .bind(delta.settled)
            .bind(delta.partial)
            .bind(delta.warned)
            .bind(delta.flagged)
            .execute(&mut *c)
            .await?;
        }
    });
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeTotals {
    pub org_id: i64,
    pub month: String,
    #[sqlx(flatten)]
    pub totals: Totals,
}

const SELECT: &str = "SELECT org_id, month, members, due_fen, collected_fen, settled, partial, warned, flagged FROM dues_totals";

/// The totals of the given nodes over a month range (inclusive).
pub async fn totals_of(
    conn: Conn<'_>,
    org_ids: &[i64],
    from: &str,
    to: &str,
) -> Result<Vec<NodeTotals>> {
    let mut all = Vec::new();
    on_backend!(conn, |c| {
        for org_id in org_ids {
            let rows: Vec<NodeTotals> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE org_id = $1 AND month >= $2 AND month <= $3 ORDER BY month"
            )))
            .bind(org_id)
            .bind(from)
            .bind(to)
            .fetch_all(&mut *c)
            .await?;
            all.extend(rows);
        }
    });
    Ok(all)
}

/// The same figures counted from the sheet rows of a subtree: what the totals must equal.
pub async fn recount(conn: Conn<'_>, range: &SubtreeRange, month: &str) -> Result<Totals> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT COUNT(*) AS members,
                CAST(COALESCE(SUM(s.due_fen), 0) AS BIGINT) AS due_fen,
                CAST(COALESCE(SUM(s.paid_fen), 0) AS BIGINT) AS collected_fen,
                CAST(COALESCE(SUM(CASE WHEN s.status IN ('paid', 'exempt') THEN 1 ELSE 0 END), 0) AS BIGINT) AS settled,
                CAST(COALESCE(SUM(CASE WHEN s.status = 'partial' THEN 1 ELSE 0 END), 0) AS BIGINT) AS partial,
                CAST(COALESCE(SUM(CASE WHEN s.arrears_streak >= 3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS warned,
                CAST(COALESCE(SUM(CASE WHEN s.arrears_streak >= 6 THEN 1 ELSE 0 END), 0) AS BIGINT) AS flagged
         FROM dues_months s JOIN org_nodes o ON o.id = s.org_id
         WHERE o.path >= $1 AND o.path < $2 AND s.month = $3",
        )
        .bind(&range.start)
        .bind(&range.end)
        .bind(month)
        .fetch_one(c)
        .await?)
    })
}
