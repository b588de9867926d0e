//! Organizational-life activities: plans, status, lists. Attendees, votes, amendments,
//! attachments and ledger rows are in `activity_records`, re-exported here so callers see one
//! module per table family.

use crate::db::on_backend;
use crate::{Conn, PageRequest, Result, SubtreeRange};

pub use crate::activity_records::*;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: String,
    pub org_path: String,
    pub kind: String,
    pub topic: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub held_on: String,
    pub place: String,
    pub online: bool,
    pub host_member_id: Option<i64>,
    pub host_name: Option<String>,
    pub recorder_member_id: Option<i64>,
    pub recorder_name: Option<String>,
    pub speaker_member_id: Option<i64>,
    pub speaker_name: Option<String>,
    pub agenda: String,
    pub status: String,
    pub needs_approval: bool,
    pub approver_org_id: Option<i64>,
    pub decision_note: String,
    pub created_by: i64,
    pub created_by_name: String,
    pub decided_by: Option<i64>,
    pub checkin_secret: String,
    pub checkin_open: bool,
    pub minutes: String,
    pub resolutions: String,
    pub archived_at: Option<i64>,
}

macro_rules! select_activities {
    () => {
        concat!("SELECT ", activity_columns!(), activity_joins!())
    };
}

macro_rules! activity_columns {
    () => {
        "a.id, a.org_id, o.name AS org_name, o.kind AS org_kind, o.path AS org_path, a.kind, a.topic,
                a.starts_at, a.ends_at, a.held_on, a.place, a.online,
                a.host_member_id, h.name AS host_name, a.recorder_member_id, r.name AS recorder_name,
                a.speaker_member_id, s.name AS speaker_name, a.agenda, a.status, a.needs_approval,
                a.approver_org_id, a.decision_note, a.created_by, c.name AS created_by_name, a.decided_by,
                a.checkin_secret, a.checkin_open, a.minutes, a.resolutions, a.archived_at "
    };
}

macro_rules! activity_joins {
    () => {
        "FROM activities a JOIN org_nodes o ON o.id = a.org_id
         JOIN accounts c ON c.id = a.created_by
         LEFT JOIN members h ON h.id = a.host_member_id
         LEFT JOIN members r ON r.id = a.recorder_member_id
         LEFT JOIN members s ON s.id = a.speaker_member_id "
    };
}

/// The plan of an activity: what its creator chooses.
#[derive(Debug, Clone)]
pub struct PlanFields {
    pub kind: String,
    pub topic: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub held_on: String,
    pub place: String,
    pub online: bool,
    pub host_member_id: Option<i64>,
    pub recorder_member_id: Option<i64>,
    pub speaker_member_id: Option<i64>,
    pub agenda: String,
}

/// A new plan: its node, its fields, and whether (and by whom) it must be approved.
pub struct NewActivity<'a> {
    pub org_id: i64,
    pub plan: &'a PlanFields,
    pub needs_approval: bool,
    pub approver_org_id: Option<i64>,
    pub created_by: i64,
    pub checkin_secret: &'a str,
    pub now: i64,
}

pub async fn insert_activity(conn: Conn<'_>, new: &NewActivity<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO activities (org_id, kind, topic, starts_at, ends_at, held_on, place, online, host_member_id,
                                 recorder_member_id, speaker_member_id, agenda, status, needs_approval,
                                 approver_org_id, created_by, checkin_secret, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $14, $15, $16, $17, $17)
         RETURNING id",
        )
        .bind(new.org_id)
        .bind(&new.plan.kind)
        .bind(&new.plan.topic)
        .bind(new.plan.starts_at)
        .bind(new.plan.ends_at)
        .bind(&new.plan.held_on)
        .bind(&new.plan.place)
        .bind(new.plan.online)
        .bind(new.plan.host_member_id)
        .bind(new.plan.recorder_member_id)
        .bind(new.plan.speaker_member_id)
        .bind(&new.plan.agenda)
        .bind(new.needs_approval)
        .bind(new.approver_org_id)
        .bind(new.created_by)
        .bind(new.checkin_secret)
        .bind(new.now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn update_plan(conn: Conn<'_>, id: i64, plan: &PlanFields, now: i64) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE activities SET kind = $2, topic = $3, starts_at = $4, ends_at = $5, held_on = $6, place = $7,
                online = $8, host_member_id = $9, recorder_member_id = $10, speaker_member_id = $11, agenda = $12,
                updated_at = $13 WHERE id = $1",
        )
        .bind(id)
        .bind(&plan.kind)
        .bind(&plan.topic)
        .bind(plan.starts_at)
        .bind(plan.ends_at)
        .bind(&plan.held_on)
        .bind(&plan.place)
        .bind(plan.online)
        .bind(plan.host_member_id)
        .bind(plan.recorder_member_id)
        .bind(plan.speaker_member_id)
        .bind(&plan.agenda)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Moves the activity to a new status; `decided_by`/`note` are set by approval decisions only.
pub async fn set_status(
    conn: Conn<'_>,
    id: i64,
    status: &str,
    decision: Option<(i64, &str)>,
    now: i64,
) -> Result<()> {
    on_backend!(conn, |c| {
        match decision {
            Some((by, note)) => sqlx::query(
                "UPDATE activities SET status = $2, decided_by = $3, decision_note = $4, decided_at = $5, updated_at = $5
             WHERE id = $1",
            )
            .bind(id)
            .bind(status)
            .bind(by)
            .bind(note)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected()),
            None => sqlx::query(
                "UPDATE activities SET status = $2, updated_at = $3,
                    published_at = CASE WHEN $2 = 'published' THEN $3 ELSE published_at END,
                    archived_at = CASE WHEN $2 = 'archived' THEN $3 ELSE archived_at END,
                    checkin_open = CASE WHEN $2 = 'published' THEN checkin_open ELSE FALSE END
             WHERE id = $1",
            )
            .bind(id)
            .bind(status)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected()),
        }
    })?;
    Ok(())
}

pub async fn set_checkin_open(conn: Conn<'_>, id: i64, open: bool, now: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE activities SET checkin_open = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(open)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_minutes(
    conn: Conn<'_>,
    id: i64,
    minutes: &str,
    resolutions: &str,
    by: i64,
    now: i64,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE activities SET minutes = $2, resolutions = $3, minutes_by = $4, minutes_at = $5, updated_at = $5
         WHERE id = $1",
        )
        .bind(id)
        .bind(minutes)
        .bind(resolutions)
        .bind(by)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn activity_by_id(conn: Conn<'_>, id: i64) -> Result<Option<ActivityRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_activities!(),
        "WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

/// An activity with one member's attendee row, if they are expected (check-in reads both at once).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityForMember {
    #[sqlx(flatten)]
    pub activity: ActivityRow,
    pub attendee_status: Option<String>,
    pub attendee_name: Option<String>,
}

pub async fn activity_for_member(
    conn: Conn<'_>,
    id: i64,
    member_id: i64,
) -> Result<Option<ActivityForMember>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        "SELECT ",
        activity_columns!(),
        ", t.status AS attendee_status, am.name AS attendee_name ",
        activity_joins!(),
        "LEFT JOIN activity_attendees t ON t.activity_id = a.id AND t.member_id = $2
         LEFT JOIN members am ON am.id = t.member_id WHERE a.id = $1"
    ))
    .bind(id)
    .bind(member_id)
    .fetch_optional(c)
    .await?))
}

/// Which activities a list shows.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// The subtree the caller may see.
    pub scope: Option<SubtreeRange>,
    /// Only this node's own activities.
    pub org_id: Option<i64>,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// Civil dates, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Submitted plans this node must decide.
    pub awaiting_approver: Option<i64>,
}

const FILTER: &str = "WHERE ($1 IS NULL OR (o.path >= $1 AND o.path < $2))
      AND ($3 IS NULL OR a.org_id = $3) AND ($4 IS NULL OR a.kind = $4) AND ($5 IS NULL OR a.status = $5)
      AND ($6 IS NULL OR a.held_on >= $6) AND ($7 IS NULL OR a.held_on <= $7)
      AND ($8 IS NULL OR (a.approver_org_id = $8 AND a.status = 'submitted')) ";

macro_rules! bind_filter {
    ($query:expr, $f:expr) => {
        $query
            .bind($f.scope.as_ref().map(|s| s.start.clone()))
            .bind($f.scope.as_ref().map(|s| s.end.clone()))
            .bind($f.org_id)
            .bind($f.kind.clone())
            .bind($f.status.clone())
            .bind($f.from.clone())
            .bind($f.to.clone())
            .bind($f.awaiting_approver)
    };
}

pub async fn activities(
    conn: Conn<'_>,
    filter: &ActivityFilter,
    page: PageRequest,
) -> Result<(Vec<ActivityRow>, i64)> {
    let list = format!(
        "{}{FILTER}ORDER BY a.starts_at DESC, a.id DESC LIMIT $9 OFFSET $10",
        select_activities!()
    );
    let count =
        format!("SELECT count(*) FROM activities a JOIN org_nodes o ON o.id = a.org_id {FILTER}");
    on_backend!(conn, |c| {
        let rows = bind_filter!(sqlx::query_as(sqlx::AssertSqlSafe(list)), filter)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(&mut *c)
            .await?;
        let total: i64 = bind_filter!(sqlx::query_scalar(sqlx::AssertSqlSafe(count)), filter)
            .fetch_one(&mut *c)
            .await?;
        Ok((rows, total))
    })
}

/// Whether a branch's activities must be approved by its committee (报备审批 configured upward).
pub async fn reports_activities(conn: Conn<'_>, org_id: i64) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar::<_, bool>(
        "SELECT reports_activities FROM org_nodes WHERE id = $1"
    )
    .bind(org_id)
    .fetch_optional(c)
    .await?
    .unwrap_or(false)))
}

pub async fn set_reports_activities(conn: Conn<'_>, org_id: i64, value: bool) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE org_nodes SET reports_activities = $2 WHERE id = $1"
    )
    .bind(org_id)
    .bind(value)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
