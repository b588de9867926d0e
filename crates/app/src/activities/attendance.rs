//! Leave (请假), marking attendance by hand, and make-up study (补学).

use dangjian_domain::ActivityId;
use dangjian_domain::MemberId;
use dangjian_domain::activity::{Attendance, Operation};
use dangjian_domain::events::{EventKind, source_key};
use dangjian_store::activities::{self, AttendeeRow};
use dangjian_store::{Conn, Tx};
use serde::Serialize;

use super::outcome::{count_month, event_key, held_on, outcome_event, record};
use super::{Loaded, commit, load_in, own_member};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// An attendee as stored, with their attendance read from the stored code. Rows are read through
/// `attendees`/`attendee` below so the code is parsed once, where the row comes in.
pub(crate) struct Attendee {
    pub row: AttendeeRow,
    pub status: Attendance,
}

impl Attendee {
    fn from_row(row: AttendeeRow) -> AppResult<Attendee> {
        let status = stored_attendance(&row.status, row.activity_id, row.member_id)?;
        Ok(Attendee { row, status })
    }
}

/// A stored attendance code; anything else is a corrupt row.
pub(crate) fn stored_attendance(
    code: &str,
    activity_id: i64,
    member_id: i64,
) -> AppResult<Attendance> {
    Attendance::from_code(code).ok_or_else(|| {
        AppError::Unexpected(format!(
            "attendee {member_id} of activity {activity_id} has an unknown attendance status {code:?}"
        ))
    })
}

/// The activity's attendees, in list order.
pub(crate) async fn attendees(conn: Conn<'_>, id: i64) -> AppResult<Vec<Attendee>> {
    activities::attendees(conn, id)
        .await?
        .into_iter()
        .map(Attendee::from_row)
        .collect()
}

/// One attendee of the activity, if the member is on its list.
pub(crate) async fn attendee(
    conn: Conn<'_>,
    id: i64,
    member_id: i64,
) -> AppResult<Option<Attendee>> {
    activities::attendee(conn, id, member_id)
        .await?
        .map(Attendee::from_row)
        .transpose()
}

/// A status as a form or a JSON body gives it (`present`, `leave` or `absent`): what the recorder
/// may mark by hand.
pub fn markable_attendance(raw: &str) -> AppResult<Attendance> {
    Attendance::from_code(raw)
        .filter(|status| status.may_be_marked())
        .ok_or_else(not_markable)
}

fn not_markable() -> AppError {
    AppError::invalid("status", "出勤状态只能是出席、请假或缺席")
}

/// A member asks for leave before the meeting.
pub async fn request_leave(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    reason: &str,
) -> AppResult<()> {
    let member_id = own_member(actor)?;
    let reason = &AppError::check_text(
        "reason",
        "请假事由",
        reason,
        dangjian_domain::text::Shape::MultiLine,
        500,
        true,
    )?;
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    // Authorize first: the activity's state is news only for those expected at it.
    let attendee = attendee(tx.conn(), id.0, member_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("您不在本次活动的应到人员名单中".into()))?;
    loaded.allows(Operation::RequestLeave)?;
    let changed = activities::set_attendance(
        tx.conn(),
        id.0,
        member_id,
        Attendance::LeaveRequested.code(),
        &[Attendance::Expected.code()],
        None,
        "",
        false,
    )
    .await?;
    if !changed {
        return Err(AppError::Conflict(format!(
            "您当前的出勤状态为「{}」，不能再请假",
            attendee.status.label()
        )));
    }
    activities::set_leave_reason(tx.conn(), id.0, member_id, reason).await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityLeaveRequested,
        format!("{} 请假：{reason}", attendee.row.name),
    )
    .await
}

/// The host's side approves or refuses a leave request.
pub async fn decide_leave(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    member_id: MemberId,
    approve: bool,
) -> AppResult<()> {
    if actor.member_id == Some(member_id.0) {
        return Err(AppError::Forbidden("不能审批自己的请假".into()));
    }
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::DecideLeave)?;
    let attendee = attendee_in(&mut tx, id.0, member_id.0).await?;
    let status = if approve {
        Attendance::Leave
    } else {
        Attendance::Expected
    };
    if !activities::set_attendance(
        tx.conn(),
        id.0,
        member_id.0,
        status.code(),
        &[Attendance::LeaveRequested.code()],
        None,
        "",
        false,
    )
    .await?
    {
        return Err(AppError::Conflict(format!(
            "{} 没有待审批的请假",
            attendee.row.name
        )));
    }
    let verb = if approve { "批准" } else { "不批准" };
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityLeaveDecided,
        format!("{verb} {} 的请假", attendee.row.name),
    )
    .await
}

async fn attendee_in(tx: &mut Tx, id: i64, member_id: i64) -> AppResult<Attendee> {
    attendee(tx.conn(), id, member_id)
        .await?
        .ok_or_else(|| AppError::invalid("member_id", "该党员不在本次活动的参加人员名单中"))
}

/// The recorder marks a member by hand: present, leave or absent (`markable_attendance` reads
/// one from a request). After the meeting this is a correction: the member's month and the
/// events follow it.
pub async fn mark(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    member_id: MemberId,
    status: Attendance,
) -> AppResult<()> {
    if !status.may_be_marked() {
        return Err(not_markable());
    }
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::MarkAttendance)?;
    let attendee = attendee_in(&mut tx, id.0, member_id.0).await?;
    if attendee.status == status {
        return Err(AppError::Conflict(format!(
            "{} 已是「{}」",
            attendee.row.name,
            status.label()
        )));
    }
    refuse_absence_before_the_meeting(&loaded, status)?;
    apply_mark(&mut tx, app, &loaded, &attendee, status).await?;
    let summary = format!(
        "手工标记 {}：{} → {}",
        attendee.row.name,
        attendee.status.label(),
        status.label()
    );
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityAttendanceMarked,
        summary,
    )
    .await
}

fn refuse_absence_before_the_meeting(loaded: &Loaded, status: Attendance) -> AppResult<()> {
    if !loaded.status.is_held() && status == Attendance::Absent {
        return Err(AppError::invalid(
            "status",
            "会前不能标记缺席；确认召开时未到者自动记为缺席",
        ));
    }
    Ok(())
}

/// Writes one attendee's new status; after the meeting, moves their month's counters and
/// retracts and records the events, as the correction it is.
async fn apply_mark(
    tx: &mut Tx,
    app: &App,
    loaded: &Loaded,
    attendee: &Attendee,
    status: Attendance,
) -> AppResult<()> {
    let id = loaded.row.id;
    let member_id = attendee.row.member_id;
    let held = loaded.status.is_held();
    let checked_in_at = (status == Attendance::Present).then(|| app.now_micros());
    activities::set_attendance(
        tx.conn(),
        id,
        member_id,
        status.code(),
        &[attendee.status.code()],
        checked_in_at,
        "manual",
        held,
    )
    .await?;
    if held {
        let held_on = held_on(loaded)?;
        count_month(tx, loaded, member_id, attendee.status, held_on, -1).await?;
        count_month(tx, loaded, member_id, status, held_on, 1).await?;
        let old_key = event_key(loaded, member_id, attendee.status, attendee.row.revision);
        if let Some(old_key) = old_key {
            record(
                tx,
                loaded,
                member_id,
                EventKind::AttendanceRetracted,
                &format!("{old_key}:retracted"),
                held_on,
                &format!("{{\"retracts\":\"{old_key}\"}}"),
            )
            .await?;
        }
        if let Some(new_key) = event_key(loaded, member_id, status, attendee.row.revision + 1)
            && let Some(kind) = outcome_event(loaded.kind, status)
        {
            record(tx, loaded, member_id, kind, &new_key, held_on, "{}").await?;
        }
        if status != Attendance::Present {
            activities::set_make_up(tx.conn(), id, member_id, "assigned", "", None).await?;
        }
    }
    Ok(())
}

/// One attendee a batch would mark, or marked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MarkLine {
    pub member_id: i64,
    pub name: String,
    pub from_label: &'static str,
    pub to_label: &'static str,
}

/// One selected member a batch leaves as they are, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MarkSkip {
    pub member_id: i64,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MarkMany {
    pub activity_id: i64,
    pub title: String,
    /// present, leave or absent.
    pub status: String,
    pub status_label: &'static str,
    pub lines: Vec<MarkLine>,
    pub skipped: Vec<MarkSkip>,
    /// Whether the marks were written.
    pub done: bool,
}

/// The recorder marks several attendees at once (all who are present, typically): shown first,
/// and with `confirm` written in one transaction with one audit entry listing them. Members
/// already so marked are skipped and said so; a member not on the list refuses the whole batch.
pub async fn mark_many(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    members: &[MemberId],
    status: Attendance,
    confirm: bool,
) -> AppResult<MarkMany> {
    if !status.may_be_marked() {
        return Err(not_markable());
    }
    if members.is_empty() {
        return Err(AppError::invalid("member_id", "请先勾选要标记的参加人员"));
    }
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::MarkAttendance)?;
    refuse_absence_before_the_meeting(&loaded, status)?;
    let mut chosen = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for member in members {
        if !seen.insert(member.0) {
            return Err(AppError::invalid("member_id", "同一参加人员选了两次"));
        }
        let attendee = attendee(tx.conn(), id.0, member.0).await?.ok_or_else(|| {
            AppError::invalid(
                "member_id",
                format!("党员编号 {member} 不在本次活动的参加人员名单中"),
            )
        })?;
        if attendee.status == status {
            skipped.push(MarkSkip {
                member_id: member.0,
                name: attendee.row.name.clone(),
                reason: format!("已是「{}」", status.label()),
            });
        } else {
            chosen.push(attendee);
        }
    }
    let mut result = MarkMany {
        activity_id: id.0,
        title: loaded.kind.title(&loaded.row.topic),
        status: status.code().into(),
        status_label: status.label(),
        lines: chosen
            .iter()
            .map(|a| MarkLine {
                member_id: a.row.member_id,
                name: a.row.name.clone(),
                from_label: a.status.label(),
                to_label: status.label(),
            })
            .collect(),
        skipped,
        done: false,
    };
    if !confirm {
        return Ok(result);
    }
    if chosen.is_empty() {
        return Err(AppError::Conflict(format!(
            "所选人员都已是「{}」",
            status.label()
        )));
    }
    for attendee in &chosen {
        apply_mark(&mut tx, app, &loaded, attendee, status).await?;
    }
    let touched: Vec<String> = result
        .lines
        .iter()
        .map(|l| {
            format!(
                "{}（党员编号 {}）：{} → {}",
                l.name, l.member_id, l.from_label, l.to_label
            )
        })
        .collect();
    let entry = Entry::new(
        AuditAction::ActivityAttendanceMarked,
        AuditEntity::Activity,
        loaded.row.id,
        format!(
            "批量标记「{}」{} 人为{}",
            result.title,
            touched.len(),
            status.label()
        ),
    )
    .org(Some(dangjian_domain::OrgId(loaded.row.org_id)))
    .change(None, Some(touched.join("\n")));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    result.done = true;
    Ok(result)
}

/// A member confirms the make-up study of a meeting they missed.
pub async fn confirm_make_up(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    note: &str,
) -> AppResult<()> {
    let member_id = own_member(actor)?;
    let note = &AppError::check_text(
        "note",
        "补学内容或心得",
        note,
        dangjian_domain::text::Shape::MultiLine,
        2000,
        true,
    )?;
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    let attendee = attendee(tx.conn(), id.0, member_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("您不在本次活动的参加人员名单中".into()))?;
    if attendee.row.make_up != "assigned" {
        return Err(AppError::Conflict(if attendee.row.make_up == "done" {
            "补学已确认，无需重复提交".into()
        } else {
            "本次活动没有需要您补学的内容".into()
        }));
    }
    activities::set_make_up(
        tx.conn(),
        id.0,
        member_id,
        "done",
        note,
        Some(app.now_micros()),
    )
    .await?;
    let today = app.today();
    let key = source_key(
        "activity",
        &id.to_string(),
        member_id,
        EventKind::MakeUpStudyDone,
    );
    record(
        &mut tx,
        &loaded,
        member_id,
        EventKind::MakeUpStudyDone,
        &key,
        today,
        "{}",
    )
    .await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityMakeUpDone,
        format!("{} 完成补学", attendee.row.name),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_mark_present_leave_or_absent_only() {
        for (raw, status) in [
            ("present", Attendance::Present),
            ("leave", Attendance::Leave),
            ("absent", Attendance::Absent),
        ] {
            assert!(
                matches!(markable_attendance(raw), Ok(s) if s == status),
                "{raw}"
            );
        }
        for raw in [
            "expected",
            "leave_requested",
            "",
            "Present",
            " present",
            "late",
        ] {
            match markable_attendance(raw) {
                Err(AppError::Invalid { field, message }) => {
                    assert_eq!(field, Some("status"));
                    assert_eq!(message, "出勤状态只能是出席、请假或缺席");
                }
                other => panic!("{raw:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn an_unknown_stored_status_is_a_corrupt_row() {
        assert!(matches!(
            stored_attendance("present", 1, 2),
            Ok(Attendance::Present)
        ));
        assert!(matches!(
            stored_attendance("late", 1, 2),
            Err(AppError::Unexpected(_))
        ));
    }
}
