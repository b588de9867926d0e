//! Server-side sessions: the cookie carries a random token, the table keeps only its hash, so
//! several app servers share sessions and a stolen database does not yield live cookies.

use crate::accounts::{AccountRow, select_accounts};
use crate::db::on_backend;
use crate::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionAccount {
    #[sqlx(flatten)]
    pub account: AccountRow,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert_session(
    conn: Conn<'_>,
    token_hash: &str,
    account_id: i64,
    now: i64,
    expires_at: i64,
    client_ip: &str,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, client_ip)
         VALUES ($1, $2, $3, $4, $3, $5)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(now)
        .bind(expires_at)
        .bind(client_ip)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The account behind a live session, if the session exists and has not expired.
pub async fn session_account(
    conn: Conn<'_>,
    token_hash: &str,
    now: i64,
) -> Result<Option<SessionAccount>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        "SELECT x.*, s.expires_at, s.last_seen_at FROM sessions s JOIN (",
        select_accounts!(),
        ") x ON x.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(c)
    .await?))
}

/// Slides a session's expiry forward.
pub async fn touch_session(
    conn: Conn<'_>,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3"
    )
    .bind(now)
    .bind(expires_at)
    .bind(token_hash)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_session(conn: Conn<'_>, token_hash: &str) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "DELETE FROM sessions WHERE token_hash = $1"
    )
    .bind(token_hash)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends every session of an account except the one given (after a password change or reset).
pub async fn delete_sessions_of_account(
    conn: Conn<'_>,
    account_id: i64,
    keep: Option<&str>,
) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "DELETE FROM sessions WHERE account_id = $1 AND ($2 IS NULL OR token_hash <> $2)",
    )
    .bind(account_id)
    .bind(keep)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_expired(conn: Conn<'_>, now: i64) -> Result<u64> {
    on_backend!(conn, |c| Ok(sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1"
    )
    .bind(now)
    .execute(c)
    .await?
    .rows_affected()))
}
