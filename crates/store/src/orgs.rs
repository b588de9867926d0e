//! Organization nodes. Subtree reads are ranges over the materialized path (see `OrgPath`).

use crate::db::on_backend;
use crate::{Conn, Result, SubtreeRange};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub path: String,
    pub status: String,
}

/// Inserts a node under `parent_path` (`None`: at the top) and returns its id and path.
pub async fn insert_org(
    conn: Conn<'_>,
    parent: Option<(i64, &str)>,
    kind: &str,
    name: &str,
    now: i64,
) -> Result<(i64, String)> {
    on_backend!(conn, c => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO org_nodes (parent_id, kind, name, path, created_at) VALUES ($1, $2, $3, '', $4) RETURNING id",
        )
        .bind(parent.map(|(id, _)| id))
        .bind(kind)
        .bind(name)
        .bind(now)
        .fetch_one(&mut *c)
        .await?;
        // The path contains the node's own id, so it can only be written once the id is known.
        let path = format!("{}{id}/", parent.map(|(_, p)| p).unwrap_or("/"));
        sqlx::query("UPDATE org_nodes SET path = $1 WHERE id = $2").bind(&path).bind(id).execute(&mut *c).await?;
        Ok((id, path))
    })
}

pub async fn org_by_id(conn: Conn<'_>, id: i64) -> Result<Option<OrgRow>> {
    on_backend!(conn, c => Ok(sqlx::query_as(
        "SELECT id, parent_id, kind, name, path, status FROM org_nodes WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?))
}

/// Every node in the subtree, ordered so that a parent precedes its children.
pub async fn orgs_in_subtree(conn: Conn<'_>, range: &SubtreeRange) -> Result<Vec<OrgRow>> {
    on_backend!(conn, c => Ok(sqlx::query_as(
        "SELECT id, parent_id, kind, name, path, status FROM org_nodes
         WHERE path >= $1 AND path < $2 ORDER BY path",
    )
    .bind(&range.start)
    .bind(&range.end)
    .fetch_all(c)
    .await?))
}

/// Every node, in tree order (for the system administrator's pickers).
pub async fn all_orgs(conn: Conn<'_>) -> Result<Vec<OrgRow>> {
    on_backend!(conn, c => Ok(sqlx::query_as(
        "SELECT id, parent_id, kind, name, path, status FROM org_nodes ORDER BY path",
    )
    .fetch_all(c)
    .await?))
}

pub async fn count_orgs(conn: Conn<'_>) -> Result<i64> {
    on_backend!(conn, c => Ok(sqlx::query_scalar("SELECT count(*) FROM org_nodes").fetch_one(c).await?))
}
