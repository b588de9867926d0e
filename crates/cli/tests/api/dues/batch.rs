//! 本月全部已交 (issue #26): the secretary records a month for a whole group at once, after a
//! dry run that lists who is recorded for how much and who is skipped; the confirmation writes
//! every row and one audit entry listing them, and a bad request writes nothing.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use super::*;
use crate::helpers::*;
use crate::on_both_backends;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

/// A group where every member owes this month except three: one has paid, one paid part of it,
/// one has no base set. Returns the app (signed in as the secretary), the group, and the ids of
/// the paid, partial and unassessed members.
struct Scene {
    app: TestApp,
    group: i64,
    paid: i64,
    partial: i64,
    unassessed: i64,
    members: Vec<i64>,
}

async fn scene(backend: Backend) -> Scene {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let month = this_month();
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    let (_, list) = app
        .get_json(&format!("/api/v1/members?org_id={group}&per_page=200"))
        .await;
    let members: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .collect();
    assert!(members.len() >= 4, "the demo group is big enough: {list}");
    let (unassessed, assessed) = members.split_last().expect("members");
    for id in assessed {
        set_base(
            &app,
            *id,
            &format!("{}-01", &month[..4]),
            "在职",
            "4500",
            "",
        )
        .await;
    }
    let (paid, partial) = (assessed[0], assessed[1]);
    let one = pay(
        &app,
        json!({"member_id": paid, "months": [month], "channel": "现金"}),
    )
    .await;
    assert_eq!(one.status(), StatusCode::CREATED);
    let part = pay(
        &app,
        json!({"member_id": partial, "months": [month], "channel": "现金", "amount": "20"}),
    )
    .await;
    assert_eq!(part.status(), StatusCode::CREATED);
    Scene {
        app,
        group,
        paid,
        partial,
        unassessed: *unassessed,
        members,
    }
}

async fn sheet_of(app: &TestApp, group: i64) -> Value {
    let (status, sheet) = app
        .get_json(&format!(
            "/api/v1/orgs/{group}/dues/sheet?month={}",
            this_month()
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    sheet
}

fn ids(list: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = list
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|l| l["member_id"].as_i64())
        .collect();
    ids.sort();
    ids
}

async fn the_secretary_records_the_whole_month_after_a_dry_run(backend: Backend) {
    let Scene {
        app,
        group,
        paid,
        partial,
        unassessed,
        members,
    } = scene(backend).await;
    let path = format!("/api/v1/orgs/{group}/dues/payments/batch");
    let month = this_month();
    let before = sheet_of(&app, group).await;
    let audits_before = app.audit_actions("dues_paid").await.len();

    let dry = app
        .post_json(
            &path,
            &json!({"month": month, "channel": "转账", "dry_run": true}),
        )
        .await;
    assert_eq!(dry.status(), StatusCode::OK);
    let dry: Value = dry.json().await.expect("json");
    assert_eq!(dry["dry_run"], true);
    let mut owing: Vec<i64> = members
        .iter()
        .copied()
        .filter(|id| ![paid, unassessed].contains(id))
        .collect();
    owing.sort();
    assert_eq!(ids(&dry["lines"]), owing, "{dry}");
    let partial_line = dry["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["member_id"] == partial)
        .expect("the partial payer is listed");
    assert_eq!(
        (
            &partial_line["due"],
            &partial_line["paid_before"],
            &partial_line["amount"]
        ),
        (&json!("45.00"), &json!("20.00"), &json!("25.00")),
        "the rest of the month, not the whole amount"
    );
    let skipped: Vec<(i64, String)> = dry["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                s["member_id"].as_i64().expect("id"),
                s["reason"].as_str().expect("reason").to_string(),
            )
        })
        .collect();
    assert!(skipped.contains(&(paid, "本月已交清".to_string())), "{dry}");
    assert!(
        skipped.contains(&(unassessed, "未核定党费基数".to_string())),
        "{dry}"
    );
    assert_eq!(
        sheet_of(&app, group).await,
        before,
        "a dry run writes nothing"
    );
    assert_eq!(app.audit_actions("dues_paid").await.len(), audits_before);

    let done = app
        .post_json(
            &path,
            &json!({"month": month, "channel": "转账", "receipt_no": "PL-7",
                    "expected_total_fen": dry["total_fen"]}),
        )
        .await;
    assert_eq!(done.status(), StatusCode::CREATED);
    let done: Value = done.json().await.expect("json");
    assert_eq!(done["dry_run"], false);
    assert_eq!(ids(&done["lines"]), owing);
    assert_eq!(done["total"], dry["total"]);

    let after = sheet_of(&app, group).await;
    for id in &owing {
        let row = row_of(&after, *id);
        assert_eq!(row["status"], "paid", "{row}");
        assert_eq!(row["paid"], "45.00", "{row}");
    }
    assert_eq!(
        row_of(&after, paid)["channel"],
        "现金",
        "the paid one untouched"
    );
    assert_eq!(row_of(&after, unassessed)["status"], "none");

    let entries = app.audit_actions("dues_paid").await;
    assert_eq!(entries.len(), audits_before + 1, "one entry for the batch");
    let entry = &entries[0];
    assert_eq!(entry["entity_type"], "org");
    assert_eq!(entry["entity_id"], group.to_string());
    let listed: Vec<&str> = entry["after"]
        .as_str()
        .expect("rows listed")
        .lines()
        .collect();
    assert_eq!(listed.len(), owing.len(), "{entry}");
    for id in &owing {
        assert!(
            listed
                .iter()
                .any(|l| l.contains(&format!("（党员编号 {id}）{month}"))),
            "{id} in {entry}"
        );
    }
    assert!(
        entry["summary"]
            .as_str()
            .is_some_and(|s| s.contains("跳过 2 人")),
        "{entry}"
    );

    let again = app
        .post_json(&path, &json!({"month": month, "channel": "转账"}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.audit_actions("dues_paid").await.len(),
        audits_before + 1
    );
}

async fn a_bad_batch_is_refused_and_changes_nothing(backend: Backend) {
    let Scene {
        app,
        group,
        paid,
        partial,
        members,
        ..
    } = scene(backend).await;
    let path = format!("/api/v1/orgs/{group}/dues/payments/batch");
    let month = this_month();
    let other_group = crate::orgs::org_id(&app, "刑侦党小组").await;
    let (_, list) = app
        .get_json(&format!("/api/v1/members?org_id={other_group}&per_page=1"))
        .await;
    let neighbour = list["items"][0]["id"].as_i64().expect("a member");
    let stranger = {
        let admin = app.new_browser();
        admin.login(ADMIN, PASSWORD).await;
        let plant = crate::orgs::org_id(&admin, "生产运营党支部").await;
        let (_, list) = admin
            .get_json(&format!("/api/v1/members?org_id={plant}&per_page=1"))
            .await;
        list["items"][0]["id"].as_i64().expect("a member elsewhere")
    };
    let owing = members[2];
    let before = sheet_of(&app, group).await;
    let audits_before = app.audit_actions("dues_paid").await.len();
    let next_year = format!("{}-01", today().year() + 1);
    for (body, status, message) in [
        (
            json!({"month": month, "channel": "现金", "member_ids": [owing, 999_999]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "不在",
        ),
        (
            json!({"month": month, "channel": "现金", "member_ids": [owing, neighbour]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "不在",
        ),
        (
            json!({"month": month, "channel": "现金", "member_ids": [owing, stranger]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "不在",
        ),
        (
            json!({"month": month, "channel": "现金", "member_ids": [owing, partial, owing]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "重复",
        ),
        (
            json!({"month": next_year, "channel": "现金"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "尚未到期",
        ),
        (
            json!({"month": month, "channel": "支票"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "交纳方式",
        ),
        (
            json!({"month": month, "channel": "现金", "member_ids": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "请勾选",
        ),
        (
            json!({"month": month, "channel": "现金", "member_ids": [paid]}),
            StatusCode::CONFLICT,
            "没有要登记的党员",
        ),
        (
            json!({"month": month, "channel": "现金", "expected_total_fen": 4500}),
            StatusCode::CONFLICT,
            "确认期间收缴表有变化",
        ),
    ] {
        let response = app.post_json(&path, &body).await;
        assert_eq!(response.status(), status, "{body}");
        let answer: Value = response.json().await.expect("json");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{body}: {answer}"
        );
    }
    // The same, as a member of the group who may not record dues.
    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    let refused = member
        .post_json(&path, &json!({"month": month, "channel": "现金"}))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    assert_eq!(sheet_of(&app, group).await, before, "nothing changed");
    assert_eq!(app.audit_actions("dues_paid").await.len(), audits_before);
}

/// Without JavaScript: the sheet's 本月全部已交 button shows a confirmation listing each member
/// and amount and who is skipped; only its form records, and the sheet then shows all paid.
async fn the_sheet_form_confirms_before_it_records(backend: Backend) {
    let Scene {
        app,
        group,
        paid,
        unassessed,
        members,
        ..
    } = scene(backend).await;
    let month = this_month();
    let audits_before = app.audit_actions("dues_paid").await.len();
    let preview = app
        .post_form(
            &format!("/orgs/{group}/dues/payments/batch"),
            &[
                ("month", &month),
                ("scope", "all"),
                ("paid_on", ""),
                ("channel", "现金"),
                ("receipt_no", ""),
            ],
        )
        .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let page = Html::parse_document(&preview.text().await.expect("body"));
    let listed: Vec<String> = page
        .select(&selector("#batch-lines tbody tr td:first-child"))
        .map(|td| td.text().collect::<String>())
        .collect();
    assert_eq!(listed.len(), members.len() - 2, "{listed:?}");
    let skipped: Vec<String> = page
        .select(&selector("#batch-skipped tbody tr"))
        .map(|tr| tr.text().collect::<String>())
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped.iter().any(|s| s.contains("本月已交清")));
    assert!(skipped.iter().any(|s| s.contains("未核定党费基数")));
    assert_eq!(app.audit_actions("dues_paid").await.len(), audits_before);

    // The confirmation form carries exactly the listed members.
    let form = page
        .select(&selector("form#batch-confirm"))
        .next()
        .expect("the confirmation form");
    let fields: Vec<(String, String)> = form
        .select(&selector("input[type=hidden]"))
        .filter(|i| i.attr("name") != Some("csrf_token"))
        .map(|i| {
            (
                i.attr("name").unwrap_or_default().to_string(),
                i.attr("value").unwrap_or_default().to_string(),
            )
        })
        .collect();
    let confirmed: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "member_id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    assert_eq!(confirmed.len(), listed.len());
    assert!(!confirmed.contains(&paid) && !confirmed.contains(&unassessed));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let done = app
        .post_form(&format!("/orgs/{group}/dues/payments/batch"), &borrowed)
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let back = location(&done);
    assert!(
        back.starts_with(&format!("/orgs/{group}/dues?month={month}")),
        "{back}"
    );
    let sheet = app.get(&back).await.text().await.expect("body");
    let sheet = Html::parse_document(&sheet);
    let notice: String = sheet
        .select(&selector("p.notice"))
        .flat_map(|p| p.text())
        .collect();
    assert!(notice.contains("已登记交纳"), "{notice}");
    let unpaid_boxes = sheet
        .select(&selector("#pay-form input[type=checkbox][name=member_id]"))
        .count();
    assert_eq!(
        unpaid_boxes, 0,
        "nobody with a base owes the month any more"
    );
    assert_eq!(
        app.audit_actions("dues_paid").await.len(),
        audits_before + 1
    );

    // Nothing ticked: the sheet again, saying so.
    let empty = app
        .post_form(
            &format!("/orgs/{group}/dues/payments/batch"),
            &[
                ("month", &month),
                ("scope", "selected"),
                ("channel", "现金"),
            ],
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Html::parse_document(&empty.text().await.expect("body"));
    let alert: String = page
        .select(&selector("p.alert"))
        .flat_map(|p| p.text())
        .collect();
    assert!(alert.contains("请勾选要登记的党员"), "{alert}");
}

on_both_backends!(
    the_secretary_records_the_whole_month_after_a_dry_run,
    a_bad_batch_is_refused_and_changes_nothing,
    the_sheet_form_confirms_before_it_records,
);
