//! An administrator's password reset: it revokes the account's API tokens, and is not for one's
//! own account.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

/// The id of the demo account named `name`, as the system administrator `admin` sees it.
async fn account_id(admin: &TestApp, name: &str) -> i64 {
    let (_, list) = admin.get_json(&format!("/api/v1/accounts?q={name}")).await;
    list["items"][0]["id"].as_i64().expect("account id")
}

async fn a_password_reset_revokes_the_accounts_api_tokens(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let secretary = account_id(&app, "王建国").await;
    let issued = app
        .post_json(
            "/api/v1/tokens",
            &json!({"account_id": secretary, "name": "OA 对接"}),
        )
        .await;
    assert_eq!(issued.status(), StatusCode::CREATED);
    let issued: Value = issued.json().await.expect("json");
    let secret = issued["secret"].as_str().expect("secret").to_string();
    let integration = reqwest::Client::new();
    let me = |secret: String| {
        let request = integration
            .get(app.url("/api/v1/me"))
            .bearer_auth(secret)
            .send();
        async move { request.await.expect("request").status() }
    };
    assert_eq!(me(secret.clone()).await, StatusCode::OK);

    let reset = app
        .post_json(
            &format!("/api/v1/accounts/{secretary}/reset-password"),
            &json!({}),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(me(secret).await, StatusCode::UNAUTHORIZED);
    let (_, tokens) = app.get_json("/api/v1/tokens").await;
    let token = tokens
        .as_array()
        .expect("tokens")
        .iter()
        .find(|t| t["id"] == issued["token"]["id"])
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(token["revoked"], true, "listed as revoked: {token}");
    let audit = app.audit_actions("password_reset").await;
    assert!(
        audit[0]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("吊销其 1 个 API 令牌")),
        "{audit:?}"
    );
}

async fn an_administrator_cannot_reset_their_own_password(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let own = account_id(&app, "系统管理员").await;
    let api = app
        .post_json(
            &format!("/api/v1/accounts/{own}/reset-password"),
            &json!({}),
        )
        .await;
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let body: Value = api.json().await.expect("json");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("修改密码")),
        "{body}"
    );
    let page = app
        .post_form(&format!("/admin/accounts/{own}/reset-password"), &[])
        .await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    // Still signed in with the old password, and nothing was audited.
    assert_eq!(app.get_json("/api/v1/me").await.0, StatusCode::OK);
    assert!(app.audit_actions("password_reset").await.is_empty());
    // The accounts list offers the reset on others' rows only; on one's own, the change form.
    let list = app.get("/admin/accounts").await;
    let html = Html::parse_document(&list.text().await.expect("body"));
    let own_form = Selector::parse(&format!(
        "form[action='/admin/accounts/{own}/reset-password']"
    ))
    .expect("selector");
    assert!(html.select(&own_form).next().is_none());
    let any_reset = Selector::parse("form[action$='/reset-password']").expect("selector");
    assert!(html.select(&any_reset).next().is_some());
}

on_both_backends!(
    a_password_reset_revokes_the_accounts_api_tokens,
    an_administrator_cannot_reset_their_own_password,
);
