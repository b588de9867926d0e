//! 效能考核: the weights set on nodes and the attendance figures of a group or branch.

use crate::db::on_backend;
use crate::{Conn, Result};

/// The weights set on the given nodes (org id, compliance, attendance, points, dues).
pub async fn weights_of(conn: Conn<'_>, org_ids: &[i64]) -> Result<Vec<(i64, i64, i64, i64, i64)>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = org_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT org_id, compliance, attendance, points, dues FROM assessment_weights WHERE org_id IN ({ids})"
    );
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?))
}

pub async fn set_weights(conn: Conn<'_>, org_id: i64, w: [i64; 4], at: i64) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO assessment_weights (org_id, compliance, attendance, points, dues, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (org_id) DO UPDATE SET compliance = excluded.compliance, attendance = excluded.attendance,
             points = excluded.points, dues = excluded.dues, updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(w[0])
        .bind(w[1])
        .bind(w[2])
        .bind(w[3])
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Attended and expected (attended + excused + absent) over a month range, for the active members
/// of a group (`group = true`) or a branch, from the maintained per-member months.
pub async fn attendance(
    conn: Conn<'_>,
    org_id: i64,
    group: bool,
    from: &str,
    to: &str,
) -> Result<(i64, i64)> {
    let column = if group { "group_id" } else { "branch_id" };
    let sql = format!(
        "SELECT CAST(coalesce(sum(l.attended), 0) AS BIGINT), CAST(coalesce(sum(l.attended + l.excused + l.absent), 0) AS BIGINT)
         FROM member_life_months l JOIN members m ON m.id = l.member_id
         WHERE m.{column} = $1 AND m.status IN ('normal', 'lost') AND l.month >= $2 AND l.month <= $3"
    );
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(org_id)
        .bind(from)
        .bind(to)
        .fetch_one(c)
        .await?))
}
