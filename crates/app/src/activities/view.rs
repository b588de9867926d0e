//! Activities as pages and the API show them.

use dangjian_domain::ActivityId;
use dangjian_domain::OrgId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::kind::activity_title;
use dangjian_domain::activity::{ActivityKind, ActivityStatus, Attendance, Operation};
use dangjian_domain::time::{china, display_minute, from_micros};
use dangjian_store::activities::{self, ActivityFilter};
use serde::Serialize;

use super::attendance::{Attendee, attendees, stored_attendance};
use super::{Loaded, load};
use crate::members::MemberChoice;
use crate::{Actor, App, AppError, AppResult, Page, PageParams};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActivityView {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub topic: String,
    /// The kind and topic as lists and headings name the activity, the kind said once.
    pub title: String,
    /// `2026-11-23`.
    #[schema(format = Date)]
    pub date: String,
    /// `14:30`.
    pub start: String,
    pub end: String,
    /// `2026-11-23 14:30`.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub starts_at: String,
    pub place: String,
    pub online: bool,
    pub host_member_id: Option<i64>,
    pub host_name: String,
    pub recorder_member_id: Option<i64>,
    pub recorder_name: String,
    pub speaker_member_id: Option<i64>,
    pub speaker_name: String,
    pub agenda: String,
    pub status: String,
    pub status_label: &'static str,
    pub needs_approval: bool,
    pub decision_note: String,
    pub created_by_name: String,
    pub checkin_open: bool,
    pub minutes: String,
    pub resolutions: String,
    /// Whether the caller runs this activity (plan, check-in, attendance, minutes).
    pub can_manage: bool,
    /// Whether the caller may approve or return it now.
    pub can_decide: bool,
}

impl ActivityView {
    pub(crate) fn build(loaded: &Loaded, can_manage: bool, can_decide: bool) -> ActivityView {
        let row = &loaded.row;
        let time = |micros| {
            from_micros(micros)
                .to_zoned(china())
                .strftime("%H:%M")
                .to_string()
        };
        ActivityView {
            id: row.id,
            org_id: row.org_id,
            org_name: row.org_name.clone(),
            kind: row.kind.clone(),
            kind_label: loaded.kind.label(),
            topic: row.topic.clone(),
            title: loaded.kind.title(&row.topic),
            date: row.held_on.clone(),
            start: time(row.starts_at),
            end: time(row.ends_at),
            starts_at: display_minute(from_micros(row.starts_at)),
            place: row.place.clone(),
            online: row.online,
            host_member_id: row.host_member_id,
            host_name: row.host_name.clone().unwrap_or_default(),
            recorder_member_id: row.recorder_member_id,
            recorder_name: row.recorder_name.clone().unwrap_or_default(),
            speaker_member_id: row.speaker_member_id,
            speaker_name: row.speaker_name.clone().unwrap_or_default(),
            agenda: row.agenda.clone(),
            status: row.status.clone(),
            status_label: loaded.status.label(),
            needs_approval: row.needs_approval,
            decision_note: row.decision_note.clone(),
            created_by_name: row.created_by_name.clone(),
            checkin_open: row.checkin_open,
            minutes: row.minutes.clone(),
            resolutions: row.resolutions.clone(),
            can_manage,
            can_decide,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttendeeView {
    pub member_id: i64,
    pub name: String,
    pub full_member: bool,
    pub leading_cadre: bool,
    /// Empty for the node's own members; otherwise why they attend (列席, 上级观察员, ...).
    pub invited_as: String,
    /// expected, present, leave_requested, leave, absent.
    #[schema(value_type = String)]
    pub status: Attendance,
    pub status_label: &'static str,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub checked_in_at: Option<String>,
    /// qr, manual, or role (did not scan, counted present as host, recorder or speaker when the
    /// meeting was confirmed held).
    pub check_in_method: String,
    pub leave_reason: String,
    /// '', assigned or done.
    pub make_up: String,
    pub make_up_note: String,
}

impl AttendeeView {
    fn from_attendee(attendee: &Attendee) -> AttendeeView {
        let row = &attendee.row;
        AttendeeView {
            member_id: row.member_id,
            name: row.name.clone(),
            full_member: row.category == "full",
            leading_cadre: row.is_leading_cadre,
            invited_as: row.invited_as.clone(),
            status: attendee.status,
            status_label: attendee.status.label(),
            checked_in_at: row.checked_in_at.map(|at| display_minute(from_micros(at))),
            check_in_method: row.check_in_method.clone(),
            leave_reason: row.leave_reason.clone(),
            make_up: row.make_up.clone(),
            make_up_note: row.make_up_note.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VoteView {
    pub motion: String,
    pub purpose_label: &'static str,
    pub expected_voters: i64,
    pub present_voters: i64,
    pub in_favour: i64,
    pub against: i64,
    pub abstaining: i64,
    pub carried: bool,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AmendmentView {
    pub at: String,
    pub author: String,
    pub reason: String,
    pub field: String,
    pub before_text: String,
    pub after_text: String,
}

/// One activity with everything recorded about it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActivityDetail {
    pub activity: ActivityView,
    pub attendees: Vec<AttendeeView>,
    pub expected: i64,
    pub present: i64,
    pub on_leave: i64,
    pub absent: i64,
    /// 出席率: present over expected, in percent (0 when nobody is expected).
    pub attendance_rate: i64,
    pub votes: Vec<VoteView>,
    pub amendments: Vec<AmendmentView>,
    /// The caller's own attendance record, if they are on the list.
    pub mine: Option<AttendeeView>,
    /// Photos and documents of the meeting.
    pub attachments: Vec<super::AttachmentView>,
    /// For whoever may confirm the meeting held, while it may be: who confirming now would record
    /// absent and who would count present by their part in running it, so a page or an app can
    /// ask before confirming. Absent otherwise.
    pub finish_preview: Option<super::FinishPreview>,
}

pub(crate) fn attendance_rate(present: i64, expected: i64) -> i64 {
    if expected == 0 {
        0
    } else {
        (present * 100 + expected / 2) / expected
    }
}

async fn may_decide(app: &App, actor: &Actor, loaded: &Loaded) -> bool {
    let Some(approver) = loaded.row.approver_org_id else {
        return false;
    };
    if loaded.status != ActivityStatus::Submitted || loaded.row.created_by == actor.account_id.0 {
        return false;
    }
    crate::orgs::path_of(app, OrgId(approver))
        .await
        .is_ok_and(|path| {
            actor
                .grant
                .permits(Action::ApproveActivities, Scope::Org(&path))
        })
}

/// An activity the caller may see: its node's viewers, its approvers, and its attendees.
pub async fn get(app: &App, actor: &Actor, id: ActivityId) -> AppResult<ActivityDetail> {
    let loaded = load(app, id.0).await?;
    let mut handle = app.store.acquire().await?;
    let rows = attendees(handle.conn(), id.0).await?;
    let attending = actor
        .member_id
        .is_some_and(|m| rows.iter().any(|a| a.row.member_id == m));
    let can_decide = may_decide(app, actor, &loaded).await;
    let can_view = actor
        .grant
        .permits(Action::ViewOrg, Scope::Org(&loaded.path));
    let published = !matches!(
        loaded.status,
        ActivityStatus::Draft
            | ActivityStatus::Submitted
            | ActivityStatus::Returned
            | ActivityStatus::Approved
    );
    if !(can_view || can_decide || (attending && published)) {
        return Err(AppError::NotFound("活动"));
    }
    let votes = activities::votes(handle.conn(), id.0).await?;
    let amendments = activities::amendments(handle.conn(), id.0).await?;
    let attachments = activities::attachments(handle.conn(), id.0)
        .await?
        .iter()
        .map(super::AttachmentView::from_row)
        .collect();
    let can_manage = loaded.may_manage(actor);
    let finish_preview = (can_manage && loaded.allows(Operation::Finish).is_ok())
        .then(|| super::outcome::preview(&loaded, &rows));
    let attendees: Vec<AttendeeView> = rows.iter().map(AttendeeView::from_attendee).collect();
    let count = |s: Attendance| attendees.iter().filter(|a| a.status == s).count() as i64;
    let (present, on_leave, absent) = (
        count(Attendance::Present),
        count(Attendance::Leave),
        count(Attendance::Absent),
    );
    let expected = attendees.len() as i64;
    let mine = actor
        .member_id
        .and_then(|m| attendees.iter().find(|a| a.member_id == m).cloned());
    Ok(ActivityDetail {
        activity: ActivityView::build(&loaded, can_manage, can_decide),
        // Members see the list only as far as their own line; managers and viewers see all.
        attendees: if can_view || can_decide {
            attendees
        } else {
            Vec::new()
        },
        expected,
        present,
        on_leave,
        absent,
        attendance_rate: attendance_rate(present, expected),
        votes: votes
            .into_iter()
            .map(|v| VoteView {
                motion: v.motion,
                purpose_label: dangjian_domain::vote::VotePurpose::from_code(&v.purpose)
                    .map(|p| p.label())
                    .unwrap_or(""),
                expected_voters: v.expected_voters,
                present_voters: v.present_voters,
                in_favour: v.in_favour,
                against: v.against,
                abstaining: v.abstaining,
                carried: v.carried,
                explanation: v.explanation,
            })
            .collect(),
        amendments: amendments
            .into_iter()
            .map(|a| AmendmentView {
                at: display_minute(from_micros(a.at)),
                author: a.author,
                reason: a.reason,
                field: a.field,
                before_text: a.before_text,
                after_text: a.after_text,
            })
            .collect(),
        mine,
        attachments,
        finish_preview,
    })
}

/// Which activities a list shows (all optional).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListFilter {
    /// This node's own activities.
    pub org: Option<i64>,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// A period: `2026-11`, `2026-Q4` or `2026`.
    pub period: Option<String>,
    /// Only plans awaiting the caller's approval.
    #[serde(default)]
    pub awaiting_approval: bool,
    /// 1-based, at most 1000000.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<i64>,
    /// Rows per page, 1–200 (default 20); the API refuses more (422), pages clamp.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Activities in the caller's reach, newest first.
pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &ActivityListFilter,
) -> AppResult<Page<ActivityView>> {
    let reach = actor.reach(Action::ViewOrg)?;
    let params = PageParams::new(filter.page, filter.per_page);
    let mut store_filter = ActivityFilter {
        scope: reach,
        org_id: filter.org,
        kind: filter
            .kind
            .clone()
            .filter(|k| ActivityKind::from_code(k).is_some()),
        status: filter
            .status
            .clone()
            .filter(|s| ActivityStatus::from_code(s).is_some()),
        ..ActivityFilter::default()
    };
    if let Some(raw) = filter.period.as_deref().filter(|p| !p.trim().is_empty()) {
        let period = super::period_or(raw, dangjian_domain::activity::Period::Year(0))?;
        store_filter.from = Some(period.first_day().to_string());
        store_filter.to = Some(period.last_day().to_string());
    }
    if filter.awaiting_approval {
        // Plans submitted to the node the caller's own role is bound to.
        store_filter.awaiting_approver = Some(actor.org_id.map(|o| o.0).unwrap_or(-1));
        store_filter.scope = None;
    }
    let mut handle = app.store.acquire().await?;
    let (rows, total) =
        activities::activities(handle.conn(), &store_filter, params.request()).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let loaded = Loaded::from_row(row)?;
        let can_decide = filter.awaiting_approval && loaded.row.created_by != actor.account_id.0;
        items.push(ActivityView::build(
            &loaded,
            loaded.may_manage(actor),
            can_decide,
        ));
    }
    Ok(params.wrap(items, total))
}

/// A member's own activity with their attendance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyActivityView {
    pub activity_id: i64,
    pub kind_label: &'static str,
    pub topic: String,
    /// The kind and topic as lists name the activity, the kind said once.
    pub title: String,
    pub org_name: String,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub starts_at: String,
    pub place: String,
    /// The activity's lifecycle status (`published`: upcoming or under way).
    pub activity_status: &'static str,
    pub activity_status_label: &'static str,
    /// The caller's attendance: expected, present, leave_requested, leave or absent.
    #[schema(value_type = String)]
    pub status: Attendance,
    pub status_label: &'static str,
    pub make_up: String,
    /// Whether leave may still be asked for.
    pub may_request_leave: bool,
}

pub async fn my_activities(
    app: &App,
    actor: &Actor,
    page: PageParams,
) -> AppResult<Page<MyActivityView>> {
    let member_id = super::own_member(actor)?;
    let mut handle = app.store.acquire().await?;
    let (rows, total) =
        activities::activities_of_member(handle.conn(), member_id, page.request()).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let attendance = stored_attendance(&r.status, r.activity_id, member_id)?;
            let status =
                ActivityStatus::from_code(&r.activity_status).unwrap_or(ActivityStatus::Draft);
            Ok(MyActivityView {
                activity_id: r.activity_id,
                kind_label: ActivityKind::from_code(&r.kind)
                    .map(|k| k.label())
                    .unwrap_or(""),
                title: activity_title(&r.kind, &r.topic),
                topic: r.topic,
                org_name: r.org_name,
                starts_at: display_minute(from_micros(r.starts_at)),
                place: r.place,
                activity_status: status.code(),
                activity_status_label: status.label(),
                may_request_leave: status == ActivityStatus::Published
                    && attendance == Attendance::Expected,
                status: attendance,
                status_label: attendance.label(),
                make_up: r.make_up,
            })
        })
        .collect::<AppResult<_>>()?;
    Ok(page.wrap(items, total))
}

/// The members a plan form offers for a node, to host, record, speak or be invited: those of its
/// branch (a group's parent branch).
pub async fn member_choices(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
) -> AppResult<Vec<MemberChoice>> {
    let (org, path) = crate::orgs::load(app, org_id).await?;
    actor.authorize(Action::ManageActivities, Scope::Org(&path))?;
    let around = match (org.kind.as_str(), org.parent_id) {
        ("group", Some(parent)) => crate::orgs::path_of(app, OrgId(parent)).await?,
        _ => path,
    };
    let filter = dangjian_store::members::MemberFilter {
        scope: Some(dangjian_store::SubtreeRange::of(&around)),
        status: Some("normal".into()),
        ..Default::default()
    };
    let mut handle = app.store.acquire().await?;
    let (rows, _) = dangjian_store::members::members(
        handle.conn(),
        &filter,
        dangjian_store::PageRequest {
            offset: 0,
            limit: 1000,
        },
    )
    .await?;
    Ok(rows.into_iter().map(|m| MemberChoice::from(&m)).collect())
}
