//! Members' participation: consecutive months without organizational life (党章 art. 9, flagged,
//! never acted on) and leading cadres' dual organizational life (双重组织生活).

use std::collections::{BTreeSet, HashMap};

use dangjian_domain::Month;
use dangjian_domain::OrgId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::Period;
use dangjian_domain::activity::compliance::{LifeFlag, last_complete_month, months_without_life};
use dangjian_domain::time::from_micros;
use dangjian_store::{SubtreeRange, life_counters};
use serde::Serialize;

use crate::{Actor, App, AppResult};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberLifeFlag {
    pub member_id: i64,
    pub name: String,
    pub months: u32,
    /// watch (3–5 months) or six_months.
    pub level: &'static str,
    pub message: String,
}

/// Members of a branch with 3 or more consecutive complete months without organizational life.
/// Months before the member joined, or before they were registered in the system (no record can
/// exist for them), are not judged.
pub(super) async fn life_flags(
    handle: &mut dangjian_store::Handle,
    branch_id: i64,
    today: jiff::civil::Date,
) -> AppResult<Vec<MemberLifeFlag>> {
    let through = last_complete_month(today);
    let mut window_start = through;
    for _ in 0..23 {
        window_start = window_start.previous();
    }
    let members = life_counters::active_members_of_branch(handle.conn(), branch_id).await?;
    let months =
        life_counters::life_months_of_branch(handle.conn(), branch_id, &window_start.to_string())
            .await?;
    let mut taken: HashMap<i64, BTreeSet<Month>> = HashMap::new();
    for row in months {
        if (row.attended > 0 || row.excused > 0)
            && let Ok(month) = Month::parse(&row.month)
        {
            taken.entry(row.member_id).or_default().insert(month);
        }
    }
    let empty = BTreeSet::new();
    let mut flags = Vec::new();
    for member in members {
        let registered = Month::of(
            from_micros(member.created_at)
                .to_zoned(dangjian_domain::time::china())
                .date(),
        );
        let joined = member
            .joined_on
            .as_deref()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            .map(Month::of)
            .unwrap_or(registered);
        // The first month judged is the first full month on the rolls.
        let since = joined.max(registered).next().max(window_start);
        let count = months_without_life(taken.get(&member.id).unwrap_or(&empty), since, through);
        if let Some(flag) = LifeFlag::of(count) {
            flags.push(MemberLifeFlag {
                member_id: member.id,
                name: member.name,
                months: count,
                level: match flag {
                    LifeFlag::Watch => "watch",
                    LifeFlag::SixMonths => "six_months",
                },
                message: flag.message(count),
            });
        }
    }
    flags.sort_by_key(|f| std::cmp::Reverse(f.months));
    Ok(flags)
}

/// A leading cadre's participation in the organizational life of their branch and group.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CadreLine {
    pub member_id: i64,
    pub name: String,
    pub branch_name: String,
    pub expected: i64,
    pub present: i64,
    pub on_leave: i64,
    pub absent: i64,
    pub attendance_rate: i64,
    /// Missed at least one held activity without leave.
    pub below_expectation: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DualLifeReport {
    pub org_id: i64,
    pub org_name: String,
    pub period: String,
    pub period_label: String,
    pub cadres: Vec<CadreLine>,
    pub below: i64,
}

/// 双重组织生活: leading cadres take part in their own branch's and group's organizational life as
/// ordinary members (RULES.md). Below expectation = any absence without leave from a held
/// activity they were expected at.
pub async fn dual_life(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    period: &str,
) -> AppResult<DualLifeReport> {
    let (org, path) = crate::orgs::load(app, org_id).await?;
    actor.authorize(Action::ViewMembers, Scope::Org(&path))?;
    let period = super::period_or(period, Period::Year(app.today().year()))?;
    let mut handle = app.store.acquire().await?;
    let rows = life_counters::cadre_participation(
        handle.conn(),
        &SubtreeRange::of(&path),
        &period.first_day().to_string(),
        &period.last_day().to_string(),
    )
    .await?;
    let cadres: Vec<CadreLine> = rows
        .into_iter()
        .map(|r| CadreLine {
            member_id: r.member_id,
            attendance_rate: super::view::attendance_rate(r.present, r.expected),
            below_expectation: r.absent > 0,
            name: r.name,
            branch_name: r.branch_name,
            expected: r.expected,
            present: r.present,
            on_leave: r.on_leave,
            absent: r.absent,
        })
        .collect();
    Ok(DualLifeReport {
        org_id: org_id.0,
        org_name: org.name,
        period: period.key(),
        period_label: period.label(),
        below: cadres.iter().filter(|c| c.below_expectation).count() as i64,
        cadres,
    })
}
