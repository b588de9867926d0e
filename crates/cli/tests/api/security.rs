//! Web hardening (issue #15): security headers and compression on every answer, login answers that
//! do not tell whether an account exists, session cookies, tokens after a password reset, 429s that
//! say when to retry, and use cases that authorize before they look at the object's state.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::helpers::*;
use crate::on_both_backends;

const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; \
     base-uri 'none'";

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn assert_hardened(headers: &HeaderMap, what: &str) {
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(headers, "referrer-policy"), "same-origin", "{what}");
}

async fn every_answer_carries_the_security_headers(backend: Backend) {
    let app = spawn_demo(backend).await;
    let stranger = app.new_browser();
    app.login(SECRETARY, PASSWORD).await;
    // A stranger's page, API call, asset and unknown paths (page and API), and signed-in pages.
    for (who, path, status) in [
        (&stranger, "/login", StatusCode::OK),
        (&stranger, "/", StatusCode::SEE_OTHER),
        (&stranger, "/api/v1/me/reminders", StatusCode::UNAUTHORIZED),
        (&stranger, "/static/app.css", StatusCode::OK),
        (&stranger, "/static/print.css", StatusCode::OK),
        (&stranger, "/no/such/page", StatusCode::NOT_FOUND),
        (&stranger, "/api/v1/no/such/thing", StatusCode::NOT_FOUND),
        (&stranger, "/healthz", StatusCode::OK),
        (&app, "/", StatusCode::OK),
        (&app, "/orgs", StatusCode::OK),
        (&app, "/api/v1/me/reminders", StatusCode::OK),
    ] {
        let response = who.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_hardened(response.headers(), path);
        assert_eq!(
            header(response.headers(), "content-security-policy"),
            PAGE_POLICY,
            "{path}"
        );
    }
    // The Swagger UI runs its own inline start-up script: a looser policy, still not framed.
    let docs = stranger.get("/api/docs/").await;
    assert_eq!(docs.status(), StatusCode::OK);
    assert_hardened(docs.headers(), "/api/docs/");
    let policy = header(docs.headers(), "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(
        policy.contains("script-src 'self' 'unsafe-inline'"),
        "{policy}"
    );
    // A write answers with them too.
    let wrong = stranger
        .post_form("/login", &[("phone", ADMIN), ("password", "wrong")])
        .await;
    assert_hardened(wrong.headers(), "POST /login");
}

async fn pages_are_compressed_for_browsers_that_accept_it(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    for (encoding, magic) in [("gzip", &[0x1f_u8, 0x8b][..]), ("br", &[][..])] {
        let response = app
            .client
            .get(app.url("/orgs"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(response.headers(), "content-encoding"), encoding);
        assert_hardened(response.headers(), encoding);
        let body = response.bytes().await.expect("body");
        assert!(body.starts_with(magic), "{encoding}");
        assert!(!body.starts_with(b"<!doctype"), "{encoding}");
    }
    // Without Accept-Encoding the page comes as it is.
    let plain = app.get("/orgs").await;
    assert!(plain.headers().get("content-encoding").is_none());
    let page = scraper::Html::parse_document(&plain.text().await.expect("body"));
    let title = scraper::Selector::parse("title").expect("selector");
    assert!(page.select(&title).next().is_some());
}

/// What a failed sign-in tells: the API's status, code and message, and the page's status and
/// alert.
async fn failed_login(app: &TestApp, phone: &str, password: &str) -> (String, String) {
    let api = app.login_api(phone, password).await;
    let api_status = api.status();
    let body: serde_json::Value = api.json().await.expect("json");
    let page = app
        .post_form("/login", &[("phone", phone), ("password", password)])
        .await;
    let page_status = page.status();
    let html = scraper::Html::parse_document(&page.text().await.expect("body"));
    let alert = scraper::Selector::parse("[role=alert]").expect("selector");
    let shown: String = html
        .select(&alert)
        .flat_map(|e| e.text())
        .collect::<String>();
    (
        format!("{api_status} {} {}", body["code"], body["message"]),
        format!("{page_status} {}", shown.trim()),
    )
}

async fn a_failed_login_does_not_tell_whether_the_account_exists(backend: Backend) {
    let app = spawn_demo(backend).await;
    let unknown = failed_login(&app, "13912345678", "wrong-pass1").await;
    assert!(unknown.0.starts_with("401 "), "{unknown:?}");
    assert!(
        unknown.1.starts_with("401 Unauthorized 手机号或密码错误"),
        "{unknown:?}"
    );
    // A wrong password for an existing account (attempts 1 and 2): no count of tries left.
    assert_eq!(failed_login(&app, MEMBER, "wrong-pass1").await, unknown);
    // Attempts 3, 4 and 5 lock the account; then even the right password gets the same answer.
    app.login_api(MEMBER, "wrong-pass1").await;
    app.login_api(MEMBER, "wrong-pass1").await;
    let fifth = app.login_api(MEMBER, "wrong-pass1").await;
    assert_eq!(fifth.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(failed_login(&app, MEMBER, PASSWORD).await, unknown);
    assert!(app.cookie("dj_session").is_none());
    // The audit log keeps the difference for the administrators.
    let summaries: Vec<String> = app
        .audit_actions("login_failed")
        .await
        .iter()
        .filter_map(|entry| entry["summary"].as_str().map(str::to_string))
        .collect();
    for why in [
        "手机号未注册",
        "密码错误（连续第 1 次）",
        "账号锁定 15 分钟",
        "账号锁定中",
    ] {
        assert!(
            summaries.iter().any(|s| s.contains(why)),
            "{why}: {summaries:?}"
        );
    }
}

on_both_backends!(
    every_answer_carries_the_security_headers,
    pages_are_compressed_for_browsers_that_accept_it,
    a_failed_login_does_not_tell_whether_the_account_exists,
);
