use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::on_both_backends;

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
    assert!(page.text().await.expect("body").contains("登录失败"));
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

on_both_backends!(audit_filters_and_scope, nobody_can_rewrite_the_audit_log);
