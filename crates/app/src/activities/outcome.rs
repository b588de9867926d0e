//! What a held meeting leaves behind. Attendance becomes final when the host confirms the meeting
//! was held: everyone still expected is then absent without leave, except the host, recorder and
//! speaker, who ran it and count present. From that moment each attendee's outcome is a domain
//! event and counts in the member's month; a later correction retracts the old event and records
//! a new one. Before confirming, [`preview`] says who will be recorded absent, so the page and the
//! API can ask first.

use dangjian_domain::ActivityId;
use dangjian_domain::Month;
use dangjian_domain::OrgId;
use dangjian_domain::activity::{ActivityKind, Attendance, MeetingRole, Operation, Period};
use dangjian_domain::events::{EventKind, source_key};
use dangjian_store::activities;
use dangjian_store::events::{self, NewEvent};
use dangjian_store::{Tx, life_counters};
use jiff::civil::Date;
use serde::Serialize;

use super::attendance::{Attendee, attendees};
use super::{Loaded, commit, load_in};
use crate::audit::AuditAction;
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// How an attendance counted present by role is stored (beside `qr` and `manual`): the page says
/// they did not scan but ran the meeting.
const BY_ROLE: &str = "role";

/// The parts the member plays in running the activity, in the plan's order.
fn roles_of(loaded: &Loaded, member_id: i64) -> Vec<MeetingRole> {
    let row = &loaded.row;
    [
        (row.host_member_id, MeetingRole::Host),
        (row.recorder_member_id, MeetingRole::Recorder),
        (row.speaker_member_id, MeetingRole::Speaker),
    ]
    .into_iter()
    .filter(|(id, _)| *id == Some(member_id))
    .map(|(_, role)| role)
    .collect()
}

/// What confirming the meeting makes of an attendee's attendance. `finish` and `preview` both
/// read it, so what the page announces is what the confirmation writes.
fn final_attendance(loaded: &Loaded, attendee: &Attendee) -> Attendance {
    let runs_the_meeting = !roles_of(loaded, attendee.row.member_id).is_empty();
    attendee.status.when_held(runs_the_meeting)
}

/// Someone named in a [`FinishPreview`].
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PreviewPerson {
    pub member_id: i64,
    pub name: String,
    /// The parts they play (`主持人、记录人`); empty for those recorded absent.
    pub roles: String,
}

/// What confirming the meeting held would record now, for the host to check before confirming.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FinishPreview {
    /// Who would be recorded absent without leave (缺席, with make-up study and, where points are
    /// kept, the absence deduction): not checked in, no approved leave, no part in running it.
    pub absent: Vec<PreviewPerson>,
    /// Who has not checked in but would count present because they host, record or speak.
    pub present_by_role: Vec<PreviewPerson>,
}

/// The outcome `finish` would record for the activity's attendees as they stand.
pub(super) fn preview(loaded: &Loaded, attendees: &[Attendee]) -> FinishPreview {
    let mut absent = Vec::new();
    let mut present_by_role = Vec::new();
    for attendee in attendees {
        let outcome = final_attendance(loaded, attendee);
        let person = |roles: String| PreviewPerson {
            member_id: attendee.row.member_id,
            name: attendee.row.name.clone(),
            roles,
        };
        if outcome == Attendance::Absent {
            absent.push(person(String::new()));
        } else if outcome == Attendance::Present && attendee.status != Attendance::Present {
            let roles: Vec<&str> = roles_of(loaded, attendee.row.member_id)
                .into_iter()
                .map(MeetingRole::label)
                .collect();
            present_by_role.push(person(roles.join("、")));
        }
    }
    FinishPreview {
        absent,
        present_by_role,
    }
}

pub(super) fn held_on(loaded: &Loaded) -> AppResult<Date> {
    loaded
        .row
        .held_on
        .parse()
        .map_err(|_| AppError::Unexpected(format!("activity {} has a bad date", loaded.row.id)))
}

/// The event an attendance outcome produces, if any.
pub(super) fn outcome_event(kind: ActivityKind, status: Attendance) -> Option<EventKind> {
    match (kind, status) {
        (ActivityKind::Talk, Attendance::Present) => Some(EventKind::TalkHeld),
        (_, Attendance::Present) => Some(EventKind::Attended),
        (_, Attendance::Leave) => Some(EventKind::OnLeave),
        (_, Attendance::Absent) => Some(EventKind::AbsentWithoutLeave),
        (_, Attendance::Expected | Attendance::LeaveRequested) => None,
    }
}

/// The stable key of an attendee's outcome; a correction bumps the revision, so the corrected
/// outcome is a new fact even when it repeats an earlier one.
pub(super) fn event_key(
    loaded: &Loaded,
    member_id: i64,
    status: Attendance,
    revision: i64,
) -> Option<String> {
    let kind = outcome_event(loaded.kind, status)?;
    let base = source_key("activity", &loaded.row.id.to_string(), member_id, kind);
    Some(if revision == 0 {
        base
    } else {
        format!("{base}:r{revision}")
    })
}

pub(super) async fn record(
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
        recorded_at: tx.now_micros(),
        payload: payload.to_string(),
    };
    events::record_event(tx, &event).await?;
    Ok(())
}

/// Adds (or with -1 removes) an outcome to the member's month.
pub(super) async fn count_month(
    tx: &mut Tx,
    loaded: &Loaded,
    member_id: i64,
    status: Attendance,
    on: Date,
    sign: i64,
) -> AppResult<()> {
    if !loaded.kind.is_organizational_life() {
        return Ok(());
    }
    let (attended, excused, absent) = match status {
        Attendance::Present => (sign, 0, 0),
        Attendance::Leave => (0, sign, 0),
        Attendance::Absent => (0, 0, sign),
        Attendance::Expected | Attendance::LeaveRequested => return Ok(()),
    };
    life_counters::bump_life_month(
        tx.conn(),
        member_id,
        &Month::of(on).to_string(),
        attended,
        excused,
        absent,
    )
    .await?;
    Ok(())
}

/// The host confirms the meeting took place: attendance becomes final (see [`preview`]),
/// absentees get make-up study, counters and events are written.
pub async fn finish(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
) -> AppResult<()> {
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    let next = loaded.allows(Operation::Finish)?;
    if loaded.row.starts_at > app.now_micros() {
        return Err(AppError::Conflict("活动尚未开始，不能确认召开".into()));
    }
    let held_on = held_on(&loaded)?;
    activities::set_status(tx.conn(), id.0, next.code(), None, app.now_micros()).await?;
    let attendees = attendees(tx.conn(), id.0).await?;
    let outcome = preview(&loaded, &attendees);
    let (mut present, mut on_leave) = (0, 0);
    for attendee in &attendees {
        let member_id = attendee.row.member_id;
        let status = final_attendance(&loaded, attendee);
        match status {
            Attendance::Present => present += 1,
            Attendance::Leave => on_leave += 1,
            _ => {}
        }
        if status != attendee.status {
            let method = if status == Attendance::Present {
                BY_ROLE
            } else {
                ""
            };
            activities::set_attendance(
                tx.conn(),
                id.0,
                member_id,
                status.code(),
                &[attendee.status.code()],
                None,
                method,
                false,
            )
            .await?;
        }
        if status != Attendance::Present {
            activities::set_make_up(tx.conn(), id.0, member_id, "assigned", "", None).await?;
        }
        count_month(&mut tx, &loaded, member_id, status, held_on, 1).await?;
        if let (Some(key), Some(kind)) = (
            event_key(&loaded, member_id, status, 0),
            outcome_event(loaded.kind, status),
        ) {
            record(&mut tx, &loaded, member_id, kind, &key, held_on, "{}").await?;
        }
    }
    count_held(&mut tx, &loaded, held_on).await?;
    let mut summary = format!(
        "确认召开「{}」：出席 {present} 人，请假 {on_leave} 人，缺席 {} 人",
        loaded.row.topic,
        outcome.absent.len()
    );
    if !outcome.present_by_role.is_empty() {
        let by_role: Vec<String> = outcome
            .present_by_role
            .iter()
            .map(|p| format!("{}（{}）", p.name, p.roles))
            .collect();
        summary.push_str(&format!(
            "；未签到、按会议职责计为出席：{}",
            by_role.join("、")
        ));
    }
    commit(tx, actor, ctx, &loaded, AuditAction::ActivityHeld, summary).await
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
