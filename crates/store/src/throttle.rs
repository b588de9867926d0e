//! Failed logins per client address, shared by every app server through the database.

use crate::db::on_backend;
use crate::{Conn, Result};

pub async fn record_failure(conn: Conn<'_>, client_ip: &str, phone: &str, at: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "INSERT INTO login_failures (client_ip, phone, at) VALUES ($1, $2, $3)"
    )
    .bind(client_ip)
    .bind(phone)
    .bind(at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn failures_since(conn: Conn<'_>, client_ip: &str, since: i64) -> Result<i64> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT count(*) FROM login_failures WHERE client_ip = $1 AND at >= $2",
    )
    .bind(client_ip)
    .bind(since)
    .fetch_one(c)
    .await?))
}

/// Forgets failures older than the throttling window (they no longer count).
pub async fn prune(conn: Conn<'_>, before: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "DELETE FROM login_failures WHERE at < $1"
    )
    .bind(before)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
