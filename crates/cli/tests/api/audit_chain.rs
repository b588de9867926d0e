//! The audit log's hash chain (issue #15): an edited, removed or smuggled-in row is reported by
//! the API, the admin page and `dangjian audit verify`; concurrent writers leave one gap-free
//! chain; rows written before the chain existed are chained at start-up, identically on both
//! databases.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

fn cli_verify(url: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["audit", "verify", "--database", url])
        .output()
        .expect("run dangjian audit verify")
}

async fn admin(app: &TestApp) -> TestApp {
    let admin = app.new_browser();
    admin.login(ADMIN, PASSWORD).await;
    admin
}

/// What the verification page says: `(ok, the broken entry's id)`.
async fn page_verdict(admin: &TestApp) -> (bool, Option<i64>) {
    let response = admin.get("/admin/audit/verify").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("page");
    let page = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).expect("selector");
    let ok = page.select(&select("main #verify-ok")).next().is_some();
    let broken = page
        .select(&select("main #verify-broken"))
        .next()
        .and_then(|p| p.value().attr("data-audit-id"))
        .and_then(|id| id.parse().ok());
    (ok, broken)
}

/// Runs `sql` (with `$1` = `id`) with the audit log's append-only trigger off, as someone with
/// the database in hand could.
async fn tamper(app: &TestApp, sql: &str, id: i64) {
    let mut handle = app.store.acquire().await.expect("connection");
    match handle.conn() {
        dangjian_store::Conn::Sqlite(c) => {
            sqlx::query("DROP TRIGGER audit_log_no_update")
                .execute(&mut *c)
                .await
                .expect("drop trigger");
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .bind(id)
                .execute(&mut *c)
                .await
                .expect("tamper");
        }
        dangjian_store::Conn::Postgres(c) => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
                .execute(&mut *c)
                .await
                .expect("disable trigger");
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .bind(id)
                .execute(&mut *c)
                .await
                .expect("tamper");
        }
    }
}

async fn an_edited_audit_row_is_reported_by_the_api_the_page_and_the_command_line(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = admin(&app).await;
    let (status, clean) = admin.get_json("/api/v1/audit/verify").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(clean["ok"], true, "{clean}");
    assert!(clean["entries"].as_i64().unwrap_or(0) > 1, "{clean}");
    assert_eq!(page_verdict(&admin).await, (true, None));
    let output = cli_verify(&app.database_url);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("审计日志完整"));

    let (_, log) = admin.get_json("/api/v1/audit?per_page=200").await;
    let entries = log["items"].as_array().expect("items");
    // An entry in the middle of the chain: everything after it still links to it.
    let target = entries[entries.len() / 2]["id"].as_i64().expect("id");
    tamper(
        &app,
        "UPDATE audit_log SET summary = summary || '（已改）' WHERE id = $1",
        target,
    )
    .await;

    let (_, report) = admin.get_json("/api/v1/audit/verify").await;
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(report["first_broken"]["audit_id"], target, "{report}");
    assert!(
        report["first_broken"]["problem"]
            .as_str()
            .expect("problem")
            .contains("已被改动"),
        "{report}"
    );
    assert_eq!(page_verdict(&admin).await, (false, Some(target)));
    let output = cli_verify(&app.database_url);
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("审计日志断链") && said.contains(&format!("#{target}")),
        "{said}"
    );

    // Only a system administrator verifies the whole log.
    let secretary = app.new_browser();
    secretary.login(SECRETARY, PASSWORD).await;
    assert_eq!(
        secretary.get_json("/api/v1/audit/verify").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        secretary.get("/admin/audit/verify").await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn a_row_written_around_the_product_is_reported(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = admin(&app).await;
    let mut handle = app.store.acquire().await.expect("connection");
    let smuggled: i64 = match handle.conn() {
        dangjian_store::Conn::Sqlite(c) => sqlx::query_scalar(
            "INSERT INTO audit_log (at, actor_name, action, entity_type, summary)
             VALUES (1, '某人', 'login', 'account', '伪造的记录') RETURNING id",
        )
        .fetch_one(&mut *c)
        .await
        .expect("insert"),
        dangjian_store::Conn::Postgres(c) => sqlx::query_scalar(
            "INSERT INTO audit_log (at, actor_name, action, entity_type, summary)
             VALUES (1, '某人', 'login', 'account', '伪造的记录') RETURNING id",
        )
        .fetch_one(&mut *c)
        .await
        .expect("insert"),
    };
    drop(handle);
    let (_, report) = admin.get_json("/api/v1/audit/verify").await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["first_broken"]["audit_id"], smuggled, "{report}");
    // A restart does not adopt it: only a chain still empty takes in unlinked entries.
    app.store.migrate().await.expect("start-up");
    assert_eq!(cli_verify(&app.database_url).status.code(), Some(1));
    let (_, again) = admin.get_json("/api/v1/audit/verify").await;
    assert_eq!(again["first_broken"]["audit_id"], smuggled, "{again}");
}

async fn concurrent_audited_writes_leave_one_gap_free_chain(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let (_, list) = app.get_json("/api/v1/members?per_page=8").await;
    let ids: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .collect();
    assert!(ids.len() >= 4, "{list}");
    let csrf = app.csrf().await;
    // Eight requests at once, each writing an audit entry (查看身份证号).
    let requests: Vec<_> = (0..8)
        .map(|i| {
            let request = app
                .client
                .post(app.url(&format!(
                    "/api/v1/members/{}/reveal-id-number",
                    ids[i % ids.len()]
                )))
                .header("x-csrf-token", csrf.clone())
                .json(&json!({}));
            tokio::spawn(async move { request.send().await.expect("request").status() })
        })
        .collect();
    for request in requests {
        assert_eq!(request.await.expect("task"), StatusCode::OK);
    }
    assert_eq!(app.audit_actions("id_number_viewed").await.len(), 8);
    let admin = admin(&app).await;
    let (_, report) = admin.get_json("/api/v1/audit/verify").await;
    assert_eq!(report["ok"], true, "{report}");
    let mut handle = app.store.acquire().await.expect("connection");
    let (rows, links, top): (i64, i64, i64) = match handle.conn() {
        dangjian_store::Conn::Sqlite(c) => sqlx::query_as(
            "SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM audit_chain),
                    (SELECT max(seq) FROM audit_chain)",
        )
        .fetch_one(&mut *c)
        .await
        .expect("counts"),
        dangjian_store::Conn::Postgres(c) => sqlx::query_as(
            "SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM audit_chain),
                    (SELECT max(seq) FROM audit_chain)",
        )
        .fetch_one(&mut *c)
        .await
        .expect("counts"),
    };
    assert_eq!((links, top), (rows, rows), "every row linked, seq 1..=n");
    assert_eq!(report["entries"], rows);
}

/// The hash the first entry below gets, computed outside Rust (Python's hashlib) from the
/// documented layout: the same on both databases.
const PINNED_FIRST_LINK: &str = "6b021a5486ba4be416f03a1bbc937e4f638dde9cdc1ea1cc53c96d5a42ad8a7a";

async fn entries_from_before_the_chain_are_chained_at_start_up_alike(backend: Backend) {
    let app = spawn_empty(backend).await;
    let insert = "INSERT INTO audit_log (id, at, actor_account_id, actor_name, action, entity_type,
                      entity_id, org_id, summary, before_state, after_state, client_ip, request_id)
                  VALUES (1, 1767225600000000, NULL, '旧版本', 'login_failed', 'account', '7', NULL,
                          '升级前的记录', NULL, '角色=党员', '10.0.0.1', 'req-1')";
    let head = "SELECT seq, head_hash FROM audit_chain_head";
    let mut handle = app.store.acquire().await.expect("connection");
    // As an upgraded database holds it: an entry the chain does not cover yet.
    let before: (i64, String) = match handle.conn() {
        dangjian_store::Conn::Sqlite(c) => {
            sqlx::query(insert).execute(&mut *c).await.expect("insert");
            sqlx::query_as(head).fetch_one(&mut *c).await.expect("head")
        }
        dangjian_store::Conn::Postgres(c) => {
            sqlx::query(insert).execute(&mut *c).await.expect("insert");
            sqlx::query_as(head).fetch_one(&mut *c).await.expect("head")
        }
    };
    drop(handle);
    assert_eq!(before.0, 0);
    app.store.migrate().await.expect("start-up");
    app.store
        .migrate()
        .await
        .expect("a second start-up chains nothing more");
    let mut handle = app.store.acquire().await.expect("connection");
    let after: (i64, String) = match handle.conn() {
        dangjian_store::Conn::Sqlite(c) => {
            sqlx::query_as(head).fetch_one(&mut *c).await.expect("head")
        }
        dangjian_store::Conn::Postgres(c) => {
            sqlx::query_as(head).fetch_one(&mut *c).await.expect("head")
        }
    };
    assert_eq!(after, (1, PINNED_FIRST_LINK.to_string()));
    let report: Value = serde_json::to_value(
        dangjian_app::audit::verify_chain(&app.app)
            .await
            .expect("verify"),
    )
    .expect("json");
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["entries"], 1);
}

on_both_backends!(
    an_edited_audit_row_is_reported_by_the_api_the_page_and_the_command_line,
    a_row_written_around_the_product_is_reported,
    concurrent_audited_writes_leave_one_gap_free_chain,
    entries_from_before_the_chain_are_chained_at_start_up_alike
);
