//! Signing in: failures that do not tell whether the account exists, 429s with Retry-After, and
//! a stale session cookie that does not undo a new sign-in.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use scraper::{Html, Selector};
use serde_json::json;

use super::header;
use crate::helpers::*;
use crate::on_both_backends;

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
    let html = Html::parse_document(&page.text().await.expect("body"));
    let alert = Selector::parse("[role=alert]").expect("selector");
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

async fn too_many_attempts_say_when_to_retry(backend: Backend) {
    let app = spawn_demo(backend).await;
    let mut last = None;
    for attempt in 0..40 {
        let response = app
            .login_api("13912345678", &format!("wrong-{attempt}"))
            .await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            last = Some(response);
            break;
        }
    }
    let api = last.expect("the address is throttled after 30 failures");
    assert_eq!(header(api.headers(), "retry-after"), "900");
    let page = app
        .post_form("/login", &[("phone", ADMIN), ("password", PASSWORD)])
        .await;
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(page.headers(), "retry-after"), "900");
    let activate = app
        .post_form(
            "/activate",
            &[
                ("phone", MEMBER),
                ("id_number_tail", "123456"),
                ("password", "Another-pass1"),
                ("password_again", "Another-pass1"),
            ],
        )
        .await;
    assert_eq!(activate.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(activate.headers(), "retry-after"), "900");
}

/// The `Set-Cookie` headers of a response for the session cookie.
fn session_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| v.starts_with("dj_session="))
        .map(str::to_string)
        .collect()
}

async fn signing_in_over_a_stale_session_cookie_sets_only_the_new_one(backend: Backend) {
    let app = spawn_demo(backend).await;
    let csrf = app.csrf().await;
    let no_jar = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    // A browser that still holds a session that ended (expired, signed out elsewhere, reset).
    for (path, body) in [
        ("/login", None),
        (
            "/api/v1/auth/login",
            Some(json!({"phone": SECRETARY, "password": PASSWORD})),
        ),
    ] {
        let request = no_jar.post(app.url(path)).header(
            "cookie",
            format!("dj_session=stale-session-token; dj_csrf={csrf}"),
        );
        let request = match body {
            None => request.form(&[
                ("phone", SECRETARY),
                ("password", PASSWORD),
                ("csrf_token", csrf.as_str()),
            ]),
            Some(body) => request.header("x-csrf-token", &csrf).json(&body),
        };
        let response = request.send().await.expect("request");
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "{path}"
        );
        let set = session_cookies(response.headers());
        assert_eq!(set.len(), 1, "{path}: {set:?}");
        assert!(!set[0].contains("Max-Age=0"), "{path}: {set:?}");
        // The next request with the new cookie is signed in.
        let token = set[0]
            .trim_start_matches("dj_session=")
            .split(';')
            .next()
            .unwrap_or_default()
            .to_string();
        let me = reqwest::Client::new()
            .get(app.url("/api/v1/me"))
            .header("cookie", format!("dj_session={token}"))
            .send()
            .await
            .expect("request");
        assert_eq!(me.status(), StatusCode::OK, "{path}");
    }
    // A page visit with the stale cookie still clears it.
    let visit = no_jar
        .get(app.url("/login"))
        .header("cookie", "dj_session=stale-session-token")
        .send()
        .await
        .expect("request");
    let set = session_cookies(visit.headers());
    assert_eq!(set.len(), 1, "{set:?}");
    assert!(set[0].contains("Max-Age=0"), "{set:?}");
}

on_both_backends!(
    a_failed_login_does_not_tell_whether_the_account_exists,
    too_many_attempts_say_when_to_retry,
    signing_in_over_a_stale_session_cookie_sets_only_the_new_one,
);
