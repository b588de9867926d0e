use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

async fn issued_token_works_until_revoked(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let (_, list) = app.get_json("/api/v1/accounts?q=王建国").await;
    let secretary_id = list["items"][0]["id"].as_i64().expect("id");
    let issued = app
        .post_json(
            "/api/v1/tokens",
            &json!({"account_id": secretary_id, "name": "OA 对接"}),
        )
        .await;
    assert_eq!(issued.status(), StatusCode::CREATED);
    let issued: Value = issued.json().await.expect("json");
    let secret = issued["secret"].as_str().expect("secret").to_string();
    assert!(secret.starts_with("dj_"));
    let token_id = issued["token"]["id"].as_i64().expect("id");

    let integration = reqwest::Client::new();
    let me = integration
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("request");
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.json::<Value>().await.expect("json")["name"], "王建国");
    // A bearer caller writes without CSRF header: it carries no ambient credential.
    let accounts = integration
        .get(app.url("/api/v1/accounts"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("request");
    assert_eq!(accounts.status(), StatusCode::OK);

    let revoke = app
        .post_json(&format!("/api/v1/tokens/{token_id}/revoke"), &json!({}))
        .await;
    assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
    let again = app
        .post_json(&format!("/api/v1/tokens/{token_id}/revoke"), &json!({}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let refused = integration
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.json::<Value>().await.expect("json")["code"],
        "invalid_token"
    );
    assert_eq!(app.audit_actions("token_issued").await.len(), 1);
    assert_eq!(app.audit_actions("token_revoked").await.len(), 1);
}

async fn tokens_page_issues_and_lists(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let outside = app
        .post_form(
            "/admin/tokens",
            &[("account_phone", ADMIN), ("name", "越权")],
        )
        .await;
    assert_eq!(
        outside.status(),
        StatusCode::FORBIDDEN,
        "the system admin is outside the secretary's scope"
    );
    let issued = app
        .post_form(
            "/admin/tokens",
            &[("account_phone", MEMBER), ("name", "手机应用")],
        )
        .await;
    assert_eq!(issued.status(), StatusCode::OK);
    assert!(issued.text().await.expect("body").contains("令牌已签发"));
    let list = app.get("/admin/tokens").await.text().await.expect("body");
    assert!(list.contains("手机应用") && list.contains("张伟"));
}

on_both_backends!(
    issued_token_works_until_revoked,
    tokens_page_issues_and_lists
);
