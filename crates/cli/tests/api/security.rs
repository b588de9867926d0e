//! Web hardening (issue #15): security headers and compression on every answer, login answers that
//! do not tell whether an account exists, session cookies, tokens after a password reset, 429s that
//! say when to retry, and use cases that authorize before they look at the object's state.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::activities::{act, member_id, plan, signed_in, yesterday};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

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
    // The Swagger UI sets inline styles: a looser policy for styles and images, still no
    // inline script and not framed.
    let docs = stranger.get("/api/docs/").await;
    assert_eq!(docs.status(), StatusCode::OK);
    assert_hardened(docs.headers(), "/api/docs/");
    let policy = header(docs.headers(), "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(
        policy.contains("style-src 'self' 'unsafe-inline'"),
        "{policy}"
    );
    // What the policy would block is not in our pages: no inline script or handler, no style
    // attribute or element (the roster page had hx-on handlers for its import box).
    for path in ["/", "/orgs", "/members", "/admin/accounts"] {
        let signed_in = if path == "/admin/accounts" {
            signed_in(&app, ADMIN).await
        } else {
            signed_in(&app, SECRETARY).await
        };
        let html = Html::parse_document(&signed_in.get(path).await.text().await.expect("body"));
        let everything = Selector::parse("*").expect("selector");
        for element in html.select(&everything) {
            let tag = element.value().name();
            assert!(tag != "style", "{path}: <style>");
            assert!(
                tag != "script" || element.value().attr("src").is_some(),
                "{path}: inline <script>"
            );
            for (name, _) in element.value().attrs() {
                assert!(
                    name != "style" && !name.starts_with("on") && !name.starts_with("hx-on"),
                    "{path}: <{tag} {name}>"
                );
            }
        }
    }
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
    let page = Html::parse_document(&plain.text().await.expect("body"));
    let title = Selector::parse("title").expect("selector");
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

async fn checking_in_to_another_branchs_meeting_is_refused_before_anything_is_told(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = signed_in(&app, ADMIN).await;
    let office = org_id(&admin, "机关党支部").await;
    let (_, office_members) = admin
        .get_json(&format!("/api/v1/members?org_id={office}"))
        .await;
    let clerk = office_members["items"][0]["id"]
        .as_i64()
        .expect("a member of 机关党支部");
    let mut body = plan("theme_day", "机关主题党日", &yesterday(), clerk);
    body["org_id"] = json!(office);
    let created = admin.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    let id = created["activity"]["id"].as_i64().expect("id");
    assert_eq!(
        act(&admin, id, "publish", "").await.status(),
        StatusCode::OK
    );
    // Check-in is not open and the code is made up: 张伟 of 站南派出所党支部 is told neither, only
    // that he is not on the list (it was 409 签到尚未开始 before).
    let member = signed_in(&app, MEMBER).await;
    for code in ["1-abcdef", ""] {
        let refused = member
            .post_json(
                &format!("/api/v1/activities/{id}/check-in"),
                &json!({"code": code}),
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{code:?}");
    }
}

async fn another_branchs_transfer_is_refused_whatever_its_state(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let admin = signed_in(&app, ADMIN).await;
    let office = org_id(&admin, "机关党支部").await;
    let started = app
        .post_json(
            "/api/v1/transfers",
            &json!({"member_id": zhang, "to_org_id": office, "reason": "工作调动"}),
        )
        .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let id = started.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let cancelled = app
        .post_json(&format!("/api/v1/transfers/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    // An administrator of the receiving branch may not cancel, settled or not (was 409).
    let receiver = app.new_browser();
    let created = admin
        .post_json(
            "/api/v1/accounts",
            &json!({"phone": "13700001111", "name": "接收方书记", "role": "org_admin",
                    "org_id": office, "password": "receive2026"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    receiver.login_api("13700001111", "receive2026").await;
    let changed = receiver
        .post_json(
            "/api/v1/me/password",
            &json!({"current_password": "receive2026", "new_password": "receive2027"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let cancel = receiver
        .post_json(&format!("/api/v1/transfers/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(cancel.status(), StatusCode::FORBIDDEN);
    // And the sending branch may not accept or reject (was 409 for a settled transfer).
    for action in ["accept", "reject"] {
        let refused = app
            .post_json(
                &format!("/api/v1/transfers/{id}/{action}"),
                &json!({"note": "不同意"}),
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{action}");
    }
}

async fn another_organizations_dues_sheet_is_refused_before_its_input_is_judged(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = signed_in(&app, ADMIN).await;
    let office = org_id(&admin, "机关党支部").await;
    let committee = org_id(&admin, "临渭公安分局党委").await;
    let secretary = signed_in(&app, SECRETARY).await;
    // A committee holds no sheet and the month is not one, but neither is the secretary's to
    // learn: 403 (these were 422).
    for path in [
        format!("/api/v1/orgs/{committee}/dues/sheet?month=2026-11"),
        format!("/api/v1/orgs/{office}/dues/sheet?month=not-a-month"),
        format!("/api/v1/orgs/{office}/dues/sheet?month=2026-11"),
    ] {
        assert_eq!(
            secretary.get_json(&path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for month in ["not-a-month", "2099-01"] {
        let open = secretary
            .post_json(
                &format!("/api/v1/orgs/{office}/dues/sheet/open"),
                &json!({"month": month}),
            )
            .await;
        assert_eq!(open.status(), StatusCode::FORBIDDEN, "{month}");
    }
    // Their own branch still judges the input.
    let own = org_id(&secretary, "站南派出所党支部").await;
    assert_eq!(
        secretary
            .get_json(&format!("/api/v1/orgs/{own}/dues/sheet?month=not-a-month"))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// The API documentation page still works under its own policy in Chromium: the Swagger UI
/// loads its scripts and renders the document's title and operations.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swagger_ui_renders_under_its_policy_in_the_browser() {
    let Some((_driver, browser)) = crate::browser::start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    browser
        .goto(&app.url("/api/docs/"))
        .await
        .expect("open the API docs");
    let title = browser
        .wait()
        .for_element(fantoccini::Locator::Css(".swagger-ui .info .title"))
        .await
        .expect("Swagger UI renders")
        .text()
        .await
        .expect("text");
    assert!(title.contains("dangjian API"), "{title}");
    browser
        .wait()
        .for_element(fantoccini::Locator::Css(".swagger-ui .opblock"))
        .await
        .expect("operations listed");
}

on_both_backends!(
    every_answer_carries_the_security_headers,
    pages_are_compressed_for_browsers_that_accept_it,
    a_failed_login_does_not_tell_whether_the_account_exists,
    a_password_reset_revokes_the_accounts_api_tokens,
    an_administrator_cannot_reset_their_own_password,
    too_many_attempts_say_when_to_retry,
    signing_in_over_a_stale_session_cookie_sets_only_the_new_one,
    checking_in_to_another_branchs_meeting_is_refused_before_anything_is_told,
    another_branchs_transfer_is_refused_whatever_its_state,
    another_organizations_dues_sheet_is_refused_before_its_input_is_judged,
);
