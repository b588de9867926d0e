//! Party dues (issue #6): the calculator's contract on the command line and the API, the
//! members' profiles, the monthly collection, arrears, reports and imports.

mod arrears;
mod bases_grid;
mod batch;
mod browser;
mod calc;
mod collection;
mod import;
mod prefilled;
mod reports;

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

pub async fn member_id(app: &TestApp, name: &str) -> i64 {
    let (_, list) = app
        .get_json(&format!("/api/v1/members?q={name}&per_page=200"))
        .await;
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["name"] == name)
        .and_then(|m| m["id"].as_i64())
        .unwrap_or_else(|| panic!("no {name}: {list}"))
}

pub fn this_month() -> String {
    crate::helpers::today().strftime("%Y-%m").to_string()
}

pub async fn set_base(
    app: &TestApp,
    member: i64,
    from: &str,
    category: &str,
    income: &str,
    reason: &str,
) -> Value {
    let response = app
        .post_json(
            &format!("/api/v1/members/{member}/dues/bases"),
            &json!({
                "effective_from": from,
                "category": category,
                "income": income,
                "reason": reason,
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "set base");
    response.json().await.expect("json")
}

pub async fn open(app: &TestApp, org: i64, month: &str) -> Value {
    let response = app
        .post_json(
            &format!("/api/v1/orgs/{org}/dues/sheet/open"),
            &json!({"month": month}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "open {month}");
    response.json().await.expect("json")
}

pub async fn pay(app: &TestApp, payment: Value) -> Response {
    app.post_json("/api/v1/dues/payments", &json!({"payments": [payment]}))
        .await
}

pub fn row_of(sheet: &Value, member: i64) -> Value {
    sheet["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["member_id"] == member)
        .cloned()
        .unwrap_or_else(|| panic!("member {member} not on the sheet: {sheet}"))
}

/// The source keys of a member's dues events, oldest first.
pub async fn dues_events(app: &TestApp, member: i64) -> Vec<String> {
    let mut handle = app.store.acquire().await.expect("connection");
    let mut keys: Vec<String> = dangjian_store::events::events_of_member(handle.conn(), member)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| e.kind.starts_with("dues_"))
        .map(|e| e.source_key)
        .collect();
    keys.reverse();
    keys
}
