use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

/// The first run of `[a-z]+_[a-z]+` in the text: a code such as `login_failed` left for people
/// to read.
fn first_code(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_lowercase() || c == '_'))
        .find(|run| {
            let bytes = run.as_bytes();
            (1..bytes.len().saturating_sub(1)).any(|i| {
                bytes[i] == b'_'
                    && bytes[i - 1].is_ascii_lowercase()
                    && bytes[i + 1].is_ascii_lowercase()
            })
        })
        .map(str::to_string)
}

/// The visible text of the page's `main`.
fn main_text(html: &str) -> String {
    let page = scraper::Html::parse_document(html);
    let main = scraper::Selector::parse("main").expect("selector");
    page.select(&main)
        .next()
        .expect("a main element")
        .text()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The texts of one column of the audit table (1-based), for every row on the page.
fn column(html: &str, n: usize) -> Vec<String> {
    let page = scraper::Html::parse_document(html);
    let cells = scraper::Selector::parse(&format!("main table tbody tr td:nth-child({n})"))
        .expect("selector");
    page.select(&cells)
        .map(|td| td.text().collect::<String>().trim().to_string())
        .collect()
}

async fn audit_filters_and_scope(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    app.new_browser().login_api(MEMBER, "wrong-pass1").await;
    let (status, all) = app.get_json("/api/v1/audit?per_page=200").await;
    assert_eq!(status, StatusCode::OK);
    let total = all["total"].as_i64().expect("total");
    assert!(total >= 3, "demo load, admin login, failed login: {all}");
    let (_, by_actor) = app.get_json("/api/v1/audit?actor=张").await;
    assert!(
        by_actor["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|e| e["actor_name"] == "张伟")
    );
    assert_eq!(by_actor["total"], 1);
    let (_, by_type) = app.get_json("/api/v1/audit?entity_type=installation").await;
    assert_eq!(by_type["total"], 1, "the demo load");
    let today = crate::helpers::today();
    let (_, today_only) = app
        .get_json(&format!("/api/v1/audit?from={today}&to={today}"))
        .await;
    assert_eq!(today_only["total"], total);
    let tomorrow = today.tomorrow().expect("date");
    let (_, future) = app
        .get_json(&format!("/api/v1/audit?from={tomorrow}"))
        .await;
    assert_eq!(future["total"], 0);
    let (status, bad) = app.get_json("/api/v1/audit?from=2026-13-45").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad["message"]
            .as_str()
            .expect("message")
            .contains("日期格式")
    );

    // The branch secretary sees the branch's entries, not the installation-wide ones.
    let secretary = app.new_browser();
    secretary.login(SECRETARY, PASSWORD).await;
    let (status, scoped) = secretary.get_json("/api/v1/audit?per_page=200").await;
    assert_eq!(status, StatusCode::OK);
    let items = scoped["items"].as_array().expect("items");
    assert!(
        items.iter().any(|e| e["actor_name"] == "张伟"),
        "the member's failed login is in the branch"
    );
    assert!(
        items
            .iter()
            .all(|e| e["actor_name"] != "系统管理员" && e["action"] != "demo_loaded"),
        "{scoped}"
    );

    let page = app.get("/admin/audit?actor=张伟").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("body");
    assert!(column(&html, 3).iter().any(|action| action == "登录失败"));
}

#[test]
fn a_code_is_found_and_chinese_is_not() {
    assert_eq!(
        first_code("登录 login_failed 账号"),
        Some("login_failed".into())
    );
    assert_eq!(first_code("a_b"), Some("a_b".into()));
    assert_eq!(first_code("登录失败 API 令牌 _x x_ 2026_01"), None);
}

/// Whatever was done, people read Chinese on the audit page: operations, object kinds and
/// before/after details, never a code or Rust's debug text.
async fn the_audit_page_speaks_chinese(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let group = org_id(&app, "综合党小组").await;
    let created = app
        .post_json(
            "/api/v1/accounts",
            &json!({"phone": "13900002222", "name": "钱七", "role": "member", "org_id": group}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let account = created.json::<Value>().await.expect("json")["account"]["id"]
        .as_i64()
        .expect("id");
    app.new_browser().login_api(MEMBER, "wrong-pass1").await;
    let reset = app
        .post_json(
            &format!("/api/v1/accounts/{account}/reset-password"),
            &json!({}),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    // An edit and a move of an organization: their details once showed `Some(5)` and `/1/5/`.
    let bureau = org_id(&app, "临渭公安分局党委").await;
    let branch = app
        .post_json(
            "/api/v1/orgs",
            &json!({"parent_id": bureau, "kind": "branch", "name": "临时专班党支部"}),
        )
        .await
        .json::<Value>()
        .await
        .expect("json")["id"]
        .as_i64()
        .expect("id");
    let edited = app
        .client
        .put(app.url(&format!("/api/v1/orgs/{branch}")))
        .header("x-csrf-token", app.csrf().await)
        .json(&json!({"name": "专班临时党支部", "is_temporary": true, "term_years": 3}))
        .send()
        .await
        .expect("req");
    assert_eq!(edited.status(), StatusCode::OK);
    let other = org_id(&app, "渭南热电有限公司党委").await;
    let moved = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/move"),
            &json!({"parent_id": other}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);

    let (_, all) = app.get_json("/api/v1/audit?per_page=200").await;
    let total = all["total"].as_i64().expect("total");
    let mut actions = Vec::new();
    for page in 1..=(total + 199) / 200 {
        let html = app
            .get(&format!("/admin/audit?per_page=200&page={page}"))
            .await
            .text()
            .await
            .expect("body");
        let text = main_text(&html);
        assert_eq!(first_code(&text), None, "a code on page {page}: {text}");
        for debug in ["Some(", "None"] {
            assert!(!text.contains(debug), "{debug} on page {page}: {text}");
        }
        actions.extend(column(&html, 3));
    }
    for expected in [
        "新建账号",
        "登录失败",
        "重置密码",
        "修改组织",
        "调整组织隶属关系",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }

    // The API keeps the codes for programs and adds what people read.
    let items = all["items"].as_array().expect("items");
    let account_key = account.to_string();
    let created_entry = items
        .iter()
        .find(|e| e["action"] == "account_created" && e["entity_id"] == account_key.as_str())
        .expect("the account's creation");
    assert_eq!(created_entry["action_label"], "新建账号");
    assert_eq!(created_entry["entity_type"], "account");
    assert_eq!(created_entry["entity_label"], "账号");
    assert_eq!(created_entry["after"], "角色=党员，组织=综合党小组");
    let edit = items
        .iter()
        .find(|e| e["action"] == "org_updated")
        .expect("the edit");
    assert_eq!(
        edit["after"],
        "名称=专班临时党支部；联合党支部=否；临时党支部=是；任期=3 年"
    );
    let moved = items
        .iter()
        .find(|e| e["action"] == "org_moved")
        .expect("the move");
    assert_eq!(moved["before"], "上级组织=临渭公安分局党委");
    assert_eq!(moved["after"], "上级组织=渭南热电有限公司党委");
    for entry in items {
        assert!(
            entry["action_label"]
                .as_str()
                .is_some_and(|l| !l.is_empty())
        );
        assert_ne!(entry["action_label"], "其他操作", "{entry}");
        assert_ne!(entry["entity_label"], "其他对象", "{entry}");
    }
}

async fn nobody_can_rewrite_the_audit_log(backend: Backend) {
    let app = spawn_demo(backend).await;
    let store = &app.store;
    let mut tx = store
        .begin_at(crate::helpers::now().as_microsecond())
        .await
        .expect("tx");
    let result = match tx.conn() {
        dangjian_store::Conn::Sqlite(c) => sqlx::query("UPDATE audit_log SET summary = 'forged'")
            .execute(c)
            .await
            .map(|_| ()),
        dangjian_store::Conn::Postgres(c) => sqlx::query("UPDATE audit_log SET summary = 'forged'")
            .execute(c)
            .await
            .map(|_| ()),
    };
    assert!(result.is_err(), "an UPDATE of the audit log must fail");
    drop(tx);
    let mut tx = store
        .begin_at(crate::helpers::now().as_microsecond())
        .await
        .expect("tx");
    let result = match tx.conn() {
        dangjian_store::Conn::Sqlite(c) => sqlx::query("DELETE FROM audit_log")
            .execute(c)
            .await
            .map(|_| ()),
        dangjian_store::Conn::Postgres(c) => sqlx::query("DELETE FROM audit_log")
            .execute(c)
            .await
            .map(|_| ()),
    };
    assert!(result.is_err(), "a DELETE of the audit log must fail");
    drop(tx);
    // And the product offers no route that writes to it except through use cases.
    app.login(ADMIN, PASSWORD).await;
    let attempt = app.post_json("/api/v1/audit", &json!({})).await;
    assert_eq!(attempt.status(), StatusCode::METHOD_NOT_ALLOWED);
}

on_both_backends!(
    audit_filters_and_scope,
    nobody_can_rewrite_the_audit_log,
    the_audit_page_speaks_chinese
);
