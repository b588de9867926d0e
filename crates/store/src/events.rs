//! Domain events: facts one module records for others, exactly once per source key.

use crate::db::on_backend;
use crate::{Conn, Result, Tx};

#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Stable identity of the fact (see `dangjian_domain::events::source_key`).
    pub source_key: String,
    pub kind: String,
    pub member_id: Option<i64>,
    pub org_id: i64,
    /// ISO civil date.
    pub occurred_on: String,
    pub recorded_at: i64,
    /// JSON object with whatever else the consumer needs.
    pub payload: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub source_key: String,
    pub kind: String,
    pub member_id: Option<i64>,
    pub org_id: i64,
    pub occurred_on: String,
    pub recorded_at: i64,
    pub payload: String,
}

/// Records the event unless one with the same source key exists. Returns whether it was new, so a
/// replay of the same write is harmless.
pub async fn record_event(tx: &mut Tx, event: &NewEvent) -> Result<bool> {
    tx.recorded_event = true;
    let inserted = on_backend!(tx.conn(), |c| {
        sqlx::query(
            "INSERT INTO domain_events (source_key, kind, member_id, org_id, occurred_on, recorded_at, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_key) DO NOTHING",
        )
        .bind(&event.source_key)
        .bind(&event.kind)
        .bind(event.member_id)
        .bind(event.org_id)
        .bind(&event.occurred_on)
        .bind(event.recorded_at)
        .bind(&event.payload)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(inserted == 1)
}

/// Events after `after_id` in recording order: how a consumer catches up.
pub async fn events_after(conn: Conn<'_>, after_id: i64, limit: i64) -> Result<Vec<EventRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT id, source_key, kind, member_id, org_id, occurred_on, recorded_at, payload
         FROM domain_events WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?))
}

/// A member's events, newest first (profile timelines, tests).
pub async fn events_of_member(conn: Conn<'_>, member_id: i64) -> Result<Vec<EventRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT id, source_key, kind, member_id, org_id, occurred_on, recorded_at, payload
         FROM domain_events WHERE member_id = $1 ORDER BY id DESC",
    )
    .bind(member_id)
    .fetch_all(&mut *c)
    .await?))
}
