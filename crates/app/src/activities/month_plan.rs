//! 生成本月计划: one action that drafts the month's required activities of a node from the
//! compliance rules, each a copy of the node's last meeting of its kind, for the secretary (or a
//! group leader, for the group) to review and publish. Shown first, written only when confirmed,
//! in one transaction with one audit entry that lists the drafts.

use dangjian_domain::activity::ActivityKind;
use dangjian_domain::activity::month_plan::{period_containing, still_due, suggested_day};
use dangjian_domain::time::{china, from_micros};
use dangjian_domain::{Month, OrgId};
use dangjian_store::PageRequest;
use dangjian_store::activities::{self, ActivityFilter, ActivityRow};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::plan::{PlanInput, PlanningNode};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// What the caller asks: a month (this month by default) and whether to write the drafts.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MonthPlanInput {
    /// `2026-12`; this month when empty. Past months cannot be planned.
    #[serde(default)]
    pub month: String,
    /// False (the default) only shows what would be drafted.
    #[serde(default)]
    pub confirm: bool,
}

/// One activity the month still needs, as it would be drafted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DraftView {
    pub kind: String,
    pub kind_label: &'static str,
    pub topic: String,
    #[schema(format = Date)]
    pub date: String,
    pub start: String,
    pub end: String,
    pub place: String,
    pub online: bool,
    pub host_name: Option<String>,
    pub recorder_name: Option<String>,
    pub speaker_name: Option<String>,
    /// The meeting it copies ("主题党日：重温入党誓词 2026-11-10"), when the node had one.
    pub copied_from: Option<String>,
    /// Set once written.
    pub activity_id: Option<i64>,
    #[serde(skip)]
    input: PlanInput,
}

/// An activity the node already has in the month's periods.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlannedView {
    pub id: i64,
    pub title: String,
    #[schema(format = Date)]
    pub date: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthPlanView {
    pub org_id: i64,
    pub org_name: String,
    pub month: String,
    pub month_label: String,
    pub drafts: Vec<DraftView>,
    /// What the node already planned in the month's periods, so the list reads as complete.
    pub already_planned: Vec<PlannedView>,
    /// Whether the drafts were written.
    pub created: bool,
}

/// The node's activities in a period that are not cancelled, newest first (at most `limit` are
/// read before the cancelled ones are dropped).
async fn activities_between(
    conn: dangjian_store::Conn<'_>,
    org_id: i64,
    kind: Option<&str>,
    from: Date,
    to: Date,
    limit: i64,
) -> AppResult<Vec<ActivityRow>> {
    let filter = ActivityFilter {
        org_id: Some(org_id),
        kind: kind.map(str::to_string),
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        ..ActivityFilter::default()
    };
    let (rows, _) = activities::activities(conn, &filter, PageRequest { limit, offset: 0 }).await?;
    Ok(rows
        .into_iter()
        .filter(|a| a.status != "cancelled")
        .collect())
}

/// How many recent activities are read to find the last one that was not cancelled.
const RECENT: i64 = 20;

/// The node's activities, not cancelled, in the quarter of `month` (the widest period a
/// required kind is judged over).
async fn planned_in(
    conn: dangjian_store::Conn<'_>,
    org_id: i64,
    month: Month,
) -> AppResult<Vec<ActivityRow>> {
    let quarter = period_containing(dangjian_domain::activity::kind::Frequency::Quarterly, month);
    activities_between(
        conn,
        org_id,
        None,
        quarter.first_day(),
        quarter.last_day(),
        500,
    )
    .await
}

fn kinds_and_days(rows: &[ActivityRow]) -> Vec<(ActivityKind, Date)> {
    rows.iter()
        .filter_map(|a| Some((ActivityKind::from_code(&a.kind)?, a.held_on.parse().ok()?)))
        .collect()
}

fn minute_of(micros: i64) -> String {
    from_micros(micros)
        .to_zoned(china())
        .strftime("%H:%M")
        .to_string()
}

/// Shows, or with `confirm` writes, the drafts of the month's required activities the node has
/// not planned yet.
pub async fn plan_month(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    input: &MonthPlanInput,
) -> AppResult<MonthPlanView> {
    let node = PlanningNode::open(app, actor, org_id).await?;
    let today = app.today();
    let month = if input.month.trim().is_empty() {
        Month::of(today)
    } else {
        Month::parse(&input.month).map_err(|message| AppError::invalid("month", message))?
    };
    if month < Month::of(today) {
        return Err(AppError::invalid("month", "不能为已过去的月份生成计划"));
    }
    let mut handle = app.store.acquire().await?;
    // The rule compliance judges by, so the plan drafts exactly what compliance will ask for.
    let has_committee = super::plan::elects_committee(handle.conn(), org_id.0).await?;
    let required = ActivityKind::required_of(node.kind, has_committee);
    let planned_rows = planned_in(handle.conn(), org_id.0, month).await?;
    let due = still_due(&required, &kinds_and_days(&planned_rows), month);
    let already_planned = planned_rows
        .iter()
        .filter(|a| {
            required.iter().any(|(kind, frequency)| {
                let period = period_containing(*frequency, month);
                kind.code() == a.kind
                    && a.held_on.as_str() >= period.first_day().to_string().as_str()
                    && a.held_on.as_str() <= period.last_day().to_string().as_str()
            })
        })
        .map(|a| PlannedView {
            id: a.id,
            title: dangjian_domain::activity::kind::activity_title(&a.kind, &a.topic),
            date: a.held_on.clone(),
            status: a.status.clone(),
        })
        .collect();

    // The last meeting of any kind (not a talk, which has two people, not a node's) gives a
    // place and people when a kind was never held.
    let long_ago = Date::constant(2000, 1, 1);
    let last_any = activities_between(
        handle.conn(),
        org_id.0,
        None,
        long_ago,
        month.last_day(),
        RECENT,
    )
    .await?
    .into_iter()
    .find(|a| a.kind != ActivityKind::Talk.code());
    // People copied from an old meeting must still belong to the node.
    let members =
        dangjian_store::activities::active_member_ids_of_node(handle.conn(), org_id.0).await?;
    let mut drafts = Vec::new();
    for kind in due {
        let last_of_kind = activities_between(
            handle.conn(),
            org_id.0,
            Some(kind.code()),
            long_ago,
            month.last_day(),
            RECENT,
        )
        .await?
        .into_iter()
        .next();
        drafts.push(draft(
            kind,
            last_of_kind.as_ref(),
            last_any.as_ref(),
            &members,
            actor,
            month,
            today,
        ));
    }
    drop(handle);

    let mut view = MonthPlanView {
        org_id: org_id.0,
        org_name: node.name.clone(),
        month: month.to_string(),
        month_label: month.label(),
        drafts,
        already_planned,
        created: false,
    };
    if !input.confirm {
        return Ok(view);
    }
    if view.drafts.is_empty() {
        return Err(AppError::Conflict(format!(
            "{}的必开活动都已安排，无需生成",
            view.month_label
        )));
    }
    let mut plans = Vec::new();
    for d in &view.drafts {
        plans.push(d.input.parse(app, node.kind).await.map_err(|e| match e {
            AppError::Invalid { field, message } => AppError::Invalid {
                field,
                message: format!("{}：{message}，请先单独制定此项计划", d.kind_label),
            },
            other => other,
        })?);
    }
    let mut tx = app.begin().await?;
    // Planned meanwhile (a second tap, a colleague): nothing is drafted twice.
    let now_planned = planned_in(tx.conn(), org_id.0, month).await?;
    let still = still_due(&required, &kinds_and_days(&now_planned), month);
    if view
        .drafts
        .iter()
        .any(|d| !still.iter().any(|k| k.code() == d.kind))
    {
        return Err(AppError::Conflict(format!(
            "{}的计划刚刚已有人生成，请刷新后查看",
            view.month_label
        )));
    }
    let mut lines = Vec::new();
    for (d, plan) in view.drafts.iter_mut().zip(&plans) {
        let id = node.insert(&mut tx, app, actor, plan).await?;
        d.activity_id = Some(id.0);
        lines.push(format!("#{id} {} {} {}", d.date, d.kind_label, d.topic));
    }
    let entry = Entry::new(
        AuditAction::ActivityPlanned,
        AuditEntity::Org,
        org_id.0,
        format!(
            "生成{}{}计划：{} 项草稿",
            view.org_name,
            view.month_label,
            lines.len()
        ),
    )
    .org(Some(org_id))
    .change(None, Some(lines.join("\n")));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    view.created = true;
    Ok(view)
}

/// A draft of `kind`: the last meeting of the kind copied onto this month, else the node's last
/// meeting's place and people, else the caller as host and recorder and the place 待定.
fn draft(
    kind: ActivityKind,
    last_of_kind: Option<&ActivityRow>,
    last_any: Option<&ActivityRow>,
    members: &[i64],
    actor: &Actor,
    month: Month,
    today: Date,
) -> DraftView {
    let template = last_of_kind.or(last_any);
    let last_day = last_of_kind.and_then(|a| a.held_on.parse().ok());
    let date = suggested_day(last_day, month, today);
    let me = actor.member_id;
    let still_here = |id: Option<i64>| id.filter(|m| members.contains(m));
    let host = still_here(template.and_then(|a| a.host_member_id)).or(me);
    let recorder = still_here(template.and_then(|a| a.recorder_member_id)).or(host);
    let speaker = (kind == ActivityKind::PartyLecture)
        .then(|| still_here(last_of_kind.and_then(|a| a.speaker_member_id)).or(host))
        .flatten();
    let name_of = |id: Option<i64>| -> Option<String> {
        let id = id?;
        template
            .and_then(|a| {
                [
                    (a.host_member_id, &a.host_name),
                    (a.recorder_member_id, &a.recorder_name),
                    (a.speaker_member_id, &a.speaker_name),
                ]
                .into_iter()
                .find(|(m, _)| *m == Some(id))
                .and_then(|(_, name)| name.clone())
            })
            .or_else(|| (Some(id) == me).then(|| actor.name.clone()))
    };
    let (start, end) = last_of_kind
        .map(|a| (minute_of(a.starts_at), minute_of(a.ends_at)))
        .unwrap_or_else(|| ("09:00".into(), "10:30".into()));
    // A node that never met has no place on record: the draft says so, to be set on review.
    let place = template.map_or_else(|| "待定".to_string(), |a| a.place.clone());
    let online = template.is_some_and(|a| a.online);
    let topic = format!("{}（{}）", kind.label(), month.label());
    let agenda = last_of_kind.map(|a| a.agenda.clone()).unwrap_or_default();
    DraftView {
        kind: kind.code().into(),
        kind_label: kind.label(),
        topic: topic.clone(),
        date: date.to_string(),
        start: start.clone(),
        end: end.clone(),
        place: place.clone(),
        online,
        host_name: name_of(host),
        recorder_name: name_of(recorder),
        speaker_name: name_of(speaker),
        copied_from: last_of_kind.map(|a| {
            format!(
                "{} {}",
                dangjian_domain::activity::kind::activity_title(&a.kind, &a.topic),
                a.held_on
            )
        }),
        activity_id: None,
        input: PlanInput {
            kind: kind.code().into(),
            topic,
            date: date.to_string(),
            start,
            end,
            place,
            online,
            host_member_id: host,
            recorder_member_id: recorder,
            speaker_member_id: speaker,
            agenda,
        },
    }
}
