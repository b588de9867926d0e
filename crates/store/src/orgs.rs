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
    pub is_joint: bool,
    pub is_temporary: bool,
    pub joint_units: Option<i64>,
    pub term_years: Option<i64>,
    pub dissolved_on: Option<String>,
}

macro_rules! select_orgs {
    () => {
        "SELECT id, parent_id, kind, name, path, status, is_joint, is_temporary, joint_units, term_years,
                dissolved_on FROM org_nodes "
    };
}

/// A node to insert; flags only matter for branches.
pub struct NewOrg<'a> {
    pub parent: Option<(i64, &'a str)>,
    pub kind: &'a str,
    pub name: &'a str,
    pub is_joint: bool,
    pub is_temporary: bool,
    pub joint_units: Option<i64>,
    pub term_years: Option<i64>,
    pub now: i64,
}

impl<'a> NewOrg<'a> {
    pub fn plain(
        parent: Option<(i64, &'a str)>,
        kind: &'a str,
        name: &'a str,
        now: i64,
    ) -> NewOrg<'a> {
        NewOrg {
            parent,
            kind,
            name,
            is_joint: false,
            is_temporary: false,
            joint_units: None,
            term_years: None,
            now,
        }
    }
}

/// Inserts a node and returns its id and path.
pub async fn insert_org(conn: Conn<'_>, new: &NewOrg<'_>) -> Result<(i64, String)> {
    on_backend!(conn, |c| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO org_nodes (parent_id, kind, name, path, is_joint, is_temporary, joint_units, term_years, created_at)
             VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.parent.map(|(id, _)| id))
        .bind(new.kind)
        .bind(new.name)
        .bind(new.is_joint)
        .bind(new.is_temporary)
        .bind(new.joint_units)
        .bind(new.term_years)
        .bind(new.now)
        .fetch_one(&mut *c)
        .await?;
        // The path contains the node's own id, so it can only be written once the id is known.
        let path = format!("{}{id}/", new.parent.map(|(_, p)| p).unwrap_or("/"));
        sqlx::query("UPDATE org_nodes SET path = $1 WHERE id = $2")
            .bind(&path)
            .bind(id)
            .execute(&mut *c)
            .await?;
        Ok((id, path))
    })
}

/// Changes what an administrator may edit on a node (not its place in the tree).
pub async fn update_org(
    conn: Conn<'_>,
    id: i64,
    name: &str,
    is_joint: bool,
    is_temporary: bool,
    joint_units: Option<i64>,
    term_years: Option<i64>,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE org_nodes SET name = $1, is_joint = $2, is_temporary = $3, joint_units = $4, term_years = $5 WHERE id = $6",
        )
        .bind(name)
        .bind(is_joint)
        .bind(is_temporary)
        .bind(joint_units)
        .bind(term_years)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Moves a node with its whole subtree under a new parent: one range update of the paths.
pub async fn move_subtree(
    conn: Conn<'_>,
    id: i64,
    new_parent: i64,
    old: &SubtreeRange,
    new_path: &str,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE org_nodes SET path = $1 || substr(path, length($2) + 1) WHERE path >= $2 AND path < $3",
        )
        .bind(new_path)
        .bind(&old.start)
        .bind(&old.end)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE org_nodes SET parent_id = $1 WHERE id = $2")
            .bind(new_parent)
            .bind(id)
            .execute(&mut *c)
            .await?;
        Ok(())
    })
}

/// Marks a node dissolved (撤销) on a date; it keeps its history and stays readable.
pub async fn dissolve(conn: Conn<'_>, id: i64, on: &str) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE org_nodes SET status = 'dissolved', dissolved_on = $1 WHERE id = $2"
    )
    .bind(on)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes a node created by mistake; the caller has checked it has no history.
pub async fn delete_org(conn: Conn<'_>, id: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query("DELETE FROM org_nodes WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Whether anything refers to the node: children, members ever, positions, accounts, audit entries,
/// activities.
pub async fn has_history(conn: Conn<'_>, id: i64) -> Result<bool> {
    on_backend!(conn, |c| {
        let count: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM org_nodes WHERE parent_id = $1)
                  + (SELECT count(*) FROM members WHERE branch_id = $1 OR group_id = $1)
                  + (SELECT count(*) FROM positions WHERE org_id = $1)
                  + (SELECT count(*) FROM accounts WHERE org_id = $1)
                  + (SELECT count(*) FROM audit_log WHERE org_id = $1)
                  + (SELECT count(*) FROM activities WHERE org_id = $1)",
        )
        .bind(id)
        .fetch_one(c)
        .await?;
        Ok(count > 0)
    })
}

pub async fn org_by_id(conn: Conn<'_>, id: i64) -> Result<Option<OrgRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_orgs!(),
        "WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

/// Every node in the subtree, ordered so that a parent precedes its children.
pub async fn orgs_in_subtree(conn: Conn<'_>, range: &SubtreeRange) -> Result<Vec<OrgRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_orgs!(),
        "WHERE path >= $1 AND path < $2 ORDER BY path"
    ))
    .bind(&range.start)
    .bind(&range.end)
    .fetch_all(c)
    .await?))
}

/// The node's children in tree order (through the index on `parent_id`, whatever the subtree's
/// size).
pub async fn children_of(conn: Conn<'_>, parent_id: i64) -> Result<Vec<OrgRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_orgs!(),
        "WHERE parent_id = $1 ORDER BY path"
    ))
    .bind(parent_id)
    .fetch_all(c)
    .await?))
}

/// Every node, in tree order (for the system administrator).
pub async fn all_orgs(conn: Conn<'_>) -> Result<Vec<OrgRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_orgs!(),
        "ORDER BY path"
    ))
    .fetch_all(c)
    .await?))
}

pub async fn count_orgs(conn: Conn<'_>) -> Result<i64> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT count(*) FROM org_nodes"
    )
    .fetch_one(c)
    .await?))
}

/// Members on the rolls per node of a subtree: one row per (branch, group, category), counting
/// only active statuses. The tree view rolls these up the paths.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberCount {
    pub branch_id: i64,
    pub group_id: Option<i64>,
    pub category: String,
    pub members: i64,
}

/// A member is in the subtree when the node holding them (their group, else their branch) is:
/// a group's subtree is the group alone, and its members' branch lies above it, so matching the
/// branch's path alone counted no one for a group (issue #14). As in the members list, the
/// `branch_id IN (…)` superset (branches in range and the branches of groups in range) lets the
/// index on `members(branch_id)` find the rows; the path conditions then keep exactly the subtree.
pub async fn member_counts_in_subtree(
    conn: Conn<'_>,
    range: &SubtreeRange,
) -> Result<Vec<MemberCount>> {
    const COUNTS: &str = "SELECT m.branch_id, m.group_id, m.category, count(*) AS members
         FROM members m JOIN org_nodes b ON b.id = m.branch_id
              LEFT JOIN org_nodes g ON g.id = m.group_id
         WHERE m.branch_id IN (SELECT id FROM org_nodes WHERE path >= $1 AND path < $2
                 UNION SELECT parent_id FROM org_nodes WHERE path >= $1 AND path < $2 AND kind = 'group')
           AND ((b.path >= $1 AND b.path < $2) OR (g.path >= $1 AND g.path < $2))
           AND m.status IN ('normal', 'lost')
         GROUP BY m.branch_id, m.group_id, m.category";
    on_backend!(conn, |c| Ok(sqlx::query_as(COUNTS)
        .bind(&range.start)
        .bind(&range.end)
        .fetch_all(c)
        .await?))
}
