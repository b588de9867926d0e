//! The calculator contract other tools rely on: `dangjian dues calc` prints the amount alone on
//! its first line and exits 2 on bad input; `GET /api/v1/dues/calc` answers the four fields.

use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;

use crate::helpers::*;
use crate::on_both_backends;

/// The real binary, with no database anywhere in its environment: the calculator needs none.
fn calc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["dues", "calc"])
        .args(args)
        .env_remove("DANGJIAN_DATABASE")
        .env_remove("DANGJIAN_CONFIG")
        .env(
            "DANGJIAN_DATABASE",
            "sqlite:///nonexistent-dir/never-created.db",
        )
        .stdin(Stdio::null())
        .output()
        .expect("run dangjian")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_first_line_is_the_amount_and_nothing_else() {
    for (category, income, amount) in [
        ("在职", "4500", "45.00"),
        ("在职", "4500.5", "45.01"),
        ("在职", "4500.50", "45.01"),
        ("在职", "3000", "15.00"),
        ("在职", "3000.01", "30.00"),
        ("其他", "10000.01", "200.00"),
        ("离退休", "5000", "25.00"),
        ("离退休", "5000.01", "50.00"),
        ("学生", "0", "0.20"),
        ("下岗失业/无固定收入", "800", "0.20"),
        ("农民", "2000", "0.20"),
    ] {
        let output = calc(&["--category", category, "--income", income]);
        assert!(
            output.status.success(),
            "{category} {income}: {}",
            stderr(&output)
        );
        let out = stdout(&output);
        assert_eq!(
            out.lines().next(),
            Some(amount),
            "{category} {income}: {out}"
        );
    }
    let explained = stdout(&calc(&["--category", "在职", "--income", "4500"]));
    assert_eq!(
        explained.lines().nth(1),
        Some("税后月收入 4,500.00 元，适用 3,000–5,000 元（含）档，比例 1%，月交 45.00 元")
    );
}

#[test]
fn bad_input_exits_two_with_a_chinese_message() {
    for (args, expected) in [
        (vec!["--category", "在职", "--income", "-100"], "不能为负数"),
        (
            vec!["--category", "在职", "--income", "4500.505"],
            "两位小数",
        ),
        (
            vec!["--category", "在职", "--income", "10000000.01"],
            "10,000,000",
        ),
        (
            vec!["--category", "在职", "--income", "四千五"],
            "不是有效的金额",
        ),
        (
            vec!["--category", "公务员", "--income", "4500"],
            "未知的党费类别",
        ),
        (vec!["--category", "在职"], "请填写月收入"),
        (
            vec!["--category", "农民", "--farmer-amount", "1.50"],
            "0.20 至 1.00 元",
        ),
    ] {
        let output = calc(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stdout(&output).is_empty(),
            "no amount is printed for {args:?}"
        );
    }
}

#[test]
fn the_farmers_amount_can_be_given() {
    let output = calc(&["--category", "农民", "--farmer-amount", "0.5"]);
    assert_eq!(stdout(&output).lines().next(), Some("0.50"));
}

async fn the_api_answers_the_contract_fields(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (status, _) = app
        .get_json("/api/v1/dues/calc?category=在职&income=4500")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "signed-in users only");
    app.login(MEMBER, PASSWORD).await;
    let (status, body) = app
        .get_json("/api/v1/dues/calc?category=在职&income=4500")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        serde_json::json!({
            "amount_fen": 4500,
            "rate_permille": 10,
            "bracket": "3,000–5,000 元（含）",
            "explanation": "税后月收入 4,500.00 元，适用 3,000–5,000 元（含）档，比例 1%，月交 45.00 元",
        })
    );
    let (_, retired) = app
        .get_json("/api/v1/dues/calc?category=%E7%A6%BB%E9%80%80%E4%BC%91&income=5000.01")
        .await;
    assert_eq!(
        (
            retired["amount_fen"].as_i64(),
            retired["rate_permille"].as_i64()
        ),
        (Some(5000), Some(10))
    );
    let (_, student) = app.get_json("/api/v1/dues/calc?category=学生").await;
    assert_eq!(
        (student["amount_fen"].as_i64(), student["bracket"].as_str()),
        (Some(20), Some("固定金额"))
    );
    for (query, message) in [
        ("category=在职&income=-1", "不能为负数"),
        ("category=在职&income=4500.123", "两位小数"),
        ("category=在职&income=20000000", "10,000,000"),
        ("category=干部&income=4500", "未知的党费类别"),
        ("category=在职", "请填写月收入"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/dues/calc?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(body["code"], "invalid");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{query}: {body}"
        );
    }
}

async fn the_calculator_page_is_linked_and_explains(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(MEMBER, PASSWORD).await;
    let home = app.get("/").await.text().await.expect("body");
    assert!(
        home.contains("href=\"/dues\""),
        "the navigation links to dues"
    );
    let hub = app.get("/dues").await.text().await.expect("body");
    assert!(hub.contains("href=\"/dues/calc\""));
    let page = app.get("/dues/calc?category=在职&income=4500").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("body");
    assert!(
        page.contains("45.00") && page.contains("适用 3,000–5,000 元（含）档"),
        "{page}"
    );
    let bad = app.get("/dues/calc?category=在职&income=abc").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.expect("body").contains("不是有效的金额"));
}

async fn the_top_organization_sets_the_farmers_amount(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let bureau = crate::orgs::org_id(&app, "临渭公安分局党委").await;
    let station = crate::orgs::org_id(&app, "站南派出所党支部").await;
    let secretary = app.new_browser();
    secretary.login(SECRETARY, PASSWORD).await;
    let (_, before) = secretary.get_json("/api/v1/dues/calc?category=农民").await;
    assert_eq!(before["amount_fen"], 20, "0.20 until the province decides");
    for (org, amount, status) in [
        (bureau, "1.50", StatusCode::UNPROCESSABLE_ENTITY),
        (station, "0.50", StatusCode::UNPROCESSABLE_ENTITY),
        (bureau, "0.50", StatusCode::OK),
    ] {
        let response = app
            .post_json(
                &format!("/api/v1/orgs/{org}/dues/settings"),
                &serde_json::json!({"farmer_amount": amount}),
            )
            .await;
        assert_eq!(response.status(), status, "{org} {amount}");
    }
    let refused = secretary
        .post_json(
            &format!("/api/v1/orgs/{bureau}/dues/settings"),
            &serde_json::json!({"farmer_amount": "1"}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (_, after) = secretary.get_json("/api/v1/dues/calc?category=农民").await;
    assert_eq!(
        after["amount_fen"], 50,
        "the station is in the bureau's tree"
    );
    let page = app
        .get(&format!("/orgs/{bureau}/dues"))
        .await
        .text()
        .await
        .expect("body");
    assert!(page.contains("农民党员固定金额") && page.contains("value=\"0.50\""));
}

on_both_backends!(
    the_api_answers_the_contract_fields,
    the_calculator_page_is_linked_and_explains,
    the_top_organization_sets_the_farmers_amount
);
