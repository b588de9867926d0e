use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

async fn json_error(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "API errors are JSON, got {content_type}"
    );
    (status, response.json().await.expect("json error body"))
}

async fn malformed_api_requests_get_clear_json_errors(backend: Backend) {
    let app = spawn_demo(backend).await;
    let csrf = app.csrf().await;
    let post = |path: &str| app.client.post(app.url(path)).header("x-csrf-token", &csrf);

    let (status, body) = json_error(
        post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("req"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "bad_json");
    let (status, body) = json_error(
        post("/api/v1/auth/login")
            .json(&serde_json::json!({"phone": 13800000000u64, "password": 1}))
            .send()
            .await
            .expect("req"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .starts_with("字段缺失或类型不正确")
    );
    let (status, body) = json_error(
        post("/api/v1/auth/login")
            .body("phone=1")
            .send()
            .await
            .expect("req"),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body["code"], "unsupported_media_type");
    let huge = format!(
        "{{\"phone\": \"{}\", \"password\": \"x\"}}",
        "1".repeat(2 * 1024 * 1024)
    );
    // A fresh connection: the server answers 413 without reading the body, then closes it.
    let oversize = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(huge);
    let (status, body) = json_error(oversize.send().await.expect("req")).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["message"], "提交的内容过大");
    let (status, body) = json_error(app.get("/api/v1/nothing-here").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body["request_id"].as_str().expect("request id").is_empty());
    let (status, _) = json_error(
        app.client
            .delete(app.url("/api/v1/me"))
            .send()
            .await
            .expect("req"),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, body) = json_error(app.login_api("not-a-phone", "x").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["message"], "手机号应为 11 位数字，以 13–19 开头");

    app.login(ADMIN, PASSWORD).await;
    let (status, _) = json_error(app.get("/api/v1/accounts/abc").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = json_error(app.get("/api/v1/accounts/99999999").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = json_error(app.get("/api/v1/accounts?page=abc").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Out-of-range paging is refused, not clamped: a caller asking for 1,000 rows and getting
    // 200 would not know the rest exist (issue #15).
    for path in [
        "/api/v1/accounts?per_page=201",
        "/api/v1/members?per_page=100000",
        "/api/v1/activities?per_page=0",
        "/api/v1/audit?page=-5",
        "/api/v1/me/activities?per_page=1000",
    ] {
        let (status, body) = json_error(app.get(path).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("每页条数须在 1 到 200 之间") || message.contains("页码须在"),
            "{path}: {message}"
        );
    }
    let (status, page) = app.get_json("/api/v1/accounts?page=1&per_page=200").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["per_page"], 200);
}

async fn malformed_pages_and_forms_get_chinese_error_pages(backend: Backend) {
    let app = spawn_demo(backend).await;
    let missing = app.get("/no/such/page").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let html = missing.text().await.expect("body");
    assert!(
        html.contains("页面不存在") && html.contains("请求编号"),
        "{html}"
    );
    app.login(ADMIN, PASSWORD).await;
    let csrf = app.csrf().await;
    let garbled = app
        .client
        .post(app.url("/admin/accounts"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={csrf}&org_id=notanumber&name=x"))
        .send()
        .await
        .expect("req");
    assert_eq!(garbled.status(), StatusCode::BAD_REQUEST);
    assert!(
        garbled
            .text()
            .await
            .expect("body")
            .contains("表单内容不完整或格式不正确")
    );
    let not_an_id = app.post_form("/admin/accounts/abc/unlock", &[]).await;
    assert_eq!(not_an_id.status(), StatusCode::NOT_FOUND);
    let audit = app.get("/admin/audit?from=yesterday").await;
    assert_eq!(
        audit.status(),
        StatusCode::OK,
        "a bad filter shows a message, not an error page"
    );
    assert!(audit.text().await.expect("body").contains("日期格式应为"));
    let asset = app.get("/static/../../etc/passwd").await;
    assert_eq!(asset.status(), StatusCode::NOT_FOUND);
    let css = app.get("/static/app.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

/// Names and titles refuse control, bidirectional-override, zero-width and byte-order-mark
/// characters and line breaks (issue #15): each is a 422 naming the character, nothing is saved.
async fn names_refuse_invisible_and_control_characters(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = crate::orgs::org_id(&app, "站南派出所党支部").await;
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    let (_, before) = app.get_json("/api/v1/members?per_page=1").await;
    for (name, code_point) in [
        ("韩\u{202E}梅", "U+202E"),
        ("韩\u{200B}梅", "U+200B"),
        ("\u{FEFF}韩梅", "U+FEFF"),
        ("韩\u{0}梅", "U+0000"),
    ] {
        let refused = app
            .post_json(
                "/api/v1/members",
                &json!({
                    "org_id": group, "name": name, "id_number": "61050219900307123X",
                    "phone": "13912340000", "category": "正式党员", "joined_on": "2015-07-01",
                    "full_member_on": "2016-07-01", "education": "大学本科"
                }),
            )
            .await;
        let (status, body) = json_error(refused).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {body}");
        assert!(body.to_string().contains(code_point), "{name:?}: {body}");
    }
    let (_, after) = app.get_json("/api/v1/members?per_page=1").await;
    assert_eq!(after["total"], before["total"], "nothing was saved");
    let group_named = app
        .post_json(
            "/api/v1/orgs",
            &json!({"parent_id": branch, "kind": "group", "name": "第二\n党小组"}),
        )
        .await;
    let (status, body) = json_error(group_named).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("组织名称不能换行"),
        "{body}"
    );
}

on_both_backends!(
    malformed_api_requests_get_clear_json_errors,
    malformed_pages_and_forms_get_chinese_error_pages,
    names_refuse_invisible_and_control_characters
);
