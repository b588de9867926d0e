//! Planning: create and edit a plan, submit it for approval (报备审批), decide, publish, cancel.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::attendance::expected_by_default;
use dangjian_domain::activity::{ActivityKind, Operation};
use dangjian_domain::time::{china, to_micros};
use dangjian_domain::{ActivityId, MemberId, OrgId, OrgKind};
use dangjian_store::activities::{self, NewActivity, PlanFields};
use dangjian_store::{Tx, members, positions};
use jiff::civil::{Date, Time};
use serde::Deserialize;

use super::{Loaded, commit, load, load_in};
use crate::audit::{AuditAction, AuditEntity};
use crate::members::record::parse_date;
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// A plan as a form or the API sends it; times are China time.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PlanInput {
    /// branch_assembly, committee_meeting, group_meeting, party_lecture, theme_day, life_meeting,
    /// democratic_life_meeting, talk, other.
    pub kind: String,
    pub topic: String,
    /// `2026-11-23`.
    #[schema(format = Date)]
    pub date: String,
    /// `14:30`.
    pub start: String,
    /// `16:00`.
    pub end: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub online: bool,
    pub host_member_id: Option<i64>,
    pub recorder_member_id: Option<i64>,
    /// The lecturer of a 党课.
    pub speaker_member_id: Option<i64>,
    #[serde(default)]
    pub agenda: String,
}

fn parse_time(raw: &str) -> Option<Time> {
    let (h, m) = raw.trim().split_once(':')?;
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

fn instant(date: Date, time: Time) -> AppResult<i64> {
    date.to_datetime(time)
        .to_zoned(china())
        .map(|z| to_micros(z.timestamp()))
        .map_err(|_| AppError::invalid("date", "日期或时间无效"))
}

impl PlanInput {
    pub(super) async fn parse(&self, app: &App, org_kind: OrgKind) -> AppResult<PlanFields> {
        let kind = ActivityKind::from_code(self.kind.trim())
            .ok_or_else(|| AppError::invalid("kind", "请选择活动类型"))?;
        if !kind.may_be_held_by(org_kind) {
            return Err(AppError::invalid(
                "kind",
                format!("{}不能召开{}", org_kind.label(), kind.label()),
            ));
        }
        let topic = &AppError::check_name("topic", "主题", &self.topic, 200)?;
        let date = parse_date(&self.date)
            .ok_or_else(|| AppError::invalid("date", "请填写日期，格式如 2026-11-23"))?;
        let start = parse_time(&self.start)
            .ok_or_else(|| AppError::invalid("start", "请填写开始时间，格式如 14:30"))?;
        let end = parse_time(&self.end)
            .ok_or_else(|| AppError::invalid("end", "请填写结束时间，格式如 16:00"))?;
        if end <= start {
            return Err(AppError::invalid("end", "结束时间须晚于开始时间"));
        }
        if self.place.trim().is_empty() && !self.online {
            return Err(AppError::invalid("place", "请填写地点，或勾选线上召开"));
        }
        if self.agenda.chars().count() > 5000 || self.place.chars().count() > 200 {
            return Err(AppError::invalid("agenda", "议程或地点过长"));
        }
        let host = self
            .host_member_id
            .ok_or_else(|| AppError::invalid("host_member_id", "请选择主持人"))?;
        let recorder = self
            .recorder_member_id
            .ok_or_else(|| AppError::invalid("recorder_member_id", "请选择记录人"))?;
        if kind == ActivityKind::PartyLecture && self.speaker_member_id.is_none() {
            return Err(AppError::invalid("speaker_member_id", "党课请选择授课人"));
        }
        let mut handle = app.store.acquire().await?;
        for (field, label, id) in [
            ("host_member_id", "主持人", Some(host)),
            ("recorder_member_id", "记录人", Some(recorder)),
            ("speaker_member_id", "授课人", self.speaker_member_id),
        ] {
            if let Some(id) = id {
                let found = members::member_by_id(handle.conn(), id).await?;
                if !found.is_some_and(|m| m.status == "normal" || m.status == "lost") {
                    return Err(AppError::invalid(field, format!("{label}不是在册党员")));
                }
            }
        }
        Ok(PlanFields {
            kind: kind.code().into(),
            topic: topic.into(),
            starts_at: instant(date, start)?,
            ends_at: instant(date, end)?,
            held_on: date.to_string(),
            place: self.place.trim().into(),
            online: self.online,
            host_member_id: Some(host),
            recorder_member_id: Some(recorder),
            speaker_member_id: self.speaker_member_id,
            agenda: self.agenda.trim().into(),
        })
    }
}

/// Plans an activity of a node with its expected attendees by default (`expected_by_default`:
/// the committee for a 支委会, otherwise the node's members, and whoever runs it). Returns the new id.
pub async fn create(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    input: &PlanInput,
) -> AppResult<ActivityId> {
    let node = PlanningNode::open(app, actor, org_id).await?;
    let plan = input.parse(app, node.kind).await?;
    let mut tx = app.begin().await?;
    let id = node.insert(&mut tx, app, actor, &plan).await?;
    let loaded = load_in(&mut tx, id.0).await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityPlanned,
        format!("制定活动计划「{}」", loaded.row.topic),
    )
    .await?;
    Ok(id)
}

/// Whether the branch elects a committee, by the rule compliance judges it with.
pub(super) async fn elects_committee(
    conn: dangjian_store::Conn<'_>,
    org_id: i64,
) -> AppResult<bool> {
    let shape = dangjian_store::life_counters::branch_shapes(conn, &[org_id]).await?;
    Ok(shape
        .first()
        .is_some_and(|s| ActivityKind::elects_committee(s.full_members)))
}

/// A node the caller may plan for, checked once for one plan or a month's drafts.
pub(super) struct PlanningNode {
    pub id: OrgId,
    pub kind: OrgKind,
    pub name: String,
    parent_id: Option<i64>,
}

impl PlanningNode {
    pub async fn open(app: &App, actor: &Actor, org_id: OrgId) -> AppResult<PlanningNode> {
        let (org, path) = crate::orgs::load(app, org_id).await?;
        actor.authorize(Action::ManageActivities, Scope::Org(&path))?;
        let kind = OrgKind::from_code(&org.kind).ok_or(AppError::NotFound("组织"))?;
        if org.status != "active" {
            return Err(AppError::Conflict("该组织已撤销，不能再安排活动".into()));
        }
        Ok(PlanningNode {
            id: org_id,
            kind,
            name: org.name,
            parent_id: org.parent_id,
        })
    }

    /// Writes a plan as a draft with its expected attendees, in the caller's transaction.
    pub async fn insert(
        &self,
        tx: &mut Tx,
        app: &App,
        actor: &Actor,
        plan: &PlanFields,
    ) -> AppResult<ActivityId> {
        let org_id = self.id.0;
        // A group's plan goes to its branch; a branch's to its committee when so configured.
        let needs_approval = match self.kind {
            OrgKind::Group => true,
            OrgKind::Branch => activities::reports_activities(tx.conn(), org_id).await?,
            _ => false,
        } && self.parent_id.is_some();
        let approver = needs_approval.then_some(self.parent_id).flatten();
        let secret = crate::secrets::random_token("");
        let id = activities::insert_activity(
            tx.conn(),
            &NewActivity {
                org_id,
                plan,
                needs_approval,
                approver_org_id: approver,
                created_by: actor.account_id.0,
                checkin_secret: &secret,
                now: app.now_micros(),
            },
        )
        .await?;
        let kind = ActivityKind::from_code(&plan.kind).unwrap_or(ActivityKind::Other);
        let node_members = activities::active_member_ids_of_node(tx.conn(), org_id).await?;
        let committee = if kind == ActivityKind::CommitteeMeeting
            && elects_committee(tx.conn(), org_id).await?
        {
            positions::committee_member_ids(tx.conn(), org_id, &plan.held_on).await?
        } else {
            Vec::new()
        };
        let running: Vec<i64> = [
            plan.host_member_id,
            plan.recorder_member_id,
            plan.speaker_member_id,
        ]
        .into_iter()
        .flatten()
        .collect();
        for member in expected_by_default(kind, &node_members, &committee, &running) {
            activities::add_attendee(tx.conn(), id, member, "").await?;
        }
        Ok(ActivityId(id))
    }
}

pub async fn update(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    input: &PlanInput,
) -> AppResult<()> {
    let current = load(app, id.0).await?;
    current.authorize_manage(actor)?;
    let org_kind = OrgKind::from_code(&current.row.org_kind).ok_or(AppError::NotFound("组织"))?;
    let plan = input.parse(app, org_kind).await?;
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.allows(Operation::Edit)?;
    activities::update_plan(tx.conn(), id.0, &plan, app.now_micros()).await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityEdited,
        format!("修改活动计划「{}」", plan.topic),
    )
    .await
}

/// Adds someone from outside the node to the expected attendees: a leading cadre attending as an
/// ordinary member, a superior's observer, the other party of a talk.
pub async fn invite(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    member_id: MemberId,
    invited_as: &str,
) -> AppResult<()> {
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    if loaded.status.is_held()
        || loaded.status == dangjian_domain::activity::ActivityStatus::Cancelled
    {
        return Err(AppError::Conflict(
            "活动已召开或已取消，不能再添加参加人员".into(),
        ));
    }
    let member = members::member_by_id(tx.conn(), member_id.0)
        .await?
        .filter(|m| m.status == "normal" || m.status == "lost")
        .ok_or_else(|| AppError::invalid("member_id", "请选择在册党员"))?;
    let invited_as = invited_as.trim();
    if invited_as.chars().count() > 50 {
        return Err(AppError::invalid("invited_as", "身份说明请在 50 字以内"));
    }
    let label = if invited_as.is_empty() {
        "列席"
    } else {
        invited_as
    };
    if !activities::add_attendee(tx.conn(), id.0, member_id.0, label).await? {
        return Err(AppError::Conflict(format!(
            "{} 已在参加人员名单中",
            member.name
        )));
    }
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityInvited,
        format!("邀请 {}（{label}）参加", member.name),
    )
    .await
}

pub async fn submit(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
) -> AppResult<()> {
    transition(
        app,
        actor,
        ctx,
        id.0,
        Operation::Submit,
        AuditAction::ActivitySubmitted,
        "报上级党组织审批",
    )
    .await
}

pub async fn publish(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
) -> AppResult<()> {
    transition(
        app,
        actor,
        ctx,
        id.0,
        Operation::Publish,
        AuditAction::ActivityPublished,
        "发布活动通知",
    )
    .await
}

pub async fn cancel(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
) -> AppResult<()> {
    transition(
        app,
        actor,
        ctx,
        id.0,
        Operation::Cancel,
        AuditAction::ActivityCancelled,
        "取消活动",
    )
    .await
}

async fn transition(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
    operation: Operation,
    action: AuditAction,
    summary: &str,
) -> AppResult<()> {
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id).await?;
    loaded.authorize_manage(actor)?;
    let next = loaded.allows(operation)?;
    activities::set_status(tx.conn(), id, next.code(), None, app.now_micros()).await?;
    let summary = format!("{summary}「{}」", loaded.row.topic);
    commit(tx, actor, ctx, &loaded, action, summary).await
}

/// The approver may decide only plans of the nodes below it, and never their own plan.
async fn authorize_decision(app: &App, actor: &Actor, loaded: &Loaded) -> AppResult<()> {
    let approver = loaded
        .row
        .approver_org_id
        .ok_or_else(|| AppError::Conflict("本活动无需报备审批".into()))?;
    let path = crate::orgs::path_of(app, dangjian_domain::OrgId(approver)).await?;
    actor.authorize(Action::ApproveActivities, Scope::Org(&path))?;
    if loaded.row.created_by == actor.account_id.0 {
        return Err(AppError::Forbidden(
            "不能审批自己制定的活动计划，请由上级党组织的其他负责人审批".into(),
        ));
    }
    Ok(())
}

pub async fn approve(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    note: &str,
) -> AppResult<()> {
    decide(app, actor, ctx, id.0, Operation::Approve, note).await
}

pub async fn return_plan(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    note: &str,
) -> AppResult<()> {
    if note.trim().is_empty() {
        return Err(AppError::invalid("note", "退回时请写明修改意见"));
    }
    decide(app, actor, ctx, id.0, Operation::Return, note).await
}

async fn decide(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: i64,
    operation: Operation,
    note: &str,
) -> AppResult<()> {
    let note = note.trim();
    if note.chars().count() > 1000 {
        return Err(AppError::invalid("note", "审批意见请在 1000 字以内"));
    }
    let current = load(app, id).await?;
    authorize_decision(app, actor, &current).await?;
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id).await?;
    let next = loaded.allows(operation)?;
    activities::set_status(
        tx.conn(),
        id,
        next.code(),
        Some((actor.account_id.0, note)),
        app.now_micros(),
    )
    .await?;
    let (action, verb) = if operation == Operation::Approve {
        (AuditAction::ActivityApproved, "审批同意")
    } else {
        (AuditAction::ActivityReturned, "退回修改")
    };
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        action,
        format!("{verb}「{}」{note}", loaded.row.topic),
    )
    .await
}

/// Sets whether a branch's activity plans go to its committee for approval.
pub async fn set_reports_activities(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    value: bool,
) -> AppResult<()> {
    let (org, _) = crate::orgs::load(app, org_id).await?;
    let parent = org
        .parent_id
        .ok_or_else(|| AppError::Conflict("最上级组织没有可报备的上级".into()))?;
    let parent_path = crate::orgs::path_of(app, dangjian_domain::OrgId(parent)).await?;
    // The committee decides what its branches must report, not the branch itself.
    actor.authorize(Action::ApproveActivities, Scope::Org(&parent_path))?;
    let mut tx = app.begin().await?;
    activities::set_reports_activities(tx.conn(), org_id.0, value).await?;
    let summary = if value {
        "设置为活动计划须报上级审批"
    } else {
        "取消活动计划报上级审批"
    };
    let entry = crate::audit::Entry::new(
        AuditAction::OrgReportingSet,
        AuditEntity::Org,
        org_id,
        format!("{}{summary}", org.name),
    )
    .org(Some(org_id));
    crate::audit::record(&mut tx, crate::audit::Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}
