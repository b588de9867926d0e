use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

/// A valid synthetic ID number: 610502 + 1990-03-07 + sequence 123 (odd: a man) + check digit.
const ID_MAN_1990: &str = "61050219900307123X";

fn new_member(org: i64, name: &str, id_number: &str) -> Value {
    json!({
        "org_id": org, "name": name, "id_number": id_number, "phone": "13912340000",
        "category": "正式党员", "joined_on": "2015-07-01", "full_member_on": "2016-07-01", "education": "大学本科"
    })
}

async fn secretary_registers_a_member_and_every_bad_field_is_reported(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = org_id(&app, "刑侦党小组").await;
    let bad = app
        .post_json(
            "/api/v1/members",
            &json!({
                "org_id": group, "name": "", "id_number": "610502199003071234", "phone": "12345",
                "category": "党员", "joined_on": "2015-13-01", "ethnicity": "火星族"
            }),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = bad.json::<Value>().await.expect("json")["message"]
        .as_str()
        .expect("message")
        .to_string();
    for expected in ["姓名", "身份证号", "手机号", "党员类别", "入党日期", "民族"]
    {
        assert!(
            message.contains(expected),
            "{expected} missing in: {message}"
        );
    }
    let created = app
        .post_json("/api/v1/members", &new_member(group, "韩梅", ID_MAN_1990))
        .await;
    assert_eq!(
        created.status(),
        StatusCode::CREATED,
        "{:?}",
        created.text().await
    );
    let duplicate = app
        .post_json("/api/v1/members", &new_member(group, "韩梅二", ID_MAN_1990))
        .await;
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        duplicate.json::<Value>().await.expect("json")["message"]
            .as_str()
            .expect("m")
            .contains("已在花名册中")
    );
    let wrong_gender = app.post_json("/api/v1/members", &json!({
        "org_id": group, "name": "韩梅", "id_number": "610502199003071248", "gender": "男", "category": "正式党员",
        "joined_on": "2015-07-01", "full_member_on": "2016-07-01"
    })).await;
    assert_eq!(
        wrong_gender.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the ID says a woman"
    );
    let (_, list) = app
        .get_json(&format!("/api/v1/members?org_id={group}&q=韩梅"))
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(
        list["items"][0]["gender"], "男",
        "gender taken from the ID number"
    );
    assert_eq!(list["items"][0]["birth_date"], "1990-03-07");
    assert_eq!(app.audit_actions("member_created").await.len(), 1);
}

async fn roster_filters_and_pinyin_search(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let (status, all) = app.get_json("/api/v1/members?per_page=200").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        all["total"], 27,
        "the secretary sees the branch's 27 members"
    );
    let (_, by_initials) = app.get_json("/api/v1/members?q=zw").await;
    assert!(
        by_initials["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|m| m["name"] == "张伟"),
        "{by_initials}"
    );
    let (_, probationary) = app.get_json("/api/v1/members?category=probationary").await;
    assert_eq!(probationary["total"], 2);
    let group = org_id(&app, "综合党小组").await;
    let (_, in_group) = app
        .get_json(&format!("/api/v1/members?org_id={group}"))
        .await;
    assert_eq!(in_group["total"], 10);
    let (_, cadres) = app.get_json("/api/v1/members?flag=leading_cadre").await;
    assert!(
        cadres["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|m| m["is_leading_cadre"] == true)
    );
    let mut by_band = 0;
    for band in ["up_to_30", "31_40", "41_50", "51_60", "61_up"] {
        let (status, found) = app
            .get_json(&format!("/api/v1/members?age_band={band}&per_page=200"))
            .await;
        assert_eq!(status, StatusCode::OK, "{band}");
        by_band += found["total"].as_i64().expect("total");
    }
    assert_eq!(
        by_band, 27,
        "the age bands split the roster without gaps or overlaps"
    );
    let year = all["items"][0]["joined_on"].as_str().expect("joined")[..4].to_string();
    let (_, joined) = app
        .get_json(&format!("/api/v1/members?join_year={year}"))
        .await;
    assert!(joined["total"].as_i64().expect("n") >= 1);
    assert!(
        joined["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|m| m["joined_on"].as_str().expect("d").starts_with(&year))
    );
    let (status, _) = app.get_json("/api/v1/members?flag=unknown").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = app.get("/members?q=zw").await.text().await.expect("body");
    assert!(page.contains("张伟"));
}

async fn personal_data_is_masked_by_role_and_reveals_are_audited(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let (_, list) = app.get_json("/api/v1/members?q=张伟").await;
    let member = &list["items"][0];
    let id = member["id"].as_i64().expect("id");
    let masked = member["id_number"].as_str().expect("id number");
    assert_eq!(masked.len(), 18);
    assert_eq!(
        &masked[3..14],
        "***********",
        "ID numbers are masked in lists: {masked}"
    );
    assert!(
        !member["phone"].as_str().expect("phone").contains('*'),
        "the secretary may see phones"
    );
    let revealed = app
        .post_json(
            &format!("/api/v1/members/{id}/reveal-id-number"),
            &json!({}),
        )
        .await;
    assert_eq!(revealed.status(), StatusCode::OK);
    let full = revealed.json::<Value>().await.expect("json")["id_number"]
        .as_str()
        .expect("id")
        .to_string();
    assert!(!full.contains('*') && full.ends_with(&masked[14..]));
    assert_eq!(app.audit_actions("id_number_viewed").await.len(), 1);

    let leader = app.new_browser();
    leader.login(GROUP_LEADER, PASSWORD).await;
    let (status, own_group) = leader.get_json("/api/v1/members").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own_group["total"], 10, "a group leader sees the group");
    assert!(
        own_group["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|m| m["phone"].as_str().expect("p").contains("****")),
        "phones masked for a group leader"
    );
    let refused = leader
        .post_json(
            &format!("/api/v1/members/{id}/reveal-id-number"),
            &json!({}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let member_account = app.new_browser();
    member_account.login(MEMBER, PASSWORD).await;
    assert_eq!(
        member_account.get_json("/api/v1/members").await.0,
        StatusCode::FORBIDDEN
    );
}

async fn moving_to_another_branch_is_a_transfer_not_an_edit(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let (_, list) = app.get_json("/api/v1/members?q=张伟").await;
    let id = list["items"][0]["id"].as_i64().expect("id");
    let other_group = org_id(&app, "治安党小组").await;
    let mut body = new_member(other_group, "张伟", "");
    let (_, detail) = app.get_json(&format!("/api/v1/members/{id}")).await;
    let full = app
        .post_json(
            &format!("/api/v1/members/{id}/reveal-id-number"),
            &json!({}),
        )
        .await
        .json::<Value>()
        .await
        .expect("json");
    body["id_number"] = full["id_number"].clone();
    body["joined_on"] = detail["joined_on"].clone();
    body["full_member_on"] = detail["full_member_on"].clone();
    let moved = app
        .client
        .put(app.url(&format!("/api/v1/members/{id}")))
        .header("x-csrf-token", app.csrf().await)
        .json(&body)
        .send()
        .await
        .expect("req");
    assert_eq!(
        moved.status(),
        StatusCode::OK,
        "another group of the same branch is an edit"
    );
    assert_eq!(
        moved.json::<Value>().await.expect("json")["group_name"],
        "治安党小组"
    );
    let edits = app.audit_actions("member_updated").await;
    let edit = edits.first().expect("the edit is audited");
    let before = edit["before"].as_str().expect("before");
    assert!(before.contains("党小组=综合党小组"), "{before}");
    assert_eq!(
        edit["after"],
        "姓名=张伟；类别=正式党员；状态=正常；党小组=治安党小组"
    );
    body["org_id"] = json!(org_id(&app, "机关党支部").await);
    let refused = app
        .client
        .put(app.url(&format!("/api/v1/members/{id}")))
        .header("x-csrf-token", app.csrf().await)
        .json(&body)
        .send()
        .await
        .expect("req");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.json::<Value>().await.expect("json")["message"]
            .as_str()
            .expect("m")
            .contains("组织关系转接")
    );
    let profile = app
        .get(&format!("/members/{id}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        profile.contains("修改党员 张伟 的信息"),
        "the timeline shows the change"
    );
}

on_both_backends!(
    secretary_registers_a_member_and_every_bad_field_is_reported,
    roster_filters_and_pinyin_search,
    personal_data_is_masked_by_role_and_reveals_are_audited,
    moving_to_another_branch_is_a_transfer_not_an_edit
);
