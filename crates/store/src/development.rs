//! Member development (发展党员): applicants (入党申请人), their recorded steps and the
//! decisions on their probation. The step details are JSON the app layer reads with the domain
//! checker.

use crate::db::on_backend;
use crate::{Conn, Result, SubtreeRange};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicantRow {
    pub id: i64,
    pub branch_id: i64,
    pub branch_name: String,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub education: String,
    pub job_title: String,
    pub work_unit: String,
    pub received_on: String,
    pub status: String,
    pub member_id: Option<i64>,
    pub created_at: i64,
}

macro_rules! select_applicants {
    () => {
        "SELECT a.id, a.branch_id, b.name AS branch_name, a.name, a.gender, a.ethnicity, a.birth_date, a.id_number,
                a.phone, a.education, a.job_title, a.work_unit, a.received_on, a.status, a.member_id, a.created_at
         FROM applicants a JOIN org_nodes b ON b.id = a.branch_id "
    };
}

/// An applicant's fields as stored (validated by the use case).
#[derive(Debug, Clone)]
pub struct NewApplicant<'a> {
    pub branch_id: i64,
    pub name: &'a str,
    pub name_initials: &'a str,
    pub gender: &'a str,
    pub ethnicity: &'a str,
    pub birth_date: &'a str,
    pub id_number: &'a str,
    pub phone: &'a str,
    pub education: &'a str,
    pub job_title: &'a str,
    pub work_unit: &'a str,
    pub received_on: &'a str,
    pub created_by: i64,
    pub now: i64,
}

pub async fn insert_applicant(conn: Conn<'_>, a: &NewApplicant<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO applicants (branch_id, name, name_initials, gender, ethnicity, birth_date, id_number, phone,
                                 education, job_title, work_unit, received_on, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'in_progress', $13, $14, $14) RETURNING id",
        )
        .bind(a.branch_id)
        .bind(a.name)
        .bind(a.name_initials)
        .bind(a.gender)
        .bind(a.ethnicity)
        .bind(a.birth_date)
        .bind(a.id_number)
        .bind(a.phone)
        .bind(a.education)
        .bind(a.job_title)
        .bind(a.work_unit)
        .bind(a.received_on)
        .bind(a.created_by)
        .bind(a.now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn applicant_by_id(conn: Conn<'_>, id: i64) -> Result<Option<ApplicantRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_applicants!(),
        "WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

/// The pipeline a person (by ID number) is in now, if any.
pub async fn applicant_in_progress_by_id_number(
    conn: Conn<'_>,
    id_number: &str,
) -> Result<Option<ApplicantRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_applicants!(),
        "WHERE a.id_number = $1 AND a.status = 'in_progress'"
    ))
    .bind(id_number)
    .fetch_optional(c)
    .await?))
}

/// Applicants handled by branches in a subtree (all when `None`); those still in the pipeline
/// unless `include_closed`. At most 2000, by name.
pub async fn applicants_in_scope(
    conn: Conn<'_>,
    scope: Option<&SubtreeRange>,
    include_closed: bool,
) -> Result<Vec<ApplicantRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_applicants!(),
        "WHERE ($1 IS NULL OR (b.path >= $1 AND b.path < $2)) AND ($3 OR a.status = 'in_progress')
         ORDER BY a.name, a.id LIMIT 2000"
    ))
    .bind(scope.map(|r| r.start.as_str()))
    .bind(scope.map(|r| r.end.as_str()))
    .bind(include_closed)
    .fetch_all(c)
    .await?))
}

pub async fn set_applicant_status(
    conn: Conn<'_>,
    id: i64,
    status: &str,
    member_id: Option<i64>,
    now: i64,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE applicants SET status = $1, member_id = COALESCE($2, member_id), updated_at = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(member_id)
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A recorded step (or, with `kind`, a probation decision).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StepRow {
    pub applicant_id: i64,
    pub step: i64,
    pub occurred_on: String,
    pub details: String,
    pub deviation_reason: Option<String>,
    pub deviation: Option<String>,
    pub recorded_by_name: String,
    pub recorded_at: i64,
}

pub struct NewStep<'a> {
    pub applicant_id: i64,
    pub step: i64,
    pub occurred_on: &'a str,
    pub details: &'a str,
    pub deviation_reason: Option<&'a str>,
    pub deviation: Option<&'a str>,
    pub recorded_by: i64,
    pub now: i64,
}

pub async fn insert_step(conn: Conn<'_>, s: &NewStep<'_>) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO development_steps (applicant_id, step, occurred_on, details, deviation_reason, deviation,
                                        recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(s.applicant_id)
        .bind(s.step)
        .bind(s.occurred_on)
        .bind(s.details)
        .bind(s.deviation_reason)
        .bind(s.deviation)
        .bind(s.recorded_by)
        .bind(s.now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Which applicants' steps to read: one applicant, or all of a dashboard's at once.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    Applicant(i64),
    /// Applicants of branches in the subtree (all when `None`), as [`applicants_in_scope`] lists.
    Scope {
        range: Option<&'a SubtreeRange>,
        include_closed: bool,
    },
}

impl Whose<'_> {
    fn binds(self) -> (Option<i64>, Option<String>, Option<String>, bool) {
        match self {
            Whose::Applicant(id) => (Some(id), None, None, true),
            Whose::Scope {
                range,
                include_closed,
            } => (
                None,
                range.map(|r| r.start.clone()),
                range.map(|r| r.end.clone()),
                include_closed,
            ),
        }
    }
}

/// The recorded steps, by applicant and step.
pub async fn steps_of(conn: Conn<'_>, whose: Whose<'_>) -> Result<Vec<StepRow>> {
    let (id, start, end, closed) = whose.binds();
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT s.applicant_id, s.step, s.occurred_on, s.details, s.deviation_reason, s.deviation,
                r.name AS recorded_by_name, s.recorded_at
         FROM development_steps s JOIN accounts r ON r.id = s.recorded_by
         JOIN applicants a ON a.id = s.applicant_id JOIN org_nodes b ON b.id = a.branch_id
         WHERE ($1 IS NULL OR s.applicant_id = $1) AND ($2 IS NULL OR (b.path >= $2 AND b.path < $3))
           AND ($4 OR a.status = 'in_progress')
         ORDER BY s.applicant_id, s.step",
        )
        .bind(id)
        .bind(start)
        .bind(end)
        .bind(closed)
        .fetch_all(c)
        .await?)
    })
}

/// A decision on a probation: extension or cancellation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRow {
    pub applicant_id: i64,
    pub kind: String,
    pub decided_on: String,
    pub details: String,
    pub deviation_reason: Option<String>,
    pub deviation: Option<String>,
    pub recorded_by_name: String,
    pub recorded_at: i64,
}

pub async fn insert_decision(conn: Conn<'_>, kind: &str, s: &NewStep<'_>) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO development_decisions (applicant_id, kind, decided_on, details, deviation_reason, deviation,
                                            recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(s.applicant_id)
        .bind(kind)
        .bind(s.occurred_on)
        .bind(s.details)
        .bind(s.deviation_reason)
        .bind(s.deviation)
        .bind(s.recorded_by)
        .bind(s.now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn decisions_of(conn: Conn<'_>, whose: Whose<'_>) -> Result<Vec<DecisionRow>> {
    let (id, start, end, closed) = whose.binds();
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT d.applicant_id, d.kind, d.decided_on, d.details, d.deviation_reason, d.deviation,
                r.name AS recorded_by_name, d.recorded_at
         FROM development_decisions d JOIN accounts r ON r.id = d.recorded_by
         JOIN applicants a ON a.id = d.applicant_id JOIN org_nodes b ON b.id = a.branch_id
         WHERE ($1 IS NULL OR d.applicant_id = $1) AND ($2 IS NULL OR (b.path >= $2 AND b.path < $3))
           AND ($4 OR a.status = 'in_progress')
         ORDER BY d.applicant_id, d.decided_on",
        )
        .bind(id)
        .bind(start)
        .bind(end)
        .bind(closed)
        .fetch_all(c)
        .await?)
    })
}

/// The roster side of a conversion (转正) or a cancellation: category, full-membership date and
/// status of the member the applicant became.
pub async fn set_member_standing(
    conn: Conn<'_>,
    member_id: i64,
    category: &str,
    full_member_on: Option<&str>,
    status: &str,
    now: i64,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE members SET category = $1, full_member_on = $2, status = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(category)
        .bind(full_member_on)
        .bind(status)
        .bind(now)
        .bind(member_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}
