//! Every spreadsheet that leaves the system leaves an audit row naming who exported what
//! (issue #15), as the roster export already did; so does booking points by hand.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

/// Downloads `path` and returns the one new 导出数据 entry it left.
async fn export_and_find_its_row(app: &TestApp, path: &str) -> Value {
    let before = app.audit_actions("exported").await.len();
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"PK"), "{path} sends an .xlsx");
    let rows = app.audit_actions("exported").await;
    assert_eq!(rows.len(), before + 1, "{path} leaves one audit row");
    rows[0].clone()
}

async fn every_xlsx_export_is_audited_with_who_and_what(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let year = today().year();
    for (path, what) in [
        (
            format!("/api/v1/orgs/{branch}/dues/export?report=sheet"),
            "党费收缴表",
        ),
        (
            format!("/api/v1/orgs/{branch}/dues/export?report=summary"),
            "党费汇总",
        ),
        (
            format!("/api/v1/orgs/{branch}/dues/export?report=year&year={year}"),
            "年党费",
        ),
        (
            format!("/api/v1/orgs/{branch}/activity-ledger?period={year}"),
            "三会一课台账",
        ),
        (
            format!("/orgs/{branch}/activities.xlsx?period={year}"),
            "三会一课台账",
        ),
        (
            format!("/api/v1/orgs/{branch}/points/bulletin/export"),
            "积分通报",
        ),
        (
            format!("/api/v1/orgs/{branch}/dues/import-template?kind=bases"),
            "党费基数（预填）",
        ),
    ] {
        let row = export_and_find_its_row(&app, &path).await;
        assert_eq!(row["action_label"], "导出数据", "{row}");
        assert_eq!(row["org_id"], branch, "{row}");
        let summary = row["summary"].as_str().expect("summary");
        assert!(summary.contains(what), "{path}: {summary}");
        assert_ne!(row["actor_name"], "", "{row}");
        assert!(
            !row["request_id"].as_str().unwrap_or("").is_empty(),
            "{row}"
        );
    }
}

async fn booking_points_by_hand_is_audited(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let response = app.post_json("/api/v1/points/process", &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let rows = app.audit_actions("points_events_processed").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["action_label"], "处理积分事件");
    assert!(
        rows[0]["summary"]
            .as_str()
            .expect("summary")
            .contains("读取"),
        "{}",
        rows[0]
    );
}

on_both_backends!(
    every_xlsx_export_is_audited_with_who_and_what,
    booking_points_by_hand_is_audited
);
