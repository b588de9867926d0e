//! What is recorded about an activity: attendees and their attendance, votes, amendments,
//! attachments, and the rows of the generated ledger.

use crate::db::on_backend;
use crate::{Conn, PageRequest, Result, SubtreeRange};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttendeeRow {
    pub activity_id: i64,
    pub member_id: i64,
    pub name: String,
    pub category: String,
    pub is_leading_cadre: bool,
    pub invited_as: String,
    pub status: String,
    pub checked_in_at: Option<i64>,
    pub check_in_method: String,
    pub leave_reason: String,
    pub make_up: String,
    pub make_up_note: String,
    pub revision: i64,
}

macro_rules! select_attendees {
    () => {
        "SELECT t.activity_id, t.member_id, m.name, m.category, m.is_leading_cadre, t.invited_as, t.status,
                t.checked_in_at, t.check_in_method, t.leave_reason, t.make_up, t.make_up_note, t.revision
         FROM activity_attendees t JOIN members m ON m.id = t.member_id "
    };
}

pub async fn add_attendee(
    conn: Conn<'_>,
    activity_id: i64,
    member_id: i64,
    invited_as: &str,
) -> Result<bool> {
    let added = on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO activity_attendees (activity_id, member_id, invited_as, status) VALUES ($1, $2, $3, 'expected')
         ON CONFLICT (activity_id, member_id) DO NOTHING",
        )
        .bind(activity_id)
        .bind(member_id)
        .bind(invited_as)
        .execute(c)
        .await?
        .rows_affected()
    });
    Ok(added == 1)
}

pub async fn attendees(conn: Conn<'_>, activity_id: i64) -> Result<Vec<AttendeeRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_attendees!(),
        "WHERE t.activity_id = $1 ORDER BY t.invited_as, m.name_initials, m.id"
    ))
    .bind(activity_id)
    .fetch_all(c)
    .await?))
}

pub async fn attendee(
    conn: Conn<'_>,
    activity_id: i64,
    member_id: i64,
) -> Result<Option<AttendeeRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(concat!(
        select_attendees!(),
        "WHERE t.activity_id = $1 AND t.member_id = $2"
    ))
    .bind(activity_id)
    .bind(member_id)
    .fetch_optional(c)
    .await?))
}

/// Sets an attendee's status. `only_if` guards against a concurrent change: the update happens only
/// when the stored status is one of those (a double check-in updates nothing). Returns whether it
/// did.
#[allow(clippy::too_many_arguments)]
pub async fn set_attendance(
    conn: Conn<'_>,
    activity_id: i64,
    member_id: i64,
    status: &str,
    only_if: &[&str],
    checked_in_at: Option<i64>,
    method: &str,
    bump_revision: bool,
) -> Result<bool> {
    let allowed = only_if.join(",");
    let updated = on_backend!(conn, |c| sqlx::query(
        "UPDATE activity_attendees SET status = $3, checked_in_at = $4, check_in_method = $5,
                revision = revision + CASE WHEN $7 THEN 1 ELSE 0 END
         WHERE activity_id = $1 AND member_id = $2
           AND (',' || CAST($6 AS TEXT) || ',') LIKE ('%,' || status || ',%')",
    )
    .bind(activity_id)
    .bind(member_id)
    .bind(status)
    .bind(checked_in_at)
    .bind(method)
    .bind(allowed)
    .bind(bump_revision)
    .execute(c)
    .await?
    .rows_affected());
    Ok(updated == 1)
}

/// A member's own check-in, checked before the write transaction and applied here only if
/// nothing changed since: the attendee still expected or on leave, the activity still in the
/// status that was read and still open for check-in. One statement, so the write lock is held for
/// the UPDATE, the audit entry and the commit alone. Returns whether it was applied.
pub async fn check_in_attendee(
    conn: Conn<'_>,
    activity_id: i64,
    member_id: i64,
    activity_status: &str,
    at: i64,
) -> Result<bool> {
    let updated = on_backend!(conn, |c| {
        sqlx::query(
            "UPDATE activity_attendees SET status = 'present', checked_in_at = $4, check_in_method = 'qr'
         WHERE activity_id = $1 AND member_id = $2 AND status IN ('expected', 'leave_requested', 'leave')
           AND EXISTS (SELECT 1 FROM activities a WHERE a.id = $1 AND a.status = $3 AND a.checkin_open)",
        )
        .bind(activity_id)
        .bind(member_id)
        .bind(activity_status)
        .bind(at)
        .execute(c)
        .await?
        .rows_affected()
    });
    Ok(updated == 1)
}

pub async fn set_leave_reason(
    conn: Conn<'_>,
    activity_id: i64,
    member_id: i64,
    reason: &str,
) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE activity_attendees SET leave_reason = $3 WHERE activity_id = $1 AND member_id = $2"
    )
    .bind(activity_id)
    .bind(member_id)
    .bind(reason)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_make_up(
    conn: Conn<'_>,
    activity_id: i64,
    member_id: i64,
    make_up: &str,
    note: &str,
    done_at: Option<i64>,
) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "UPDATE activity_attendees SET make_up = $3, make_up_note = $4, make_up_done_at = $5
         WHERE activity_id = $1 AND member_id = $2",
    )
    .bind(activity_id)
    .bind(member_id)
    .bind(make_up)
    .bind(note)
    .bind(done_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A member's activities, newest first, with their own attendance.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberActivityRow {
    pub activity_id: i64,
    pub kind: String,
    pub topic: String,
    pub org_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub activity_status: String,
    pub status: String,
    pub make_up: String,
}

pub async fn activities_of_member(
    conn: Conn<'_>,
    member_id: i64,
    page: PageRequest,
) -> Result<(Vec<MemberActivityRow>, i64)> {
    on_backend!(conn, |c| {
        let rows = sqlx::query_as(
            "SELECT a.id AS activity_id, a.kind, a.topic, o.name AS org_name, a.starts_at, a.ends_at, a.place,
                    a.status AS activity_status, t.status, t.make_up
             FROM activity_attendees t JOIN activities a ON a.id = t.activity_id JOIN org_nodes o ON o.id = a.org_id
             WHERE t.member_id = $1 AND a.status NOT IN ('draft', 'submitted', 'returned', 'approved')
             ORDER BY a.starts_at DESC LIMIT $2 OFFSET $3",
        )
        .bind(member_id)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *c)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM activity_attendees t JOIN activities a ON a.id = t.activity_id
             WHERE t.member_id = $1 AND a.status NOT IN ('draft', 'submitted', 'returned', 'approved')",
        )
        .bind(member_id)
        .fetch_one(&mut *c)
        .await?;
        Ok((rows, total))
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VoteRow {
    pub id: i64,
    pub motion: String,
    pub purpose: String,
    pub expected_voters: i64,
    pub present_voters: i64,
    pub in_favour: i64,
    pub against: i64,
    pub abstaining: i64,
    pub carried: bool,
    pub explanation: String,
}

pub struct NewVote<'a> {
    pub activity_id: i64,
    pub motion: &'a str,
    pub purpose: &'a str,
    pub expected_voters: i64,
    pub present_voters: i64,
    pub in_favour: i64,
    pub against: i64,
    pub abstaining: i64,
    pub carried: bool,
    pub explanation: &'a str,
    pub recorded_by: i64,
    pub now: i64,
}

pub async fn insert_vote(conn: Conn<'_>, v: &NewVote<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO activity_votes (activity_id, motion, purpose, expected_voters, present_voters, in_favour, against,
                                     abstaining, carried, explanation, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(v.activity_id)
        .bind(v.motion)
        .bind(v.purpose)
        .bind(v.expected_voters)
        .bind(v.present_voters)
        .bind(v.in_favour)
        .bind(v.against)
        .bind(v.abstaining)
        .bind(v.carried)
        .bind(v.explanation)
        .bind(v.recorded_by)
        .bind(v.now)
        .fetch_one(c)
        .await?)
    })
}

pub async fn votes(conn: Conn<'_>, activity_id: i64) -> Result<Vec<VoteRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT id, motion, purpose, expected_voters, present_voters, in_favour, against, abstaining, carried, explanation
         FROM activity_votes WHERE activity_id = $1 ORDER BY id",
        )
        .bind(activity_id)
        .fetch_all(c)
        .await?)
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AmendmentRow {
    pub at: i64,
    pub author: String,
    pub reason: String,
    pub field: String,
    pub before_text: String,
    pub after_text: String,
}

pub struct NewAmendment<'a> {
    pub activity_id: i64,
    pub account_id: i64,
    pub author: &'a str,
    pub reason: &'a str,
    pub field: &'a str,
    pub before_text: &'a str,
    pub after_text: &'a str,
    pub now: i64,
}

pub async fn insert_amendment(conn: Conn<'_>, a: &NewAmendment<'_>) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO activity_amendments (activity_id, at, account_id, author, reason, field, before_text, after_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(a.activity_id)
        .bind(a.now)
        .bind(a.account_id)
        .bind(a.author)
        .bind(a.reason)
        .bind(a.field)
        .bind(a.before_text)
        .bind(a.after_text)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn amendments(conn: Conn<'_>, activity_id: i64) -> Result<Vec<AmendmentRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT at, author, reason, field, before_text, after_text FROM activity_amendments
         WHERE activity_id = $1 ORDER BY id",
    )
    .bind(activity_id)
    .fetch_all(c)
    .await?))
}

/// The active members of a node (a branch's direct members, or a group's): an activity's default
/// expected attendees.
pub async fn active_member_ids_of_node(conn: Conn<'_>, org_id: i64) -> Result<Vec<i64>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "SELECT id FROM members WHERE (branch_id = $1 OR group_id = $1) AND status IN ('normal', 'lost') ORDER BY id",
        )
        .bind(org_id)
        .fetch_all(c)
        .await?)
    })
}

/// One activity of a ledger with its attendance counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub id: i64,
    pub org_name: String,
    pub kind: String,
    pub topic: String,
    pub held_on: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub host_name: Option<String>,
    pub recorder_name: Option<String>,
    pub status: String,
    pub expected: i64,
    pub present: i64,
    pub on_leave: i64,
    pub absent: i64,
}

/// The activities of a subtree between two dates (not cancelled), oldest first, with counts.
pub async fn ledger_rows(
    conn: Conn<'_>,
    range: &SubtreeRange,
    from: &str,
    to: &str,
) -> Result<Vec<LedgerRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT a.id, o.name AS org_name, a.kind, a.topic, a.held_on, a.starts_at, a.ends_at, a.place,
                h.name AS host_name, r.name AS recorder_name, a.status,
                (SELECT count(*) FROM activity_attendees t WHERE t.activity_id = a.id) AS expected,
                (SELECT count(*) FROM activity_attendees t WHERE t.activity_id = a.id AND t.status = 'present') AS present,
                (SELECT count(*) FROM activity_attendees t WHERE t.activity_id = a.id AND t.status = 'leave') AS on_leave,
                (SELECT count(*) FROM activity_attendees t WHERE t.activity_id = a.id AND t.status = 'absent') AS absent
         FROM activities a JOIN org_nodes o ON o.id = a.org_id
         LEFT JOIN members h ON h.id = a.host_member_id
         LEFT JOIN members r ON r.id = a.recorder_member_id
         WHERE o.path >= $1 AND o.path < $2 AND a.held_on >= $3 AND a.held_on <= $4 AND a.status <> 'cancelled'
         ORDER BY a.held_on, a.starts_at, a.id",
        )
        .bind(&range.start)
        .bind(&range.end)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await?)
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

pub struct NewAttachment<'a> {
    pub activity_id: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: i64,
    pub now: i64,
}

pub async fn insert_attachment(conn: Conn<'_>, a: &NewAttachment<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO activity_attachments (activity_id, file_name, content_type, size_bytes, content, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(a.activity_id)
        .bind(a.file_name)
        .bind(a.content_type)
        .bind(a.content.len() as i64)
        .bind(a.content)
        .bind(a.uploaded_by)
        .bind(a.now)
        .fetch_one(c)
        .await?)
    })
}

/// An activity's attachments without their content.
pub async fn attachments(conn: Conn<'_>, activity_id: i64) -> Result<Vec<AttachmentRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT id, file_name, content_type, size_bytes FROM activity_attachments WHERE activity_id = $1 ORDER BY id",
        )
        .bind(activity_id)
        .fetch_all(c)
        .await?)
    })
}

/// One attachment's content, only if it belongs to the activity.
pub async fn attachment_content(
    conn: Conn<'_>,
    activity_id: i64,
    id: i64,
) -> Result<Option<(AttachmentRow, Vec<u8>)>> {
    #[derive(sqlx::FromRow)]
    struct Full {
        id: i64,
        file_name: String,
        content_type: String,
        size_bytes: i64,
        content: Vec<u8>,
    }
    let row: Option<Full> = on_backend!(conn, |c| sqlx::query_as(
        "SELECT id, file_name, content_type, size_bytes, content FROM activity_attachments
         WHERE activity_id = $1 AND id = $2",
    )
    .bind(activity_id)
    .bind(id)
    .fetch_optional(c)
    .await?);
    Ok(row.map(|f| {
        (
            AttachmentRow {
                id: f.id,
                file_name: f.file_name,
                content_type: f.content_type,
                size_bytes: f.size_bytes,
            },
            f.content,
        )
    }))
}

/// A published meeting with leave requests nobody has decided yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeaveRequestsRow {
    pub activity_id: i64,
    pub org_name: String,
    pub kind: String,
    pub topic: String,
    pub held_on: String,
    pub requests: i64,
}

/// The published meetings of a node and of its direct children (a branch and its groups) with
/// undecided leave requests, soonest first: those who run the node decide them. Bounded by the
/// node, not the subtree, so a committee's home page stays as cheap as a branch's.
pub async fn leave_requests_waiting(
    conn: Conn<'_>,
    org_id: i64,
    limit: i64,
) -> Result<Vec<LeaveRequestsRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT a.id AS activity_id, o.name AS org_name, a.kind, a.topic, a.held_on,
                (SELECT count(*) FROM activity_attendees t
                 WHERE t.activity_id = a.id AND t.status = 'leave_requested') AS requests
         FROM activities a JOIN org_nodes o ON o.id = a.org_id
         WHERE a.org_id IN (SELECT n.id FROM org_nodes n WHERE n.id = $1 OR n.parent_id = $1)
           AND a.status = 'published'
           AND EXISTS (SELECT 1 FROM activity_attendees t
                       WHERE t.activity_id = a.id AND t.status = 'leave_requested')
         ORDER BY a.starts_at, a.id LIMIT $2"
    )
    .bind(org_id)
    .bind(limit)
    .fetch_all(c)
    .await?))
}
