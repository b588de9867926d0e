//! Accounts for the roster (issue #14): a branch opens its members' accounts in one step, a
//! member activates their own, an account is linked and moved by hand, and a linked account
//! follows its member through moves, positions and leaving.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

/// Registers a member through the API and returns their id.
async fn register(app: &TestApp, org: i64, name: &str, id_number: &str, phone: &str) -> i64 {
    let created = app
        .post_json(
            "/api/v1/members",
            &member_body(org, name, id_number, phone, "正常"),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED, "register {name}");
    created.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

fn member_body(org: i64, name: &str, id_number: &str, phone: &str, status: &str) -> Value {
    json!({
        "org_id": org, "name": name, "id_number": id_number, "phone": phone,
        "category": "正式党员", "joined_on": "2015-07-01", "full_member_on": "2016-07-01",
        "education": "大学本科", "status": status
    })
}

/// Signs in with an initial password and sets a new one, as a member does at first login.
async fn first_login(app: &TestApp, phone: &str, initial: &str, new_password: &str) -> TestApp {
    let member = app.new_browser();
    member.login(phone, initial).await;
    assert_eq!(location(&member.get("/").await), "/account/password");
    let changed = member
        .post_form(
            "/account/password",
            &[
                ("current_password", initial),
                ("new_password", new_password),
                ("new_password_again", new_password),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    member
}

async fn a_branch_opens_accounts_for_its_roster_in_one_step(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let (_, me) = app.get_json("/api/v1/me").await;
    let branch = me["org_id"].as_i64().expect("the secretary's branch");
    let (status, before) = app
        .get_json(&format!(
            "/api/v1/orgs/{branch}/member-accounts?without_account=true&per_page=200"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let rows = before["members"]["items"]
        .as_array()
        .expect("items")
        .clone();
    let openable: Vec<i64> = rows
        .iter()
        .filter(|row| row["state"] == "none")
        .map(|row| row["member_id"].as_i64().expect("member id"))
        .collect();
    assert!(
        !openable.is_empty(),
        "the demo branch has members without accounts"
    );
    assert_eq!(before["may_open"].as_i64(), Some(openable.len() as i64));
    assert!(
        rows.iter()
            .all(|row| row["phone"].as_str().is_some_and(|p| !p.contains('*'))),
        "the secretary sees the full login numbers to hand them over"
    );

    let opened = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/member-accounts"),
            &json!({}),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let opened: Value = opened.json().await.expect("json");
    let handed_over = opened["opened"].as_array().expect("opened");
    let mut opened_ids: Vec<i64> = handed_over
        .iter()
        .map(|row| row["member_id"].as_i64().expect("member id"))
        .collect();
    opened_ids.sort_unstable();
    let mut expected = openable.clone();
    expected.sort_unstable();
    assert_eq!(
        opened_ids, expected,
        "exactly the members who could get one"
    );
    assert_eq!(
        app.audit_actions("account_created").await.len(),
        handed_over.len(),
        "one audit entry per account"
    );

    let (_, after) = app
        .get_json(&format!(
            "/api/v1/orgs/{branch}/member-accounts?without_account=true"
        ))
        .await;
    assert_eq!(after["may_open"], 0, "nobody left to open");
    let again = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/member-accounts"),
            &json!({ "member_ids": [opened_ids[0]] }),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = again.json().await.expect("json");
    assert_eq!(again["opened"].as_array().map(Vec::len), Some(0));
    assert_eq!(again["not_opened"][0]["reason"], "已开通，未首次登录");

    // The member signs in with the handed-over password, sets their own, and acts as themself.
    let first = &handed_over[0];
    let member = first_login(
        &app,
        first["phone"].as_str().expect("phone"),
        first["initial_password"].as_str().expect("password"),
        "mine2026ok",
    )
    .await;
    let (status, me) = member.get_json("/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["name"], first["name"]);
    let (status, _) = member.get_json("/api/v1/me/activities").await;
    assert_eq!(status, StatusCode::OK, "the account acts for its member");

    // Another branch's secretary reach stops at the subtree.
    let admin = app.new_browser();
    admin.login(ADMIN, PASSWORD).await;
    let other = org_id(&admin, "机关党支部").await;
    let (status, _) = app
        .get_json(&format!("/api/v1/orgs/{other}/member-accounts"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refused = app
        .post_json(&format!("/api/v1/orgs/{other}/member-accounts"), &json!({}))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

async fn a_member_activates_once_with_phone_and_id_tail(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = org_id(&app, "综合党小组").await;
    register(&app, group, "韩梅", "610502199003071248", "13912340000").await;

    let visitor = app.new_browser();
    let attempt = |tail: &'static str, password: &'static str| {
        let visitor = &visitor;
        async move {
            visitor
                .post_json(
                    "/api/v1/auth/activate",
                    &json!({
                        "phone": "13912340000",
                        "id_number_tail": tail,
                        "password": password,
                    }),
                )
                .await
        }
    };
    let wrong = attempt("071249", "hanmei2026").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let weak = attempt("071248", "short").await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        visitor.cookie("dj_session").is_none(),
        "nothing opened so far"
    );

    let activated = attempt("071248", "hanmei2026").await;
    assert_eq!(activated.status(), StatusCode::OK);
    let body: Value = activated.json().await.expect("json");
    assert_eq!(body["account"]["role"], "member");
    assert_eq!(body["account"]["org_id"].as_i64(), Some(group));
    assert_eq!(body["account"]["must_change_password"], false);
    assert_eq!(
        visitor.get_json("/api/v1/me/activities").await.0,
        StatusCode::OK
    );

    let twice = app
        .new_browser()
        .post_json(
            "/api/v1/auth/activate",
            &json!({ "phone": "13912340000", "id_number_tail": "071248", "password": "other2026" }),
        )
        .await;
    assert_eq!(
        twice.status(),
        StatusCode::CONFLICT,
        "activation happens once"
    );
    app.new_browser().login("13912340000", "hanmei2026").await;
    assert_eq!(app.audit_actions("account_activated").await.len(), 1);
    assert!(
        !app.audit_actions("login_failed").await.is_empty(),
        "the wrong tail was audited as a failed attempt"
    );

    // Guessing is throttled per client address, like logins.
    let guesser = app.new_browser();
    let mut last = StatusCode::OK;
    for _ in 0..40 {
        last = guesser
            .post_json(
                "/api/v1/auth/activate",
                &json!({
                    "phone": "13912349999",
                    "id_number_tail": "000000",
                    "password": "guess2026",
                }),
            )
            .await
            .status();
        if last == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);

    // The page: a wrong tail re-renders the form with the phone kept and says why.
    let page = app.new_browser();
    let answer = page
        .post_form(
            "/activate",
            &[
                ("phone", "13912340000"),
                ("id_number_tail", "12345"),
                ("password", "abcd1234"),
                ("password_again", "abcd1234"),
            ],
        )
        .await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = scraper::Html::parse_document(&answer.text().await.expect("body"));
    let phone = scraper::Selector::parse("input[name=phone]").expect("selector");
    let alert = scraper::Selector::parse("[role=alert]").expect("selector");
    assert_eq!(
        html.select(&phone)
            .next()
            .and_then(|i| i.value().attr("value")),
        Some("13912340000")
    );
    assert!(
        html.select(&alert)
            .next()
            .is_some_and(|a| a.text().collect::<String>().contains("后六位"))
    );
}

async fn a_linked_account_follows_its_member(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = org_id(&app, "综合党小组").await;
    let other_group = org_id(&app, "治安党小组").await;
    let id = register(&app, group, "韩梅", "610502199003071248", "13912340000").await;
    let opened: Value = app
        .post_json(
            &format!("/api/v1/orgs/{group}/member-accounts"),
            &json!({ "member_ids": [id] }),
        )
        .await
        .json()
        .await
        .expect("json");
    let initial = opened["opened"][0]["initial_password"]
        .as_str()
        .expect("password")
        .to_string();
    let member = first_login(&app, "13912340000", &initial, "hanmei2026").await;
    assert_eq!(me(&member).await.1["org_id"].as_i64(), Some(group));

    // A 党小组长 position gives the group leader's reach from its start date.
    let appointed = app
        .post_json(
            &format!("/api/v1/orgs/{group}/positions"),
            &json!({ "member_id": id, "position": "党小组长", "started_on": today().to_string() }),
        )
        .await;
    assert_eq!(appointed.status(), StatusCode::CREATED);
    let (_, now_leader) = me(&member).await;
    assert_eq!(now_leader["role"], "group_leader");
    assert_eq!(now_leader["org_id"].as_i64(), Some(group));
    let position_id = appointed.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("position id");
    let ended = app
        .post_json(
            &format!("/api/v1/orgs/{group}/positions/end"),
            &json!({ "position_id": position_id }),
        )
        .await;
    assert!(ended.status().is_success());
    assert_eq!(
        me(&member).await.1["role"],
        "member",
        "the reach ends with the position"
    );

    // Moving to another group of the branch moves the account with the record.
    let moved = app
        .put_json(
            &format!("/api/v1/members/{id}"),
            &member_body(
                other_group,
                "韩梅",
                "610502199003071248",
                "13912340000",
                "正常",
            ),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(me(&member).await.1["org_id"].as_i64(), Some(other_group));
    assert_eq!(app.audit_actions("account_moved").await.len(), 1);

    // Unlink and link again by the account's phone number.
    assert_eq!(
        app.delete(&format!("/api/v1/members/{id}/account"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        member.get_json("/api/v1/me/activities").await.0,
        StatusCode::CONFLICT,
        "an unlinked account acts for no member"
    );
    let linked = app
        .put_json(
            &format!("/api/v1/members/{id}/account"),
            &json!({ "phone": "139 1234 0000" }),
        )
        .await;
    assert_eq!(linked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        member.get_json("/api/v1/me/activities").await.0,
        StatusCode::OK
    );
    // 出党 ends access at once: the session stops and the login says why.
    let left = app
        .put_json(
            &format!("/api/v1/members/{id}"),
            &member_body(
                other_group,
                "韩梅",
                "610502199003071248",
                "13912340000",
                "出党",
            ),
        )
        .await;
    assert_eq!(left.status(), StatusCode::OK);
    assert_eq!(
        member.get_json("/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    let refused = app
        .new_browser()
        .login_api("13912340000", "hanmei2026")
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused.json::<Value>().await.expect("json")["message"]
            .as_str()
            .is_some_and(|m| m.contains("出党"))
    );

    // A record entered wrongly: the account moves to the right record, audited with both.
    let right = register(&app, group, "韩梅", "110101198506120039", "13912340001").await;
    let moved_link = app
        .put_json(
            &format!("/api/v1/members/{right}/account"),
            &json!({ "phone": "13912340000" }),
        )
        .await;
    assert_eq!(moved_link.status(), StatusCode::NO_CONTENT);
    let links = app.audit_actions("account_linked").await;
    assert_eq!(links.len(), 2);
    assert!(links.iter().any(|entry| {
        entry["summary"]
            .as_str()
            .is_some_and(|s| s.contains("改为关联"))
    }));
    let signed_in = app.new_browser();
    signed_in.login("13912340000", "hanmei2026").await;
    assert_eq!(
        signed_in.get_json("/api/v1/me/activities").await.0,
        StatusCode::OK
    );
}

async fn me(who: &TestApp) -> (StatusCode, Value) {
    who.get_json("/api/v1/me").await
}

async fn the_roster_accounts_page_opens_and_hands_over(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = org_id(&app, "综合党小组").await;
    let id = register(&app, group, "韩梅", "610502199003071248", "13912340000").await;
    let page = app
        .get(&format!("/admin/accounts/roster?org={group}&without=1"))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = scraper::Html::parse_document(&page.text().await.expect("body"));
    let boxes = scraper::Selector::parse("input[type=checkbox][name=member]").expect("selector");
    let offered: Vec<String> = html
        .select(&boxes)
        .filter_map(|b| b.value().attr("value").map(str::to_string))
        .collect();
    assert!(
        offered.contains(&id.to_string()),
        "the new member is offered"
    );

    let answer = app
        .post_form(
            "/admin/accounts/roster",
            &[
                ("org_id", &group.to_string()),
                ("member", &id.to_string()),
                ("scope", "selected"),
            ],
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = scraper::Html::parse_document(&answer.text().await.expect("body"));
    let cells = scraper::Selector::parse("tbody tr td").expect("selector");
    let row: Vec<String> = html
        .select(&cells)
        .map(|td| td.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(row.len(), 4, "one handed-over row: {row:?}");
    assert_eq!(row[0], "韩梅");
    assert_eq!(row[2], "13912340000");
    let download = scraper::Selector::parse("a[download]").expect("selector");
    let href = html
        .select(&download)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a download link");
    let encoded = href
        .strip_prefix("data:text/csv;charset=utf-8;base64,")
        .expect("a CSV inside the link");
    use base64::Engine;
    let csv = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .expect("base64"),
    )
    .expect("utf-8");
    assert!(csv.contains(&format!("韩梅,综合党小组,13912340000,{}", row[3])));
    member_logs_in(&app, "13912340000", &row[3]).await;

    // The member's page shows the account to the secretary.
    let profile = app.get(&format!("/members/{id}")).await;
    let html = scraper::Html::parse_document(&profile.text().await.expect("body"));
    let sections = scraper::Selector::parse("section h2").expect("selector");
    assert!(
        html.select(&sections)
            .any(|h| h.text().collect::<String>() == "登录账号")
    );
}

async fn member_logs_in(app: &TestApp, phone: &str, password: &str) {
    app.new_browser().login(phone, password).await;
}

on_both_backends!(
    a_branch_opens_accounts_for_its_roster_in_one_step,
    a_member_activates_once_with_phone_and_id_tail,
    a_linked_account_follows_its_member,
    the_roster_accounts_page_opens_and_hands_over
);
