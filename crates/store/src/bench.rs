//! Bulk writes for the benchmark's synthetic organizations (`dangjian bench generate`): multi-row
//! INSERTs of rows the caller built in Rust, with ids the caller chose, so one statement writes
//! hundreds of rows. Counters are computed by the caller and inserted like any other rows; nothing
//! here is used by a request path.

use crate::db::on_backend;
use crate::{Backend, Conn, Result};

/// One value of a row. Nulls carry their type: PostgreSQL must know it to accept the parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(i64),
    Text(String),
    Bool(bool),
    NullInt,
    NullText,
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Bool(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        v.map_or(Val::NullInt, Val::Int)
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        v.map_or(Val::NullText, Val::Text)
    }
}

/// Rows for one table, gathered before they are written.
#[derive(Debug, Clone)]
pub struct Rows {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Val>>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Rows {
        Rows {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Val>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.table);
        self.rows.push(row);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Bound parameters per statement: below SQLite's limit of 32766 and PostgreSQL's of 65535.
const MAX_PARAMS: usize = 1_000;

/// Writes the rows with as few multi-row INSERTs as the parameter limit allows.
pub async fn insert_rows(mut conn: Conn<'_>, rows: &Rows) -> Result<()> {
    let width = rows.columns.len();
    let per_statement = (MAX_PARAMS / width).max(1);
    for chunk in rows.rows.chunks(per_statement) {
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            rows.table,
            rows.columns.join(", ")
        );
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..width {
                if c > 0 {
                    sql.push(',');
                }
                n += 1;
                sql.push('$');
                sql.push_str(&n.to_string());
            }
            sql.push(')');
        }
        // Table and column names are the caller's constants; every value is bound.
        on_backend!(&mut conn, |c| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                for value in row {
                    query = match value {
                        Val::Int(v) => query.bind(*v),
                        Val::Text(v) => query.bind(v.as_str()),
                        Val::Bool(v) => query.bind(*v),
                        Val::NullInt => query.bind(None::<i64>),
                        Val::NullText => query.bind(None::<String>),
                    };
                }
            }
            query.execute(&mut **c).await?;
        });
    }
    Ok(())
}

/// Whether the database holds any organization (the generator only fills an empty one).
pub async fn has_orgs(conn: Conn<'_>) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM org_nodes"
    )
    .fetch_one(c)
    .await?
        > 0))
}

/// After rows were written with explicit ids, PostgreSQL's identity sequences must move past them
/// (SQLite's INTEGER PRIMARY KEY takes max(id) + 1 by itself).
pub async fn reset_sequences(conn: Conn<'_>, backend: Backend, tables: &[&str]) -> Result<()> {
    if backend == Backend::Sqlite {
        return Ok(());
    }
    if let Conn::Postgres(c) = conn {
        for table in tables {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *c)
                .await?;
        }
    }
    Ok(())
}

/// The scratch table of the raw insert-and-commit ceiling, created and dropped by `bench run`.
pub async fn create_probe(conn: Conn<'_>) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS bench_probe (id BIGINT NOT NULL, client BIGINT NOT NULL, at BIGINT NOT NULL)",
        )
        .execute(c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn insert_probe(conn: Conn<'_>, id: i64, client: i64, at: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "INSERT INTO bench_probe (id, client, at) VALUES ($1, $2, $3)"
    )
    .bind(id)
    .bind(client)
    .bind(at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn drop_probe(conn: Conn<'_>) -> Result<()> {
    on_backend!(conn, |c| sqlx::query("DROP TABLE IF EXISTS bench_probe")
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Check-ins recorded (status present) among the given activities: what the run's acknowledged
/// check-ins must equal.
pub async fn present_count(conn: Conn<'_>, activity_ids: &[i64]) -> Result<i64> {
    if activity_ids.is_empty() {
        return Ok(0);
    }
    let ids = activity_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT count(*) FROM activity_attendees WHERE status = 'present' AND activity_id IN ({ids})"
    );
    on_backend!(conn, |c| Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(c)
        .await?))
}

/// Member-month counters recounted from held activities' attendance (the full recount the
/// maintained `member_life_months` must equal), as (member, month, attended, excused, absent).
pub async fn recount_life_months(conn: Conn<'_>) -> Result<Vec<(i64, String, i64, i64, i64)>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT t.member_id, substr(a.held_on, 1, 7) AS month,
                CAST(sum(CASE WHEN t.status = 'present' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(sum(CASE WHEN t.status = 'leave' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(sum(CASE WHEN t.status = 'absent' THEN 1 ELSE 0 END) AS BIGINT)
         FROM activity_attendees t JOIN activities a ON a.id = t.activity_id
         WHERE a.status IN ('held', 'minuted', 'archived') AND a.kind <> 'other'
         GROUP BY t.member_id, substr(a.held_on, 1, 7) ORDER BY 1, 2",
    )
    .fetch_all(c)
    .await?))
}

pub async fn stored_life_months(conn: Conn<'_>) -> Result<Vec<(i64, String, i64, i64, i64)>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT member_id, month, CAST(attended AS BIGINT), CAST(excused AS BIGINT), CAST(absent AS BIGINT)
         FROM member_life_months WHERE attended <> 0 OR excused <> 0 OR absent <> 0 ORDER BY 1, 2",
        )
        .fetch_all(c)
        .await?)
    })
}

/// Every (org, month) of the stored dues totals.
pub async fn dues_total_keys(conn: Conn<'_>) -> Result<Vec<(i64, String)>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT org_id, month FROM dues_totals ORDER BY 1, 2"
    )
    .fetch_all(c)
    .await?))
}

/// The next free id of a table (its max + 1).
pub async fn next_id(conn: Conn<'_>, table: &str) -> Result<i64> {
    let sql = format!("SELECT CAST(COALESCE(max(id), 0) + 1 AS BIGINT) FROM {table}");
    on_backend!(conn, |c| Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(c)
        .await?))
}

/// The first `n` members in normal standing with the node they count toward (group, else branch).
pub async fn client_members(conn: Conn<'_>, n: i64) -> Result<Vec<(i64, i64, String)>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT id, COALESCE(group_id, branch_id), name FROM members WHERE status = 'normal' ORDER BY id LIMIT $1",
        )
        .bind(n)
        .fetch_all(c)
        .await?)
    })
}

/// The first branch and the root, for the read paths.
pub async fn first_of_kind(conn: Conn<'_>, kind: &str) -> Result<Option<i64>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT min(id) FROM org_nodes WHERE kind = $1"
    )
    .bind(kind)
    .fetch_one(c)
    .await?))
}

/// Rows in a table (the run reports the size of what it measured against).
pub async fn table_count(conn: Conn<'_>, table: &str) -> Result<i64> {
    let sql = format!("SELECT count(*) FROM {table}");
    on_backend!(conn, |c| Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(c)
        .await?))
}
