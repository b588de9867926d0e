//! Imports that need only what the user has (issue #26): a template filled in with the
//! organization's members and keyed by 党员编号, so only what changed is typed and no ID number;
//! rows named by a name unique in the organization; an unchanged base records nothing.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::Value;

use super::import::{upload, xlsx};
use super::*;
use crate::helpers::*;
use crate::on_both_backends;

/// The template's rows as text, header first.
pub(crate) async fn prefilled(app: &TestApp, org: i64, kind: &str) -> Vec<Vec<String>> {
    let response = app
        .get(&format!(
            "/api/v1/orgs/{org}/dues/import-template?kind={kind}"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("body");
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an xlsx workbook");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

pub(crate) fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]))
}

pub(crate) fn as_file(rows: &[Vec<String>]) -> Vec<u8> {
    let borrowed: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    xlsx(&borrowed)
}

async fn bases_of(app: &TestApp, member: i64) -> Vec<Value> {
    let (status, profile) = app
        .get_json(&format!("/api/v1/members/{member}/dues"))
        .await;
    assert_eq!(status, StatusCode::OK);
    profile["bases"].as_array().expect("bases").clone()
}

async fn the_prefilled_bases_change_only_what_was_edited(backend: Backend) {
    let app = spawn_demo(backend).await;
    // The demo's 生产运营党支部 has its members' bases set since January.
    app.login(ADMIN, PASSWORD).await;
    let group = crate::orgs::org_id(&app, "运行一班党小组").await;
    let mut rows = prefilled(&app, group, "bases").await;
    let (number, name, category, base, id_number) = (
        column(&rows, "党员编号"),
        column(&rows, "姓名"),
        column(&rows, "党费类别"),
        column(&rows, "月基数"),
        column(&rows, "身份证号"),
    );
    assert!(rows.len() > 3, "one row per member of the group: {rows:?}");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.get(id_number).is_none_or(String::is_empty)),
        "no ID number leaves in the template"
    );
    let (_, sheet) = app
        .get_json(&format!(
            "/api/v1/orgs/{group}/dues/sheet?month={}",
            this_month()
        ))
        .await;
    for row in &rows[1..] {
        let member: i64 = row[number].parse().expect("a 党员编号");
        assert_eq!(row_of(&sheet, member)["member_name"], row[name].as_str());
    }
    let edited = rows[1..]
        .iter()
        .position(|r| !r[category].is_empty() && !r[base].is_empty() && r[category] == "在职")
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("a member with an employed base: {rows:?}"));
    let member: i64 = rows[edited][number].parse().expect("number");
    let others: Vec<i64> = rows[1..]
        .iter()
        .map(|r| r[number].parse().expect("number"))
        .filter(|m| *m != member)
        .collect();
    let mut before = Vec::new();
    for m in &others {
        before.push(bases_of(&app, *m).await.len());
    }
    let history = bases_of(&app, member).await.len();
    rows[edited][base] = "9000".into();
    let reason = column(&rows, "调整原因");
    if let Some(cell) = rows[edited].get_mut(reason) {
        *cell = "工资调整".into();
    } else {
        rows[edited].resize(reason + 1, String::new());
        rows[edited][reason] = "工资调整".into();
    }

    let imported = upload(&app, "bases", group, as_file(&rows)).await;
    assert_eq!(
        imported.status(),
        StatusCode::OK,
        "{:?}",
        imported.text().await
    );
    let now = bases_of(&app, member).await;
    assert_eq!(now.len(), history + 1, "the edited base recorded: {now:?}");
    for (m, count) in others.iter().zip(&before) {
        assert_eq!(
            bases_of(&app, *m).await.len(),
            *count,
            "member {m} left as it was"
        );
    }
}

async fn payments_name_members_by_number_or_unique_name(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let group = crate::orgs::org_id(&app, "运行二班党小组").await;
    let mut rows = prefilled(&app, group, "payments").await;
    assert!(rows.len() > 2, "members owe this month: {rows:?}");
    let (number, channel, month) = (
        column(&rows, "党员编号"),
        column(&rows, "方式"),
        column(&rows, "月份"),
    );
    assert!(rows[1..].iter().all(|r| r[month] == this_month()));
    let left_out: i64 = rows.pop().expect("a row")[number].parse().expect("number");
    for row in rows.iter_mut().skip(1) {
        row[channel] = "现金".into();
    }
    let paid: Vec<i64> = rows[1..]
        .iter()
        .map(|r| r[number].parse().expect("number"))
        .collect();
    let imported = upload(&app, "payments", group, as_file(&rows)).await;
    assert_eq!(
        imported.status(),
        StatusCode::OK,
        "{:?}",
        imported.text().await
    );
    let (_, sheet) = app
        .get_json(&format!(
            "/api/v1/orgs/{group}/dues/sheet?month={}",
            this_month()
        ))
        .await;
    for m in &paid {
        assert_eq!(row_of(&sheet, *m)["status"], "paid", "member {m}");
    }
    assert_ne!(
        row_of(&sheet, left_out)["status"],
        "paid",
        "the deleted row is not paid"
    );

    // By name alone, where the name is unique; an unknown name refuses the whole file.
    let name = row_of(&sheet, left_out)["member_name"]
        .as_str()
        .expect("name")
        .to_string();
    let month = this_month();
    let by_name = vec![
        vec!["姓名", "月份", "方式"],
        vec![name.as_str(), month.as_str(), "线上"],
        vec!["查无此人", month.as_str(), "线上"],
    ];
    let refused = upload(&app, "payments", group, xlsx(&by_name)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = refused.json().await.expect("json");
    assert_eq!(report["errors"][0]["row"], 3, "{report}");
    assert_eq!(report["errors"][0]["column"], "姓名");
    let (_, unchanged) = app
        .get_json(&format!(
            "/api/v1/orgs/{group}/dues/sheet?month={}",
            this_month()
        ))
        .await;
    assert_ne!(
        row_of(&unchanged, left_out)["status"],
        "paid",
        "nothing written"
    );
    let imported = upload(&app, "payments", group, xlsx(&by_name[..2])).await;
    assert_eq!(imported.status(), StatusCode::OK);
    let (_, sheet) = app
        .get_json(&format!(
            "/api/v1/orgs/{group}/dues/sheet?month={}",
            this_month()
        ))
        .await;
    assert_eq!(row_of(&sheet, left_out)["status"], "paid");

    // A number from another organization is refused as not in this one.
    let other = crate::orgs::org_id(&app, "运行一班党小组").await;
    let stranger = prefilled(&app, other, "bases").await[1][0].clone();
    let foreign = vec![
        vec!["党员编号", "月份", "方式"],
        vec![stranger.as_str(), month.as_str(), "现金"],
    ];
    let refused = upload(&app, "payments", group, xlsx(&foreign)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = refused.json().await.expect("json");
    assert_eq!(report["errors"][0]["column"], "党员编号", "{report}");
}

on_both_backends!(
    the_prefilled_bases_change_only_what_was_edited,
    payments_name_members_by_number_or_unique_name
);
