//! Each page's charts, built from the view struct its table is rendered from.

use dangjian_app::activities::compliance::{ComplianceView, NodeCompliance};
use dangjian_app::development::Dashboard;
use dangjian_app::dues::reports::{MonthLine, SummaryView, TotalsView, YearReport};
use dangjian_app::points::assessment::AssessmentView;
use dangjian_app::points::bulletin::BulletinView;
use dangjian_domain::activity::compliance::CellStatus;

use super::{Chart, ChartKind, Level};

/// Fen as yuan for a chart axis (exact to the fen; the table shows the same amount as text).
fn yuan(fen: i64) -> Option<f64> {
    Some(fen as f64 / 100.0)
}

impl Chart {
    /// The pair every dues chart draws, in yuan: what was due and what was collected.
    fn with_due_and_collected(self, totals: &[&TotalsView]) -> Chart {
        self.series(
            "应交",
            "元",
            totals.iter().map(|t| yuan(t.due_fen)).collect(),
        )
        .series(
            "实交",
            "元",
            totals.iter().map(|t| yuan(t.collected_fen)).collect(),
        )
    }
}

/// Tenths (of a percent or a point) as a number.
fn tenths(value: i64) -> Option<f64> {
    Some(value as f64 / 10.0)
}

/// The heat map's levels in order, each with the tone `charts.js` colours it with; the labels are
/// the statuses' own, as the table shows them.
const COMPLIANCE_LEVELS: [(CellStatus, &str); 4] = [
    (CellStatus::NotYet, "idle"),
    (CellStatus::Due, "due"),
    (CellStatus::Done, "done"),
    (CellStatus::Overdue, "overdue"),
];

fn compliance_levels() -> Vec<Level> {
    COMPLIANCE_LEVELS
        .iter()
        .map(|(status, tone)| Level {
            label: status.label(),
            tone,
        })
        .collect()
}

/// The level of a status code (`done`, `due`, …) as the views carry it.
fn level_of(code: &str) -> usize {
    COMPLIANCE_LEVELS
        .iter()
        .position(|(status, _)| status.code() == code)
        .unwrap_or(0)
}

/// A node's own obligations as judged periods × activity kinds, one cell per judged period.
fn own_heatmap(own: &NodeCompliance, period_label: &str) -> Chart {
    let mut columns: Vec<String> = Vec::new();
    for kind in &own.kinds {
        for cell in &kind.cells {
            if !columns.contains(&cell.period_label) {
                columns.push(cell.period_label.clone());
            }
        }
    }
    let mut chart = Chart::new(
        ChartKind::Heatmap,
        format!("{}{period_label}三会一课落实情况", own.org_name),
        columns,
    );
    for (row, kind) in own.kinds.iter().enumerate() {
        chart.rows.push(kind.kind_label.to_owned());
        for cell in &kind.cells {
            if let Some(column) = chart
                .categories
                .iter()
                .position(|c| *c == cell.period_label)
            {
                chart.cells.push([column, row, level_of(cell.status)]);
            }
        }
    }
    chart.levels = compliance_levels();
    chart
}

/// The branches below a committee as branches × kinds, each cell the kind's worst status.
fn branches_heatmap(view: &ComplianceView) -> Option<Chart> {
    let first = view.branches.first()?;
    let columns = first
        .kinds
        .iter()
        .map(|k| k.kind_label.to_owned())
        .collect();
    let mut chart = Chart::new(
        ChartKind::Heatmap,
        format!(
            "{}下属党支部{}三会一课落实情况",
            view.org_name, view.period_label
        ),
        columns,
    );
    for (row, branch) in view.branches.iter().enumerate() {
        chart.rows.push(branch.org_name.clone());
        for (column, kind) in branch.kinds.iter().enumerate() {
            chart.cells.push([column, row, level_of(kind.status)]);
        }
    }
    chart.levels = compliance_levels();
    Some(chart)
}

/// The compliance page's chart: the node's own heat map, or its branches' for a committee.
pub fn compliance(view: &ComplianceView) -> Option<Chart> {
    match &view.own {
        Some(own) if !own.kinds.is_empty() => Some(own_heatmap(own, &view.period_label)),
        Some(_) => None,
        None => branches_heatmap(view),
    }
}

/// Dues month by month, as lines: due and collected (yuan), and the collection rate.
fn dues_months(title: String, lines: &[MonthLine]) -> Option<Chart> {
    if lines.is_empty() {
        return None;
    }
    let months = lines.iter().map(|m| m.month.clone()).collect();
    let totals: Vec<&TotalsView> = lines.iter().map(|m| &m.totals).collect();
    Some(
        Chart::new(ChartKind::Line, title, months)
            .with_due_and_collected(&totals)
            .series("收缴率", "%", totals.iter().map(|t| rate(t)).collect())
            .on_right_axis(),
    )
}

/// A branch's year report, month by month.
pub fn dues_year(report: &YearReport) -> Option<Chart> {
    dues_months(
        format!("{} {} 年各月党费收缴", report.org_name, report.year),
        &report.months,
    )
}

/// A committee's last twelve months (its whole subtree), month by month.
pub fn dues_trend(summary: &SummaryView) -> Option<Chart> {
    dues_months(
        format!("{} 近12个月党费收缴", summary.org_name),
        &summary.months,
    )
}

/// The rate as a number (`93.5`), none when nothing was assessed.
fn rate(totals: &TotalsView) -> Option<f64> {
    totals.rate.as_deref().and_then(|r| r.parse().ok())
}

/// A committee's month: each child's due and collected (the rate is the gap, and in the table).
pub fn dues_summary(summary: &SummaryView) -> Option<Chart> {
    if summary.children.is_empty() {
        return None;
    }
    let names = summary
        .children
        .iter()
        .map(|c| c.org_name.clone())
        .collect();
    let totals: Vec<&TotalsView> = summary.children.iter().map(|c| &c.totals).collect();
    Some(
        Chart::new(
            ChartKind::Bar,
            format!(
                "{} {}各下级组织党费收缴",
                summary.org_name, summary.month_label
            ),
            names,
        )
        .with_due_and_collected(&totals)
        .horizontal(),
    )
}

/// The bulletin's groups: each group's average per member, in the table's order.
pub fn bulletin_groups(b: &BulletinView) -> Option<Chart> {
    if b.groups.is_empty() {
        return None;
    }
    let names = b.groups.iter().map(|g| g.name.clone()).collect();
    Some(
        Chart::new(
            ChartKind::Bar,
            format!("{} {}各党小组人均得分", b.org_name, b.period_label),
            names,
        )
        .series(
            "人均得分",
            "分",
            b.groups
                .iter()
                .map(|g| g.average.and_then(tenths))
                .collect(),
        )
        .horizontal(),
    )
}

/// 发展党员 as a funnel: how many people stand at each of the five stages.
pub fn development_funnel(board: &Dashboard) -> Chart {
    let stages = board.stages.iter().map(|s| s.label.to_owned()).collect();
    Chart::new(
        ChartKind::Funnel,
        format!("{}发展党员各阶段人数", board.org_name),
        stages,
    )
    .series(
        "人数",
        "人",
        board
            .stages
            .iter()
            .map(|s| Some(s.applicants.len() as f64))
            .collect(),
    )
}

/// 效能考核: each organization's score as its four weighted components stacked.
pub fn assessment(a: &AssessmentView) -> Option<Chart> {
    if a.rows.is_empty() {
        return None;
    }
    let names = a.rows.iter().map(|r| r.name.clone()).collect();
    // A component of c tenths of a percent under weight w adds c × w / 1000 points to the score.
    let part = |w: i64, pick: fn(&dangjian_app::points::assessment::ScoreRow) -> i64| {
        a.rows
            .iter()
            .map(|r| Some((pick(r) * w) as f64 / 1000.0))
            .collect()
    };
    Some(
        Chart::new(
            ChartKind::StackedBar,
            format!("{} {}效能考核得分构成", a.org_name, a.period_label),
            names,
        )
        .series("组织生活", "分", part(a.weights[0], |r| r.compliance))
        .series("出勤", "分", part(a.weights[1], |r| r.attendance))
        .series("积分", "分", part(a.weights[2], |r| r.points_component))
        .series("党费", "分", part(a.weights[3], |r| r.dues))
        .horizontal(),
    )
}

/// The committee dashboard: each branch's compliance and dues rates side by side, and (a second
/// chart, another unit) its average points.
pub fn committee(a: &AssessmentView) -> Vec<Chart> {
    if a.rows.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = a.rows.iter().map(|r| r.name.clone()).collect();
    let rates = Chart::new(
        ChartKind::Bar,
        format!(
            "{} {}各党支部组织生活落实率和党费收缴率",
            a.org_name, a.period_label
        ),
        names.clone(),
    )
    .series(
        "组织生活落实率",
        "%",
        a.rows.iter().map(|r| tenths(r.compliance)).collect(),
    )
    .series(
        "党费收缴率",
        "%",
        a.rows.iter().map(|r| tenths(r.dues)).collect(),
    )
    .horizontal();
    let points = Chart::new(
        ChartKind::Bar,
        format!("{} {}各党支部人均得分", a.org_name, a.period_label),
        names,
    )
    .series(
        "人均得分",
        "分",
        a.rows
            .iter()
            .map(|r| r.average_points_text.parse().ok())
            .collect(),
    )
    .horizontal();
    vec![rates, points]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_level_named_as_the_table_names_it() {
        for status in [
            CellStatus::NotYet,
            CellStatus::Due,
            CellStatus::Done,
            CellStatus::Overdue,
        ] {
            let level = level_of(status.code());
            assert_eq!(compliance_levels()[level].label, status.label());
        }
    }

    #[test]
    fn a_chart_is_json_with_its_kind_in_snake_case_and_no_empty_heat_map_fields() {
        let chart = Chart::new(ChartKind::StackedBar, "得分".into(), vec!["甲".into()])
            .series("出勤", "分", vec![Some(1.5)])
            .horizontal();
        let json: serde_json::Value = serde_json::from_str(&chart.json()).expect("json");
        assert_eq!(json["kind"], "stacked_bar");
        assert_eq!(json["series"][0]["values"][0], 1.5);
        assert!(json.get("cells").is_none());
        assert_eq!(chart.size(), "chart");
    }
}
