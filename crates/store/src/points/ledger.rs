//! The ledger: appends (serialized per branch by its chain head), reads, the event cursor and
//! manual proposals. Entries are never updated or deleted (a trigger refuses it).

use crate::db::on_backend;
use crate::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub branch_id: i64,
    pub seq: i64,
    pub member_id: i64,
    pub org_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub rule_version_id: Option<i64>,
    pub points: i64,
    pub reason: String,
    pub source_key: String,
    pub reverses_entry_id: Option<i64>,
    pub proposed_by: String,
    pub approved_by: String,
    pub occurred_on: String,
    pub recorded_at: i64,
    pub prev_hash: String,
    pub hash: String,
}

macro_rules! select_entries {
    () => {
        "SELECT id, branch_id, seq, member_id, org_id, item_code, item_name, rule_version_id, points, reason,
                source_key, reverses_entry_id, proposed_by, approved_by, occurred_on, recorded_at, prev_hash, hash
         FROM points_entries "
    };
}

/// Locks the branch's chain head for this transaction and returns its last seq and hash.
/// PostgreSQL: the row lock makes concurrent appends to one branch queue; SQLite: the write
/// transaction (BEGIN IMMEDIATE) already holds the database's one write lock.
pub async fn lock_head(mut conn: Conn<'_>, branch_id: i64, genesis: &str) -> Result<(i64, String)> {
    on_backend!(&mut conn, |c| {
        sqlx::query(
            "INSERT INTO points_chain_heads (branch_id, seq, head_hash) VALUES ($1, 0, $2) ON CONFLICT (branch_id) DO NOTHING",
        )
        .bind(branch_id)
        .bind(genesis)
        .execute(&mut **c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(match conn {
        Conn::Sqlite(c) => {
            sqlx::query_as("SELECT seq, head_hash FROM points_chain_heads WHERE branch_id = $1")
                .bind(branch_id)
                .fetch_one(c)
                .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_as(
                "SELECT seq, head_hash FROM points_chain_heads WHERE branch_id = $1 FOR UPDATE",
            )
            .bind(branch_id)
            .fetch_one(c)
            .await?
        }
    })
}

/// Appends an entry whose seq and hashes the caller computed under the head lock, and moves the
/// head. Returns the entry's id.
pub async fn append(mut conn: Conn<'_>, e: &EntryRow) -> Result<i64> {
    let id: i64 = on_backend!(&mut conn, |c| {
        sqlx::query_scalar(
            "INSERT INTO points_entries (branch_id, seq, member_id, org_id, item_code, item_name, rule_version_id, points,
             reason, source_key, reverses_entry_id, proposed_by, approved_by, occurred_on, recorded_at, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        )
        .bind(e.branch_id)
        .bind(e.seq)
        .bind(e.member_id)
        .bind(e.org_id)
        .bind(&e.item_code)
        .bind(&e.item_name)
        .bind(e.rule_version_id)
        .bind(e.points)
        .bind(&e.reason)
        .bind(&e.source_key)
        .bind(e.reverses_entry_id)
        .bind(&e.proposed_by)
        .bind(&e.approved_by)
        .bind(&e.occurred_on)
        .bind(e.recorded_at)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .fetch_one(&mut **c)
        .await
    })?;
    on_backend!(&mut conn, |c| sqlx::query(
        "UPDATE points_chain_heads SET seq = $2, head_hash = $3 WHERE branch_id = $1"
    )
    .bind(e.branch_id)
    .bind(e.seq)
    .bind(&e.hash)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(id)
}

pub async fn entry_by_source(conn: Conn<'_>, source_key: &str) -> Result<Option<EntryRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_entries!(),
        "WHERE source_key = $1"
    ))
    .bind(source_key)
    .fetch_optional(c)
    .await?))
}

pub async fn entry_by_id(conn: Conn<'_>, id: i64) -> Result<Option<EntryRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_entries!(),
        "WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

pub async fn is_reversed(conn: Conn<'_>, id: i64) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM points_entries WHERE reverses_entry_id = $1"
    )
    .bind(id)
    .fetch_one(c)
    .await?
        > 0))
}

/// What an item already gave a member between two days (its cap period), reversals included.
pub async fn item_used(
    conn: Conn<'_>,
    member_id: i64,
    item_code: &str,
    from: &str,
    to: &str,
) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar::<_, Option<i64>>(
            "SELECT CAST(sum(points) AS BIGINT) FROM points_entries WHERE member_id = $1 AND item_code = $2 AND occurred_on >= $3 AND occurred_on <= $4",
        )
        .bind(member_id)
        .bind(item_code)
        .bind(from)
        .bind(to)
        .fetch_one(c)
        .await?
        .unwrap_or(0))
    })
}

/// A member's entries between two days, newest first.
pub async fn entries_of_member(
    conn: Conn<'_>,
    member_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<EntryRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(concat!(
            select_entries!(),
            "WHERE member_id = $1 AND occurred_on >= $2 AND occurred_on <= $3 ORDER BY occurred_on DESC, id DESC"
        ))
        .bind(member_id)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await?)
    })
}

/// One page of a branch's chain in order (verification walks it page by page).
pub async fn chain_page(
    conn: Conn<'_>,
    branch_id: i64,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<EntryRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_entries!(),
        "WHERE branch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
    ))
    .bind(branch_id)
    .bind(after_seq)
    .bind(limit)
    .fetch_all(c)
    .await?))
}

/// The chain heads of the branches in a range (all when `None`).
pub async fn heads(
    conn: Conn<'_>,
    range: Option<&crate::SubtreeRange>,
) -> Result<Vec<(i64, i64, String)>> {
    on_backend!(conn, |c| {
        Ok(match range {
            Some(r) => sqlx::query_as(
                "SELECT h.branch_id, h.seq, h.head_hash FROM points_chain_heads h JOIN org_nodes b ON b.id = h.branch_id
             WHERE b.path >= $1 AND b.path < $2 ORDER BY h.branch_id",
            )
            .bind(&r.start)
            .bind(&r.end)
            .fetch_all(c)
            .await?,
            None => {
                sqlx::query_as(
                    "SELECT branch_id, seq, head_hash FROM points_chain_heads ORDER BY branch_id",
                )
                .fetch_all(c)
                .await?
            }
        })
    })
}

/// Every entry (for recounts in tests and the replay check).
pub async fn all_entries(conn: Conn<'_>) -> Result<Vec<EntryRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_entries!(),
        "ORDER BY id"
    ))
    .fetch_all(c)
    .await?))
}

/// Entries with deductions in a subtree and period (bulletins), worst first.
pub async fn deductions_in(
    conn: Conn<'_>,
    range: &crate::SubtreeRange,
    from: &str,
    to: &str,
    limit: i64,
) -> Result<Vec<(String, EntryRow)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        member_name: String,
        #[sqlx(flatten)]
        entry: EntryRow,
    }
    let rows: Vec<Row> = on_backend!(conn, |c| {
        sqlx::query_as(
            "SELECT m.name AS member_name, e.id, e.branch_id, e.seq, e.member_id, e.org_id, e.item_code, e.item_name, e.rule_version_id,
                e.points, e.reason, e.source_key, e.reverses_entry_id, e.proposed_by, e.approved_by, e.occurred_on, e.recorded_at,
                e.prev_hash, e.hash
         FROM points_entries e JOIN org_nodes b ON b.id = e.branch_id JOIN members m ON m.id = e.member_id
         WHERE b.path >= $1 AND b.path < $2 AND e.occurred_on >= $3 AND e.occurred_on <= $4 AND e.points < 0
           AND e.reverses_entry_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM points_entries r WHERE r.reverses_entry_id = e.id)
         ORDER BY e.points, e.id LIMIT $5",
        )
        .bind(&range.start)
        .bind(&range.end)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(c)
        .await
    })?;
    Ok(rows.into_iter().map(|r| (r.member_name, r.entry)).collect())
}

/// Locks the consumer's cursor for this transaction (one consumer at a time) and returns it.
pub async fn lock_cursor(conn: Conn<'_>) -> Result<i64> {
    Ok(match conn {
        Conn::Sqlite(c) => {
            sqlx::query_scalar(
                "SELECT last_event_id FROM points_cursor WHERE name = 'domain_events'",
            )
            .fetch_one(c)
            .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_scalar(
                "SELECT last_event_id FROM points_cursor WHERE name = 'domain_events' FOR UPDATE",
            )
            .fetch_one(c)
            .await?
        }
    })
}

/// Whether any event lies beyond the cursor: a read, so a write that recorded no event does not
/// have to take the write lock to find out.
pub async fn events_pending(conn: Conn<'_>) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM domain_events
         WHERE id > (SELECT last_event_id FROM points_cursor WHERE name = 'domain_events')",
    )
    .fetch_one(c)
    .await?
        > 0))
}

pub async fn set_cursor(conn: Conn<'_>, last_event_id: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE points_cursor SET last_event_id = $1 WHERE name = 'domain_events'"
    )
    .bind(last_event_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProposalRow {
    pub id: i64,
    pub branch_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub item_code: String,
    pub points: i64,
    pub reason: String,
    pub evidence: String,
    pub occurred_on: String,
    pub proposed_by: i64,
    pub proposer_name: String,
    pub status: String,
    pub decider_name: String,
    pub decision_note: String,
    pub entry_id: Option<i64>,
    pub created_at: i64,
}

macro_rules! select_proposals {
    () => {
        "SELECT p.id, p.branch_id, p.member_id, m.name AS member_name, p.item_code, p.points, p.reason, p.evidence,
                p.occurred_on, p.proposed_by, p.proposer_name, p.status, p.decider_name, p.decision_note, p.entry_id, p.created_at
         FROM points_proposals p JOIN members m ON m.id = p.member_id "
    };
}

pub struct NewProposal<'a> {
    pub branch_id: i64,
    pub member_id: i64,
    pub item_code: &'a str,
    pub points: i64,
    pub reason: &'a str,
    pub evidence: &'a str,
    pub occurred_on: &'a str,
    pub proposed_by: i64,
    pub proposer_name: &'a str,
    pub created_at: i64,
}

pub async fn insert_proposal(conn: Conn<'_>, p: &NewProposal<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO points_proposals (branch_id, member_id, item_code, points, reason, evidence, occurred_on, proposed_by,
             proposer_name, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10) RETURNING id",
        )
        .bind(p.branch_id)
        .bind(p.member_id)
        .bind(p.item_code)
        .bind(p.points)
        .bind(p.reason)
        .bind(p.evidence)
        .bind(p.occurred_on)
        .bind(p.proposed_by)
        .bind(p.proposer_name)
        .bind(p.created_at)
        .fetch_one(c)
        .await?)
    })
}

pub async fn proposal(conn: Conn<'_>, id: i64) -> Result<Option<ProposalRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_proposals!(),
        "WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

pub async fn proposals_in(
    conn: Conn<'_>,
    range: &crate::SubtreeRange,
    limit: i64,
) -> Result<Vec<ProposalRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_proposals!(),
        "JOIN org_nodes b ON b.id = p.branch_id WHERE b.path >= $1 AND b.path < $2
         ORDER BY CASE WHEN p.status = 'pending' THEN 0 ELSE 1 END, p.id DESC LIMIT $3"
    ))
    .bind(&range.start)
    .bind(&range.end)
    .bind(limit)
    .fetch_all(c)
    .await?))
}

/// Decides a pending proposal; false when it was no longer pending (a racing decision).
pub async fn decide_proposal(
    conn: Conn<'_>,
    id: i64,
    status: &str,
    decided_by: i64,
    decider_name: &str,
    note: &str,
    entry_id: Option<i64>,
) -> Result<bool> {
    on_backend!(conn, |c| {
        Ok(sqlx::query(
            "UPDATE points_proposals SET status = $2, decided_by = $3, decider_name = $4, decision_note = $5, entry_id = $6
         WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(status)
        .bind(decided_by)
        .bind(decider_name)
        .bind(note)
        .bind(entry_id)
        .execute(c)
        .await?
        .rows_affected()
            == 1)
    })
}
