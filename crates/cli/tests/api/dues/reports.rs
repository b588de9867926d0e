//! Reports read the maintained totals; these must always equal a recount of the sheets.

use dangjian_store::SubtreeRange;
use dangjian_store::dues::totals;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::*;
use crate::helpers::*;
use crate::on_both_backends;

/// Compares the maintained totals of a node with a recount of its subtree's sheet rows.
async fn assert_totals_match(app: &TestApp, org: i64, month: &str) {
    let mut handle = app.store.acquire().await.expect("connection");
    let row = dangjian_store::orgs::org_by_id(handle.conn(), org)
        .await
        .expect("org")
        .expect("exists");
    let path = dangjian_domain::OrgPath::parse(&row.path).expect("path");
    let recount = totals::recount(handle.conn(), &SubtreeRange::of(&path), month)
        .await
        .expect("recount");
    let kept = totals::totals_of(handle.conn(), &[org], month, month)
        .await
        .expect("totals");
    let kept = kept.first().map(|r| r.totals).unwrap_or_default();
    assert_eq!(kept, recount, "{} {month}", row.name);
}

async fn the_committee_summary_equals_a_recount_after_many_writes(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let station = crate::orgs::org_id(&app, "站南派出所党支部").await;
    let bureau = crate::orgs::org_id(&app, "临渭公安分局党委").await;
    let (_, list) = app
        .get_json(&format!("/api/v1/members?org_id={station}&per_page=200"))
        .await;
    let members: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .take(10)
        .collect();
    let months = [
        "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04",
    ];
    for (i, member) in members.iter().enumerate() {
        let income = ["2800", "3000.01", "4500", "5000", "8000", "12000.55"][i % 6];
        set_base(
            &app,
            *member,
            "2025-11",
            if i == 9 { "学生" } else { "在职" },
            income,
            "测试",
        )
        .await;
    }
    // A deterministic but irregular history: opened months, full, partial and late payments,
    // a mid-year change and an exemption, in an order that moves streaks back and forth.
    let mut seed: u64 = 20_261_123;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for step in 0..60 {
        let member = members[next(members.len() as u64) as usize];
        let month = months[next(months.len() as u64) as usize];
        match next(5) {
            0 => {
                open(&app, station, month).await;
            }
            1 | 2 => {
                pay(
                    &app,
                    json!({
                        "member_id": member,
                        "months": [month],
                        "channel": "现金",
                        "paid_on": "2026-04-30",
                    }),
                )
                .await;
            }
            3 => {
                pay(
                    &app,
                    json!({
                        "member_id": member,
                        "months": [month],
                        "amount": "0.05",
                        "channel": "转账",
                        "paid_on": format!("{month}-01"),
                    }),
                )
                .await;
            }
            _ if step % 2 == 0 => {
                set_base(&app, member, month, "在职", "6100", "调整").await;
            }
            _ => {
                app.post_json(&format!("/api/v1/members/{member}/dues/reliefs"), &json!({
                    "kind": "exempt", "from_month": month, "to_month": month,
                    "applied_on": "2025-10-01", "decided_on": "2025-10-02", "approved_on": "2025-10-03", "decision_ref": "测试决定"
                })).await;
            }
        }
    }
    let groups: Vec<i64> = {
        let (_, orgs) = app.get_json("/api/v1/orgs").await;
        orgs.as_array()
            .expect("orgs")
            .iter()
            .filter(|o| o["parent_id"] == station)
            .filter_map(|o| o["id"].as_i64())
            .collect()
    };
    for month in months {
        for org in [bureau, station].iter().chain(groups.iter()) {
            assert_totals_match(&app, *org, month).await;
        }
    }
    let (status, summary) = app
        .get_json(&format!("/api/v1/orgs/{bureau}/dues/summary?month=2026-01"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let child = summary["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|c| c["org_id"] == station)
        .cloned()
        .expect("station");
    assert_eq!(
        child["totals"]["due_fen"], summary["totals"]["due_fen"],
        "the bureau's only branch holds all of it"
    );
    let (_, sheet) = app
        .get_json(&format!("/api/v1/orgs/{station}/dues/sheet?month=2026-01"))
        .await;
    let opened: Vec<&Value> = sheet["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["opened"] == true)
        .collect();
    let due: i64 = opened.iter().filter_map(|r| r["due_fen"].as_i64()).sum();
    let paid: i64 = opened.iter().filter_map(|r| r["paid_fen"].as_i64()).sum();
    assert_eq!(
        (
            summary["totals"]["due_fen"].as_i64(),
            summary["totals"]["collected_fen"].as_i64()
        ),
        (Some(due), Some(paid))
    );
    assert_eq!(
        summary["totals"]["members"].as_i64(),
        Some(opened.len() as i64)
    );
}

async fn reports_export_as_workbooks_and_the_year_adds_up(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let station = crate::orgs::org_id(&app, "站南派出所党支部").await;
    let committee = app.new_browser();
    committee.login(ADMIN, PASSWORD).await;
    let bureau = crate::orgs::org_id(&committee, "临渭公安分局党委").await;
    set_base(&app, zhang, "2025-01", "在职", "4500", "").await;
    pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2025-01", "2025-02", "2025-03"],
            "channel": "现金",
            "paid_on": "2025-01-10",
        }),
    )
    .await;
    let (status, year) = app
        .get_json(&format!("/api/v1/orgs/{station}/dues/year?year=2025"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(year["totals"]["collected"], "135.00");
    assert_eq!(year["months"].as_array().map(Vec::len), Some(3));
    assert_eq!(year["members"][0]["paid"], "135.00");
    for query in ["report=sheet&month=2025-02", "report=year&year=2025"] {
        let response = app
            .get(&format!("/api/v1/orgs/{station}/dues/export?{query}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        let bytes = response.bytes().await.expect("body");
        assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip: {query}");
    }
    let refused = app
        .get(&format!("/api/v1/orgs/{bureau}/dues/summary?month=2025-02"))
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "a branch secretary does not see the committee's figures"
    );
    let summary = committee
        .get(&format!(
            "/api/v1/orgs/{bureau}/dues/export?report=summary&month=2025-02"
        ))
        .await;
    assert_eq!(summary.status(), StatusCode::OK);
    let bytes = summary.bytes().await.expect("body").to_vec();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = calamine::Reader::worksheet_range_at(&mut book, 0)
        .expect("sheet")
        .expect("range");
    let text: Vec<String> = range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        text.iter().any(|c| c.contains("站南派出所党支部")) && text.contains(&"45.00".to_string()),
        "{text:?}"
    );
    let bad = app
        .get(&format!("/api/v1/orgs/{station}/dues/export?report=other"))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let page = committee
        .get(&format!("/orgs/{bureau}/dues?month=2025-02"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("党费收缴汇总") && page.contains("100.0%"),
        "the committee sees the summary"
    );
    let page = app
        .get(&format!("/orgs/{station}/dues/year?year=2025"))
        .await
        .text()
        .await
        .expect("body");
    assert!(page.contains("135.00"));
}

async fn the_secretary_records_payments_on_the_sheet_page(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let li = member_id(&app, "李红梅").await;
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    let month = this_month();
    let page = app
        .get(&format!("/members/{zhang}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        page.contains(&format!("/members/{zhang}/dues")),
        "linked from the profile"
    );
    let set = app
        .post_form(
            &format!("/members/{zhang}/dues/base"),
            &[
                ("effective_from", &format!("{}-01", &month[..4])),
                ("category", "在职"),
                ("income", "4500"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    let bad = app
        .post_form(
            &format!("/members/{li}/dues/base"),
            &[
                ("effective_from", &month),
                ("category", "在职"),
                ("income", "-5"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.expect("body").contains("不能为负数"));
    set_base(
        &app,
        li,
        &format!("{}-01", &month[..4]),
        "离退休",
        "3000",
        "",
    )
    .await;
    let opened = app
        .post_form(&format!("/orgs/{group}/dues/open"), &[("month", &month)])
        .await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let sheet = app
        .get(&format!("/orgs/{group}/dues?month={month}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        sheet.contains("收缴率 <strong id=\"sheet-rate\">0.0%"),
        "{sheet}"
    );
    let paid = app
        .post_form(
            &format!("/orgs/{group}/dues/pay"),
            &[
                ("month", &month),
                ("member_id", &zhang.to_string()),
                ("member_id", &li.to_string()),
                ("channel", "现金"),
                ("paid_on", ""),
                ("receipt_no", ""),
            ],
        )
        .await;
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    let sheet = app
        .get(&format!("/orgs/{group}/dues?month={month}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(sheet.contains("100.0%"), "{sheet}");
    let again = app
        .post_form(
            &format!("/orgs/{group}/dues/pay"),
            &[
                ("month", &month),
                ("member_id", &zhang.to_string()),
                ("channel", "现金"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.expect("body").contains("不能重复登记"));
}

async fn the_demo_has_a_sheet_to_record_on(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let plant = crate::orgs::org_id(&app, "渭南热电有限公司党委").await;
    let operations = crate::orgs::org_id(&app, "生产运营党支部").await;
    let (_, summary) = app
        .get_json(&format!("/api/v1/orgs/{plant}/dues/summary"))
        .await;
    assert_eq!(summary["totals"]["members"], 8, "{summary}");
    assert_eq!(summary["totals"]["rate"], "0.0");
    let (_, sheet) = app
        .get_json(&format!("/api/v1/orgs/{operations}/dues/sheet"))
        .await;
    assert!(
        sheet["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["opened"] == true && r["status"] == "unpaid")
    );
    assert_totals_match(&app, plant, &this_month()).await;
}

/// Issue #14: with nothing assessed a sheet has no collection rate; it never reads "应交 0.00 元，
/// 收缴率 100%".
async fn a_month_with_nothing_assessed_shows_no_rate(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let operations = crate::orgs::org_id(&app, "生产运营党支部").await;
    let month = "2001-01";
    let (status, sheet) = app
        .get_json(&format!(
            "/api/v1/orgs/{operations}/dues/sheet?month={month}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    assert_eq!(sheet["due_fen"], 0);
    assert_eq!(sheet["rate"], Value::Null);
    assert_eq!(sheet["rate_shown"], "未核定应交");
    let page = app
        .get(&format!("/orgs/{operations}/dues?month={month}"))
        .await;
    let html = scraper::Html::parse_document(&page.text().await.expect("body"));
    let rate = scraper::Selector::parse("#sheet-rate").expect("selector");
    let shown: String = html.select(&rate).flat_map(|e| e.text()).collect();
    assert_eq!(shown, "未核定应交");
}

on_both_backends!(
    a_month_with_nothing_assessed_shows_no_rate,
    the_committee_summary_equals_a_recount_after_many_writes,
    reports_export_as_workbooks_and_the_year_adds_up,
    the_secretary_records_payments_on_the_sheet_page,
    the_demo_has_a_sheet_to_record_on
);
