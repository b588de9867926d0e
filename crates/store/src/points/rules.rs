//! Rulebook versions per node and their items.

use crate::db::on_backend;
use crate::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub org_id: i64,
    pub effective_from: String,
    pub base_points: Option<i64>,
    pub note: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub version_id: i64,
    pub code: String,
    pub name: String,
    pub category: String,
    pub points: i64,
    pub min_points: i64,
    pub max_points: i64,
    pub cap: Option<i64>,
    pub cap_period: String,
    pub trigger_on: String,
    pub enabled: bool,
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The version in force on `on` at each of the given nodes (at most one per node).
pub async fn versions_in_force(
    conn: Conn<'_>,
    org_ids: &[i64],
    on: &str,
) -> Result<Vec<VersionRow>> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers of our own; inlining them keeps one statement for any depth.
    let sql = format!(
        "SELECT v.id, v.org_id, v.effective_from, v.base_points, v.note, v.created_at FROM points_rule_versions v
         WHERE v.org_id IN ({}) AND v.effective_from <= $1 AND NOT EXISTS (
             SELECT 1 FROM points_rule_versions w WHERE w.org_id = v.org_id AND w.effective_from <= $1
             AND w.effective_from > v.effective_from)",
        id_list(org_ids)
    );
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(on)
        .fetch_all(c)
        .await?))
}

/// Every version of a node, newest first.
pub async fn versions_of(conn: Conn<'_>, org_id: i64) -> Result<Vec<VersionRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT id, org_id, effective_from, base_points, note, created_at FROM points_rule_versions
         WHERE org_id = $1 ORDER BY effective_from DESC",
    )
    .bind(org_id)
    .fetch_all(c)
    .await?))
}

pub async fn items_of(conn: Conn<'_>, version_ids: &[i64]) -> Result<Vec<ItemRow>> {
    if version_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT version_id, code, name, category, points, min_points, max_points, cap, cap_period, trigger_on, enabled
         FROM points_rule_items WHERE version_id IN ({}) ORDER BY code",
        id_list(version_ids)
    );
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?))
}

pub struct NewVersion<'a> {
    pub org_id: i64,
    pub effective_from: &'a str,
    pub base_points: Option<i64>,
    pub note: &'a str,
    pub created_by: i64,
    pub created_at: i64,
}

pub async fn insert_version(
    mut conn: Conn<'_>,
    v: &NewVersion<'_>,
    items: &[ItemRow],
) -> Result<i64> {
    let id: i64 = on_backend!(&mut conn, |c| {
        sqlx::query_scalar(
            "INSERT INTO points_rule_versions (org_id, effective_from, base_points, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(v.org_id)
        .bind(v.effective_from)
        .bind(v.base_points)
        .bind(v.note)
        .bind(v.created_by)
        .bind(v.created_at)
        .fetch_one(&mut **c)
        .await
    })?;
    for i in items {
        on_backend!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO points_rule_items (version_id, code, name, category, points, min_points, max_points, cap, cap_period, trigger_on, enabled)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(&i.code)
            .bind(&i.name)
            .bind(&i.category)
            .bind(i.points)
            .bind(i.min_points)
            .bind(i.max_points)
            .bind(i.cap)
            .bind(&i.cap_period)
            .bind(&i.trigger_on)
            .bind(i.enabled)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected())
        })?;
    }
    Ok(id)
}

/// The latest day with an entry in the subtree of branches in the range: a new version may not
/// take effect on or before it.
pub async fn last_awarded_on(
    conn: Conn<'_>,
    range: &crate::SubtreeRange,
) -> Result<Option<String>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT max(e.occurred_on) FROM points_entries e JOIN org_nodes b ON b.id = e.org_id
         WHERE b.path >= $1 AND b.path < $2",
    )
    .bind(&range.start)
    .bind(&range.end)
    .fetch_one(c)
    .await?))
}
