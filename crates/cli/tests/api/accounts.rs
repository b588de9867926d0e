use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

async fn org_id(app: &TestApp, name: &str) -> i64 {
    let (_, orgs) = app.get_json("/api/v1/orgs").await;
    orgs.as_array()
        .expect("orgs")
        .iter()
        .find(|o| o["name"] == name)
        .and_then(|o| o["id"].as_i64())
        .unwrap_or_else(|| panic!("no org {name} in {orgs}"))
}

async fn new_member_must_change_the_initial_password_first(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = org_id(&app, "综合党小组").await;
    let created = app
        .post_json(
            "/api/v1/accounts",
            &json!({
                "phone": "139 0000 1111", "name": "赵六", "role": "member", "org_id": group
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert_eq!(
        created["account"]["phone"], "13900001111",
        "the phone is normalised"
    );
    assert_eq!(created["account"]["must_change_password"], true);
    let initial = created["initial_password"]
        .as_str()
        .expect("initial password")
        .to_string();

    let newcomer = app.new_browser();
    newcomer.login("13900001111", &initial).await;
    let home = newcomer.get("/").await;
    assert_eq!(
        location(&home),
        "/account/password",
        "pages send the newcomer to change the password"
    );
    let (status, body) = newcomer.get_json("/api/v1/orgs").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "password_change_required");
    assert_eq!(
        newcomer.get_json("/api/v1/me").await.0,
        StatusCode::OK,
        "who am I stays available"
    );
    let changed = newcomer
        .post_form(
            "/account/password",
            &[
                ("current_password", &initial),
                ("new_password", "zhaoliu2026"),
                ("new_password_again", "zhaoliu2026"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(newcomer.get("/").await.status(), StatusCode::OK);
    assert_eq!(app.audit_actions("account_created").await.len(), 1);
}

async fn administrator_creates_an_account_in_the_ui(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let form = app
        .get("/admin/accounts/new")
        .await
        .text()
        .await
        .expect("body");
    assert!(form.contains("站南派出所党支部") && form.contains("系统管理员"));
    let branch = org_id(&app, "站南派出所党支部").await.to_string();
    let bad = app
        .post_form(
            "/admin/accounts",
            &[
                ("name", "钱七"),
                ("phone", "12345"),
                ("role", "member"),
                ("org_id", &branch),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("body");
    assert!(
        html.contains("手机号应为 11 位数字") && html.contains("钱七"),
        "message inline, input kept"
    );
    let good = app
        .post_form(
            "/admin/accounts",
            &[
                ("name", "钱七"),
                ("phone", "13900002222"),
                ("role", "member"),
                ("org_id", &branch),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(good.status(), StatusCode::OK);
    assert!(good.text().await.expect("body").contains("账号已创建"));
    let again = app
        .post_form(
            "/admin/accounts",
            &[
                ("name", "钱七"),
                ("phone", "13900002222"),
                ("role", "member"),
                ("org_id", &branch),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(
        again
            .text()
            .await
            .expect("body")
            .contains("该手机号已有账号")
    );
    let list = app
        .get("/admin/accounts?q=钱")
        .await
        .text()
        .await
        .expect("body");
    assert!(
        list.contains("13900002222") && list.contains("共 1 条"),
        "{list}"
    );
}

async fn roles_fit_their_nodes_and_nobody_grants_above_themselves(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let leader_on_branch = app
        .post_json(
            "/api/v1/accounts",
            &json!({
                "phone": "13900003333", "name": "孙八", "role": "group_leader", "org_id": branch
            }),
        )
        .await;
    assert_eq!(leader_on_branch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        leader_on_branch.json::<Value>().await.expect("json")["message"]
            .as_str()
            .expect("msg")
            .contains("党小组长")
    );
    let system_admin = app
        .post_json(
            "/api/v1/accounts",
            &json!({
                "phone": "13900003333", "name": "孙八", "role": "system_admin"
            }),
        )
        .await;
    assert_eq!(system_admin.status(), StatusCode::FORBIDDEN);
    let (_, committee) = {
        let admin = app.new_browser();
        admin.login(ADMIN, PASSWORD).await;
        (
            admin.get_json("/api/v1/orgs").await.0,
            org_id(&admin, "临渭公安分局党委").await,
        )
    };
    let above = app
        .post_json(
            "/api/v1/accounts",
            &json!({
                "phone": "13900003333", "name": "孙八", "role": "member", "org_id": committee
            }),
        )
        .await;
    assert_eq!(
        above.status(),
        StatusCode::FORBIDDEN,
        "the committee is outside the branch secretary's subtree"
    );
    let missing = app
        .post_json(
            "/api/v1/accounts",
            &json!({
                "phone": "13900003333", "name": "孙八", "role": "member", "org_id": 999_999
            }),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn secretary_sees_only_accounts_of_the_own_subtree(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let (status, list) = app.get_json("/api/v1/accounts").await;
    assert_eq!(status, StatusCode::OK);
    let phones: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|a| a["phone"].as_str())
        .collect();
    assert_eq!(list["total"], 3, "{list}");
    assert!(
        phones.contains(&MEMBER) && phones.contains(&GROUP_LEADER) && phones.contains(&SECRETARY)
    );
    assert!(
        !phones.contains(&ADMIN),
        "the system administrator is outside the branch"
    );
    let admin_id = {
        let admin = app.new_browser();
        admin.login(ADMIN, PASSWORD).await;
        admin.get_json("/api/v1/me").await.1["id"]
            .as_i64()
            .expect("id")
    };
    let (status, _) = app.get_json(&format!("/api/v1/accounts/{admin_id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let reset = app
        .post_json(
            &format!("/api/v1/accounts/{admin_id}/reset-password"),
            &json!({}),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::FORBIDDEN);
    let (status, page) = app.get_json("/api/v1/accounts?per_page=2&page=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        page["items"].as_array().expect("items").len(),
        1,
        "pagination: third of three on page 2"
    );
}

async fn reset_password_ends_sessions_and_forces_a_change(backend: Backend) {
    let app = spawn_demo(backend).await;
    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    app.login(SECRETARY, PASSWORD).await;
    let (_, list) = app.get_json("/api/v1/accounts?q=张伟").await;
    let id = list["items"][0]["id"].as_i64().expect("id");
    let page = app
        .post_form(&format!("/admin/accounts/{id}/reset-password"), &[])
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("body");
    assert!(html.contains("密码已重置"));
    let temporary = html
        .split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .expect("temporary password")
        .to_string();
    assert_eq!(
        member.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "the member's session ended"
    );
    assert_eq!(
        member.login_api(MEMBER, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let fresh = app.new_browser();
    let login = fresh.login_api(MEMBER, &temporary).await;
    assert_eq!(login.status(), StatusCode::OK);
    assert_eq!(
        login.json::<Value>().await.expect("json")["account"]["must_change_password"],
        true
    );
    assert_eq!(app.audit_actions("password_reset").await.len(), 1);
}

on_both_backends!(
    new_member_must_change_the_initial_password_first,
    administrator_creates_an_account_in_the_ui,
    roles_fit_their_nodes_and_nobody_grants_above_themselves,
    secretary_sees_only_accounts_of_the_own_subtree,
    reset_password_ends_sessions_and_forces_a_change
);
