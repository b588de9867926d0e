//! The member roster (党员花名册). A member belongs to a branch and, where the branch has groups,
//! to one of its groups; subtree filters go through the branch's path.

use crate::db::on_backend;
use crate::{Conn, PageRequest, Result, SubtreeRange};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub branch_id: i64,
    pub branch_name: String,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub education: String,
    pub job_title: String,
    pub work_unit: String,
    pub category: String,
    pub joined_on: Option<String>,
    pub full_member_on: Option<String>,
    pub status: String,
    pub is_mobile: bool,
    pub is_leading_cadre: bool,
    pub is_retired: bool,
    pub in_hardship: bool,
}

macro_rules! select_members {
    () => {
        "SELECT m.id, m.branch_id, b.name AS branch_name, m.group_id, g.name AS group_name, m.name, m.gender,
                m.ethnicity, m.birth_date, m.id_number, m.phone, m.education, m.job_title, m.work_unit,
                m.category, m.joined_on, m.full_member_on, m.status, m.is_mobile, m.is_leading_cadre,
                m.is_retired, m.in_hardship
         FROM members m JOIN org_nodes b ON b.id = m.branch_id LEFT JOIN org_nodes g ON g.id = m.group_id "
    };
}

/// A member's fields as stored (already validated by the use case).
#[derive(Debug, Clone)]
pub struct MemberFields {
    pub branch_id: i64,
    pub group_id: Option<i64>,
    pub name: String,
    pub name_initials: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub education: String,
    pub job_title: String,
    pub work_unit: String,
    pub category: String,
    pub joined_on: Option<String>,
    pub full_member_on: Option<String>,
    pub status: String,
    pub is_mobile: bool,
    pub is_leading_cadre: bool,
    pub is_retired: bool,
    pub in_hardship: bool,
}

/// Binds a member's fields as $1..$20, in the order the INSERT and UPDATE below name them.
macro_rules! bind_fields {
    ($m:expr, $query:expr) => {
        $query
            .bind($m.branch_id)
            .bind($m.group_id)
            .bind(&$m.name)
            .bind(&$m.name_initials)
            .bind(&$m.gender)
            .bind(&$m.ethnicity)
            .bind(&$m.birth_date)
            .bind(&$m.id_number)
            .bind(&$m.phone)
            .bind(&$m.education)
            .bind(&$m.job_title)
            .bind(&$m.work_unit)
            .bind(&$m.category)
            .bind(&$m.joined_on)
            .bind(&$m.full_member_on)
            .bind(&$m.status)
            .bind($m.is_mobile)
            .bind($m.is_leading_cadre)
            .bind($m.is_retired)
            .bind($m.in_hardship)
    };
}

pub async fn insert_member(conn: Conn<'_>, m: &MemberFields, now: i64) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(bind_fields!(
            m,
            sqlx::query_scalar(
                "INSERT INTO members (branch_id, group_id, name, name_initials, gender, ethnicity, birth_date, id_number,
                              phone, education, job_title, work_unit, category, joined_on, full_member_on, status,
                              is_mobile, is_leading_cadre, is_retired, in_hardship, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)
         RETURNING id",
            )
        )
        .bind(now)
        .fetch_one(c)
        .await?)
    })
}

/// Rows per INSERT of [`insert_members`]: 20 parameters each, so about 800 per statement
/// (sqlx's SQLite driver slows down with many parameters in one statement).
const INSERT_ROWS: usize = 40;

/// Inserts many members with multi-row INSERTs (the roster import); returns how many.
pub async fn insert_members(mut conn: Conn<'_>, all: &[&MemberFields], now: i64) -> Result<u64> {
    let mut inserted = 0;
    for chunk in all.chunks(INSERT_ROWS) {
        // $1 is `now` (created_at and updated_at of every row); each row's fields follow.
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let first = 2 + r * 20;
                let fields: Vec<String> = (first..first + 20).map(|n| format!("${n}")).collect();
                format!("({}, $1, $1)", fields.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO members (branch_id, group_id, name, name_initials, gender, ethnicity, birth_date, id_number,
                                  phone, education, job_title, work_unit, category, joined_on, full_member_on, status,
                                  is_mobile, is_leading_cadre, is_retired, in_hardship, created_at, updated_at)
             VALUES {}",
            values.join(", ")
        );
        inserted += on_backend!(&mut conn, |c| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
            for m in chunk {
                query = bind_fields!(m, query);
            }
            query.execute(&mut **c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(inserted)
}

/// Which of these ID numbers are already on the roster (one query for many).
pub async fn existing_id_numbers(conn: Conn<'_>, id_numbers: &[&str]) -> Result<Vec<String>> {
    if id_numbers.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=id_numbers.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT id_number FROM members WHERE id_number IN ({})",
        marks.join(", ")
    );
    on_backend!(conn, |c| {
        let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
        for id in id_numbers {
            query = query.bind(*id);
        }
        Ok(query.fetch_all(c).await?)
    })
}

pub async fn update_member(conn: Conn<'_>, id: i64, m: &MemberFields, now: i64) -> Result<()> {
    on_backend!(conn, |c| {
        bind_fields!(
            m,
            sqlx::query(
                "UPDATE members SET branch_id = $1, group_id = $2, name = $3, name_initials = $4, gender = $5, ethnicity = $6,
                birth_date = $7, id_number = $8, phone = $9, education = $10, job_title = $11, work_unit = $12,
                category = $13, joined_on = $14, full_member_on = $15, status = $16, is_mobile = $17,
                is_leading_cadre = $18, is_retired = $19, in_hardship = $20, updated_at = $21
         WHERE id = $22",
            )
        )
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn member_by_id(conn: Conn<'_>, id: i64) -> Result<Option<MemberRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_members!(),
        "WHERE m.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

/// The roster entries carrying a phone number (a number may sit on more than one record).
pub async fn members_by_phone(conn: Conn<'_>, phone: &str) -> Result<Vec<MemberRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_members!(),
        "WHERE m.phone = $1 ORDER BY m.id"
    ))
    .bind(phone)
    .fetch_all(c)
    .await?))
}

pub async fn member_id_by_id_number(conn: Conn<'_>, id_number: &str) -> Result<Option<i64>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT id FROM members WHERE id_number = $1"
    )
    .bind(id_number)
    .fetch_optional(c)
    .await?))
}

/// Which members a list shows. Every field is optional; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Branches within this subtree.
    pub scope: Option<SubtreeRange>,
    /// Exactly this group.
    pub group_id: Option<i64>,
    pub category: Option<String>,
    pub status: Option<String>,
    pub is_mobile: Option<bool>,
    pub is_leading_cadre: Option<bool>,
    pub is_retired: Option<bool>,
    pub in_hardship: Option<bool>,
    /// Born on or after / on or before (from an age band).
    pub born_from: Option<String>,
    pub born_to: Option<String>,
    /// Joined on or after / on or before (from a join year).
    pub joined_from: Option<String>,
    pub joined_to: Option<String>,
    /// A `LIKE` pattern matched against name, pinyin initials and phone.
    pub search: Option<String>,
    /// Only members in no group (for the health check's link).
    pub without_group: bool,
}

macro_rules! members_filter {
    () => {
        concat!(" WHERE ", members_conditions!())
    };
}

/// With a scope, first narrow to the branches in range and the branches of the groups in range
/// (a superset the index on `members(branch_id)` finds directly); the conditions then keep exactly
/// the scope. Without it both databases scan every member for a branch's page (issue #8).
macro_rules! members_scoped_filter {
    () => {
        concat!(
            " WHERE m.branch_id IN (SELECT id FROM org_nodes WHERE path >= $1 AND path < $2
                 UNION SELECT parent_id FROM org_nodes WHERE path >= $1 AND path < $2 AND kind = 'group') AND ",
            members_conditions!()
        )
    };
}

macro_rules! members_conditions {
    () => {
        " ($1 IS NULL OR (b.path >= $1 AND b.path < $2) OR (g.path >= $1 AND g.path < $2))
            AND ($3 IS NULL OR m.group_id = $3)
            AND ($4 IS NULL OR m.category = $4)
            AND ($5 IS NULL OR m.status = $5)
            AND ($6 IS NULL OR m.is_mobile = $6)
            AND ($7 IS NULL OR m.is_leading_cadre = $7)
            AND ($8 IS NULL OR m.is_retired = $8)
            AND ($9 IS NULL OR m.in_hardship = $9)
            AND ($10 IS NULL OR m.birth_date >= $10)
            AND ($11 IS NULL OR m.birth_date <= $11)
            AND ($12 IS NULL OR m.joined_on >= $12)
            AND ($13 IS NULL OR m.joined_on <= $13)
            AND ($14 IS NULL OR m.name LIKE $14 ESCAPE '\\' OR m.name_initials LIKE $14 ESCAPE '\\'
                 OR m.phone LIKE $14 ESCAPE '\\')
            AND ($15 = FALSE OR m.group_id IS NULL) "
    };
}

macro_rules! bind_filter {
    ($query:expr, $f:expr) => {
        $query
            .bind($f.scope.as_ref().map(|r| r.start.as_str()))
            .bind($f.scope.as_ref().map(|r| r.end.as_str()))
            .bind($f.group_id)
            .bind(&$f.category)
            .bind(&$f.status)
            .bind($f.is_mobile)
            .bind($f.is_leading_cadre)
            .bind($f.is_retired)
            .bind($f.in_hardship)
            .bind(&$f.born_from)
            .bind(&$f.born_to)
            .bind(&$f.joined_from)
            .bind(&$f.joined_to)
            .bind(&$f.search)
            .bind($f.without_group)
    };
}

/// One page of matching members in roster order (branch, group, name) and the total.
pub async fn members(
    conn: Conn<'_>,
    filter: &MemberFilter,
    page: PageRequest,
) -> Result<(Vec<MemberRow>, i64)> {
    const COUNT: &str = "SELECT count(*) FROM members m JOIN org_nodes b ON b.id = m.branch_id LEFT JOIN org_nodes g ON g.id = m.group_id";
    const ORDER: &str = "ORDER BY b.path, g.name, m.name, m.id LIMIT $16 OFFSET $17";
    let (list, count) = if filter.scope.is_some() {
        (
            format!("{}{}{ORDER}", select_members!(), members_scoped_filter!()),
            format!("{COUNT}{}", members_scoped_filter!()),
        )
    } else {
        (
            format!("{}{}{ORDER}", select_members!(), members_filter!()),
            format!("{COUNT}{}", members_filter!()),
        )
    };
    on_backend!(conn, |c| {
        let rows = bind_filter!(sqlx::query_as(sqlx::AssertSqlSafe(list.clone())), filter)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(&mut *c)
            .await?;
        let total = bind_filter!(
            sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())),
            filter
        )
        .fetch_one(&mut *c)
        .await?;
        Ok((rows, total))
    })
}

/// Moves a member to another branch (and group) when a transfer is accepted.
pub async fn set_placement(
    conn: Conn<'_>,
    id: i64,
    branch_id: i64,
    group_id: Option<i64>,
    now: i64,
) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE members SET branch_id = $1, group_id = $2, updated_at = $3 WHERE id = $4"
    )
    .bind(branch_id)
    .bind(group_id)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_status(conn: Conn<'_>, id: i64, status: &str, now: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE members SET status = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(status)
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
