//! The audit log: append-only (database triggers refuse updates and deletes).

use dangjian_domain::audit::{AuditLinkFields, audit_link_hash};

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

/// Appends an entry and its chain link inside the caller's transaction; returns the entry's id.
/// The chain head is locked first, so concurrent appends queue and the chain never forks
/// (PostgreSQL: the head row's lock; SQLite: the write transaction already holds the one lock).
pub async fn insert_entry(mut conn: Conn<'_>, entry: &NewAuditEntry) -> Result<i64> {
    let (seq, prev_hash) = lock_chain_head(conn.reborrow()).await?;
    let id: i64 = on_backend!(&mut conn, |c| {
        sqlx::query_scalar(
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
        .fetch_one(&mut **c)
        .await
    })?;
    let row = AuditRow {
        id,
        at: entry.at,
        actor_account_id: entry.actor_account_id,
        actor_name: entry.actor_name.clone(),
        action: entry.action.clone(),
        entity_type: entry.entity_type.clone(),
        entity_id: entry.entity_id.clone(),
        org_id: entry.org_id,
        org_name: None,
        summary: entry.summary.clone(),
        before_state: entry.before_state.clone(),
        after_state: entry.after_state.clone(),
        client_ip: entry.client_ip.clone(),
        request_id: entry.request_id.clone(),
    };
    append_link(conn, &row, seq + 1, &prev_hash).await?;
    Ok(id)
}

/// The hash of an entry as the `seq`th link after `prev_hash`.
pub fn link_hash_of(row: &AuditRow, seq: i64, prev_hash: &str) -> String {
    audit_link_hash(&AuditLinkFields {
        seq,
        id: row.id,
        at: row.at,
        actor_account_id: row.actor_account_id,
        actor_name: &row.actor_name,
        action: &row.action,
        entity_type: &row.entity_type,
        entity_id: row.entity_id.as_deref(),
        org_id: row.org_id,
        summary: &row.summary,
        before_state: row.before_state.as_deref(),
        after_state: row.after_state.as_deref(),
        client_ip: &row.client_ip,
        request_id: &row.request_id,
        prev_hash,
    })
}

/// Locks the chain head for this transaction; returns the last link's seq and hash.
async fn lock_chain_head(conn: Conn<'_>) -> Result<(i64, String)> {
    Ok(match conn {
        Conn::Sqlite(c) => {
            sqlx::query_as("SELECT seq, head_hash FROM audit_chain_head WHERE id = 1")
                .fetch_one(c)
                .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_as("SELECT seq, head_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
                .fetch_one(c)
                .await?
        }
    })
}

/// Appends `row` as link `seq` (the head is locked) and moves the head.
async fn append_link(mut conn: Conn<'_>, row: &AuditRow, seq: i64, prev_hash: &str) -> Result<()> {
    let hash = link_hash_of(row, seq, prev_hash);
    on_backend!(&mut conn, |c| sqlx::query(
        "INSERT INTO audit_chain (seq, audit_id, prev_hash, hash) VALUES ($1, $2, $3, $4)"
    )
    .bind(seq)
    .bind(row.id)
    .bind(prev_hash)
    .bind(&hash)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    on_backend!(&mut conn, |c| sqlx::query(
        "UPDATE audit_chain_head SET seq = $1, head_hash = $2 WHERE id = 1"
    )
    .bind(seq)
    .bind(&hash)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

macro_rules! select_linked {
    () => {
        "SELECT l.id, l.at, l.actor_account_id, l.actor_name, l.action, l.entity_type, l.entity_id,
                l.org_id, CAST(NULL AS TEXT) AS org_name, l.summary, l.before_state, l.after_state, l.client_ip, l.request_id"
    };
}

/// Entries written before the chain existed (or slipped past it), oldest first, at most `limit`.
async fn unlinked_entries(conn: Conn<'_>, limit: i64) -> Result<Vec<AuditRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_linked!(),
        " FROM audit_log l WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = l.id)
          ORDER BY l.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(c)
    .await?))
}

/// The first entry that has no link, if any: written around the product, straight into the table.
pub async fn first_unlinked(conn: Conn<'_>) -> Result<Option<i64>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT min(l.id) FROM audit_log l
         WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = l.id)"
    )
    .fetch_one(c)
    .await?))
}

/// Chains the entries written before the chain existed, in id order: once, at the first start-up
/// after the migration that created the chain (the same rows in the same order give the same
/// hashes on either database). Only while the chain is still empty: afterwards every entry is
/// linked as it is written, and an unlinked one was slipped in around the product, which
/// verification must keep reporting rather than a restart adopting it. Returns how many were
/// chained.
pub async fn chain_unlinked(store: &crate::Store) -> Result<u64> {
    if chain_head(store.acquire().await?.conn()).await?.0 != 0 {
        return Ok(0);
    }
    // The transaction writes no time of its own.
    let mut tx = store.begin_at(0).await?;
    let (mut seq, mut prev) = lock_chain_head(tx.conn()).await?;
    if seq != 0 {
        // Another server chained them while this one waited for the lock.
        return Ok(0);
    }
    let mut chained = 0u64;
    loop {
        let rows = unlinked_entries(tx.conn(), 1000).await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            seq += 1;
            append_link(tx.conn(), &row, seq, &prev).await?;
            prev = link_hash_of(&row, seq, &prev);
            chained += 1;
        }
    }
    tx.commit().await?;
    Ok(chained)
}

/// The chain's head: its last seq and hash.
pub async fn chain_head(conn: Conn<'_>) -> Result<(i64, String)> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT seq, head_hash FROM audit_chain_head WHERE id = 1"
    )
    .fetch_one(c)
    .await?))
}

/// A link with the entry it covers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkedEntry {
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    #[sqlx(flatten)]
    pub entry: AuditRow,
}

/// One page of the chain in order, after link `after_seq` (verification walks it page by page).
pub async fn chain_page(conn: Conn<'_>, after_seq: i64, limit: i64) -> Result<Vec<LinkedEntry>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_linked!(),
        ", c.seq, c.prev_hash, c.hash FROM audit_chain c JOIN audit_log l ON l.id = c.audit_id
          WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"
    ))
    .bind(after_seq)
    .bind(limit)
    .fetch_all(c)
    .await?))
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
