use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::member_id;
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

/// An organization administrator for another branch, signed in.
async fn admin_of(app: &TestApp, org: &str, phone: &str) -> TestApp {
    let admin = app.new_browser();
    admin.login(ADMIN, PASSWORD).await;
    let org = org_id(&admin, org).await;
    let created = admin
        .post_json(
            "/api/v1/accounts",
            &json!({
                "phone": phone,
                "name": "接收方书记",
                "role": "org_admin",
                "org_id": org,
                "password": "receive2026",
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let receiver = app.new_browser();
    receiver.login_api(phone, "receive2026").await;
    let changed = receiver
        .post_json(
            "/api/v1/me/password",
            &json!({"current_password": "receive2026", "new_password": "receive2027"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    receiver
}

async fn transfer_within_the_system_waits_for_the_receiving_branch(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let zhang = member_id(&app, "张伟").await;
    let receiver = admin_of(&app, "机关党支部", "13700001111").await;
    let office = org_id(&receiver, "机关党支部").await;
    let started = app
        .post_json(
            "/api/v1/transfers",
            &json!({"member_id": zhang, "to_org_id": office, "reason": "工作调动"}),
        )
        .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let transfer: Value = started.json().await.expect("json");
    let id = transfer["id"].as_i64().expect("id");
    assert_eq!(transfer["status"], "pending");
    assert_eq!(transfer["can_cancel"], true);
    assert_eq!(
        transfer["can_decide"], false,
        "the sending side cannot accept its own transfer"
    );
    let again = app
        .post_json(
            "/api/v1/transfers",
            &json!({"member_id": zhang, "to_org_id": office}),
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "one pending transfer at a time"
    );
    let (_, still_here) = app.get_json("/api/v1/members?q=张伟").await;
    assert_eq!(
        still_here["total"], 1,
        "the member stays in the sending branch until accepted"
    );
    assert_eq!(
        app.post_json(&format!("/api/v1/transfers/{id}/accept"), &json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let (_, incoming) = receiver.get_json("/api/v1/transfers").await;
    assert_eq!(incoming[0]["can_decide"], true);
    let accepted = receiver
        .post_json(&format!("/api/v1/transfers/{id}/accept"), &json!({}))
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let (_, gone) = app.get_json("/api/v1/members?q=张伟").await;
    assert_eq!(
        gone["total"], 0,
        "after acceptance the member belongs to the receiving branch"
    );
    let (status, profile) = receiver.get_json(&format!("/api/v1/members/{zhang}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(profile["branch_name"], "机关党支部");
    let page = receiver
        .get(&format!("/members/{zhang}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("发起 张伟 的组织关系转接") && page.contains("站南派出所党支部"),
        "history across branches stays readable"
    );
    let twice = receiver
        .post_json(&format!("/api/v1/transfers/{id}/accept"), &json!({}))
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
}

async fn a_rejected_transfer_leaves_the_member_where_they_were(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let member = member_id(&app, "李红梅").await;
    let receiver = admin_of(&app, "生产运营党支部", "13700002222").await;
    let target = org_id(&receiver, "运行一班党小组").await;
    let started: Value = app
        .post_json(
            "/api/v1/transfers",
            &json!({"member_id": member, "to_org_id": target}),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = started["id"].as_i64().expect("id");
    let no_reason = receiver
        .post_json(&format!("/api/v1/transfers/{id}/reject"), &json!({}))
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let rejected = receiver
        .post_json(
            &format!("/api/v1/transfers/{id}/reject"),
            &json!({"note": "材料不全"}),
        )
        .await;
    assert_eq!(rejected.status(), StatusCode::OK);
    assert_eq!(
        rejected.json::<Value>().await.expect("json")["status"],
        "rejected"
    );
    let (_, here) = app.get_json(&format!("/api/v1/members/{member}")).await;
    assert_eq!(here["branch_name"], "站南派出所党支部");
    let same_branch = app
        .post_json(
            "/api/v1/transfers",
            &json!({"member_id": member, "to_org_id": org_id(&app, "刑侦党小组").await}),
        )
        .await;
    assert_eq!(
        same_branch.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "within the branch it is an edit"
    );
}

async fn letters_out_of_the_system_and_registration_of_members_coming_in(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let member = member_id(&app, "张伟").await;
    let issued_on = crate::helpers::today().saturating_sub(jiff::ToSpan::months(4));
    let out = app
        .post_json(
            "/api/v1/transfers/out",
            &json!({
                "member_id": member,
                "counterpart": "西安市某某街道党工委",
                "letter_no": "临公党转〔2026〕12号",
                "issued_on": issued_on.to_string(),
            }),
        )
        .await;
    assert_eq!(out.status(), StatusCode::CREATED);
    let out: Value = out.json().await.expect("json");
    assert_eq!(
        out["slip_due_on"],
        issued_on
            .saturating_add(jiff::ToSpan::months(3))
            .to_string()
    );
    assert_eq!(
        out["slip_overdue"], true,
        "four months without a slip is overdue"
    );
    let (_, profile) = app.get_json(&format!("/api/v1/members/{member}")).await;
    assert_eq!(profile["status"], "transferred_out");
    let page = app.get("/transfers").await.text().await.expect("body");
    assert!(page.contains("回执逾期"), "the list flags the overdue slip");
    let slip = app
        .post_json(
            &format!("/api/v1/transfers/{}/slip", out["id"]),
            &json!({"returned_on": issued_on.saturating_add(jiff::ToSpan::days(10)).to_string()}),
        )
        .await;
    assert_eq!(slip.status(), StatusCode::OK);
    assert_eq!(
        slip.json::<Value>().await.expect("json")["slip_overdue"],
        false
    );

    let group = org_id(&app, "刑侦党小组").await;
    let arrival = app.post_json("/api/v1/transfers/in", &json!({
        "org_id": group,
        "member": {"name": "韩梅", "id_number": "61050219900307123X", "category": "正式党员", "joined_on": "2015-07-01", "full_member_on": "2016-07-01"},
        "letter": {"counterpart": "渭南市某某局机关党委", "letter_no": "渭机党转〔2026〕3号", "issued_on": "2026-01-05"}
    })).await;
    assert_eq!(
        arrival.status(),
        StatusCode::CREATED,
        "{:?}",
        arrival.text().await
    );
    let (_, transfers) = app.get_json("/api/v1/transfers").await;
    assert!(
        transfers
            .as_array()
            .expect("list")
            .iter()
            .any(|t| t["kind"] == "in" && t["member_name"] == "韩梅")
    );
    let missing_letter = app.post_json("/api/v1/transfers/in", &json!({
        "org_id": group,
        "member": {"name": "李雷", "id_number": "610502199003071248", "category": "正式党员", "joined_on": "2015-07-01", "full_member_on": "2016-07-01"},
        "letter": {"counterpart": "", "letter_no": "", "issued_on": ""}
    })).await;
    assert_eq!(missing_letter.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, roster) = app.get_json("/api/v1/members?q=李雷").await;
    assert_eq!(roster["total"], 0, "nothing registered without the letter");
}

async fn health_check_finds_the_demo_problems_and_a_fix_clears_one(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let plant = org_id(&app, "渭南热电有限公司党委").await;
    let (status, findings) = app.get_json(&format!("/api/v1/orgs/{plant}/health")).await;
    assert_eq!(status, StatusCode::OK);
    let codes: Vec<&str> = findings
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    for expected in [
        "committee_missing",
        "members_without_group",
        "group_without_leader",
        "too_few_full_members",
        "term_expired",
    ] {
        assert!(codes.contains(&expected), "{expected} missing: {codes:?}");
    }
    assert!(
        findings
            .as_array()
            .expect("f")
            .iter()
            .all(|f| f["rule"].as_str().is_some_and(|r| r.contains("《"))),
        "each finding cites its rule"
    );
    let station = org_id(&app, "站南派出所党支部").await;
    let (_, healthy) = app
        .get_json(&format!("/api/v1/orgs/{station}/health"))
        .await;
    let station_codes: Vec<&str> = healthy
        .as_array()
        .expect("f")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(
        station_codes,
        vec!["term_ending_soon"],
        "the station's only note is its coming election"
    );

    let shift_two = org_id(&app, "运行二班党小组").await;
    let (_, members) = app
        .get_json(&format!("/api/v1/members?org_id={shift_two}"))
        .await;
    let someone = members["items"][0]["id"].as_i64().expect("member");
    let wrong = app
        .post_json(
            &format!("/api/v1/orgs/{shift_two}/positions"),
            &json!({"member_id": someone, "position": "secretary", "started_on": "2026-01-01"}),
        )
        .await;
    assert_eq!(
        wrong.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a group only has a leader"
    );
    let appointed = app
        .post_json(
            &format!("/api/v1/orgs/{shift_two}/positions"),
            &json!({"member_id": someone, "position": "党小组长", "started_on": "2026-01-01"}),
        )
        .await;
    assert_eq!(appointed.status(), StatusCode::CREATED);
    let (_, after) = app.get_json(&format!("/api/v1/orgs/{plant}/health")).await;
    assert!(
        !after
            .as_array()
            .expect("f")
            .iter()
            .any(|f| f["code"] == "group_without_leader")
    );
    let page = app
        .get(&format!("/orgs/{plant}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("组织体检") && page.contains("应当设立支部委员会"),
        "the node page shows the findings"
    );
}

on_both_backends!(
    transfer_within_the_system_waits_for_the_receiving_branch,
    a_rejected_transfer_leaves_the_member_where_they_were,
    letters_out_of_the_system_and_registration_of_members_coming_in,
    health_check_finds_the_demo_problems_and_a_fix_clears_one
);
