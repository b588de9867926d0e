//! Leave (请假), marking attendance by hand, and make-up study (补学).

use dangjian_domain::activity::Operation;
use dangjian_domain::events::{EventKind, source_key};
use dangjian_store::Tx;
use dangjian_store::activities::{self, AttendeeRow};

use super::outcome::{count_month, event_key, held_on, outcome_event, record};
use super::{commit, load_in, own_member};
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// A member asks for leave before the meeting.
pub async fn request_leave(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
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
    let loaded = load_in(&mut tx, id).await?;
    loaded.allows(Operation::RequestLeave)?;
    let attendee = activities::attendee(tx.conn(), id, member_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("您不在本次活动的应到人员名单中".into()))?;
    let changed = activities::set_attendance(
        tx.conn(),
        id,
        member_id,
        "leave_requested",
        &["expected"],
        None,
        "",
        false,
    )
    .await?;
    if !changed {
        return Err(AppError::Conflict(format!(
            "您当前的出勤状态为「{}」，不能再请假",
            status_label(&attendee.status)
        )));
    }
    activities::set_leave_reason(tx.conn(), id, member_id, reason).await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        "activity_leave_requested",
        format!("{} 请假：{reason}", attendee.name),
    )
    .await
}

/// The host's side approves or refuses a leave request.
pub async fn decide_leave(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
    member_id: i64,
    approve: bool,
) -> AppResult<()> {
    if actor.member_id == Some(member_id) {
        return Err(AppError::Forbidden("不能审批自己的请假".into()));
    }
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::DecideLeave)?;
    let attendee = attendee_in(&mut tx, id, member_id).await?;
    let status = if approve { "leave" } else { "expected" };
    if !activities::set_attendance(
        tx.conn(),
        id,
        member_id,
        status,
        &["leave_requested"],
        None,
        "",
        false,
    )
    .await?
    {
        return Err(AppError::Conflict(format!(
            "{} 没有待审批的请假",
            attendee.name
        )));
    }
    let verb = if approve { "批准" } else { "不批准" };
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        "activity_leave_decided",
        format!("{verb} {} 的请假", attendee.name),
    )
    .await
}

async fn attendee_in(tx: &mut Tx, id: i64, member_id: i64) -> AppResult<AttendeeRow> {
    activities::attendee(tx.conn(), id, member_id)
        .await?
        .ok_or_else(|| AppError::invalid("member_id", "该党员不在本次活动的参加人员名单中"))
}

pub(crate) fn status_label(status: &str) -> &'static str {
    match status {
        "expected" => "应到",
        "present" => "出席",
        "leave_requested" => "请假待批",
        "leave" => "请假",
        "absent" => "缺席",
        _ => "未知",
    }
}

/// The recorder marks a member by hand: present, leave or absent. After the meeting this is a
/// correction: the member's month and the events follow it.
pub async fn mark(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
    member_id: i64,
    status: &str,
) -> AppResult<()> {
    if !matches!(status, "present" | "leave" | "absent") {
        return Err(AppError::invalid(
            "status",
            "出勤状态只能是出席、请假或缺席",
        ));
    }
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::MarkAttendance)?;
    let attendee = attendee_in(&mut tx, id, member_id).await?;
    if attendee.status == status {
        return Err(AppError::Conflict(format!(
            "{} 已是「{}」",
            attendee.name,
            status_label(status)
        )));
    }
    if !loaded.status.is_held() && status == "absent" {
        return Err(AppError::invalid(
            "status",
            "会前不能标记缺席；确认召开时未到者自动记为缺席",
        ));
    }
    let held = loaded.status.is_held();
    let checked_in_at = (status == "present").then(|| app.now_micros());
    activities::set_attendance(
        tx.conn(),
        id,
        member_id,
        status,
        &[attendee.status.as_str()],
        checked_in_at,
        "manual",
        held,
    )
    .await?;
    if held {
        let held_on = held_on(&loaded)?;
        count_month(&mut tx, &loaded, member_id, &attendee.status, held_on, -1).await?;
        count_month(&mut tx, &loaded, member_id, status, held_on, 1).await?;
        let old_key = event_key(&loaded, member_id, &attendee.status, attendee.revision);
        if let Some(old_key) = old_key {
            record(
                &mut tx,
                &loaded,
                member_id,
                EventKind::AttendanceRetracted,
                &format!("{old_key}:retracted"),
                held_on,
                &format!("{{\"retracts\":\"{old_key}\"}}"),
            )
            .await?;
        }
        if let Some(new_key) = event_key(&loaded, member_id, status, attendee.revision + 1)
            && let Some(kind) = outcome_event(loaded.kind, status)
        {
            record(&mut tx, &loaded, member_id, kind, &new_key, held_on, "{}").await?;
        }
        if status != "present" {
            activities::set_make_up(tx.conn(), id, member_id, "assigned", "", None).await?;
        }
    }
    let summary = format!(
        "手工标记 {}：{} → {}",
        attendee.name,
        status_label(&attendee.status),
        status_label(status)
    );
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        "activity_attendance_marked",
        summary,
    )
    .await
}

/// A member confirms the make-up study of a meeting they missed.
pub async fn confirm_make_up(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
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
    let loaded = load_in(&mut tx, id).await?;
    let attendee = activities::attendee(tx.conn(), id, member_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("您不在本次活动的参加人员名单中".into()))?;
    if attendee.make_up != "assigned" {
        return Err(AppError::Conflict(if attendee.make_up == "done" {
            "补学已确认，无需重复提交".into()
        } else {
            "本次活动没有需要您补学的内容".into()
        }));
    }
    activities::set_make_up(
        tx.conn(),
        id,
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
        "activity_make_up_done",
        format!("{} 完成补学", attendee.name),
    )
    .await
}
