//! Compliance views: for a node and a period, which required activities were held, are due or
//! overdue (read from the maintained counters, never by scanning activities); members' consecutive
//! months without organizational life; leading cadres' dual organizational life.

use std::collections::HashMap;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::compliance::CellStatus;
use dangjian_domain::activity::{ActivityKind, Frequency, Period};
use dangjian_domain::{OrgId, OrgKind};
use dangjian_store::life_counters::{self, CounterRow};
use dangjian_store::{PageRequest, SubtreeRange};
use serde::Serialize;

pub use super::participation::{CadreLine, DualLifeReport, MemberLifeFlag, dual_life};

use crate::{Actor, App, AppError, AppResult};

/// One required kind in one judged period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JudgedCell {
    pub period: String,
    pub period_label: String,
    pub held: i64,
    /// done, due, overdue, not_yet.
    pub status: &'static str,
    pub status_label: &'static str,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindCompliance {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub frequency_label: &'static str,
    pub cells: Vec<JudgedCell>,
    /// The worst status of the cells: overdue, then due, then done.
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NodeCompliance {
    pub org_id: i64,
    pub org_name: String,
    pub kinds: Vec<KindCompliance>,
    /// For a branch: its groups that held a group meeting in each month of the period / all groups.
    pub groups_done: Vec<String>,
    pub groups: i64,
}

/// Across a subtree: how many nodes held the kind in each judged period, out of how many owe it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SummaryCell {
    pub kind_label: &'static str,
    pub period_label: String,
    pub nodes_done: i64,
    pub nodes: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceView {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
    pub period_label: String,
    pub previous: String,
    pub next: String,
    /// The node's own obligations (a branch or a group).
    pub own: Option<NodeCompliance>,
    pub summary: Vec<SummaryCell>,
    /// The branches below, one page of them.
    pub branches: Vec<NodeCompliance>,
    pub branches_total: i64,
    pub page: i64,
    pub pages: i64,
    pub flags: Vec<MemberLifeFlag>,
    /// For a branch: whether its secretary gave a party lecture in the year of the period
    /// (支部工作条例: the secretary lectures at least once a year).
    pub secretary_lecture: Option<JudgedCell>,
    pub secretary_name: Option<String>,
}

/// Every period key a view of `period` reads counters for.
fn judged_keys(period: Period) -> Vec<String> {
    let mut keys: Vec<String> = [Frequency::Monthly, Frequency::Quarterly, Frequency::Yearly]
        .iter()
        .flat_map(|f| period.judged_on(*f))
        .map(Period::key)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

struct Counters(HashMap<(i64, String, &'static str), (i64, i64)>);

impl Counters {
    fn new(rows: Vec<CounterRow>) -> Counters {
        let mut map = HashMap::new();
        for row in rows {
            if let Some(kind) = ActivityKind::from_code(&row.kind) {
                map.insert(
                    (row.org_id, row.period, kind.code()),
                    (row.held, row.nodes_done),
                );
            }
        }
        Counters(map)
    }

    fn get(&self, org: i64, period: &str, kind: ActivityKind) -> (i64, i64) {
        self.0
            .get(&(org, period.to_string(), kind.code()))
            .copied()
            .unwrap_or((0, 0))
    }
}

/// What every node on the page is judged by: the counters, the period asked for, and today.
struct Judging<'a> {
    counters: &'a Counters,
    period: Period,
    today: jiff::civil::Date,
}

fn node_compliance(
    judging: &Judging<'_>,
    org_id: i64,
    org_name: &str,
    org_kind: OrgKind,
    has_committee: bool,
    groups: i64,
) -> NodeCompliance {
    let Judging {
        counters,
        period,
        today,
    } = *judging;
    let kinds = ActivityKind::required_of(org_kind, has_committee)
        .into_iter()
        .map(|(kind, frequency)| {
            let cells: Vec<JudgedCell> = period
                .judged_on(frequency)
                .into_iter()
                .map(|p| {
                    let (held, _) = counters.get(org_id, &p.key(), kind);
                    let status = CellStatus::judge(held, p, today);
                    JudgedCell {
                        period: p.key(),
                        period_label: p.label(),
                        held,
                        status: status.code(),
                        status_label: status.label(),
                    }
                })
                .collect();
            let worst = ["overdue", "due", "done", "not_yet"]
                .into_iter()
                .find(|s| cells.iter().any(|c| c.status == *s))
                .unwrap_or("not_yet");
            KindCompliance {
                kind: kind.code(),
                kind_label: kind.label(),
                frequency_label: frequency.label(),
                cells,
                status: worst,
            }
        })
        .collect();
    let groups_done = if org_kind == OrgKind::Branch {
        period
            .judged_on(Frequency::Monthly)
            .into_iter()
            .map(|p| {
                let (_, done) = counters.get(org_id, &p.key(), ActivityKind::GroupMeeting);
                format!("{}：{done}/{groups}", p.label())
            })
            .collect()
    } else {
        Vec::new()
    };
    NodeCompliance {
        org_id,
        org_name: org_name.to_string(),
        kinds,
        groups_done,
        groups,
    }
}

const BRANCHES_PER_PAGE: i64 = 50;

pub async fn compliance(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    period: &str,
    page: Option<i64>,
) -> AppResult<ComplianceView> {
    let (org, path) = crate::orgs::load(app, org_id).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    // The current quarter unless another period is asked for.
    let today = app.today();
    let this_quarter = Period::containing(today, Frequency::Quarterly);
    let period = super::period_or(period, this_quarter)?;
    let org_kind = OrgKind::from_code(&org.kind).ok_or(AppError::NotFound("组织"))?;
    let range = SubtreeRange::of(&path);
    let page = page.unwrap_or(1).clamp(1, 100_000);
    let mut handle = app.store.acquire().await?;
    let (branches, branches_total) = life_counters::nodes_of_kind(
        handle.conn(),
        &range,
        OrgKind::Branch.code(),
        PageRequest {
            offset: (page - 1) * BRANCHES_PER_PAGE,
            limit: BRANCHES_PER_PAGE,
        },
    )
    .await?;
    let (_, groups_total) = life_counters::nodes_of_kind(
        handle.conn(),
        &range,
        OrgKind::Group.code(),
        PageRequest {
            offset: 0,
            limit: 0,
        },
    )
    .await?;
    let mut ids: Vec<i64> = branches.iter().map(|b| b.id).collect();
    ids.push(org_id.0);
    let shapes: HashMap<i64, (i64, i64)> = life_counters::branch_shapes(handle.conn(), &ids)
        .await?
        .into_iter()
        .map(|s| (s.branch_id, (s.groups, s.full_members)))
        .collect();
    let counters =
        Counters::new(life_counters::counters(handle.conn(), &ids, &judged_keys(period)).await?);
    let judging = Judging {
        counters: &counters,
        period,
        today,
    };
    let shape = |id: i64| shapes.get(&id).copied().unwrap_or((0, 0));
    let own = matches!(org_kind, OrgKind::Branch | OrgKind::Group).then(|| {
        let (groups, full) = shape(org_id.0);
        let committee = ActivityKind::elects_committee(full);
        node_compliance(&judging, org_id.0, &org.name, org_kind, committee, groups)
    });
    let rows = branches
        .iter()
        .filter(|b| b.id != org_id.0)
        .map(|b| {
            let (groups, full) = shape(b.id);
            let committee = ActivityKind::elects_committee(full);
            node_compliance(&judging, b.id, &b.name, OrgKind::Branch, committee, groups)
        })
        .collect();
    let mut summary = Vec::new();
    for (kind, frequency) in ActivityKind::required_of(OrgKind::Branch, true)
        .into_iter()
        .chain([(ActivityKind::GroupMeeting, Frequency::Monthly)])
    {
        let nodes = if kind == ActivityKind::GroupMeeting {
            groups_total
        } else {
            branches_total
        };
        for p in period.judged_on(frequency) {
            let (_, done) = counters.get(org_id.0, &p.key(), kind);
            summary.push(SummaryCell {
                kind_label: kind.label(),
                period_label: p.label(),
                nodes_done: done,
                nodes,
            });
        }
    }
    let flags = if org_kind == OrgKind::Branch {
        super::participation::life_flags(&mut handle, org_id.0, app.today()).await?
    } else {
        Vec::new()
    };
    let year = Period::Year(period.first_day().year());
    let secretary = if org_kind == OrgKind::Branch {
        life_counters::secretary_lectures(
            handle.conn(),
            org_id.0,
            &year.first_day().to_string(),
            &year.last_day().to_string(),
        )
        .await?
    } else {
        None
    };
    let secretary_lecture = secretary.as_ref().map(|s| {
        let status = CellStatus::judge(s.lectures, year, app.today());
        JudgedCell {
            period: year.key(),
            period_label: year.label(),
            held: s.lectures,
            status: status.code(),
            status_label: status.label(),
        }
    });
    let (previous, next) = (period.previous(), period.next());
    Ok(ComplianceView {
        org_id: org_id.0,
        org_name: org.name,
        period: period.key(),
        period_label: period.label(),
        previous: previous.key(),
        next: next.key(),
        own,
        summary,
        branches: rows,
        branches_total,
        page,
        pages: ((branches_total + BRANCHES_PER_PAGE - 1) / BRANCHES_PER_PAGE).max(1),
        flags,
        secretary_lecture,
        secretary_name: secretary.map(|s| s.name),
    })
}
