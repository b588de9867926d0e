//! Login accounts and their role binding.

use crate::db::on_backend;
use crate::{Conn, PageRequest, Result, SubtreeRange};

/// An account with the node its role is bound to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub phone: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub org_id: Option<i64>,
    pub org_path: Option<String>,
    pub org_name: Option<String>,
    pub must_change_password: bool,
    pub failed_attempts: i64,
    pub locked_until: Option<i64>,
    pub disabled: bool,
    pub created_at: i64,
    /// The roster entry of the person behind the account (none for a pure administrator).
    pub member_id: Option<i64>,
}

macro_rules! select_accounts {
    () => {
        "SELECT a.id, a.phone, a.name, a.password_hash, a.role, a.org_id, o.path AS org_path,
                o.name AS org_name, a.must_change_password, a.failed_attempts, a.locked_until,
                a.disabled, a.created_at, a.member_id
         FROM accounts a LEFT JOIN org_nodes o ON o.id = a.org_id "
    };
}
pub(crate) use select_accounts;

/// Accounts a list shows: within a subtree when a range is given (none: every account),
/// matching a name or phone fragment when a pattern is given.
macro_rules! accounts_filter {
    () => {
        " WHERE ($1 IS NULL OR (o.path >= $1 AND o.path < $2))
            AND ($3 IS NULL OR a.name LIKE $3 ESCAPE '\\' OR a.phone LIKE $3 ESCAPE '\\') "
    };
}

pub struct NewAccount<'a> {
    pub phone: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub org_id: Option<i64>,
    pub must_change_password: bool,
    pub member_id: Option<i64>,
    pub now: i64,
}

pub async fn insert_account(conn: Conn<'_>, new: &NewAccount<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO accounts (phone, name, password_hash, role, org_id, must_change_password, member_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(new.phone)
        .bind(new.name)
        .bind(new.password_hash)
        .bind(new.role)
        .bind(new.org_id)
        .bind(new.must_change_password)
        .bind(new.member_id)
        .bind(new.now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn account_by_phone(conn: Conn<'_>, phone: &str) -> Result<Option<AccountRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_accounts!(),
        "WHERE a.phone = $1"
    ))
    .bind(phone)
    .fetch_optional(c)
    .await?))
}

pub async fn account_by_id(conn: Conn<'_>, id: i64) -> Result<Option<AccountRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_accounts!(),
        "WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

pub async fn count_accounts(conn: Conn<'_>) -> Result<i64> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT count(*) FROM accounts"
    )
    .fetch_one(c)
    .await?))
}

/// One page of the accounts in a scope, by name, and the total count.
pub async fn accounts_in_scope(
    conn: Conn<'_>,
    scope: Option<&SubtreeRange>,
    search: Option<&str>,
    page: PageRequest,
) -> Result<(Vec<AccountRow>, i64)> {
    let (start, end) = (
        scope.map(|r| r.start.as_str()),
        scope.map(|r| r.end.as_str()),
    );
    on_backend!(conn, |c| {
        let rows = sqlx::query_as(concat!(
            select_accounts!(),
            accounts_filter!(),
            "ORDER BY a.name, a.id LIMIT $4 OFFSET $5"
        ))
        .bind(start)
        .bind(end)
        .bind(search)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *c)
        .await?;
        let total = sqlx::query_scalar(concat!(
            "SELECT count(*) FROM accounts a LEFT JOIN org_nodes o ON o.id = a.org_id ",
            accounts_filter!()
        ))
        .bind(start)
        .bind(end)
        .bind(search)
        .fetch_one(&mut *c)
        .await?;
        Ok((rows, total))
    })
}

/// Stores the outcome of a failed password check.
pub async fn record_failed_login(
    conn: Conn<'_>,
    id: i64,
    failed_attempts: i64,
    locked_until: Option<i64>,
) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE accounts SET failed_attempts = $1, locked_until = $2 WHERE id = $3"
    )
    .bind(failed_attempts)
    .bind(locked_until)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Clears failures and any lock: after a good password, or an administrator's unlock.
pub async fn clear_failures(conn: Conn<'_>, id: i64, now: i64) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE accounts SET failed_attempts = 0, locked_until = NULL, updated_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn set_password(
    conn: Conn<'_>,
    id: i64,
    password_hash: &str,
    must_change: bool,
    now: i64,
) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = $2, failed_attempts = 0,
                locked_until = NULL, updated_at = $3 WHERE id = $4",
    )
    .bind(password_hash)
    .bind(must_change)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Counts one more failed attempt atomically (concurrent guesses cannot slip past the limit)
/// and returns the new count.
pub async fn increment_failed_attempts(conn: Conn<'_>, id: i64) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "UPDATE accounts SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts",
        )
        .bind(id)
        .fetch_one(c)
        .await?)
    })
}
