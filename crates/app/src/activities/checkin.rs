//! Check-in: the host's rotating code and the member's scan.

use dangjian_domain::ActivityId;
use dangjian_domain::activity::checkin::{self, CheckInCodeError};
use dangjian_domain::activity::{Attendance, Operation};
use dangjian_store::activities;
use serde::Serialize;

use super::attendance::{attendees, stored_attendance};
use super::{Loaded, commit, load, load_in, own_member};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext};
use dangjian_domain::OrgId;

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

/// Opens or closes check-in.
pub async fn set_check_in(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    open: bool,
) -> AppResult<()> {
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::OpenCheckIn)?;
    activities::set_checkin_open(tx.conn(), id.0, open, app.now_micros()).await?;
    let (action, summary) = if open {
        (AuditAction::ActivityCheckinOpened, "开始签到")
    } else {
        (AuditAction::ActivityCheckinClosed, "结束签到")
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

pub async fn check_in_display(
    app: &App,
    actor: &Actor,
    id: ActivityId,
) -> AppResult<CheckInDisplay> {
    let loaded = load(app, id.0).await?;
    loaded.authorize_manage(actor)?;
    loaded.allows(Operation::OpenCheckIn)?;
    if !loaded.row.checkin_open {
        return Err(AppError::Conflict(
            "签到尚未开始，请先点击「开始签到」".into(),
        ));
    }
    let now = app.now().as_second();
    let code = checkin::code_for(
        loaded.row.checkin_secret.as_bytes(),
        id.0,
        checkin::window_of(now),
    );
    let mut handle = app.store.acquire().await?;
    let attendees = attendees(handle.conn(), id.0).await?;
    Ok(CheckInDisplay {
        activity_id: id.0,
        topic: loaded.row.topic.clone(),
        url: format!("/checkin/{id}?code={code}"),
        code,
        seconds_left: checkin::seconds_left(now),
        present: attendees
            .iter()
            .filter(|a| a.status == Attendance::Present)
            .count() as i64,
        expected: attendees.len() as i64,
    })
}

/// A member checks in with the code their phone scanned.
pub async fn check_in(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    code: &str,
) -> AppResult<()> {
    let member_id = own_member(actor)?;
    // Everything is checked on a read connection first; the write applies only if none of it
    // changed meanwhile (`check_in_attendee`), so the write lock is not held for the reads.
    let found = {
        let mut handle = app.store.acquire().await?;
        activities::activity_for_member(handle.conn(), id.0, member_id).await?
    }
    .ok_or(AppError::NotFound("活动"))?;
    // Only someone expected at the meeting learns anything about it (whether check-in is open,
    // whether a code is stale): everyone else is refused before any of that is looked at.
    let (Some(attendance), Some(name)) = (found.attendee_status, found.attendee_name) else {
        return Err(AppError::Forbidden(
            "您不在本次活动的应到人员名单中，不能签到".into(),
        ));
    };
    let loaded = Loaded::from_row(found.activity)?;
    loaded.allows(Operation::CheckIn)?;
    if !loaded.row.checkin_open {
        return Err(AppError::Conflict("签到尚未开始或已经结束".into()));
    }
    checkin::verify(
        loaded.row.checkin_secret.as_bytes(),
        id.0,
        code,
        app.now().as_second(),
    )
    .map_err(|e| match e {
        CheckInCodeError::Forged => AppError::invalid("code", e.to_string()),
        CheckInCodeError::Expired => AppError::Conflict(e.to_string()),
    })?;
    if stored_attendance(&attendance, id.0, member_id)? == Attendance::Present {
        return Err(AppError::Conflict("您已签到，无需重复签到".into()));
    }
    // Many members check in within the same minute: their writes share transactions.
    let activity_status = loaded.row.status.clone();
    let entry = Entry::new(
        AuditAction::ActivityCheckedIn,
        AuditEntity::Activity,
        id,
        format!("{name} 扫码签到"),
    )
    .org(Some(OrgId(loaded.row.org_id)));
    let (actor, ctx) = (actor.clone(), ctx.clone());
    let at = app.now_micros();
    app.group_commit
        .run(&app.store, app.clock(), move |tx| {
            Box::pin(async move {
                // Nothing is written unless the check-in applies (the group commit's contract).
                if !activities::check_in_attendee(tx.conn(), id.0, member_id, &activity_status, at)
                    .await?
                {
                    return Err(AppError::Conflict(
                        "您已签到，或签到刚刚结束、活动状态已变化，请刷新后查看".into(),
                    ));
                }
                audit::record(tx, Who::from(&actor), &ctx, entry).await?;
                Ok(())
            })
        })
        .await
}
