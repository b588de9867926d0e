//! 待办 across areas (issue #14): a leave request reaches whoever runs the meeting, a member is
//! told that 民主评议 waits for them, and each reminder goes once it is done. An approved plan and
//! last month's bulletin lead their publisher to the next step in one tap (issue #26).

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::activities::{act, approved_group_meeting, member_id, signed_in, yesterday};
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

async fn an_approved_plan_and_last_months_bulletin_wait_for_their_publisher(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let group = org_id(&leader, "综合党小组").await;
    let li = member_id(&leader, "李红梅").await;
    let mut body = crate::activities::plan("group_meeting", "学习党章", &yesterday(), li);
    body["org_id"] = json!(group);
    let created = leader.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.expect("json")["activity"]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        act(&leader, id, "submit", "").await.status(),
        StatusCode::OK
    );
    assert!(of_kind(&reminders(&leader).await, "publish_plan").is_empty());
    assert_eq!(
        act(&app, id, "approve", "同意").await.status(),
        StatusCode::OK
    );
    let waiting = reminders(&leader).await;
    let publish = of_kind(&waiting, "publish_plan");
    assert_eq!(publish.len(), 1, "{waiting:?}");
    assert_eq!(publish[0]["href"], format!("/activities/{id}"));
    assert_eq!(publish[0]["label"], "待发布");
    assert!(
        of_kind(&reminders(&app).await, "publish_plan").is_empty(),
        "the approver does not publish another's plan"
    );
    assert_eq!(
        act(&leader, id, "publish", "").await.status(),
        StatusCode::OK
    );
    assert!(of_kind(&reminders(&leader).await, "publish_plan").is_empty());

    // A deed of last month, approved: last month's bulletin has something to report.
    let branch = org_id(&app, "站南派出所党支部").await;
    let last_month = today()
        .first_of_month()
        .yesterday()
        .expect("a day before this month");
    let period = last_month.strftime("%Y-%m").to_string();
    let zhang = member_id(&app, "张伟").await;
    let proposed = leader
        .post_json(
            "/api/v1/points/proposals",
            &json!({
                "member_id": zhang,
                "item_code": "A01",
                "points": "3",
                "reason": "志愿服务",
                "occurred_on": last_month.to_string(),
            }),
        )
        .await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let proposal = proposed.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let decided = app
        .post_json(
            &format!("/api/v1/points/proposals/{proposal}/decision"),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    let waiting = reminders(&app).await;
    let bulletin = of_kind(&waiting, "publish_bulletin");
    assert_eq!(bulletin.len(), 1, "{waiting:?}");
    let href = format!("/orgs/{branch}/points/bulletin?period={period}");
    assert_eq!(bulletin[0]["href"], href);
    assert!(
        of_kind(&reminders(&leader).await, "publish_bulletin")
            .iter()
            .all(|r| r["href"] != href),
        "the branch's bulletin is the secretary's to publish"
    );

    // Without a period the bulletin is last month's, with a way to the periods around it.
    let (status, shown) = app
        .get_json(&format!("/api/v1/orgs/{branch}/points/bulletin"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["period"], period);
    assert_eq!(shown["next_period"], today().strftime("%Y-%m").to_string());
    let shown_page = app.get(&href).await;
    assert_eq!(shown_page.status(), StatusCode::OK);
    let page = Html::parse_document(&shown_page.text().await.expect("body"));
    let previous = Selector::parse("#previous-period").expect("selector");
    assert!(
        page.select(&previous).next().is_some(),
        "a link to the period before"
    );

    let published = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/points/bulletin/publish"),
            &json!({}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::NO_CONTENT);
    assert!(of_kind(&reminders(&app).await, "publish_bulletin").is_empty());
}

on_both_backends!(
    leave_requests_and_evaluations_wait_for_the_right_people,
    an_approved_plan_and_last_months_bulletin_wait_for_their_publisher
);
