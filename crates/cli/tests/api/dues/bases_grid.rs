//! 党费基数一览 (issue #26): the organization's bases edited in one place, saved together after a
//! confirmation listing the changes; unchanged rows record nothing, a bad row refuses all.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

async fn base_count(app: &TestApp, member: i64) -> usize {
    let (_, profile) = app
        .get_json(&format!("/api/v1/members/{member}/dues"))
        .await;
    profile["bases"].as_array().expect("bases").len()
}

async fn the_grid_saves_only_what_changed_in_one_audited_step(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let group = crate::orgs::org_id(&app, "运行一班党小组").await;
    let path = format!("/api/v1/orgs/{group}/dues/bases");
    let (status, grid) = app.get_json(&path).await;
    assert_eq!(status, StatusCode::OK);
    let rows = grid["rows"].as_array().expect("rows").clone();
    assert!(rows.len() > 2, "{grid}");
    let edited = rows
        .iter()
        .position(|r| r["category"] == "在职")
        .expect("an employed member");
    let member = rows[edited]["member_id"].as_i64().expect("id");
    let mut edits: Vec<Value> = rows
        .iter()
        .map(|r| json!({"member_id": r["member_id"], "category": r["category"], "base": r["base"]}))
        .collect();
    edits[edited]["base"] = json!("12000");
    let counts_before = {
        let mut counts = Vec::new();
        for r in &rows {
            counts.push(base_count(&app, r["member_id"].as_i64().expect("id")).await);
        }
        counts
    };
    let audits = app.audit_actions("dues_base_set").await.len();
    let body = |confirm: bool, edits: &[Value]| json!({"effective_from": format!("{}-01", today().year()), "rows": edits, "confirm": confirm});

    let preview = app.post_json(&path, &body(false, &edits)).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview: Value = preview.json().await.expect("json");
    let changes = preview["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "only the edited row changes: {preview}");
    assert!(
        changes[0]
            .as_str()
            .is_some_and(|c| c.contains(&format!("党员编号 {member}")))
    );
    assert_eq!(
        base_count(&app, member).await,
        counts_before[edited],
        "a preview writes nothing"
    );

    // A bad row refuses the whole grid, naming the row.
    let mut bad = edits.clone();
    let other = (edited + 1) % bad.len();
    bad[other]["category"] = json!("不存在的类别");
    let refused = app.post_json(&path, &body(true, &bad)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = refused.json().await.expect("json");
    assert_eq!(report["errors"][0]["row"], other as u64 + 2, "{report}");
    assert_eq!(base_count(&app, member).await, counts_before[edited]);

    let saved = app.post_json(&path, &body(true, &edits)).await;
    assert_eq!(saved.status(), StatusCode::CREATED);
    for (r, before) in rows.iter().zip(&counts_before) {
        let id = r["member_id"].as_i64().expect("id");
        let want = if id == member { before + 1 } else { *before };
        assert_eq!(base_count(&app, id).await, want, "member {id}");
    }
    let entries = app.audit_actions("dues_base_set").await;
    assert_eq!(entries.len(), audits + 1, "one entry for the grid");
    assert_eq!(
        entries[0]["after"].as_str().expect("rows").lines().count(),
        1
    );
    let (_, grid) = app.get_json(&path).await;
    assert_eq!(grid["rows"][edited]["base"], "12000.00");

    let nothing = app.post_json(&path, &body(true, &edits)).await;
    assert_eq!(
        nothing.status(),
        StatusCode::CONFLICT,
        "saved again: no change"
    );
    assert_eq!(
        app.audit_actions("dues_base_set").await.len(),
        audits + 1,
        "nothing changed, nothing audited"
    );
    let member_account = signed_in_member(&app).await;
    let forbidden = member_account.post_json(&path, &body(true, &edits)).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
}

async fn signed_in_member(app: &TestApp) -> TestApp {
    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    member
}

/// The page: the sheet links to the grid; one changed field leads to a confirmation listing it,
/// whose button saves it.
async fn the_grid_page_checks_then_saves(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let group = crate::orgs::org_id(&app, "运行二班党小组").await;
    let sheet = Html::parse_document(
        &app.get(&format!("/orgs/{group}/dues"))
            .await
            .text()
            .await
            .expect("body"),
    );
    let link = sheet
        .select(&selector("a#bases-grid-link"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("the sheet links to the grid")
        .to_string();
    let page = Html::parse_document(&app.get(&link).await.text().await.expect("body"));
    let mut fields: Vec<(String, String)> = Vec::new();
    for input in page.select(&selector("form#bases-grid input, form#bases-grid select")) {
        let element = input.value();
        let Some(name) = element.attr("name") else {
            continue;
        };
        if name == "csrf_token" {
            continue;
        }
        let value = if element.name() == "select" {
            input
                .select(&selector("option[selected]"))
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_string()
        } else {
            element.attr("value").unwrap_or_default().to_string()
        };
        fields.push((name.to_string(), value));
    }
    let rows = page.select(&selector("#bases tbody tr")).count();
    assert_eq!(
        fields.iter().filter(|(k, _)| k == "member_id").count(),
        rows
    );
    let first_base = fields
        .iter()
        .position(|(k, v)| k == "base" && !v.is_empty())
        .expect("a base in force");
    fields[first_base].1 = "7777".into();
    // This month is the default 生效月份; a change in the middle of the year says why.
    let reason = fields
        .iter()
        .position(|(k, _)| k == "reason")
        .expect("a reason field");
    fields[reason].1 = "工资调整".into();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let target = format!("/orgs/{group}/dues/bases");
    let confirm = app.post_form(&target, &borrowed).await;
    assert_eq!(confirm.status(), StatusCode::OK);
    let confirm = Html::parse_document(&confirm.text().await.expect("body"));
    assert_eq!(confirm.select(&selector("#bases-changes li")).count(), 1);
    let mut again = borrowed.clone();
    again.push(("confirm", "1"));
    let saved = app.post_form(&target, &again).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(location(&saved).contains("notice=dues_base_set"));
    let (_, grid) = app
        .get_json(&format!("/api/v1/orgs/{group}/dues/bases"))
        .await;
    assert!(
        grid["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .any(|r| r["base"] == "7777.00"),
        "{grid}"
    );
}

on_both_backends!(
    the_grid_saves_only_what_changed_in_one_audited_step,
    the_grid_page_checks_then_saves
);
