//! 争先创优 through the API on both backends: nominations with reasons, the committee's decision,
//! objections only within the public notice dates, and the final list in the member's record.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::member_id;
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;
use crate::points::signed_in;

fn day(offset: i64) -> String {
    let today = crate::helpers::today();
    let span = jiff::Span::new().days(offset.abs());
    if offset < 0 {
        today.checked_sub(span)
    } else {
        today.checked_add(span)
    }
    .expect("date")
    .to_string()
}

/// A campaign with 张伟 nominated by the group leader and selected for a notice between two days.
async fn on_notice(app: &TestApp, leader: &TestApp, zhang: i64, from: i64, to: i64) -> (i64, i64) {
    let branch = org_id(app, "站南派出所党支部").await;
    let started = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/awards"),
            &json!({"title": "年度“两优一先”评选"}),
        )
        .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let id = started.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let nominated = leader
        .post_json(
            &format!("/api/v1/awards/{id}/nominations"),
            &json!({
                "honour": "excellent_member",
                "member_id": zhang,
                "reason": "攻坚任务中表现突出",
            }),
        )
        .await;
    assert_eq!(nominated.status(), StatusCode::CREATED);
    let nomination = nominated.json::<Value>().await.expect("json")["nominations"][0]["id"]
        .as_i64()
        .expect("nomination");
    let decided = app
        .post_json(
            &format!("/api/v1/awards/{id}/decision"),
            &json!({"selected": [nomination], "notice_from": day(from), "notice_to": day(to)}),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    (id, nomination)
}

async fn objections_are_taken_only_during_the_public_notice(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let zhang = member_id(&app, "张伟").await;
    let group = org_id(&app, "综合党小组").await;

    // During the notice: objections are taken, the list cannot be final yet.
    let (open, nomination) = on_notice(&app, &leader, zhang, -1, 3).await;
    let objected = member
        .post_json(
            &format!("/api/v1/awards/{open}/objections"),
            &json!({"nomination_id": nomination, "text": "情况需核实"}),
        )
        .await;
    assert_eq!(objected.status(), StatusCode::NO_CONTENT);
    let (_, seen) = app.get_json(&format!("/api/v1/awards/{open}")).await;
    assert_eq!(seen["nominations"][0]["objections"], 1);
    let early = app
        .post_json(&format!("/api/v1/awards/{open}/final"), &json!({}))
        .await;
    assert_eq!(early.status(), StatusCode::CONFLICT);

    // Before it starts and after it ends: no objections.
    let (later, n2) = on_notice(&app, &leader, zhang, 1, 5).await;
    let before = member
        .post_json(
            &format!("/api/v1/awards/{later}/objections"),
            &json!({"nomination_id": n2, "text": "x"}),
        )
        .await;
    assert_eq!(before.status(), StatusCode::CONFLICT);
    let (ended, n3) = on_notice(&app, &leader, zhang, -6, -1).await;
    let after = member
        .post_json(
            &format!("/api/v1/awards/{ended}/objections"),
            &json!({"nomination_id": n3, "text": "x"}),
        )
        .await;
    assert_eq!(after.status(), StatusCode::CONFLICT);
    assert_eq!(
        member
            .get_json(&format!("/api/v1/members/{zhang}/honours"))
            .await
            .1,
        json!([]),
        "nothing recorded before the final list"
    );
    let finished = app
        .post_json(&format!("/api/v1/awards/{ended}/final"), &json!({}))
        .await;
    assert_eq!(finished.status(), StatusCode::OK);
    let (_, honours) = member
        .get_json(&format!("/api/v1/members/{zhang}/honours"))
        .await;
    assert_eq!(honours[0]["honour_label"], "优秀共产党员");

    // Bad input changes nothing.
    let branch = org_id(&app, "站南派出所党支部").await;
    let id = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/awards"),
            &json!({"title": "优秀党小组评选"}),
        )
        .await
        .json::<Value>()
        .await
        .expect("json")["id"]
        .as_i64()
        .expect("id");
    let g = app
        .post_json(
            &format!("/api/v1/awards/{id}/nominations"),
            &json!({"honour": "excellent_group", "group_id": group, "reason": "三会一课落实好"}),
        )
        .await;
    assert_eq!(g.status(), StatusCode::CREATED);
    let gid = g.json::<Value>().await.expect("json")["nominations"][0]["id"]
        .as_i64()
        .expect("id");
    let backwards = app
        .post_json(
            &format!("/api/v1/awards/{id}/decision"),
            &json!({"selected": [gid], "notice_from": day(3), "notice_to": day(1)}),
        )
        .await;
    assert_eq!(backwards.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        member
            .post_json(
                &format!("/api/v1/awards/{id}/nominations"),
                &json!({"honour": "excellent_member", "member_id": zhang, "reason": "自荐"})
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let page = app.get(&format!("/awards/{id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("page").contains("综合党小组"));
}

on_both_backends!(objections_are_taken_only_during_the_public_notice);
