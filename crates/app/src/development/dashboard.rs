//! The dashboard of a branch or committee: everyone in the pipeline by stage, each person's next
//! steps with their windows, and what is overdue or due soon on top.

use std::collections::HashMap;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::development::Stage;
use dangjian_domain::development::plan::{Standing, evaluation_due, probation_ends, standing};
use dangjian_domain::{OrgId, OrgKind};
use dangjian_store::SubtreeRange;
use dangjian_store::development::{self as store, Whose};
use jiff::ToSpan;
use serde::Serialize;

use super::{ApplicantView, file_of, view};
use crate::{Actor, App, AppResult, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub org_id: i64,
    pub org_name: String,
    /// Overdue items first, then those due within 30 days, each by date.
    pub alerts: Vec<Alert>,
    /// The five stages in order, each with its people.
    pub stages: Vec<StageGroup>,
    /// Whether the caller may add applicants and record steps here.
    pub can_record: bool,
    /// Whether applicants may be registered at this node (a branch or a group).
    pub accepts_applicants: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StageGroup {
    pub ordinal: &'static str,
    pub label: &'static str,
    pub applicants: Vec<ApplicantView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Alert {
    pub applicant_id: i64,
    pub name: String,
    pub branch_name: String,
    /// What is due.
    pub message: String,
    /// The day it is (or was) due.
    pub due: String,
    pub overdue: bool,
}

/// Days ahead within which a deadline is shown as coming up.
const SOON_DAYS: i64 = 30;

pub async fn dashboard(app: &App, actor: &Actor, org: OrgId) -> AppResult<Dashboard> {
    let (org_row, path) = orgs::load(app, org).await?;
    actor.authorize(Action::ViewMembers, Scope::Org(&path))?;
    // Applications belong to branches; a group's dashboard shows its branch's pipeline.
    let scope_path = match (OrgKind::from_code(&org_row.kind), org_row.parent_id) {
        (Some(OrgKind::Group), Some(branch)) => orgs::path_of(app, OrgId(branch)).await?,
        _ => path.clone(),
    };
    let range = SubtreeRange::of(&scope_path);
    let whose = Whose::Scope {
        range: Some(&range),
        include_closed: false,
    };
    let mut handle = app.store.acquire().await?;
    let rows = store::applicants_in_scope(handle.conn(), Some(&range), false).await?;
    let steps = store::steps_of(handle.conn(), whose).await?;
    let decisions = store::decisions_of(handle.conn(), whose).await?;
    drop(handle);
    let mut steps_by: HashMap<i64, Vec<_>> = HashMap::new();
    for s in &steps {
        steps_by.entry(s.applicant_id).or_default().push(s);
    }
    let mut decisions_by: HashMap<i64, Vec<_>> = HashMap::new();
    for d in &decisions {
        decisions_by.entry(d.applicant_id).or_default().push(d);
    }
    let today = app.today();
    let soon = today.saturating_add(SOON_DAYS.days());
    let reveal = actor
        .grant
        .permits(Action::ViewPersonalData, Scope::Org(&path));
    let mut stages: Vec<StageGroup> = Stage::ALL
        .iter()
        .map(|s| StageGroup {
            ordinal: s.ordinal(),
            label: s.label(),
            applicants: Vec::new(),
        })
        .collect();
    let mut alerts = Vec::new();
    for row in &rows {
        let s = steps_by.remove(&row.id).unwrap_or_default();
        let d = decisions_by.remove(&row.id).unwrap_or_default();
        let file = file_of(row, &s, &d)?;
        let deviation = s.iter().any(|s| s.deviation_reason.is_some())
            || d.iter().any(|d| d.deviation_reason.is_some());
        let v = view(row, &file, deviation, reveal, app.today());
        let mut alert = |message: String, due: jiff::civil::Date| {
            if due <= soon {
                alerts.push(Alert {
                    applicant_id: row.id,
                    name: row.name.clone(),
                    branch_name: row.branch_name.clone(),
                    message,
                    due: due.to_string(),
                    overdue: today > due,
                });
            }
        };
        for n in &v.next_steps {
            if let Some(latest) = n
                .latest
                .as_deref()
                .and_then(crate::members::record::parse_date)
            {
                alert(
                    format!("第 {} 步「{}」最晚应于 {latest}", n.step, n.name),
                    latest,
                );
            }
        }
        if let Some(due) = evaluation_due(&file) {
            alert(format!("入党积极分子半年一次的培养考察最晚应于 {due}"), due);
        }
        if let Some(end) = probation_ends(&file) {
            alert(format!("预备期于 {end} 届满，应及时讨论转正"), end);
        }
        if let Standing::InStage(stage) = standing(&file)
            && let Some(group) = stages.iter_mut().find(|g| g.label == stage.label())
        {
            group.applicants.push(v);
        }
    }
    alerts.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.due.cmp(&b.due)));
    let kind = OrgKind::from_code(&org_row.kind);
    Ok(Dashboard {
        org_id: org_row.id,
        org_name: org_row.name.clone(),
        alerts,
        stages,
        can_record: actor
            .grant
            .permits(Action::ManageDevelopment, Scope::Org(&path)),
        accepts_applicants: matches!(kind, Some(OrgKind::Branch) | Some(OrgKind::Group))
            && !org_row.is_temporary
            && org_row.status != "dissolved",
    })
}

/// Steps of 发展党员 due or overdue at the branch the caller runs (a committee sees them on its
/// development page; the branch secretary is the one who records them).
pub async fn reminders(
    app: &App,
    actor: &Actor,
) -> AppResult<Vec<dangjian_domain::reminder::Reminder>> {
    use dangjian_domain::reminder::{Reminder, ReminderKind};
    let Some(org_id) = actor.own_org_for(Action::ManageDevelopment) else {
        return Ok(Vec::new());
    };
    let (org, _) = orgs::load(app, org_id).await?;
    if org.kind != OrgKind::Branch.code() {
        return Ok(Vec::new());
    }
    Ok(dashboard(app, actor, org_id)
        .await?
        .alerts
        .into_iter()
        .map(|a| Reminder {
            kind: ReminderKind::DevelopmentStep,
            title: format!("{}：{}", a.name, a.message),
            href: format!("/development/applicants/{}", a.applicant_id),
            detail: if a.overdue {
                format!("{} 已逾期", a.due)
            } else {
                format!("{} 前", a.due)
            },
            due_on: a.due.parse().ok(),
        })
        .collect())
}
