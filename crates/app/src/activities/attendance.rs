//! Check-in, attendance, leave (请假) and make-up study (补学).
//!
//! Attendance becomes final when the host confirms the meeting was held: everyone still expected
//! is then absent without leave. From that moment each attendee's outcome is a domain event and
//! counts in the member's month; a later correction retracts the old event and records a new one.

use dangjian_domain::OrgId;
use dangjian_domain::activity::checkin::{self, CheckInCodeError};
use dangjian_domain::activity::{ActivityKind, Month, Operation, Period};
use dangjian_domain::events::{EventKind, source_key};
use dangjian_store::activities::{self, AttendeeRow};
use dangjian_store::events::{self, NewEvent};
use dangjian_store::{Tx, life_counters};
use jiff::civil::Date;
use serde::Serialize;

use super::{Loaded, commit, load, load_in, own_member};
use crate::{Actor, App, AppError, AppResult, RequestContext, now_micros};

/// What the host's screen shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckInDisplay {
    pub activity_id: i64,
    pub topic: String,
    /// The current code; the QR code encodes `url`.
    pub code: String,
    /// Path a member's phone opens: `/checkin/{id}?code=…`.
    pub url: String,
    pub seconds_left: i64,
    pub present: i64,
    pub expected: i64,
}

fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Opens or closes check-in.
pub async fn set_check_in(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
    open: bool,
) -> AppResult<()> {
    let mut tx = app.store.begin().await?;
    let loaded = load_in(&mut tx, id).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::OpenCheckIn)?;
    activities::set_checkin_open(tx.conn(), id, open, now_micros()).await?;
    let (action, summary) = if open {
        ("activity_checkin_opened", "开始签到")
    } else {
        ("activity_checkin_closed", "结束签到")
    };
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        action,
        format!("{summary}「{}」", loaded.row.topic),
    )
    .await
}

pub async fn check_in_display(app: &App, actor: &Actor, id: i64) -> AppResult<CheckInDisplay> {
    let loaded = load(app, id).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::OpenCheckIn)?;
    if !loaded.row.checkin_open {
        return Err(AppError::Conflict(
            "签到尚未开始，请先点击「开始签到」".into(),
        ));
    }
    let now = unix_now();
    let code = checkin::code_for(
        loaded.row.checkin_secret.as_bytes(),
        id,
        checkin::window_of(now),
    );
    let mut handle = app.store.acquire().await?;
    let attendees = activities::attendees(handle.conn(), id).await?;
    Ok(CheckInDisplay {
        activity_id: id,
        topic: loaded.row.topic.clone(),
        url: format!("/checkin/{id}?code={code}"),
        code,
        seconds_left: checkin::seconds_left(now),
        present: attendees.iter().filter(|a| a.status == "present").count() as i64,
        expected: attendees.len() as i64,
    })
}

/// A member checks in with the code their phone scanned.
pub async fn check_in(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
    code: &str,
) -> AppResult<()> {
    let member_id = own_member(actor)?;
    let mut tx = app.store.begin().await?;
    let loaded = load_in(&mut tx, id).await?;
    loaded.allows(Operation::CheckIn)?;
    if !loaded.row.checkin_open {
        return Err(AppError::Conflict("签到尚未开始或已经结束".into()));
    }
    checkin::verify(loaded.row.checkin_secret.as_bytes(), id, code, unix_now()).map_err(
        |e| match e {
            CheckInCodeError::Forged => AppError::invalid("code", e.to_string()),
            CheckInCodeError::Expired => AppError::Conflict(e.to_string()),
        },
    )?;
    let attendee = activities::attendee(tx.conn(), id, member_id)
        .await?
        .ok_or_else(|| AppError::Forbidden("您不在本次活动的应到人员名单中，不能签到".into()))?;
    if attendee.status == "present" {
        return Err(AppError::Conflict("您已签到，无需重复签到".into()));
    }
    let changed = activities::set_attendance(
        tx.conn(),
        id,
        member_id,
        "present",
        &["expected", "leave_requested", "leave"],
        Some(now_micros()),
        "qr",
        false,
    )
    .await?;
    if !changed {
        return Err(AppError::Conflict("您已签到，无需重复签到".into()));
    }
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        "activity_checked_in",
        format!("{} 扫码签到", attendee.name),
    )
    .await
}

/// A member asks for leave before the meeting.
pub async fn request_leave(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
    reason: &str,
) -> AppResult<()> {
    let member_id = own_member(actor)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "请填写请假事由（500 字以内）"));
    }
    let mut tx = app.store.begin().await?;
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
    let mut tx = app.store.begin().await?;
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
    let mut tx = app.store.begin().await?;
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
    let checked_in_at = (status == "present").then(now_micros);
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

fn held_on(loaded: &Loaded) -> AppResult<Date> {
    loaded
        .row
        .held_on
        .parse()
        .map_err(|_| AppError::Unexpected(format!("activity {} has a bad date", loaded.row.id)))
}

/// The event an attendance outcome produces, if any.
fn outcome_event(kind: ActivityKind, status: &str) -> Option<EventKind> {
    match (kind, status) {
        (ActivityKind::Talk, "present") => Some(EventKind::TalkHeld),
        (_, "present") => Some(EventKind::Attended),
        (_, "leave") => Some(EventKind::OnLeave),
        (_, "absent") => Some(EventKind::AbsentWithoutLeave),
        _ => None,
    }
}

/// The stable key of an attendee's outcome; a correction bumps the revision, so the corrected
/// outcome is a new fact even when it repeats an earlier one.
fn event_key(loaded: &Loaded, member_id: i64, status: &str, revision: i64) -> Option<String> {
    let kind = outcome_event(loaded.kind, status)?;
    let base = source_key("activity", &loaded.row.id.to_string(), member_id, kind);
    Some(if revision == 0 {
        base
    } else {
        format!("{base}:r{revision}")
    })
}

async fn record(
    tx: &mut Tx,
    loaded: &Loaded,
    member_id: i64,
    kind: EventKind,
    key: &str,
    on: Date,
    payload: &str,
) -> AppResult<()> {
    let event = NewEvent {
        source_key: key.to_string(),
        kind: kind.code().into(),
        member_id: Some(member_id),
        org_id: loaded.row.org_id,
        occurred_on: on.to_string(),
        recorded_at: now_micros(),
        payload: payload.to_string(),
    };
    events::record_event(tx.conn(), &event).await?;
    Ok(())
}

/// Adds (or with -1 removes) an outcome to the member's month.
async fn count_month(
    tx: &mut Tx,
    loaded: &Loaded,
    member_id: i64,
    status: &str,
    on: Date,
    sign: i64,
) -> AppResult<()> {
    if !loaded.kind.is_organizational_life() {
        return Ok(());
    }
    let (attended, excused, absent) = match status {
        "present" => (sign, 0, 0),
        "leave" => (0, sign, 0),
        "absent" => (0, 0, sign),
        _ => return Ok(()),
    };
    life_counters::bump_life_month(
        tx.conn(),
        member_id,
        &Month::of(on).key(),
        attended,
        excused,
        absent,
    )
    .await?;
    Ok(())
}

/// The host confirms the meeting took place: attendance becomes final, absentees get make-up
/// study, counters and events are written.
pub async fn finish(app: &App, actor: &Actor, ctx: &RequestContext, id: i64) -> AppResult<()> {
    let mut tx = app.store.begin().await?;
    let loaded = load_in(&mut tx, id).await?;
    loaded.authorize_manage(actor)?;
    let next = loaded.allows(Operation::Finish)?;
    if loaded.row.starts_at > now_micros() {
        return Err(AppError::Conflict("活动尚未开始，不能确认召开".into()));
    }
    let held_on = held_on(&loaded)?;
    activities::set_status(tx.conn(), id, next.code(), None, now_micros()).await?;
    for attendee in activities::attendees(tx.conn(), id).await? {
        let status = match attendee.status.as_str() {
            "present" => "present",
            "leave" => "leave",
            _ => "absent",
        };
        if status != attendee.status {
            activities::set_attendance(
                tx.conn(),
                id,
                attendee.member_id,
                status,
                &[attendee.status.as_str()],
                None,
                "",
                false,
            )
            .await?;
        }
        if status != "present" {
            activities::set_make_up(tx.conn(), id, attendee.member_id, "assigned", "", None)
                .await?;
        }
        count_month(&mut tx, &loaded, attendee.member_id, status, held_on, 1).await?;
        if let (Some(key), Some(kind)) = (
            event_key(&loaded, attendee.member_id, status, 0),
            outcome_event(loaded.kind, status),
        ) {
            record(
                &mut tx,
                &loaded,
                attendee.member_id,
                kind,
                &key,
                held_on,
                "{}",
            )
            .await?;
        }
    }
    count_held(&mut tx, &loaded, held_on).await?;
    let summary = format!("确认召开「{}」", loaded.row.topic);
    commit(tx, actor, ctx, &loaded, "activity_held", summary).await
}

/// One more held activity of the node: its month, quarter and year counters, and, when it is the
/// node's first of the kind in a period, the done-count of the node and every ancestor.
async fn count_held(tx: &mut Tx, loaded: &Loaded, on: Date) -> AppResult<()> {
    let ancestors: Vec<i64> = loaded.path.ids().iter().map(|OrgId(id)| *id).collect();
    for key in Period::keys_of(on) {
        let held =
            life_counters::bump_held(tx.conn(), loaded.row.org_id, &key, loaded.kind.code(), 1)
                .await?;
        if held == 1 {
            life_counters::bump_nodes_done(tx.conn(), &ancestors, &key, loaded.kind.code(), 1)
                .await?;
        }
    }
    Ok(())
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
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 2000 {
        return Err(AppError::invalid(
            "note",
            "请简要填写补学内容或心得（2000 字以内）",
        ));
    }
    let mut tx = app.store.begin().await?;
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
    activities::set_make_up(tx.conn(), id, member_id, "done", note, Some(now_micros())).await?;
    let today = crate::today();
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
