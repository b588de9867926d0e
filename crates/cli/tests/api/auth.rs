use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::on_both_backends;

async fn admin_logs_in_sees_home_and_logs_out(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let home = app.get("/").await;
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.expect("body");
    assert!(html.contains("系统管理员"), "home names the role");
    assert!(
        html.contains("账号管理") && html.contains("审计日志"),
        "admin navigation is shown"
    );

    let logout = app.post_form("/logout", &[]).await;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&logout), "/login");
    let after = app.get("/").await;
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "signed out, home sends to login"
    );
    assert!(location(&after).starts_with("/login"));
    assert_eq!(app.audit_actions("logout").await.len(), 1);
}

async fn wrong_password_is_refused_with_a_chinese_message(backend: Backend) {
    let app = spawn_demo(backend).await;
    let response = app
        .post_form("/login", &[("phone", ADMIN), ("password", "wrong-pass1")])
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.expect("body");
    assert!(html.contains("手机号或密码错误"), "{html}");
    assert!(app.cookie("dj_session").is_none());
    let unknown = app
        .post_form(
            "/login",
            &[("phone", "13912345678"), ("password", "whatever1")],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert!(
        unknown
            .text()
            .await
            .expect("body")
            .contains("手机号或密码错误"),
        "unknown numbers look the same"
    );
    assert_eq!(
        app.audit_actions("login_failed").await.len(),
        2,
        "every failure is audited"
    );
}

async fn five_wrong_passwords_lock_the_account(backend: Backend) {
    let app = spawn_demo(backend).await;
    for attempt in 1..=4 {
        let response = app.login_api(MEMBER, "wrong-pass1").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["code"], "bad_credentials");
    }
    // The fifth locks the account, and a locked account answers like a wrong password (issue
    // #15): a 423 would confirm to a stranger that the number has an account.
    let fifth = app.login_api(MEMBER, "wrong-pass1").await;
    assert_eq!(fifth.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = fifth.json().await.expect("json");
    assert_eq!(body["code"], "bad_credentials");

    let right_password = app.login_api(MEMBER, PASSWORD).await;
    assert_eq!(
        right_password.status(),
        StatusCode::UNAUTHORIZED,
        "locked even with the right password"
    );
    let form = app
        .post_form("/login", &[("phone", MEMBER), ("password", PASSWORD)])
        .await;
    assert_eq!(
        form.status(),
        StatusCode::UNAUTHORIZED,
        "the form says the same"
    );
    let failures = app.audit_actions("login_failed").await;
    assert_eq!(failures.len(), 7, "5 wrong passwords and 2 locked attempts");
    assert!(
        failures.iter().any(|entry| entry["summary"]
            .as_str()
            .is_some_and(|s| s.contains("锁定中"))),
        "the audit log says why: {failures:?}"
    );

    // The branch secretary unlocks the member, who can then sign in.
    let secretary = app.new_browser();
    secretary.login(SECRETARY, PASSWORD).await;
    let (_, list) = secretary.get_json("/api/v1/accounts?q=13800000003").await;
    let id = list["items"][0]["id"].as_i64().expect("member id");
    assert_eq!(list["items"][0]["locked"], true);
    let unlock = secretary
        .post_json(&format!("/api/v1/accounts/{id}/unlock"), &json!({}))
        .await;
    assert_eq!(unlock.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.login_api(MEMBER, PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn api_login_me_and_logout(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (status, body) = app.get_json("/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthenticated");
    assert_eq!(body["message"], "请先登录");

    let login = app.login_api(SECRETARY, PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK);
    let body: serde_json::Value = login.json().await.expect("json");
    assert_eq!(body["account"]["role"], "org_admin");
    assert_eq!(body["account"]["org_name"], "站南派出所党支部");
    let (status, me) = app.get_json("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["name"], "王建国");

    let logout = app.post_json("/api/v1/auth/logout", &json!({})).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_json("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
}

async fn password_change_in_the_ui_and_the_api(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(MEMBER, PASSWORD).await;
    let mismatch = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "newpass123"),
                ("new_password_again", "newpass124"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mismatch
            .text()
            .await
            .expect("body")
            .contains("两次输入的新密码不一致")
    );
    let weak = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "short1"),
                ("new_password_again", "short1"),
            ],
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.expect("body").contains("密码至少 8 位"));
    let changed = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "newpass123"),
                ("new_password_again", "newpass123"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert!(changed.text().await.expect("body").contains("密码已修改"));

    let other = app.new_browser();
    assert_eq!(
        other.login_api(MEMBER, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "old password is gone"
    );
    assert_eq!(
        other.login_api(MEMBER, "newpass123").await.status(),
        StatusCode::OK
    );
    let wrong_current = other
        .post_json(
            "/api/v1/me/password",
            &json!({"current_password": "nope12345", "new_password": "another123"}),
        )
        .await;
    assert_eq!(wrong_current.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let via_api = other
        .post_json(
            "/api/v1/me/password",
            &json!({"current_password": "newpass123", "new_password": "another123"}),
        )
        .await;
    assert_eq!(via_api.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "the first browser's session was ended"
    );
    assert_eq!(app.audit_actions("password_changed").await.len(), 2);
}

async fn member_cannot_reach_administrator_pages(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(MEMBER, PASSWORD).await;
    let home = app.get("/").await.text().await.expect("body");
    assert!(
        !home.contains("账号管理"),
        "a member's navigation has no admin modules"
    );
    for path in [
        "/admin/accounts",
        "/admin/accounts/new",
        "/admin/tokens",
        "/admin/audit",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let html = response.text().await.expect("body");
        assert!(
            html.contains("没有权限") && html.contains("请求编号"),
            "{path}: {html}"
        );
    }
    for path in [
        "/api/v1/accounts",
        "/api/v1/tokens",
        "/api/v1/audit",
        "/api/v1/orgs",
    ] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(body["code"], "forbidden");
    }
}

async fn login_returns_to_the_page_asked_for_but_never_off_site(backend: Backend) {
    let app = spawn_demo(backend).await;
    let asked = app.get("/admin/audit?page=1").await;
    assert_eq!(location(&asked), "/login?next=%2Fadmin%2Faudit%3Fpage%3D1");
    let response = app
        .post_form(
            "/login",
            &[
                ("phone", ADMIN),
                ("password", PASSWORD),
                ("next", "/admin/audit?page=1"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/admin/audit?page=1");
    let other = app.new_browser();
    let response = other
        .post_form(
            "/login",
            &[
                ("phone", ADMIN),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/");
    // A signed-in browser sent to /login with a hostile next goes home (issue #15): a tab or a
    // backslash a browser would read as another site, control characters that once made a 500.
    for hostile in [
        "/%09/evil.example",
        "/%09%5Cevil.example",
        "/%0a/evil.example",
        "/%00",
        "/%7f",
        "/%0d%0aSet-Cookie:%20x=1",
    ] {
        let response = other.get(&format!("/login?next={hostile}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{hostile}");
        assert_eq!(location(&response), "/", "{hostile}");
    }
}

async fn forms_without_the_csrf_token_or_from_another_site_are_refused(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.csrf().await;
    let no_token = app
        .client
        .post(app.url("/login"))
        .form(&[("phone", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    assert!(
        no_token
            .text()
            .await
            .expect("body")
            .contains("请刷新页面后重试")
    );
    let csrf = app.csrf().await;
    let cross_site = app
        .client
        .post(app.url("/login"))
        .header("origin", "http://evil.example")
        .form(&[
            ("phone", ADMIN),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let fetch_metadata = app
        .client
        .post(app.url("/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("phone", ADMIN),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(fetch_metadata.status(), StatusCode::FORBIDDEN);
    // A cookie-authenticated API write without the header is refused too.
    app.login(ADMIN, PASSWORD).await;
    let no_header = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(no_header.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        no_header.json::<serde_json::Value>().await.expect("json")["code"],
        "csrf"
    );
}

on_both_backends!(
    admin_logs_in_sees_home_and_logs_out,
    wrong_password_is_refused_with_a_chinese_message,
    five_wrong_passwords_lock_the_account,
    api_login_me_and_logout,
    password_change_in_the_ui_and_the_api,
    member_cannot_reach_administrator_pages,
    login_returns_to_the_page_asked_for_but_never_off_site,
    forms_without_the_csrf_token_or_from_another_site_are_refused
);
