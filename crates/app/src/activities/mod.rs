//! Organizational life (组织生活): planning and approving activities, check-in and attendance,
//! minutes and votes, compliance with the required frequencies, the calendar and the 台账.

mod attachments;
mod attendance;
pub mod calendar;
mod checkin;
pub mod compliance;
pub(crate) mod demo;
pub mod ledger;
mod month_plan;
mod outcome;
mod participation;
mod plan;
mod record;
mod reminders;
mod view;

pub use attachments::{AttachmentView, MAX_ATTACHMENT_BYTES, attach, attachment};
pub use attendance::{
    MarkLine, MarkMany, MarkSkip, confirm_make_up, decide_leave, mark, mark_many,
    markable_attendance, request_leave,
};
pub use checkin::{CheckInDisplay, check_in, check_in_display, set_check_in};
pub use month_plan::{DraftView, MonthPlanInput, MonthPlanView, PlannedView, plan_month};
pub use outcome::{FinishPreview, PreviewPerson, finish};
pub use plan::{
    PlanInput, approve, cancel, create, invite, publish, return_plan, set_reports_activities,
    submit, update,
};
pub use record::{VoteInput, amend, archive, record_minutes, record_vote};
pub use reminders::reminders;
pub use view::{
    ActivityDetail, ActivityListFilter, ActivityView, AmendmentView, AttendeeView, MyActivityView,
    VoteView, get, list, member_choices, my_activities,
};

use dangjian_domain::OrgPath;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::{ActivityKind, ActivityStatus, Operation, Period};
use dangjian_store::Tx;
use dangjian_store::activities::{self, ActivityRow};

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// An activity as stored, with what the rules need to know about it.
pub(crate) struct Loaded {
    pub row: ActivityRow,
    pub path: OrgPath,
    pub kind: ActivityKind,
    pub status: ActivityStatus,
}

impl Loaded {
    pub(crate) fn from_row(row: ActivityRow) -> AppResult<Loaded> {
        let path = OrgPath::parse(&row.org_path).ok_or(AppError::NotFound("活动"))?;
        let kind = ActivityKind::from_code(&row.kind).ok_or(AppError::NotFound("活动"))?;
        let status = ActivityStatus::from_code(&row.status).ok_or(AppError::NotFound("活动"))?;
        Ok(Loaded {
            row,
            path,
            kind,
            status,
        })
    }

    /// Checks the lifecycle allows the operation; returns the status after it.
    pub fn allows(&self, operation: Operation) -> AppResult<ActivityStatus> {
        self.status
            .apply(operation, self.row.needs_approval)
            .map_err(|e| AppError::Conflict(e.to_string()))
    }

    pub fn may_manage(&self, actor: &Actor) -> bool {
        actor
            .grant
            .permits(Action::ManageActivities, Scope::Org(&self.path))
    }

    pub fn authorize_manage(&self, actor: &Actor) -> AppResult<()> {
        actor.authorize(Action::ManageActivities, Scope::Org(&self.path))
    }
}

pub(crate) async fn load(app: &App, id: i64) -> AppResult<Loaded> {
    let mut handle = app.store.acquire().await?;
    let row = activities::activity_by_id(handle.conn(), id)
        .await?
        .ok_or(AppError::NotFound("活动"))?;
    Loaded::from_row(row)
}

/// Loads the activity inside a write transaction, so the status checked is the status changed.
pub(crate) async fn load_in(tx: &mut Tx, id: i64) -> AppResult<Loaded> {
    let row = activities::activity_by_id(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("活动"))?;
    Loaded::from_row(row)
}

/// Appends the audit entry and commits.
pub(crate) async fn commit(
    mut tx: Tx,
    actor: &Actor,
    ctx: &RequestContext,
    loaded: &Loaded,
    action: AuditAction,
    summary: String,
) -> AppResult<()> {
    let entry = Entry::new(action, AuditEntity::Activity, loaded.row.id, summary)
        .org(Some(dangjian_domain::OrgId(loaded.row.org_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A period from a query (`2026-11`, `2026-Q4`, `2026`); empty means `default`.
pub(crate) fn period_or(raw: &str, default: Period) -> AppResult<Period> {
    if raw.trim().is_empty() {
        return Ok(default);
    }
    Period::parse(raw)
        .ok_or_else(|| AppError::invalid("period", "期间格式应为 2026-11、2026-Q4 或 2026"))
}

/// The caller's own member record, for what a member does for themself.
pub(crate) fn own_member(actor: &Actor) -> AppResult<i64> {
    actor.member_id.ok_or_else(|| {
        AppError::Conflict("您的账号没有关联党员档案，请联系支部管理员关联后再操作".into())
    })
}
