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

/// Where the member behind an account stands on `day` (`YYYY-MM-DD`): status, placement and the
/// group they lead that day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberStandingRow {
    pub status: String,
    pub placement_id: i64,
    pub placement_path: String,
    pub placement_name: String,
    pub led_group_id: Option<i64>,
    pub led_group_path: Option<String>,
    pub led_group_name: Option<String>,
}

pub async fn member_standing(
    conn: Conn<'_>,
    member_id: i64,
    day: &str,
) -> Result<Option<MemberStandingRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT m.status, p.id AS placement_id, p.path AS placement_path, p.name AS placement_name,
                g.id AS led_group_id, g.path AS led_group_path, g.name AS led_group_name
         FROM members m
         JOIN org_nodes p ON p.id = COALESCE(m.group_id, m.branch_id)
         LEFT JOIN org_nodes g ON g.id = (
             SELECT ps.org_id FROM positions ps
             WHERE ps.member_id = m.id AND ps.position = 'group_leader' AND ps.started_on <= $2
               AND (ps.ended_on IS NULL OR ps.ended_on > $2)
             ORDER BY ps.started_on DESC, ps.id DESC LIMIT 1)
         WHERE m.id = $1"
    )
    .bind(member_id)
    .bind(day)
    .fetch_optional(c)
    .await?))
}

/// The account linked to a member, if any.
pub async fn account_of_member(conn: Conn<'_>, member_id: i64) -> Result<Option<AccountRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_accounts!(),
        "WHERE a.member_id = $1"
    ))
    .bind(member_id)
    .fetch_optional(c)
    .await?))
}

/// Links an account to a member record (or unlinks it with `None`). A member has at most one
/// account: a second link fails as a duplicate.
pub async fn set_member(conn: Conn<'_>, id: i64, member_id: Option<i64>, now: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE accounts SET member_id = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(member_id)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Moves the accounts of a member's own roles (member, group leader) to the member's current
/// group or branch, after the member moved. Administrator roles stay where they were given.
/// Returns how many accounts moved.
pub async fn follow_member_placement(conn: Conn<'_>, member_id: i64, now: i64) -> Result<u64> {
    on_backend!(conn, |c| Ok(sqlx::query(
        "UPDATE accounts SET org_id = (SELECT COALESCE(m.group_id, m.branch_id) FROM members m
                                       WHERE m.id = $1),
                updated_at = $2
         WHERE member_id = $1 AND role IN ('member', 'group_leader')
           AND org_id IS DISTINCT FROM (SELECT COALESCE(m.group_id, m.branch_id) FROM members m
                                         WHERE m.id = $1)"
    )
    .bind(member_id)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected()))
}

/// A roster member as the accounts page of an organization shows them: with the account linked
/// to them, and any other account already holding their phone number.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterAccountRow {
    pub member_id: i64,
    pub name: String,
    pub phone: String,
    pub placement_id: i64,
    pub placement_name: String,
    pub placement_path: String,
    pub account_id: Option<i64>,
    pub account_phone: Option<String>,
    pub account_role: Option<String>,
    pub account_must_change_password: Option<bool>,
    pub account_disabled: Option<bool>,
    /// An account with the member's phone that belongs to no one or to someone else.
    pub phone_taken_by: Option<i64>,
}

macro_rules! roster_account_rows {
    () => {
        "SELECT m.id AS member_id, m.name, m.phone, o.id AS placement_id,
                o.name AS placement_name, o.path AS placement_path, a.id AS account_id,
                a.phone AS account_phone, a.role AS account_role, a.must_change_password AS account_must_change_password,
                a.disabled AS account_disabled, t.id AS phone_taken_by"
    };
}

macro_rules! roster_accounts {
    () => {
        " FROM members m
          JOIN org_nodes o ON o.id = COALESCE(m.group_id, m.branch_id)
          LEFT JOIN accounts a ON a.member_id = m.id
          LEFT JOIN accounts t ON t.phone = m.phone AND t.member_id IS DISTINCT FROM m.id
          WHERE m.status IN ('normal', 'lost') "
    };
}

macro_rules! in_subtree {
    () => {
        " AND o.path >= $1 AND o.path < $2 AND ($3 = 0 OR a.id IS NULL) "
    };
}

/// One page of the active members in a subtree with their accounts, by node and name, and the
/// total; `without_account_only` keeps those who have none yet.
pub async fn roster_accounts(
    conn: Conn<'_>,
    scope: &SubtreeRange,
    without_account_only: bool,
    page: PageRequest,
) -> Result<(Vec<RosterAccountRow>, i64)> {
    let only = i64::from(without_account_only);
    on_backend!(conn, |c| {
        let rows = sqlx::query_as(concat!(
            roster_account_rows!(),
            roster_accounts!(),
            in_subtree!(),
            "ORDER BY o.path, m.name, m.id LIMIT $4 OFFSET $5"
        ))
        .bind(&scope.start)
        .bind(&scope.end)
        .bind(only)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *c)
        .await?;
        let total = sqlx::query_scalar(concat!(
            "SELECT count(*)",
            roster_accounts!(),
            in_subtree!()
        ))
        .bind(&scope.start)
        .bind(&scope.end)
        .bind(only)
        .fetch_one(&mut *c)
        .await?;
        Ok((rows, total))
    })
}

/// The same row for each chosen member who is active (whatever their node; the caller checks
/// each one's reach), in the order given.
pub async fn roster_accounts_of(
    mut conn: Conn<'_>,
    member_ids: &[i64],
) -> Result<Vec<RosterAccountRow>> {
    let mut found = Vec::with_capacity(member_ids.len());
    for id in member_ids {
        let row: Option<RosterAccountRow> = on_backend!(&mut conn, |c| sqlx::query_as(concat!(
            roster_account_rows!(),
            roster_accounts!(),
            " AND m.id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut **c)
        .await)?;
        found.extend(row);
    }
    Ok(found)
}
