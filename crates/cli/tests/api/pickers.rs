//! Choosing a member in a form (issue #14): by name or pinyin initials within the caller's reach,
//! never by typing a number; a refused form keeps what was entered.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::Value;

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

fn names(choices: &Value) -> Vec<String> {
    choices["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect()
}

async fn members_are_found_by_name_or_initials_within_reach(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let (_, me) = app.get_json("/api/v1/me").await;
    let branch = me["org_id"].as_i64().expect("branch");
    let (status, by_initials) = app
        .get_json(&format!("/api/v1/orgs/{branch}/member-choices?q=zw"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        names(&by_initials).contains(&"张伟".to_string()),
        "{by_initials}"
    );
    let (_, by_name) = app
        .get_json(&format!("/api/v1/orgs/{branch}/member-choices?q=张伟"))
        .await;
    assert_eq!(names(&by_name), vec!["张伟".to_string()]);

    // A group leader chooses within the group only; a member chooses nobody.
    let leader = app.new_browser();
    leader.login(GROUP_LEADER, PASSWORD).await;
    let (_, leader_me) = leader.get_json("/api/v1/me").await;
    let group = leader_me["org_id"].as_i64().expect("group");
    let (status, own) = leader
        .get_json(&format!("/api/v1/orgs/{group}/member-choices"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!names(&own).is_empty());
    assert_eq!(
        leader
            .get_json(&format!("/api/v1/orgs/{branch}/member-choices"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    assert_eq!(
        member
            .get_json(&format!("/api/v1/orgs/{group}/member-choices"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    // The htmx piece is a list of radio buttons named as the form asks, values never typed.
    let piece = app
        .get(&format!(
            "/partials/orgs/{branch}/member-choices?field=member_id&q=zw"
        ))
        .await;
    assert_eq!(piece.status(), StatusCode::OK);
    let html = Html::parse_fragment(&piece.text().await.expect("body"));
    let radios: Vec<_> = html
        .select(&selector("input[type=radio][name=member_id]"))
        .collect();
    assert!(!radios.is_empty());
    let hostile = app
        .get(&format!(
            "/partials/orgs/{branch}/member-choices?field=%22%3E%3Cscript%3E"
        ))
        .await;
    let html = Html::parse_fragment(&hostile.text().await.expect("body"));
    assert!(html.select(&selector("script")).next().is_none());
    assert!(
        html.select(&selector("input[type=radio]"))
            .all(|r| r.value().attr("name") == Some("member_id"))
    );
}

async fn the_points_proposal_picks_a_member_and_keeps_input_on_error(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let (_, me) = app.get_json("/api/v1/me").await;
    let branch = me["org_id"].as_i64().expect("branch");
    let page = app.get(&format!("/orgs/{branch}/points")).await;
    let html = Html::parse_document(&page.text().await.expect("body"));
    let form = selector("form[action$='/points/proposals']");
    let proposal_form = html.select(&form).next().expect("the proposal form");
    assert!(
        proposal_form
            .select(&selector("input[name=member_id]"))
            .next()
            .is_none(),
        "no field to type a member's number"
    );
    assert!(
        proposal_form
            .select(&selector("fieldset.picker input[type=search]"))
            .next()
            .is_some(),
        "a picker instead"
    );

    // No member chosen: the page comes back with the reason and what was typed.
    let refused = app
        .post_form(
            &format!("/orgs/{branch}/points/proposals"),
            &[
                ("item_code", "A01"),
                ("points", "3"),
                ("reason", "社区志愿服务"),
                ("q", "zw"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&refused.text().await.expect("body"));
    let alert: String = html
        .select(&selector("[role=alert]"))
        .flat_map(|a| a.text())
        .collect();
    assert!(alert.contains("请选择党员"), "{alert}");
    assert_eq!(
        html.select(&selector("input[name=reason]"))
            .next()
            .and_then(|i| i.value().attr("value")),
        Some("社区志愿服务")
    );

    // Chosen in the picker: the proposal is made for that member.
    let zhang = crate::activities::member_id(&app, "张伟").await;
    let made = app
        .post_form(
            &format!("/orgs/{branch}/points/proposals"),
            &[
                ("member_id", &zhang.to_string()),
                ("item_code", "A01"),
                ("points", "3"),
                ("reason", "社区志愿服务"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let (_, proposals) = app
        .get_json(&format!("/api/v1/orgs/{branch}/points/proposals"))
        .await;
    assert!(
        proposals
            .as_array()
            .expect("proposals")
            .iter()
            .any(|p| p["member_name"] == "张伟" && p["reason"] == "社区志愿服务"),
        "{proposals}"
    );

    // A member is not offered the form at all.
    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    let group = org_id(&app, "综合党小组").await;
    let own = member.get(&format!("/orgs/{group}/points")).await;
    if own.status() == StatusCode::OK {
        let html = Html::parse_document(&own.text().await.expect("body"));
        assert!(html.select(&form).next().is_none());
    }
}

async fn a_recommendation_picks_a_member_or_a_group(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let started = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/awards"),
            &serde_json::json!({"title": "年度“两优一先”评选"}),
        )
        .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let id = started.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let page = app.get(&format!("/awards/{id}")).await;
    let html = Html::parse_document(&page.text().await.expect("body"));
    let form = selector("form[action$='/nominations']");
    let nomination_form = html.select(&form).next().expect("the recommendation form");
    assert!(
        nomination_form
            .select(&selector("input[name=nominee_id], input[name=member_id]"))
            .next()
            .is_none(),
        "no number to type"
    );
    let groups: Vec<String> = nomination_form
        .select(&selector("select[name=group_id] option"))
        .map(|o| o.text().collect())
        .collect();
    assert!(groups.contains(&"综合党小组".to_string()), "{groups:?}");

    // Neither chosen: the form comes back with the reason kept.
    let refused = app
        .post_form(
            &format!("/awards/{id}/nominations"),
            &[
                ("honour", "excellent_group"),
                ("group_id", ""),
                ("reason", "三会一课落实好"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&refused.text().await.expect("body"));
    assert_eq!(
        html.select(&selector("input[name=reason]"))
            .next()
            .and_then(|i| i.value().attr("value")),
        Some("三会一课落实好")
    );
    let group = org_id(&app, "综合党小组").await;
    let zhang = crate::activities::member_id(&app, "张伟").await;
    for fields in [
        vec![
            ("honour", "excellent_group".to_string()),
            ("group_id", group.to_string()),
            ("reason", "三会一课落实好".to_string()),
        ],
        vec![
            ("honour", "excellent_member".to_string()),
            ("member_id", zhang.to_string()),
            ("group_id", String::new()),
            ("reason", "攻坚任务中表现突出".to_string()),
        ],
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let made = app
            .post_form(&format!("/awards/{id}/nominations"), &fields)
            .await;
        assert_eq!(made.status(), StatusCode::SEE_OTHER);
    }
    let (_, campaign) = app.get_json(&format!("/api/v1/awards/{id}")).await;
    let nominees: Vec<&str> = campaign["nominations"]
        .as_array()
        .expect("nominations")
        .iter()
        .filter_map(|n| n["nominee_name"].as_str())
        .collect();
    assert!(
        nominees.contains(&"综合党小组") && nominees.contains(&"张伟"),
        "{nominees:?}"
    );
}

on_both_backends!(
    members_are_found_by_name_or_initials_within_reach,
    the_points_proposal_picks_a_member_and_keeps_input_on_error,
    a_recommendation_picks_a_member_or_a_group
);
