//! Charts (issue #14 §4): each chart's data, read from its `data-chart` attribute, equals the table
//! beside it cell by cell; and in Chromium at phone size the chart is drawn and the page does not
//! scroll sideways.

use std::time::Duration;

use dangjian_domain::activity::compliance::CellStatus;
use fantoccini::Locator;
use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

use crate::activities::yesterday;
use crate::browser::{assert_fits_the_phone, log_in, start_browser};
use crate::dues::{member_id, pay, set_base};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;
use crate::points::{held_meeting, signed_in};

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

fn text_of(element: ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

async fn page(app: &TestApp, path: &str) -> Html {
    let answer = app.get(path).await;
    assert_eq!(answer.status(), StatusCode::OK, "{path}");
    Html::parse_document(&answer.text().await.expect("body"))
}

/// The page's charts, parsed from their `data-chart` attributes.
fn charts_of(page: &Html) -> Vec<Value> {
    page.select(&selector("[data-chart]"))
        .map(|element| {
            let json = element.value().attr("data-chart").expect("data-chart");
            serde_json::from_str(json).expect("a chart's data is JSON")
        })
        .collect()
}

fn the_chart(page: &Html, path: &str) -> Value {
    let charts = charts_of(page);
    assert_eq!(charts.len(), 1, "{path} draws one chart");
    charts.into_iter().next().expect("chart")
}

/// The cells of each body row of the table (rows of header cells left out).
fn table(page: &Html, css: &str) -> Vec<Vec<String>> {
    let table = page
        .select(&selector(css))
        .next()
        .unwrap_or_else(|| panic!("no table {css}"));
    table
        .select(&selector("tr"))
        .filter(|row| row.select(&selector("td")).next().is_some())
        .map(|row| row.select(&selector("td")).map(text_of).collect())
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v.as_str().expect("string").to_string())
        .collect()
}

/// A series' values by name: numbers, or `None` where the chart shows nothing.
fn series(chart: &Value, name: &str) -> Vec<Option<f64>> {
    chart["series"]
        .as_array()
        .expect("series")
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no series {name} in {chart}"))["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(Value::as_f64)
        .collect()
}

/// A table's number as the chart carries it: `135.00`, `93.5%`, `12`; none for text such as
/// 未核定应交 or an empty cell.
fn number(cell: &str) -> Option<f64> {
    cell.trim_end_matches('%').replace(',', "").parse().ok()
}

fn assert_close(chart: &[Option<f64>], table: &[Option<f64>], what: &str) {
    assert_eq!(chart.len(), table.len(), "{what}: as many values as rows");
    for (index, (c, t)) in chart.iter().zip(table).enumerate() {
        match (c, t) {
            (Some(c), Some(t)) => assert!((c - t).abs() < 1e-6, "{what}, row {index}: {c} ≠ {t}"),
            (None, None) => {}
            _ => panic!("{what}, row {index}: chart {c:?}, table {t:?}"),
        }
    }
}

fn column(rows: &[Vec<String>], index: usize) -> Vec<String> {
    rows.iter().map(|row| row[index].clone()).collect()
}

fn numbers(rows: &[Vec<String>], index: usize) -> Vec<Option<f64>> {
    rows.iter().map(|row| number(&row[index])).collect()
}

/// The label of a heat-map cell's level.
fn level_label(chart: &Value, cell: &Value) -> String {
    let level = cell[2].as_u64().expect("level") as usize;
    chart["levels"][level]["label"]
        .as_str()
        .expect("label")
        .to_string()
}

/// A branch's own compliance: the heat map has the table's kinds as rows and, for each kind, the
/// table's judged periods with the same status.
async fn compliance_heat_map_matches_the_table(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let path = format!("/orgs/{branch}/compliance");
    let page = page(&app, &path).await;
    let chart = the_chart(&page, &path);
    assert_eq!(chart["kind"], "heatmap");

    let rows = selector("#own-compliance tr[data-kind]");
    let mut from_table: Vec<(String, String, String)> = Vec::new();
    for row in page.select(&rows) {
        if row.value().attr("data-kind") == Some("secretary_lecture") {
            continue;
        }
        let cells: Vec<ElementRef> = row.select(&selector("td")).collect();
        let kind = text_of(cells[0]);
        for tag in cells[2].select(&selector("span.tag")) {
            let text = text_of(tag);
            let (period, status) = text.split_once('：').expect("period：status");
            // A done cell adds how many were held: 已开展（2 次）.
            let status = match status.rsplit_once('（') {
                Some((status, held)) if held.ends_with("次）") => status,
                _ => status,
            };
            from_table.push((kind.clone(), period.to_string(), status.to_string()));
        }
    }
    let kinds = strings(&chart["rows"]);
    let periods = strings(&chart["categories"]);
    let from_chart: Vec<(String, String, String)> = chart["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|cell| {
            let x = cell[0].as_u64().expect("x") as usize;
            let y = cell[1].as_u64().expect("y") as usize;
            (
                kinds[y].clone(),
                periods[x].clone(),
                level_label(&chart, cell),
            )
        })
        .collect();
    assert!(!from_table.is_empty(), "the branch owes activities");
    assert_eq!(from_chart, from_table);
}

/// A committee's compliance: the heat map's branches × kinds carry each table cell's status.
async fn committee_compliance_heat_map_matches_the_branch_table(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let bureau = org_id(&app, "临渭公安分局党委").await;
    let path = format!("/orgs/{bureau}/compliance");
    let page = page(&app, &path).await;
    let chart = the_chart(&page, &path);
    let label = |code: &str| {
        [
            CellStatus::Done,
            CellStatus::Due,
            CellStatus::Overdue,
            CellStatus::NotYet,
        ]
        .into_iter()
        .find(|status| status.code() == code)
        .map(CellStatus::label)
        .unwrap_or_else(|| panic!("a status: {code}"))
    };
    let branch_rows: Vec<ElementRef> = page
        .select(&selector("#branch-compliance tbody tr"))
        .collect();
    let names: Vec<String> = branch_rows
        .iter()
        .map(|row| text_of(row.select(&selector("td")).next().expect("name")))
        .collect();
    assert_eq!(strings(&chart["rows"]), names);
    let headers: Vec<String> = page
        .select(&selector("#branch-compliance thead th"))
        .map(text_of)
        .collect();
    assert_eq!(
        strings(&chart["categories"]),
        headers[1..headers.len() - 1].to_vec(),
        "the kinds, as the table's columns"
    );
    let mut from_table = Vec::new();
    for (y, row) in branch_rows.iter().enumerate() {
        for (x, cell) in row.select(&selector("td[data-status]")).enumerate() {
            let status = cell.value().attr("data-status").expect("status");
            from_table.push((x, y, label(status).to_string()));
        }
    }
    let from_chart: Vec<(usize, usize, String)> = chart["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|cell| {
            (
                cell[0].as_u64().expect("x") as usize,
                cell[1].as_u64().expect("y") as usize,
                level_label(&chart, cell),
            )
        })
        .collect();
    assert!(!from_table.is_empty());
    assert_eq!(from_chart, from_table);
}

/// Dues: a branch's year by month, and the committee's month by child organization.
async fn dues_charts_match_their_tables(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let station = org_id(&app, "站南派出所党支部").await;
    set_base(&app, zhang, "2025-01", "在职", "4500", "").await;
    let paid = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2025-01", "2025-02"],
            "channel": "现金",
            "paid_on": "2025-01-10",
        }),
    )
    .await;
    assert!(paid.status().is_success(), "pay");

    let path = format!("/orgs/{station}/dues/year?year=2025");
    let year = page(&app, &path).await;
    let chart = the_chart(&year, &path);
    let rows = table(&year, "#months");
    assert!(!rows.is_empty(), "the year has sheets");
    assert_eq!(strings(&chart["categories"]), column(&rows, 0));
    assert_close(&series(&chart, "应交"), &numbers(&rows, 2), "应交");
    assert_close(&series(&chart, "实交"), &numbers(&rows, 3), "实交");
    assert_close(&series(&chart, "收缴率"), &numbers(&rows, 4), "收缴率");

    let committee = signed_in(&app, ADMIN).await;
    let bureau = org_id(&committee, "临渭公安分局党委").await;
    let path = format!("/orgs/{bureau}/dues?month=2025-02");
    let summary = page(&committee, &path).await;
    let charts = charts_of(&summary);
    assert_eq!(
        charts.len(),
        2,
        "{path}: the children, then the last twelve months"
    );
    let trend = &charts[1];
    let rows = table(&summary, "#trend");
    assert_eq!(
        column(&rows, 0),
        ["2025-01", "2025-02"],
        "the months with sheets"
    );
    assert_eq!(strings(&trend["categories"]), column(&rows, 0));
    assert_close(&series(trend, "应交"), &numbers(&rows, 2), "应交");
    assert_close(&series(trend, "实交"), &numbers(&rows, 3), "实交");
    assert_close(&series(trend, "收缴率"), &numbers(&rows, 4), "收缴率");
    let chart = &charts[0];
    let rows = table(&summary, "#children");
    let names: Vec<String> = summary
        .select(&selector("#children td a"))
        .map(text_of)
        .collect();
    assert_eq!(strings(&chart["categories"]), names);
    assert_close(&series(chart, "应交"), &numbers(&rows, 2), "应交");
    assert_close(&series(chart, "实交"), &numbers(&rows, 3), "实交");
}

/// The bulletin's groups: one bar per group, its height the table's average.
async fn bulletin_group_bars_match_the_group_table(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let zhang = member_id(&app, "张伟").await;
    held_meeting(&app, &leader, &[zhang]).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let path = format!(
        "/orgs/{branch}/points/bulletin?period={}",
        &yesterday()[..4]
    );
    let bulletin = page(&app, &path).await;
    let chart = the_chart(&bulletin, &path);
    let rows = table(&bulletin, "#groups");
    assert!(!rows.is_empty(), "the branch has groups");
    assert_eq!(strings(&chart["categories"]), column(&rows, 1));
    assert_close(&series(&chart, "人均得分"), &numbers(&rows, 3), "人均得分");
    assert!(
        series(&chart, "人均得分").iter().all(Option::is_some),
        "every group has members, so an average: {chart}"
    );
}

/// 发展党员: the funnel's stages and counts are the table's.
async fn development_funnel_matches_the_stage_counts(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let path = format!("/orgs/{branch}/development");
    let board = page(&app, &path).await;
    let chart = the_chart(&board, &path);
    assert_eq!(chart["kind"], "funnel");
    let rows = table(&board, "#stage-counts");
    assert_eq!(rows.len(), 5, "five stages");
    assert_eq!(strings(&chart["categories"]), column(&rows, 0));
    assert_close(&series(&chart, "人数"), &numbers(&rows, 1), "人数");
    let headings: Vec<String> = board.select(&selector("h2 small")).map(text_of).collect();
    let counted: Vec<String> = rows.iter().map(|r| format!("{} 人", r[1])).collect();
    assert_eq!(
        headings, counted,
        "each stage's heading counts the same people"
    );
}

/// 效能考核: each stacked part is the table's component under its weight.
async fn assessment_stacks_match_the_score_table(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let bureau = org_id(&app, "临渭公安分局党委").await;
    let path = format!("/orgs/{bureau}/assessment");
    let scores = page(&app, &path).await;
    let chart = the_chart(&scores, &path);
    assert_eq!(chart["kind"], "stacked_bar");
    let weight = |name: &str| -> f64 {
        scores
            .select(&selector(&format!("input[name={name}]")))
            .next()
            .and_then(|input| input.value().attr("value"))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("weight {name}"))
    };
    let rows = table(&scores, "#scores");
    assert!(!rows.is_empty());
    assert_eq!(strings(&chart["categories"]), column(&rows, 0));
    for (name, field, index) in [
        ("组织生活", "compliance", 2),
        ("出勤", "attendance", 3),
        ("积分", "points", 5),
        ("党费", "dues", 6),
    ] {
        let w = weight(field);
        let expected: Vec<Option<f64>> = numbers(&rows, index)
            .into_iter()
            .map(|pct| pct.map(|p| p * w / 100.0))
            .collect();
        assert_close(&series(&chart, name), &expected, name);
    }
}

/// The committee's dashboard: per branch compliance, dues rate and average points.
async fn committee_dashboard_matches_its_branch_table(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let bureau = org_id(&app, "临渭公安分局党委").await;
    let org_page = page(&app, &format!("/orgs/{bureau}")).await;
    let link = format!("/orgs/{bureau}/dashboard");
    assert!(
        org_page
            .select(&selector("a[href]"))
            .any(|a| a.value().attr("href") == Some(link.as_str())),
        "the committee's page links its dashboard"
    );
    let dashboard = page(&app, &link).await;
    let charts = charts_of(&dashboard);
    assert_eq!(charts.len(), 2, "rates, then average points");
    let rows = table(&dashboard, "#branches");
    assert!(!rows.is_empty());
    for chart in &charts {
        assert_eq!(strings(&chart["categories"]), column(&rows, 0));
    }
    assert_close(
        &series(&charts[0], "组织生活落实率"),
        &numbers(&rows, 2),
        "组织生活落实率",
    );
    assert_close(
        &series(&charts[0], "党费收缴率"),
        &numbers(&rows, 3),
        "党费收缴率",
    );
    assert_close(
        &series(&charts[1], "人均得分"),
        &numbers(&rows, 4),
        "人均得分",
    );
}

/// Pages without a chart do not load ECharts; pages with one load it deferred, and the file is
/// served with a long cache lifetime (its version is in its name).
async fn echarts_loads_only_where_a_chart_is_drawn(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let scripts = |page: &Html| -> Vec<(String, bool)> {
        page.select(&selector("script[src]"))
            .map(|s| {
                (
                    s.value().attr("src").unwrap_or_default().to_string(),
                    s.value().attr("defer").is_some(),
                )
            })
            .collect()
    };
    let echarts = "/static/vendor/echarts-5.6.0.min.js".to_string();
    let home = page(&app, "/").await;
    assert!(!scripts(&home).iter().any(|(src, _)| *src == echarts));
    let compliance = page(&app, &format!("/orgs/{branch}/compliance")).await;
    let loaded = scripts(&compliance);
    assert!(loaded.contains(&(echarts.clone(), true)), "{loaded:?}");
    assert!(loaded.contains(&("/static/charts.js".to_string(), true)));
    assert!(
        compliance
            .select(&selector("script:not([src])"))
            .next()
            .is_none(),
        "no inline script"
    );
    let file = app.get(&echarts).await;
    assert_eq!(file.status(), StatusCode::OK);
    let cache = file
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cache.contains("immutable"), "{cache}");
    let licence = app.get("/static/vendor/echarts-5.6.0.LICENSE").await;
    assert_eq!(
        licence.status(),
        StatusCode::NOT_FOUND,
        "the licence sits beside the file in the source tree, not on the site"
    );
}

on_both_backends!(
    compliance_heat_map_matches_the_table,
    committee_compliance_heat_map_matches_the_branch_table,
    dues_charts_match_their_tables,
    bulletin_group_bars_match_the_group_table,
    development_funnel_matches_the_stage_counts,
    assessment_stacks_match_the_score_table,
    committee_dashboard_matches_its_branch_table,
    echarts_loads_only_where_a_chart_is_drawn,
);

/// At 390 px every chart page draws its charts (as SVG, sized by the CSS class) and does not
/// scroll sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_chart_draws_on_a_phone() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    set_base(&app, zhang, "2025-01", "在职", "4500", "").await;
    let paid = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2025-01", "2025-02"],
            "channel": "现金",
            "paid_on": "2025-01-10",
        }),
    )
    .await;
    assert!(paid.status().is_success(), "pay");
    let branch = org_id(&app, "站南派出所党支部").await;
    let committee = signed_in(&app, ADMIN).await;
    let bureau = org_id(&committee, "临渭公安分局党委").await;
    log_in(&browser, &app, ADMIN).await;
    for path in [
        format!("/orgs/{branch}/compliance"),
        format!("/orgs/{bureau}/compliance"),
        format!("/orgs/{branch}/development"),
        format!("/orgs/{branch}/dues/year?year=2025"),
        format!("/orgs/{bureau}/dues?month=2025-02"),
        format!("/orgs/{branch}/points/bulletin"),
        format!("/orgs/{bureau}/assessment"),
        format!("/orgs/{bureau}/dashboard"),
    ] {
        browser.goto(&app.url(&path)).await.expect("open");
        let drawn = browser
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css("[data-chart][data-chart-drawn] svg"))
            .await
            .unwrap_or_else(|_| panic!("{path}: the chart is drawn"));
        let shapes = drawn
            .find_all(Locator::Css("path, rect"))
            .await
            .expect("shapes");
        assert!(shapes.len() > 4, "{path}: the chart has its shapes");
        let sizes = browser
            .execute(
                "return Array.from(document.querySelectorAll('[data-chart]')).map(function (c) { \
                 var s = c.querySelector('svg'); if (!s) { return null; } \
                 return [c.getBoundingClientRect().width, s.getBoundingClientRect().width, \
                 s.getBoundingClientRect().height]; });",
                vec![],
            )
            .await
            .expect("measure");
        for size in sizes.as_array().expect("charts") {
            assert!(!size.is_null(), "{path}: every chart is drawn");
            let container = size[0].as_f64().expect("width");
            let svg = size[1].as_f64().expect("svg width");
            assert!(
                svg <= container + 0.5,
                "{path}: {svg}px svg in {container}px"
            );
            assert!(
                size[2].as_f64().expect("height") > 200.0,
                "{path}: sized by the CSS class"
            );
        }
        assert_fits_the_phone(&browser, &path).await;
    }
    browser.close().await.expect("close browser");
}
