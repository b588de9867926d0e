//! Maintained counters of organizational life: per node, period and kind (what compliance pages
//! read), and per member and month (the consecutive-months rule). Writes update them in the same
//! transaction as the activity; `held_activities` is the full recount tests compare them with.

use crate::db::on_backend;
use crate::{Conn, Result};

/// Adds `delta` to the node's own count of held activities of the kind in the period; returns the
/// count after the change.
pub async fn bump_held(
    conn: Conn<'_>,
    org_id: i64,
    period: &str,
    kind: &str,
    delta: i64,
) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO activity_counters (org_id, period, kind, held, nodes_done) VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT (org_id, period, kind) DO UPDATE SET held = activity_counters.held + excluded.held
         RETURNING held",
        )
        .bind(org_id)
        .bind(period)
        .bind(kind)
        .bind(delta)
        .fetch_one(c)
        .await?)
    })
}

/// Adds `delta` to the count of nodes that held the kind in the period, for each of `org_ids` (a
/// node and its ancestors, when the node's own count crossed zero).
pub async fn bump_nodes_done(
    mut conn: Conn<'_>,
    org_ids: &[i64],
    period: &str,
    kind: &str,
    delta: i64,
) -> Result<()> {
    for org_id in org_ids {
        on_backend!(&mut conn, |c| {
            sqlx::query(
                "INSERT INTO activity_counters (org_id, period, kind, held, nodes_done) VALUES ($1, $2, $3, 0, $4)
             ON CONFLICT (org_id, period, kind) DO UPDATE SET nodes_done = activity_counters.nodes_done + excluded.nodes_done",
            )
            .bind(org_id)
            .bind(period)
            .bind(kind)
            .bind(delta)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CounterRow {
    pub org_id: i64,
    pub period: String,
    pub kind: String,
    pub held: i64,
    pub nodes_done: i64,
}

/// The counters of the given nodes in the given periods.
pub async fn counters(
    conn: Conn<'_>,
    org_ids: &[i64],
    periods: &[String],
) -> Result<Vec<CounterRow>> {
    if org_ids.is_empty() || periods.is_empty() {
        return Ok(Vec::new());
    }
    // Ids and period keys are ours (integers, `2026-Q4`), never user text, so they are inlined.
    let ids = org_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let keys = periods
        .iter()
        .filter(|p| p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(|p| format!("'{p}'"))
        .collect::<Vec<_>>()
        .join(",");
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT org_id, period, kind, held, nodes_done FROM activity_counters
         WHERE org_id IN ({ids}) AND period IN ({keys})"
    );
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?))
}

/// Every counter, for comparing with a recount.
pub async fn all_counters(conn: Conn<'_>) -> Result<Vec<CounterRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT org_id, period, kind, held, nodes_done FROM activity_counters
         WHERE held <> 0 OR nodes_done <> 0 ORDER BY org_id, period, kind",
    )
    .fetch_all(c)
    .await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeldActivity {
    pub org_id: i64,
    pub org_path: String,
    pub kind: String,
    pub held_on: String,
}

/// Every held activity with its node's path: the full recount the counters must equal.
pub async fn held_activities(conn: Conn<'_>) -> Result<Vec<HeldActivity>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT a.org_id, o.path AS org_path, a.kind, a.held_on FROM activities a JOIN org_nodes o ON o.id = a.org_id
         WHERE a.status IN ('held', 'minuted', 'archived')",
        )
        .fetch_all(c)
        .await?)
    })
}

/// Adds to a member's month: attended, excused (approved leave) or absent without leave.
pub async fn bump_life_month(
    conn: Conn<'_>,
    member_id: i64,
    month: &str,
    attended: i64,
    excused: i64,
    absent: i64,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO member_life_months (member_id, month, attended, excused, absent) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (member_id, month) DO UPDATE SET attended = member_life_months.attended + excluded.attended,
             excused = member_life_months.excused + excluded.excused, absent = member_life_months.absent + excluded.absent",
        )
        .bind(member_id)
        .bind(month)
        .bind(attended)
        .bind(excused)
        .bind(absent)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LifeMonthRow {
    pub member_id: i64,
    pub month: String,
    pub attended: i64,
    pub excused: i64,
    pub absent: i64,
}

/// The months since `from` (inclusive, `2026-01`) of every active member of a branch.
pub async fn life_months_of_branch(
    conn: Conn<'_>,
    branch_id: i64,
    from: &str,
) -> Result<Vec<LifeMonthRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(
        "SELECT l.member_id, l.month, l.attended, l.excused, l.absent FROM member_life_months l
         JOIN members m ON m.id = l.member_id
         WHERE m.branch_id = $1 AND m.status IN ('normal', 'lost') AND l.month >= $2",
    )
    .bind(branch_id)
    .bind(from)
    .fetch_all(c)
    .await?))
}

/// A member's calendar-feed token hash (the secret URL of their iCalendar feed).
pub async fn set_calendar_feed(
    conn: Conn<'_>,
    member_id: i64,
    token_hash: Option<&str>,
    now: i64,
) -> Result<()> {
    on_backend!(conn, |c| {
        match token_hash {
            Some(hash) => sqlx::query(
                "INSERT INTO calendar_feeds (member_id, token_hash, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (member_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
            )
            .bind(member_id)
            .bind(hash)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected()),
            None => sqlx::query("DELETE FROM calendar_feeds WHERE member_id = $1")
                .bind(member_id)
                .execute(c)
                .await
                .map(|r| r.rows_affected()),
        }
    })?;
    Ok(())
}

pub async fn calendar_feed_member(conn: Conn<'_>, token_hash: &str) -> Result<Option<i64>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT member_id FROM calendar_feeds WHERE token_hash = $1"
    )
    .bind(token_hash)
    .fetch_optional(c)
    .await?))
}

pub async fn has_calendar_feed(conn: Conn<'_>, member_id: i64) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM calendar_feeds WHERE member_id = $1"
    )
    .bind(member_id)
    .fetch_one(c)
    .await?
        > 0))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeRow {
    pub id: i64,
    pub name: String,
    pub path: String,
}

/// Active nodes of one kind in a subtree, in tree order, one page of them.
pub async fn nodes_of_kind(
    conn: Conn<'_>,
    range: &crate::SubtreeRange,
    kind: &str,
    page: crate::PageRequest,
) -> Result<(Vec<NodeRow>, i64)> {
    on_backend!(conn, |c| {
        let rows = sqlx::query_as(
            "SELECT id, name, path FROM org_nodes WHERE path >= $1 AND path < $2 AND kind = $3 AND status = 'active'
             ORDER BY path LIMIT $4 OFFSET $5",
        )
        .bind(&range.start)
        .bind(&range.end)
        .bind(kind)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *c)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM org_nodes WHERE path >= $1 AND path < $2 AND kind = $3 AND status = 'active'",
        )
        .bind(&range.start)
        .bind(&range.end)
        .bind(kind)
        .fetch_one(&mut *c)
        .await?;
        Ok((rows, total))
    })
}

/// Per branch among `branch_ids`: its active groups and its active full members (a branch with 7
/// or more full members has a committee, 支部工作条例 art. 9).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BranchShape {
    pub branch_id: i64,
    pub groups: i64,
    pub full_members: i64,
}

pub async fn branch_shapes(conn: Conn<'_>, branch_ids: &[i64]) -> Result<Vec<BranchShape>> {
    if branch_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers from our own query; inlining them keeps one statement for any page size.
    let ids = branch_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT b.id AS branch_id,
                (SELECT count(*) FROM org_nodes g WHERE g.parent_id = b.id AND g.kind = 'group' AND g.status = 'active') AS groups,
                (SELECT count(*) FROM members m WHERE m.branch_id = b.id AND m.category = 'full' AND m.status IN ('normal', 'lost')) AS full_members
         FROM org_nodes b WHERE b.id IN ({ids})"
    );
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BranchMemberRow {
    pub id: i64,
    pub name: String,
    pub joined_on: Option<String>,
    pub created_at: i64,
}

pub async fn active_members_of_branch(
    conn: Conn<'_>,
    branch_id: i64,
) -> Result<Vec<BranchMemberRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT id, name, joined_on, created_at FROM members WHERE branch_id = $1 AND status IN ('normal', 'lost')
         ORDER BY name_initials, id",
        )
        .bind(branch_id)
        .fetch_all(c)
        .await?)
    })
}

/// Leading cadres of a subtree and their attendance at held activities between two dates.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CadreParticipation {
    pub member_id: i64,
    pub name: String,
    pub branch_name: String,
    pub expected: i64,
    pub present: i64,
    pub on_leave: i64,
    pub absent: i64,
}

pub async fn cadre_participation(
    conn: Conn<'_>,
    range: &crate::SubtreeRange,
    from: &str,
    to: &str,
) -> Result<Vec<CadreParticipation>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT m.id AS member_id, m.name, b.name AS branch_name,
                count(a.id) AS expected,
                coalesce(sum(CASE WHEN a.id IS NOT NULL AND t.status = 'present' THEN 1 ELSE 0 END), 0) AS present,
                coalesce(sum(CASE WHEN a.id IS NOT NULL AND t.status = 'leave' THEN 1 ELSE 0 END), 0) AS on_leave,
                coalesce(sum(CASE WHEN a.id IS NOT NULL AND t.status = 'absent' THEN 1 ELSE 0 END), 0) AS absent
         FROM members m JOIN org_nodes b ON b.id = m.branch_id
         LEFT JOIN activity_attendees t ON t.member_id = m.id
         LEFT JOIN activities a ON a.id = t.activity_id AND a.status IN ('held', 'minuted', 'archived')
              AND a.held_on >= $3 AND a.held_on <= $4 AND a.kind <> 'other'
         WHERE m.is_leading_cadre AND m.status IN ('normal', 'lost') AND b.path >= $1 AND b.path < $2
         GROUP BY m.id, m.name, b.name ORDER BY b.name, m.name",
        )
        .bind(&range.start)
        .bind(&range.end)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await?)
    })
}

/// The branch's serving secretary and how many party lectures they gave between two dates.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SecretaryLectures {
    pub name: String,
    pub lectures: i64,
}

pub async fn secretary_lectures(
    conn: Conn<'_>,
    branch_id: i64,
    from: &str,
    to: &str,
) -> Result<Option<SecretaryLectures>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT m.name,
                (SELECT count(*) FROM activities a
                 WHERE a.org_id = p.org_id AND a.kind = 'party_lecture' AND a.speaker_member_id = p.member_id
                   AND a.status IN ('held', 'minuted', 'archived') AND a.held_on >= $2 AND a.held_on <= $3) AS lectures
         FROM positions p JOIN members m ON m.id = p.member_id
         WHERE p.org_id = $1 AND p.position = 'secretary' AND p.ended_on IS NULL
         ORDER BY p.started_on DESC LIMIT 1",
        )
        .bind(branch_id)
        .bind(from)
        .bind(to)
        .fetch_optional(c)
        .await?)
    })
}
