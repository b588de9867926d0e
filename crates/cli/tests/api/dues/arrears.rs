//! Arrears across a year boundary, and reliefs by committee decision.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::*;
use crate::helpers::*;
use crate::on_both_backends;

async fn sheet(app: &TestApp, org: i64, month: &str) -> Value {
    let (status, sheet) = app
        .get_json(&format!("/api/v1/orgs/{org}/dues/sheet?month={month}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    sheet
}

async fn three_unpaid_months_warn_and_six_flag_the_case_across_new_year(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    set_base(&app, zhang, "2025-10", "在职", "4500", "测试").await;
    pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2025-10"],
            "channel": "现金",
            "paid_on": "2025-10-15",
        }),
    )
    .await;
    for month in ["2025-11", "2025-12"] {
        open(&app, group, month).await;
    }
    let december = row_of(&sheet(&app, group, "2025-12").await, zhang);
    assert_eq!(
        (
            december["arrears_streak"].as_i64(),
            december["arrears_label"].as_str()
        ),
        (Some(2), Some(""))
    );
    open(&app, group, "2026-01").await;
    let january = row_of(&sheet(&app, group, "2026-01").await, zhang);
    assert_eq!(
        january["arrears_streak"], 3,
        "November, December and January"
    );
    assert_eq!(january["arrears_label"], "连续欠交3个月以上");
    for month in ["2026-02", "2026-03", "2026-04"] {
        open(&app, group, month).await;
    }
    let april = row_of(&sheet(&app, group, "2026-04").await, zhang);
    assert_eq!(april["arrears_streak"], 6);
    assert!(
        april["arrears_label"]
            .as_str()
            .is_some_and(|l| l.contains("须由支部按规定处置"))
    );
    let (_, profile) = app.get_json(&format!("/api/v1/members/{zhang}")).await;
    assert_eq!(
        profile["status"], "normal",
        "a flag for the committee, never an automatic action"
    );

    let events = dues_events(&app, zhang).await;
    let arrears: Vec<&String> = events
        .iter()
        .filter(|e| e.ends_with("dues_in_arrears"))
        .collect();
    assert_eq!(
        arrears.len(),
        6,
        "November to April, once each though sheets were opened six times: {events:?}"
    );

    // December paid late (补交): the streak restarts after it.
    let late = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2025-12"],
            "channel": "现金",
            "paid_on": "2026-04-20",
        }),
    )
    .await;
    assert_eq!(late.status(), StatusCode::CREATED);
    assert_eq!(
        row_of(&sheet(&app, group, "2026-01").await, zhang)["arrears_streak"],
        1
    );
    let april = row_of(&sheet(&app, group, "2026-04").await, zhang);
    assert_eq!(
        (
            april["arrears_streak"].as_i64(),
            april["arrears_label"].as_str()
        ),
        (Some(4), Some("连续欠交3个月以上"))
    );
    let events = dues_events(&app, zhang).await;
    assert!(
        !events
            .iter()
            .any(|e| e.contains("2025-12") && e.ends_with("on_time")),
        "late is not on time"
    );
    assert_eq!(events.len(), 7, "no event twice: {events:?}");
}

async fn exemption_and_reduction_by_decision_change_what_is_due(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let li = member_id(&app, "李红梅").await;
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    set_base(&app, li, "2026-01", "离退休", "6000", "").await;
    open(&app, group, "2026-01").await;
    assert_eq!(
        row_of(&sheet(&app, group, "2026-01").await, li)["due"],
        "60.00"
    );

    let wrong_order = app.post_json(&format!("/api/v1/members/{li}/dues/reliefs"), &json!({
        "kind": "exempt", "from_month": "2026-01", "to_month": "2026-03",
        "applied_on": "2026-01-10", "decided_on": "2026-01-05", "approved_on": "2026-01-20", "decision_ref": "支委会纪要"
    })).await;
    assert_eq!(wrong_order.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let exempt = app.post_json(&format!("/api/v1/members/{li}/dues/reliefs"), &json!({
        "kind": "exempt", "from_month": "2026-01", "to_month": "2026-03",
        "applied_on": "2026-01-03", "decided_on": "2026-01-05", "approved_on": "2026-01-20", "decision_ref": "临公党〔2026〕2号"
    })).await;
    assert_eq!(exempt.status(), StatusCode::CREATED);
    let profile: Value = exempt.json().await.expect("json");
    assert_eq!(profile["reliefs"][0]["decision_ref"], "临公党〔2026〕2号");
    assert_eq!(profile["reliefs"][0]["approved_on"], "2026-01-20");
    let january = row_of(&sheet(&app, group, "2026-01").await, li);
    assert_eq!(
        (january["status"].as_str(), january["due"].as_str()),
        (Some("exempt"), Some("0.00"))
    );
    let refused = pay(
        &app,
        json!({"member_id": li, "months": ["2026-02"], "channel": "现金", "paid_on": "2026-02-01"}),
    )
    .await;
    assert_eq!(
        refused.status(),
        StatusCode::CONFLICT,
        "nothing is due in an exempt month"
    );

    let reduced = app.post_json(&format!("/api/v1/members/{li}/dues/reliefs"), &json!({
        "kind": "reduced", "amount": "10", "from_month": "2026-04", "to_month": "2026-06",
        "applied_on": "2026-03-20", "decided_on": "2026-03-25", "approved_on": "2026-04-01", "decision_ref": "临公党〔2026〕5号"
    })).await;
    assert_eq!(reduced.status(), StatusCode::CREATED);
    open(&app, group, "2026-04").await;
    assert_eq!(
        row_of(&sheet(&app, group, "2026-04").await, li)["due"],
        "10.00"
    );
    open(&app, group, "2026-07").await;
    assert_eq!(
        row_of(&sheet(&app, group, "2026-07").await, li)["due"],
        "60.00",
        "back to the bracket amount"
    );
    assert_eq!(app.audit_actions("dues_relief_recorded").await.len(), 2);
}

async fn a_mid_year_change_needs_a_reason_and_applies_from_its_month(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    set_base(&app, zhang, "2026-01", "在职", "4500", "").await;
    pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2026-02"],
            "channel": "现金",
            "paid_on": "2026-02-01",
        }),
    )
    .await;
    open(&app, group, "2026-03").await;
    let no_reason = app
        .post_json(
            &format!("/api/v1/members/{zhang}/dues/bases"),
            &json!({"effective_from": "2026-02", "category": "在职", "income": "6000"}),
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let profile = set_base(&app, zhang, "2026-02", "在职", "6000", "晋升职级").await;
    assert_eq!(
        profile["bases"].as_array().map(Vec::len),
        Some(2),
        "history kept"
    );
    assert_eq!(
        row_of(&sheet(&app, group, "2026-03").await, zhang)["due"],
        "90.00",
        "open months follow the change"
    );
    assert_eq!(
        row_of(&sheet(&app, group, "2026-02").await, zhang)["due"],
        "45.00",
        "a paid month keeps what was due"
    );
    let audit = app.audit_actions("dues_base_set").await;
    assert!(audit.iter().any(|e| {
        e["summary"]
            .as_str()
            .is_some_and(|s| s.contains("年度中途调整") && s.contains("月交 90.00 元"))
    }));
}

on_both_backends!(
    three_unpaid_months_warn_and_six_flag_the_case_across_new_year,
    exemption_and_reduction_by_decision_change_what_is_due,
    a_mid_year_change_needs_a_reason_and_applies_from_its_month
);
