//! 待办 across areas (issue #14): a leave request reaches whoever runs the meeting, a member is
//! told that 民主评议 waits for them, and each reminder goes once it is done.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::activities::{approved_group_meeting, member_id, signed_in, yesterday};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

async fn reminders(who: &TestApp) -> Vec<Value> {
    let (status, body) = who.get_json("/api/v1/me/reminders").await;
    assert_eq!(status, StatusCode::OK);
    body.as_array().expect("reminders").clone()
}

fn of_kind<'a>(all: &'a [Value], kind: &str) -> Vec<&'a Value> {
    all.iter().filter(|r| r["kind"] == kind).collect()
}

async fn leave_requests_and_evaluations_wait_for_the_right_people(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;

    let attend = reminders(&member).await;
    assert!(
        of_kind(&attend, "attend")
            .iter()
            .any(|r| r["href"] == format!("/activities/{id}")),
        "the member is expected at the meeting: {attend:?}"
    );
    assert!(of_kind(&reminders(&leader).await, "decide_leave").is_empty());

    let asked = member
        .post_json(
            &format!("/api/v1/activities/{id}/leave"),
            &json!({"reason": "外出办案"}),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    for runner in [&leader, &app] {
        let waiting = reminders(runner).await;
        let leave = of_kind(&waiting, "decide_leave");
        assert_eq!(leave.len(), 1, "{waiting:?}");
        assert_eq!(leave[0]["href"], format!("/activities/{id}"));
        assert_eq!(leave[0]["detail"], "1 人请假待批");
        assert_eq!(leave[0]["label"], "请假待批");
    }
    assert!(
        of_kind(&reminders(&member).await, "decide_leave").is_empty(),
        "a member decides no leave"
    );
    let zhang = member_id(&app, "张伟").await;
    let decided = leader
        .post_json(
            &format!("/api/v1/activities/{id}/leave-decisions"),
            &json!({"member_id": zhang, "approve": true}),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    assert!(of_kind(&reminders(&leader).await, "decide_leave").is_empty());
    assert!(
        !of_kind(&reminders(&member).await, "attend")
            .iter()
            .any(|r| r["href"] == format!("/activities/{id}")),
        "on approved leave, the meeting no longer waits for the member"
    );

    // 民主评议 waits for the member until both parts are done.
    let branch = org_id(&app, "站南派出所党支部").await;
    let year = today().year();
    let started = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/evaluations"),
            &json!({"year": year}),
        )
        .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let campaign = started.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let evaluate = reminders(&member).await;
    let waiting = of_kind(&evaluate, "evaluate");
    assert_eq!(waiting.len(), 1, "{evaluate:?}");
    assert_eq!(waiting[0]["detail"], "请完成自评和互评");
    member
        .post_json(
            &format!("/api/v1/evaluations/{campaign}/self"),
            &json!({"text": "认真学习，按时参加组织生活。"}),
        )
        .await;
    let li = member_id(&app, "李红梅").await;
    member
        .post_json(
            &format!("/api/v1/evaluations/{campaign}/ratings"),
            &json!({"member_id": li, "rating": "excellent"}),
        )
        .await;
    assert!(of_kind(&reminders(&member).await, "evaluate").is_empty());

    // The home page lists the same reminders, as links with their tags.
    let home = member.get("/").await;
    let html = Html::parse_document(&home.text().await.expect("body"));
    let items = Selector::parse("#reminders li a").expect("selector");
    let api = reminders(&member).await;
    let shown: Vec<String> = html
        .select(&items)
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    let expected: Vec<String> = api
        .iter()
        .filter_map(|r| r["href"].as_str().map(str::to_string))
        .collect();
    assert_eq!(shown, expected);
    let docs = Selector::parse("a[href='/api/docs']").expect("selector");
    assert!(
        html.select(&docs).next().is_none(),
        "the API documentation is offered to administrators only"
    );
}

on_both_backends!(leave_requests_and_evaluations_wait_for_the_right_people);
