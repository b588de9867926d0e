//! The audit log: append-only (database triggers refuse updates and deletes).

use crate::db::on_backend;
use crate::{Conn, PageRequest, Result, SubtreeRange};

#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: i64,
    pub actor_account_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub org_id: Option<i64>,
    pub summary: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub client_ip: String,
    pub request_id: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_account_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub summary: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub client_ip: String,
    pub request_id: String,
}

/// Which entries to list. `scope: None` means the whole log, entries with no organization included.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub scope: Option<SubtreeRange>,
    /// A fragment of the actor's name.
    pub actor: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

pub async fn insert_entry(conn: Conn<'_>, entry: &NewAuditEntry) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO audit_log (at, actor_account_id, actor_name, action, entity_type, entity_id, org_id,
                                summary, before_state, after_state, client_ip, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(entry.at)
        .bind(entry.actor_account_id)
        .bind(&entry.actor_name)
        .bind(&entry.action)
        .bind(&entry.entity_type)
        .bind(&entry.entity_id)
        .bind(entry.org_id)
        .bind(&entry.summary)
        .bind(&entry.before_state)
        .bind(&entry.after_state)
        .bind(&entry.client_ip)
        .bind(&entry.request_id)
        .fetch_one(c)
        .await?)
    })
}

macro_rules! audit_filter {
    () => {
        " FROM audit_log l LEFT JOIN org_nodes o ON o.id = l.org_id
          WHERE ($1 IS NULL OR (o.path >= $1 AND o.path < $2))
            AND ($3 IS NULL OR l.actor_name LIKE $3 ESCAPE '\\')
            AND ($4 IS NULL OR l.entity_type = $4)
            AND ($5 IS NULL OR l.entity_id = $5)
            AND ($6 IS NULL OR l.at >= $6)
            AND ($7 IS NULL OR l.at < $7) "
    };
}

/// One page of matching entries, newest first, and how many match in all.
pub async fn entries(
    conn: Conn<'_>,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<(Vec<AuditRow>, i64)> {
    let actor = filter.actor.as_deref().map(crate::contains_pattern);
    let start = filter.scope.as_ref().map(|r| r.start.as_str());
    let end = filter.scope.as_ref().map(|r| r.end.as_str());
    on_backend!(conn, |c| {
        let rows = sqlx::query_as(concat!(
            "SELECT l.id, l.at, l.actor_account_id, l.actor_name, l.action, l.entity_type, l.entity_id,
                    l.org_id, o.name AS org_name, l.summary, l.before_state, l.after_state, l.client_ip, l.request_id",
            audit_filter!(),
            "ORDER BY l.at DESC, l.id DESC LIMIT $8 OFFSET $9"
        ))
        .bind(start)
        .bind(end)
        .bind(&actor)
        .bind(&filter.entity_type)
        .bind(&filter.entity_id)
        .bind(filter.from)
        .bind(filter.to)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *c)
        .await?;
        let total = sqlx::query_scalar(concat!("SELECT count(*)", audit_filter!()))
            .bind(start)
            .bind(end)
            .bind(&actor)
            .bind(&filter.entity_type)
            .bind(&filter.entity_id)
            .bind(filter.from)
            .bind(filter.to)
            .fetch_one(&mut *c)
            .await?;
        Ok((rows, total))
    })
}

/// The distinct entity types present, for the filter's choices.
pub async fn entity_types(conn: Conn<'_>) -> Result<Vec<String>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT DISTINCT entity_type FROM audit_log ORDER BY entity_type"
    )
    .fetch_all(c)
    .await?))
}
