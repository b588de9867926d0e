//! Maintained points totals per member and period and per node and period, updated in the
//! transaction of every entry; leaderboards read their top rows through an index.

use crate::db::on_backend;
use crate::{Conn, Result, SubtreeRange};

/// Adds an entry's points to the member's row of a period.
pub async fn bump_member(
    conn: Conn<'_>,
    member_id: i64,
    branch_id: i64,
    group_id: Option<i64>,
    branch_path: &str,
    period: &str,
    points: i64,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO points_member_totals (member_id, branch_id, period, group_id, branch_path, points)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (member_id, branch_id, period) DO UPDATE SET points = points_member_totals.points + excluded.points,
             group_id = excluded.group_id",
        )
        .bind(member_id)
        .bind(branch_id)
        .bind(period)
        .bind(group_id)
        .bind(branch_path)
        .bind(points)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Adds an entry's points to a node's sum of a period (the node and each ancestor).
pub async fn bump_orgs(
    mut conn: Conn<'_>,
    org_ids: &[i64],
    period: &str,
    points: i64,
) -> Result<()> {
    for org_id in org_ids {
        on_backend!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO points_org_totals (org_id, period, points) VALUES ($1, $2, $3)
             ON CONFLICT (org_id, period) DO UPDATE SET points = points_org_totals.points + excluded.points",
            )
            .bind(org_id)
            .bind(period)
            .bind(points)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct MemberTotal {
    pub member_id: i64,
    pub name: String,
    pub branch_id: i64,
    pub group_id: Option<i64>,
    pub points: i64,
}

/// Which members a leaderboard ranks.
#[derive(Debug, Clone)]
pub enum Among {
    Group(i64),
    Branch(i64),
    Subtree(SubtreeRange),
}

/// The top `limit` members of a period, highest first: each reads its index
/// (`(group_id|branch_id, period, points)` or `(period, points DESC, member_id, branch_path)`,
/// which also orders the ties, so a root leaderboard stops after `limit` rows, migration 0011).
pub async fn top_members(
    conn: Conn<'_>,
    among: &Among,
    period: &str,
    limit: i64,
) -> Result<Vec<MemberTotal>> {
    ranked_members(conn, among, period, limit, "t.points DESC, t.member_id").await
}

/// The bottom `limit` members of a period, lowest first (the same index read backwards).
pub async fn bottom_members(
    conn: Conn<'_>,
    among: &Among,
    period: &str,
    limit: i64,
) -> Result<Vec<MemberTotal>> {
    // The rank index read backwards (ties by member, highest id first).
    ranked_members(conn, among, period, limit, "t.points, t.member_id DESC").await
}

async fn ranked_members(
    conn: Conn<'_>,
    among: &Among,
    period: &str,
    limit: i64,
    order: &str,
) -> Result<Vec<MemberTotal>> {
    const COLUMNS: &str = "SELECT t.member_id, m.name, t.branch_id, t.group_id, t.points
         FROM points_member_totals t JOIN members m ON m.id = t.member_id ";
    on_backend!(conn, |c| {
        Ok(match among {
            Among::Group(id) => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{COLUMNS} WHERE t.group_id = $1 AND t.period = $2 ORDER BY {order} LIMIT $3"
                )))
                .bind(id)
                .bind(period)
                .bind(limit)
                .fetch_all(c)
                .await?
            }
            Among::Branch(id) => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{COLUMNS} WHERE t.branch_id = $1 AND t.period = $2 ORDER BY {order} LIMIT $3"
                )))
                .bind(id)
                .bind(period)
                .bind(limit)
                .fetch_all(c)
                .await?
            }
            Among::Subtree(r) => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{COLUMNS} WHERE t.period = $1 AND t.branch_path >= $2 AND t.branch_path < $3 ORDER BY {order} LIMIT $4"
                )))
                .bind(period)
                .bind(&r.start)
                .bind(&r.end)
                .bind(limit)
                .fetch_all(c)
                .await?
            }
        })
    })
}

/// A member's total in a period beside the period before it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberChange {
    pub member_id: i64,
    pub name: String,
    pub points: i64,
    pub before: i64,
}

/// Every member in scope with a total this period, with the previous period's total (0 if none).
/// Bulletins rank these by the size of the change; a bulletin is generated on request, not on
/// every page view, so reading the scope's rows is acceptable here.
pub async fn changes(
    conn: Conn<'_>,
    among: &Among,
    period: &str,
    previous: &str,
) -> Result<Vec<MemberChange>> {
    const COLUMNS: &str = "SELECT t.member_id, m.name, t.points, coalesce(p.points, 0) AS before
         FROM points_member_totals t JOIN members m ON m.id = t.member_id
         LEFT JOIN points_member_totals p ON p.member_id = t.member_id AND p.period = $2 ";
    on_backend!(conn, |c| Ok(match among {
        Among::Group(id) =>
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{COLUMNS} WHERE t.group_id = $3 AND t.period = $1"
            )))
            .bind(period)
            .bind(previous)
            .bind(id)
            .fetch_all(c)
            .await?,
        Among::Branch(id) =>
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{COLUMNS} WHERE t.branch_id = $3 AND t.period = $1"
            )))
            .bind(period)
            .bind(previous)
            .bind(id)
            .fetch_all(c)
            .await?,
        Among::Subtree(r) =>
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{COLUMNS} WHERE t.period = $1 AND t.branch_path >= $3 AND t.branch_path < $4"
            )))
            .bind(period)
            .bind(previous)
            .bind(&r.start)
            .bind(&r.end)
            .fetch_all(c)
            .await?,
    }))
}

/// How many members in scope have a row above `points`, and how many rows exist (members without a
/// row have 0 points).
pub async fn above(conn: Conn<'_>, among: &Among, period: &str, points: i64) -> Result<(i64, i64)> {
    const SELECT: &str = "SELECT coalesce(sum(CASE WHEN points > $3 THEN 1 ELSE 0 END), 0), count(*) FROM points_member_totals";
    on_backend!(conn, |c| Ok(match among {
        Among::Group(id) =>
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE group_id = $1 AND period = $2"
            )))
            .bind(id)
            .bind(period)
            .bind(points)
            .fetch_one(c)
            .await?,
        Among::Branch(id) =>
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE branch_id = $1 AND period = $2"
            )))
            .bind(id)
            .bind(period)
            .bind(points)
            .fetch_one(c)
            .await?,
        Among::Subtree(r) =>
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE period = $2 AND branch_path >= $1 AND branch_path < $4"
            )))
            .bind(&r.start)
            .bind(period)
            .bind(points)
            .bind(&r.end)
            .fetch_one(c)
            .await?,
    }))
}

/// A member's total of a period (all branches they were in).
pub async fn member_total(conn: Conn<'_>, member_id: i64, period: &str) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar::<_, Option<i64>>(
            "SELECT CAST(sum(points) AS BIGINT) FROM points_member_totals WHERE member_id = $1 AND period = $2",
        )
        .bind(member_id)
        .bind(period)
        .fetch_one(c)
        .await?
        .unwrap_or(0))
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeTotal {
    pub org_id: i64,
    pub path: String,
    pub name: String,
    pub kind: String,
    pub points: i64,
    pub members: i64,
}

/// The groups or branches of a subtree with their sums and active members: few enough per node
/// (a committee's branches) to order by average in the caller.
pub async fn node_totals(
    conn: Conn<'_>,
    range: &SubtreeRange,
    kind: &str,
    period: &str,
) -> Result<Vec<NodeTotal>> {
    let member_column = if kind == "group" {
        "group_id"
    } else {
        "branch_id"
    };
    let sql = format!(
        "SELECT o.id AS org_id, o.path, o.name, o.kind, coalesce(t.points, 0) AS points,
                (SELECT count(*) FROM members m WHERE m.{member_column} = o.id AND m.status IN ('normal', 'lost')) AS members
         FROM org_nodes o LEFT JOIN points_org_totals t ON t.org_id = o.id AND t.period = $3
         WHERE o.path >= $1 AND o.path < $2 AND o.kind = $4 AND o.status = 'active' ORDER BY o.path"
    );
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&range.start)
        .bind(&range.end)
        .bind(period)
        .bind(kind)
        .fetch_all(c)
        .await?))
}

/// Every member row and node row, for comparing with a recount.
pub async fn all_member_totals(conn: Conn<'_>) -> Result<Vec<(i64, i64, String, i64)>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT member_id, branch_id, period, points FROM points_member_totals WHERE points <> 0 ORDER BY 1, 2, 3",
        )
        .fetch_all(c)
        .await?)
    })
}

pub async fn all_org_totals(conn: Conn<'_>) -> Result<Vec<(i64, String, i64)>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT org_id, period, points FROM points_org_totals WHERE points <> 0 ORDER BY 1, 2",
    )
    .fetch_all(c)
    .await?))
}

/// Publishes a node's bulletin of a period; false if it was already published.
pub async fn publish_bulletin(
    conn: Conn<'_>,
    org_id: i64,
    period: &str,
    by: i64,
    at: i64,
) -> Result<bool> {
    on_backend!(conn, |c| {
        Ok(sqlx::query(
            "INSERT INTO points_bulletins (org_id, period, published_by, published_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id, period) DO NOTHING",
        )
        .bind(org_id)
        .bind(period)
        .bind(by)
        .bind(at)
        .execute(c)
        .await?
        .rows_affected()
            == 1)
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BulletinRow {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
    pub published_at: i64,
}

/// Published bulletins of the given nodes (a member's branch and its ancestors), newest first.
pub async fn bulletins_of(conn: Conn<'_>, org_ids: &[i64]) -> Result<Vec<BulletinRow>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = org_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT b.org_id, o.name AS org_name, b.period, b.published_at FROM points_bulletins b JOIN org_nodes o ON o.id = b.org_id
         WHERE b.org_id IN ({ids}) ORDER BY b.published_at DESC LIMIT 50"
    );
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?))
}

pub async fn is_published(conn: Conn<'_>, org_id: i64, period: &str) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM points_bulletins WHERE org_id = $1 AND period = $2"
    )
    .bind(org_id)
    .bind(period)
    .fetch_one(c)
    .await?
        > 0))
}
