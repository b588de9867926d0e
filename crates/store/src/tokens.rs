//! API tokens for integrations and mobile apps; like sessions, only the hash is stored.

use crate::accounts::{AccountRow, select_accounts};
use crate::db::on_backend;
use crate::{Conn, Result, SubtreeRange};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub account_id: i64,
    pub account_name: String,
    pub account_org_path: Option<String>,
    pub name: String,
    pub created_by_name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenAccount {
    #[sqlx(flatten)]
    pub account: AccountRow,
    pub token_id: i64,
    pub token_last_used_at: Option<i64>,
}

macro_rules! select_tokens {
    () => {
        "SELECT t.id, t.account_id, a.name AS account_name, o.path AS account_org_path, t.name,
                c.name AS created_by_name, t.created_at, t.revoked_at, t.last_used_at
         FROM api_tokens t JOIN accounts a ON a.id = t.account_id
         JOIN accounts c ON c.id = t.created_by
         LEFT JOIN org_nodes o ON o.id = a.org_id "
    };
}

pub async fn insert_token(
    conn: Conn<'_>,
    account_id: i64,
    name: &str,
    token_hash: &str,
    created_by: i64,
    now: i64,
) -> Result<i64> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "INSERT INTO api_tokens (account_id, name, token_hash, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(name)
    .bind(token_hash)
    .bind(created_by)
    .bind(now)
    .fetch_one(c)
    .await?))
}

/// The account a live (unrevoked) token acts as.
pub async fn token_account(conn: Conn<'_>, token_hash: &str) -> Result<Option<TokenAccount>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(concat!(
            "SELECT x.*, t.id AS token_id, t.last_used_at AS token_last_used_at FROM api_tokens t JOIN (",
            select_accounts!(),
            ") x ON x.id = t.account_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(c)
        .await?)
    })
}

pub async fn touch_token(conn: Conn<'_>, id: i64, now: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn token_by_id(conn: Conn<'_>, id: i64) -> Result<Option<TokenRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_tokens!(),
        "WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

/// Tokens of the accounts in a scope (none: all), newest first.
pub async fn tokens_in_scope(
    conn: Conn<'_>,
    scope: Option<&SubtreeRange>,
) -> Result<Vec<TokenRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(concat!(
            select_tokens!(),
            "WHERE ($1 IS NULL OR (o.path >= $1 AND o.path < $2)) ORDER BY t.created_at DESC, t.id DESC LIMIT 500"
        ))
        .bind(scope.map(|r| r.start.as_str()))
        .bind(scope.map(|r| r.end.as_str()))
        .fetch_all(c)
        .await?)
    })
}

pub async fn revoke_token(conn: Conn<'_>, id: i64, now: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Revokes every live token of an account (its password was reset: whoever reset it must not
/// find the old credentials still working). Returns how many were revoked.
pub async fn revoke_tokens_of_account(conn: Conn<'_>, account_id: i64, now: i64) -> Result<u64> {
    Ok(on_backend!(conn, |c| sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL"
    )
    .bind(now)
    .bind(account_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?)
}
