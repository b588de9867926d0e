//! 效能考核: the groups or branches under a node scored for a period from four components, each
//! shown: organizational-life compliance (judged periods done), attendance, average points per
//! member (relative to the best compared node) and dues collection; weighted by the weights set
//! on the nearest node above (default 30/30/20/20). Project completion waits for its issue.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::Period;
use dangjian_domain::points::Points;
use dangjian_domain::points::assessment::{DEFAULT_WEIGHTS, check_weights, weighted};
use dangjian_domain::{OrgId, OrgPath};
use dangjian_store::SubtreeRange;
use dangjian_store::points::{assessment as store, totals};
use serde::Serialize;

use super::period_or_year;
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

fn pct(tenths: i64) -> String {
    format!("{}%", Points(tenths).plain())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScoreRow {
    pub org_id: i64,
    pub name: String,
    pub members: i64,
    /// Each component in tenths of a percent (0–1000) and as text.
    pub compliance: i64,
    pub compliance_text: String,
    pub attendance: i64,
    pub attendance_text: String,
    pub average_points_text: String,
    pub points_component: i64,
    pub points_component_text: String,
    pub dues: i64,
    pub dues_text: String,
    /// The weighted score in tenths (0–1000) and as text.
    pub score: i64,
    pub score_text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssessmentView {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
    pub period_label: String,
    pub of: String,
    /// Compliance, attendance, points, dues (percent).
    pub weights: [i64; 4],
    pub rows: Vec<ScoreRow>,
    pub can_set_weights: bool,
}

async fn weights_for(app: &App, path: &OrgPath) -> AppResult<[i64; 4]> {
    let ids: Vec<i64> = path.ids().iter().map(|OrgId(id)| *id).collect();
    let mut handle = app.store.acquire().await?;
    let set = store::weights_of(handle.conn(), &ids).await?;
    Ok(ids
        .iter()
        .rev()
        .find_map(|id| {
            set.iter()
                .find(|w| w.0 == *id)
                .map(|w| [w.1, w.2, w.3, w.4])
        })
        .unwrap_or(DEFAULT_WEIGHTS))
}

pub async fn scores(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    period: Option<&str>,
    of: &str,
) -> AppResult<AssessmentView> {
    let (org, path) = orgs::load(app, org_id).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    let period = period_or_year(period, app.today())?;
    let kind = match of {
        "groups" => "group",
        "branches" | "" => "branch",
        _ => return Err(AppError::invalid("of", "考核对象须为 groups 或 branches")),
    };
    let weights = weights_for(app, &path).await?;
    let key = period.key();
    let (first, last) = month_range(period);
    let mut handle = app.store.acquire().await?;
    let nodes = totals::node_totals(handle.conn(), &SubtreeRange::of(&path), kind, &key).await?;
    let mut raw = Vec::new();
    for n in &nodes {
        let (attended, expected) =
            store::attendance(handle.conn(), n.org_id, kind == "group", &first, &last).await?;
        let dues =
            dangjian_store::dues::totals::totals_of(handle.conn(), &[n.org_id], &first, &last)
                .await?;
        let (due, collected) = dues.iter().fold((0, 0), |(d, c), t| {
            (d + t.totals.due_fen, c + t.totals.collected_fen)
        });
        raw.push((attended, expected, due, collected));
    }
    drop(handle);
    let average = |points: i64, members: i64| if members > 0 { points / members } else { 0 };
    let best = nodes
        .iter()
        .map(|n| average(n.points, n.members))
        .max()
        .unwrap_or(0)
        .max(0);
    let mut rows = Vec::new();
    for (n, (attended, expected, due, collected)) in nodes.iter().zip(raw) {
        let compliance = compliance_rate(app, actor, n.org_id, &key).await?;
        let attendance = share(attended, expected);
        let avg = average(n.points, n.members);
        let points_component = share(avg, best);
        let dues = share(collected, due);
        let score = weighted([compliance, attendance, points_component, dues], weights);
        rows.push(ScoreRow {
            org_id: n.org_id,
            name: n.name.clone(),
            members: n.members,
            compliance,
            compliance_text: pct(compliance),
            attendance,
            attendance_text: pct(attendance),
            average_points_text: Points(avg).plain(),
            points_component,
            points_component_text: pct(points_component),
            dues,
            dues_text: pct(dues),
            score,
            score_text: Points(score).plain(),
        });
    }
    rows.sort_by(|a, b| b.score.cmp(&a.score).then(a.org_id.cmp(&b.org_id)));
    Ok(AssessmentView {
        org_id: org_id.0,
        org_name: org.name,
        period: key,
        period_label: period.label(),
        of: if kind == "group" {
            "groups".into()
        } else {
            "branches".into()
        },
        weights,
        rows,
        can_set_weights: actor
            .grant
            .permits(Action::ManageAssessments, Scope::Org(&path)),
    })
}

/// The share of the node's judged obligations (kind × period, not counting periods not yet due)
/// that were met, from the organizational-life compliance view.
async fn compliance_rate(app: &App, actor: &Actor, org_id: i64, period: &str) -> AppResult<i64> {
    let view =
        crate::activities::compliance::compliance(app, actor, OrgId(org_id), period, None).await?;
    let cells: Vec<&str> = view
        .own
        .iter()
        .flat_map(|o| o.kinds.iter())
        .flat_map(|k| k.cells.iter().map(|c| c.status))
        .filter(|s| *s != "not_yet")
        .collect();
    let done = cells.iter().filter(|s| **s == "done").count() as i64;
    Ok(share(done, cells.len() as i64))
}

/// A node's administrator sets the weights for its subtree.
pub async fn set_weights(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    w: [i64; 4],
) -> AppResult<()> {
    let (org, path) = orgs::load(app, org_id).await?;
    actor.authorize(Action::ManageAssessments, Scope::Org(&path))?;
    check_weights(w).map_err(|m| AppError::invalid("weights", m))?;
    let mut tx = app.begin().await?;
    store::set_weights(tx.conn(), org_id.0, w, app.now_micros()).await?;
    let summary = format!(
        "「{}」效能考核权重：组织生活 {}%、出勤 {}%、积分 {}%、党费 {}%",
        org.name, w[0], w[1], w[2], w[3]
    );
    audit::record(
        &mut tx,
        Who::from(actor),
        ctx,
        Entry::new(
            AuditAction::AssessmentWeightsSet,
            AuditEntity::Org,
            org_id,
            summary,
        )
        .org(Some(org_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The first month and last month keys of a period (for callers outside).
pub fn month_range(period: Period) -> (String, String) {
    let months = period.months();
    (
        months.first().map(|m| m.to_string()).unwrap_or_default(),
        months.last().map(|m| m.to_string()).unwrap_or_default(),
    )
}

/// A component of the score in tenths of a percent (0–1000), by the product's one rounding rule;
/// a component with nothing to measure scores 0.
fn share(part: i64, whole: i64) -> i64 {
    dangjian_domain::percent::tenths(part, whole)
        .unwrap_or(0)
        .min(1000)
}
