//! The secretary's story: set bases, open the month, record payments; refusals change nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::*;
use crate::helpers::*;
use crate::on_both_backends;

async fn the_secretary_collects_a_month_and_a_second_payment_is_refused(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let month = this_month();
    set_base(
        &app,
        zhang,
        &format!("{}-01", &month[..4]),
        "在职",
        "4500",
        "",
    )
    .await;
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    let sheet = open(&app, group, &month).await;
    let row = row_of(&sheet, zhang);
    assert_eq!(
        (row["due"].as_str(), row["status"].as_str()),
        (Some("45.00"), Some("unpaid"))
    );

    let paid = pay(
        &app,
        json!({"member_id": zhang, "months": [month], "channel": "转账", "receipt_no": "DF-001"}),
    )
    .await;
    assert_eq!(paid.status(), StatusCode::CREATED);
    let paid: Value = paid.json().await.expect("json");
    assert_eq!(paid["months"][0]["status"], "paid");
    assert_eq!(paid["total"], "45.00");
    let twice = pay(
        &app,
        json!({"member_id": zhang, "months": [month], "channel": "现金"}),
    )
    .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert!(
        twice.json::<Value>().await.expect("json")["message"]
            .as_str()
            .is_some_and(|m| m.contains("不能重复登记"))
    );

    let events = dues_events(&app, zhang).await;
    assert_eq!(
        events,
        vec![format!("dues:{month}:member:{zhang}:dues_paid_on_time")],
        "one event for the month"
    );
    // Issue #14: the fact happened today, not on the month's last day still ahead.
    let dated: Vec<String> = {
        let mut handle = app.store.acquire().await.expect("connection");
        dangjian_store::events::events_of_member(handle.conn(), zhang)
            .await
            .expect("events")
            .into_iter()
            .filter(|e| e.kind == "dues_paid_on_time" && e.source_key.contains(&month))
            .map(|e| e.occurred_on)
            .collect()
    };
    assert_eq!(dated, vec![crate::helpers::today().to_string()]);
    assert_eq!(
        app.audit_actions("dues_paid").await.len(),
        1,
        "the refused payment wrote nothing"
    );
}

async fn months_outside_membership_and_bad_input_are_refused(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let (_, profile) = app.get_json(&format!("/api/v1/members/{zhang}")).await;
    let joined: jiff::civil::Date = profile["joined_on"]
        .as_str()
        .expect("joined")
        .parse()
        .expect("date");
    let joined_month = joined.strftime("%Y-%m").to_string();
    let before = joined
        .first_of_month()
        .saturating_sub(jiff::ToSpan::days(1))
        .strftime("%Y-%m")
        .to_string();
    set_base(&app, zhang, &before, "在职", "4500", "入党前的测试基数").await;
    for (payment, message) in [
        (
            json!({"member_id": zhang, "months": [before], "channel": "现金"}),
            "入党前",
        ),
        (
            json!({"member_id": zhang, "months": [joined_month], "channel": "支票"}),
            "交纳方式",
        ),
        (
            json!({"member_id": zhang, "months": [joined_month], "channel": "现金", "amount": "-1"}),
            "不能为负数",
        ),
        (
            json!({
                "member_id": zhang,
                "months": [joined_month],
                "channel": "现金",
                "amount": "45.001",
            }),
            "两位小数",
        ),
        (
            json!({"member_id": zhang, "months": [joined_month], "channel": "现金", "amount": "46"}),
            "自愿多交",
        ),
        (
            json!({"member_id": zhang, "months": ["2026-13"], "channel": "现金"}),
            "不是有效的月份",
        ),
        (
            json!({"member_id": zhang, "months": ["2999-01"], "channel": "现金"}),
            "尚未到期",
        ),
        (
            json!({"member_id": zhang, "months": [joined_month, joined_month], "channel": "现金"}),
            "重复",
        ),
    ] {
        let response = pay(&app, payment.clone()).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{payment}"
        );
        let body: Value = response.json().await.expect("json");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{payment}: {body}"
        );
    }
    let (_, dues) = app
        .get_json(&format!(
            "/api/v1/members/{zhang}/dues?year={}",
            &joined_month[..4]
        ))
        .await;
    assert_eq!(
        dues["months"].as_array().map(Vec::len),
        Some(0),
        "nothing was recorded"
    );

    // Transferred out with a letter: months after leaving are refused, the month itself is not.
    set_base(&app, zhang, &joined_month, "在职", "4500", "入党当月").await;
    let left_on = jiff::civil::date(2026, 2, 10);
    let out = app
        .post_json(
            "/api/v1/transfers/out",
            &json!({
                "member_id": zhang,
                "counterpart": "外单位党委",
                "letter_no": "转〔2026〕1号",
                "issued_on": left_on.to_string(),
            }),
        )
        .await;
    assert_eq!(out.status(), StatusCode::CREATED);
    let after = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2026-03"],
            "channel": "现金",
            "paid_on": "2026-03-05",
        }),
    )
    .await;
    assert_eq!(after.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        after.json::<Value>().await.expect("json")["message"]
            .as_str()
            .is_some_and(|m| m.contains("已于 2026年2月 离开"))
    );
    let last = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2026-02"],
            "channel": "现金",
            "paid_on": "2026-02-05",
        }),
    )
    .await;
    assert_eq!(
        last.status(),
        StatusCode::CREATED,
        "the month they left is still theirs"
    );
}

async fn several_months_at_once_are_recorded_each_and_partial_is_its_own_state(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    set_base(&app, zhang, "2025-10", "在职", "4500", "测试").await;
    let paid = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2025-11", "2025-10", "2025-12"],
            "channel": "现金",
            "paid_on": "2025-10-08",
        }),
    )
    .await;
    assert_eq!(paid.status(), StatusCode::CREATED);
    let paid: Value = paid.json().await.expect("json");
    let months: Vec<&str> = paid["months"]
        .as_array()
        .expect("months")
        .iter()
        .filter_map(|m| m["month"].as_str())
        .collect();
    assert_eq!(
        months,
        ["2025-10", "2025-11", "2025-12"],
        "one row per month"
    );
    assert_eq!(paid["total"], "135.00");

    let part = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2026-01"],
            "amount": "20",
            "channel": "现金",
            "paid_on": "2026-01-10",
        }),
    )
    .await;
    let part: Value = part.json().await.expect("json");
    assert_eq!(
        (
            part["months"][0]["status"].as_str(),
            part["months"][0]["status_label"].as_str()
        ),
        (Some("partial"), Some("部分交纳"))
    );
    let too_much = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2026-01"],
            "amount": "30",
            "channel": "现金",
            "paid_on": "2026-02-03",
        }),
    )
    .await;
    assert_eq!(too_much.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let rest = pay(
        &app,
        json!({
            "member_id": zhang,
            "months": ["2026-01"],
            "amount": "25",
            "channel": "现金",
            "paid_on": "2026-02-03",
        }),
    )
    .await;
    let rest: Value = rest.json().await.expect("json");
    assert_eq!(
        (
            rest["months"][0]["status"].as_str(),
            rest["months"][0]["paid"].as_str()
        ),
        (Some("paid"), Some("45.00"))
    );
    let events = dues_events(&app, zhang).await;
    assert!(
        events.contains(&format!("dues:2026-01:member:{zhang}:dues_in_arrears")),
        "finished after the month ended: {events:?}"
    );
    assert!(!events.contains(&format!("dues:2026-01:member:{zhang}:dues_paid_on_time")));
    assert_eq!(
        events
            .iter()
            .filter(|e| e.contains(":dues_paid_on_time"))
            .count(),
        3,
        "Oct–Dec paid ahead, on time"
    );
}

async fn a_member_sees_only_their_own_dues(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let li = member_id(&app, "李红梅").await;
    // A January that has passed, so both dates below lie in the past (this year's from February).
    let year = &crate::helpers::today()
        .saturating_sub(jiff::ToSpan::month(1))
        .year()
        .to_string();
    set_base(&app, zhang, &format!("{year}-01"), "在职", "4500", "").await;
    pay(
        &app,
        json!({
            "member_id": zhang,
            "months": [format!("{year}-01")],
            "channel": "线上",
            "paid_on": format!("{year}-01-15"),
        }),
    )
    .await;
    let extra = app
        .post_json(
            &format!("/api/v1/members/{zhang}/dues/extras"),
            &json!({
                "kind": "special",
                "amount": "500",
                "paid_on": format!("{year}-01-20"),
                "purpose": "抗震救灾",
                "channel": "转账",
            }),
        )
        .await;
    assert_eq!(extra.status(), StatusCode::CREATED);

    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    let (status, mine) = member
        .get_json(&format!("/api/v1/dues/mine?year={year}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["member_name"], "张伟");
    assert_eq!(mine["year_paid"], "45.00", "the bracket dues");
    assert_eq!(mine["year_extras"], "500.00", "special dues are kept apart");
    assert_eq!(mine["current"]["amount"], "45.00");
    assert_eq!(mine["can_manage"], false);
    let (status, _) = member.get_json(&format!("/api/v1/members/{li}/dues")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refused = member
        .post_json(
            &format!("/api/v1/members/{zhang}/dues/bases"),
            &json!({"effective_from": "2026-01", "category": "学生"}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

on_both_backends!(
    the_secretary_collects_a_month_and_a_second_payment_is_refused,
    months_outside_membership_and_bad_input_are_refused,
    several_months_at_once_are_recorded_each_and_partial_is_its_own_state,
    a_member_sees_only_their_own_dues
);
