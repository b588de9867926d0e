//! Reports: a branch's year, a committee's subtree summary, both read from the maintained totals
//! (one row per node and month), never by scanning sheets; and the .xlsx exports of each.

use std::collections::BTreeMap;

use dangjian_domain::Month;
use dangjian_domain::OrgId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::dues::Fen;
use dangjian_store::SubtreeRange;
use dangjian_store::dues::sheet;
use dangjian_store::dues::totals::{self, Totals};
use dangjian_store::orgs as org_store;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use super::profile::parse_month;
use super::sheet_view::{SheetView, rate_of, sheet_place};
use crate::{Actor, App, AppError, AppResult, orgs};

/// A node's figures for a month or a year.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct TotalsView {
    /// Members on the sheets (member-months for a year).
    pub members: i64,
    pub due_fen: i64,
    pub due: String,
    pub collected_fen: i64,
    pub collected: String,
    /// Collected ÷ due in percent, one decimal; none when nothing is due.
    pub rate: Option<String>,
    /// The rate as a page shows it: `93.5%`, or that nothing was assessed.
    pub rate_shown: String,
    /// Paid in full or exempt.
    pub settled: i64,
    pub partial: i64,
    pub unpaid: i64,
    /// Members 3 or more months in arrears (including those at 6).
    pub arrears: i64,
    /// Members 6 or more months in arrears: cases the branch must handle.
    pub arrears_cases: i64,
}

impl TotalsView {
    pub fn of(t: &Totals) -> TotalsView {
        let (rate, rate_shown) = rate_of(t.collected_fen, t.due_fen);
        TotalsView {
            members: t.members,
            due_fen: t.due_fen,
            due: Fen(t.due_fen).yuan(),
            collected_fen: t.collected_fen,
            collected: Fen(t.collected_fen).yuan(),
            rate,
            rate_shown,
            settled: t.settled,
            partial: t.partial,
            unpaid: t.members - t.settled - t.partial,
            arrears: t.warned,
            arrears_cases: t.flagged,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NodeSummary {
    pub org_id: i64,
    pub org_name: String,
    pub kind_label: &'static str,
    pub totals: TotalsView,
}

/// A committee's (or any node's) month: its whole subtree, then each child's subtree.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SummaryView {
    pub org_id: i64,
    pub org_name: String,
    pub month: String,
    pub month_label: String,
    pub totals: TotalsView,
    pub children: Vec<NodeSummary>,
    /// The node's whole subtree in each of the twelve months up to this one that had sheets,
    /// read from the same maintained totals (one range of rows of this node).
    pub months: Vec<MonthLine>,
}

fn summed(rows: &[totals::NodeTotals], org_id: i64) -> Totals {
    rows.iter()
        .filter(|r| r.org_id == org_id)
        .fold(Totals::default(), |acc, r| acc.plus(r.totals))
}

pub async fn summary(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    month: &str,
) -> AppResult<SummaryView> {
    let month = parse_month("month", month)?;
    let (org, path) = orgs::load(app, org_id).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    let mut handle = app.store.acquire().await?;
    // The children only, not the whole subtree: a province's summary must not read every node.
    let children = org_store::children_of(handle.conn(), org_id.0).await?;
    let mut ids = vec![org_id.0];
    ids.extend(children.iter().map(|c| c.id));
    let key = month.to_string();
    let rows = totals::totals_of(handle.conn(), &ids, &key, &key).await?;
    let first = (0..11).fold(month, |m, _| m.previous());
    let trend = totals::totals_of(handle.conn(), &[org_id.0], &first.to_string(), &key).await?;
    drop(handle);
    let kind_label = |kind: &str| {
        dangjian_domain::OrgKind::from_code(kind).map_or("", dangjian_domain::OrgKind::label)
    };
    Ok(SummaryView {
        org_id: org_id.0,
        org_name: org.name,
        month: key,
        month_label: month.label(),
        totals: TotalsView::of(&summed(&rows, org_id.0)),
        children: children
            .iter()
            .map(|c| NodeSummary {
                org_id: c.id,
                org_name: c.name.clone(),
                kind_label: kind_label(&c.kind),
                totals: TotalsView::of(&summed(&rows, c.id)),
            })
            .collect(),
        months: first
            .through(month)
            .map(|m| m.to_string())
            .filter_map(|m| {
                let of_month: Vec<_> = trend.iter().filter(|r| r.month == m).collect();
                (!of_month.is_empty()).then(|| MonthLine {
                    totals: TotalsView::of(
                        &of_month
                            .iter()
                            .fold(Totals::default(), |acc, r| acc.plus(r.totals)),
                    ),
                    month: m,
                })
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthLine {
    pub month: String,
    pub totals: TotalsView,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberYear {
    pub member_id: i64,
    pub member_name: String,
    pub months_paid: i64,
    pub due: String,
    pub paid: String,
    /// Consecutive unpaid months at the last month of the year on the sheet.
    pub arrears_streak: i64,
}

/// A branch's (or group's) year: each month's totals, the year's, and each member's year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearReport {
    pub org_id: i64,
    pub org_name: String,
    pub year: i16,
    pub months: Vec<MonthLine>,
    pub totals: TotalsView,
    pub members: Vec<MemberYear>,
}

pub async fn year_report(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    year: i16,
) -> AppResult<YearReport> {
    let place = sheet_place(app, actor, org_id, Action::ViewMembers).await?;
    let first = Month::new(year, 1).ok_or_else(|| AppError::invalid("year", "年份无效"))?;
    let last = Month::new(year, 12).ok_or_else(|| AppError::invalid("year", "年份无效"))?;
    let (org, _) = orgs::load(app, org_id).await?;
    let mut handle = app.store.acquire().await?;
    let rows = totals::totals_of(
        handle.conn(),
        &[org_id.0],
        &first.to_string(),
        &last.to_string(),
    )
    .await?;
    let sheet_rows = sheet::sheet_rows(
        handle.conn(),
        place.branch_id,
        place.group_id,
        &first.to_string(),
        &last.to_string(),
    )
    .await?;
    let members = sheet::dues_members_of(handle.conn(), place.branch_id, place.group_id).await?;
    drop(handle);
    let names: BTreeMap<i64, &str> = members.iter().map(|m| (m.id, m.name.as_str())).collect();
    let mut per_member: BTreeMap<i64, (i64, i64, i64, i64)> = BTreeMap::new();
    for row in &sheet_rows {
        let entry = per_member.entry(row.member_id).or_default();
        entry.0 += i64::from(row.status == "paid" || row.status == "exempt");
        entry.1 += row.due_fen;
        entry.2 += row.paid_fen;
        entry.3 = row.arrears_streak;
    }
    Ok(YearReport {
        org_id: org_id.0,
        org_name: org.name,
        year,
        months: rows
            .iter()
            .map(|r| MonthLine {
                month: r.month.clone(),
                totals: TotalsView::of(&r.totals),
            })
            .collect(),
        totals: TotalsView::of(&summed(&rows, org_id.0)),
        members: per_member
            .into_iter()
            .map(|(id, (months_paid, due, paid, streak))| MemberYear {
                member_id: id,
                member_name: names.get(&id).copied().unwrap_or("（已转出）").to_string(),
                months_paid,
                due: Fen(due).yuan(),
                paid: Fen(paid).yuan(),
                arrears_streak: streak,
            })
            .collect(),
    })
}

/// The figures recounted from the sheet rows of the node's subtree, for checking the totals.
pub async fn recount(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    month: &str,
) -> AppResult<TotalsView> {
    let month = parse_month("month", month)?;
    let path = orgs::path_of(app, org_id).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    let mut handle = app.store.acquire().await?;
    let counted =
        totals::recount(handle.conn(), &SubtreeRange::of(&path), &month.to_string()).await?;
    Ok(TotalsView::of(&counted))
}

fn workbook(title: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, title, &bold)?;
    for (c, name) in header.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *name, &bold)?;
        sheet.set_column_width(c as u16, if c == 0 { 18.0 } else { 12.0 })?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string((r + 2) as u32, c as u16, cell)?;
        }
    }
    book.save_to_buffer()
}

fn xlsx(result: Result<Vec<u8>, XlsxError>) -> AppResult<Vec<u8>> {
    result.map_err(|e| AppError::Unexpected(format!("writing dues workbook: {e}")))
}

fn totals_cells(t: &TotalsView) -> Vec<String> {
    vec![
        t.members.to_string(),
        t.due.clone(),
        t.collected.clone(),
        t.rate_shown.clone(),
        t.settled.to_string(),
        t.partial.to_string(),
        t.unpaid.to_string(),
        t.arrears.to_string(),
        t.arrears_cases.to_string(),
    ]
}

const TOTALS_HEADER: [&str; 9] = [
    "人数",
    "应交（元）",
    "实交（元）",
    "收缴率",
    "已交",
    "部分交纳",
    "未交",
    "欠交3月以上",
    "欠交6月以上",
];

pub fn sheet_xlsx(sheet: &SheetView) -> AppResult<(Vec<u8>, String)> {
    let rows = sheet
        .rows
        .iter()
        .map(|r| {
            vec![
                r.member_name.clone(),
                r.due.clone(),
                r.paid.clone(),
                r.status_label.to_string(),
                r.paid_on.clone().unwrap_or_default(),
                r.channel.clone(),
                r.receipt_no.clone(),
                r.arrears_streak.to_string(),
            ]
        })
        .collect();
    let title = format!(
        "{} {} 党费收缴表（应交 {} 元，实交 {} 元，收缴率 {}）",
        sheet.org_name, sheet.month_label, sheet.due, sheet.collected, sheet.rate_shown
    );
    let header = [
        "姓名",
        "应交（元）",
        "实交（元）",
        "状态",
        "交纳日期",
        "方式",
        "收据号",
        "连续欠交月数",
    ];
    Ok((
        xlsx(workbook(&title, &header, rows))?,
        format!("{}-{}-党费收缴表.xlsx", sheet.org_name, sheet.month),
    ))
}

pub fn summary_xlsx(summary: &SummaryView) -> AppResult<(Vec<u8>, String)> {
    let mut rows = Vec::new();
    let mut whole = vec![format!("{}（合计）", summary.org_name)];
    whole.extend(totals_cells(&summary.totals));
    rows.push(whole);
    for child in &summary.children {
        let mut row = vec![child.org_name.clone()];
        row.extend(totals_cells(&child.totals));
        rows.push(row);
    }
    let mut header = vec!["组织"];
    header.extend(TOTALS_HEADER);
    let title = format!("{} {} 党费收缴汇总", summary.org_name, summary.month_label);
    Ok((
        xlsx(workbook(&title, &header, rows))?,
        format!("{}-{}-党费汇总.xlsx", summary.org_name, summary.month),
    ))
}

pub fn year_xlsx(report: &YearReport) -> AppResult<(Vec<u8>, String)> {
    let mut rows = Vec::new();
    for line in &report.months {
        let mut row = vec![line.month.clone()];
        row.extend(totals_cells(&line.totals));
        rows.push(row);
    }
    let mut total = vec!["全年".to_string()];
    total.extend(totals_cells(&report.totals));
    rows.push(total);
    rows.push(Vec::new());
    rows.push(vec![
        "姓名".into(),
        "已交月数".into(),
        "应交（元）".into(),
        "实交（元）".into(),
        "连续欠交月数".into(),
    ]);
    for m in &report.members {
        rows.push(vec![
            m.member_name.clone(),
            m.months_paid.to_string(),
            m.due.clone(),
            m.paid.clone(),
            m.arrears_streak.to_string(),
        ]);
    }
    let mut header = vec!["月份"];
    header.extend(TOTALS_HEADER);
    let title = format!("{} {} 年党费收缴情况", report.org_name, report.year);
    Ok((
        xlsx(workbook(&title, &header, rows))?,
        format!("{}-{}年党费.xlsx", report.org_name, report.year),
    ))
}
