//! Organizational life through the API: planning and approval, QR check-in, leave and make-up
//! study, votes, archiving, and the events and counters the writes leave behind.

use dangjian_domain::activity::checkin;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

pub fn yesterday() -> String {
    crate::helpers::today()
        .yesterday()
        .expect("a date after the epoch")
        .to_string()
}

/// Members of the signed-in account's reach by name.
pub async fn member_id(app: &TestApp, name: &str) -> i64 {
    let (_, list) = app
        .get_json(&format!("/api/v1/members?q={name}&per_page=200"))
        .await;
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["name"] == name)
        .and_then(|m| m["id"].as_i64())
        .unwrap_or_else(|| panic!("no {name}: {list}"))
}

pub fn plan(kind: &str, topic: &str, date: &str, host: i64) -> Value {
    json!({
        "kind": kind,
        "topic": topic,
        "date": date,
        "start": "09:00",
        "end": "10:30",
        "place": "三楼会议室",
        "host_member_id": host,
        "recorder_member_id": host,
        "agenda": "1. 学习\n2. 讨论",
    })
}

pub async fn act(app: &TestApp, id: i64, action: &str, note: &str) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/activities/{id}/actions"),
        &json!({"action": action, "note": note}),
    )
    .await
}

pub async fn status_of(app: &TestApp, id: i64) -> String {
    let (_, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    detail["activity"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.expect("json error body");
    body["message"].as_str().unwrap_or_default().to_string()
}

/// A group meeting planned by the group leader and approved by the branch, published: its id.
pub async fn approved_group_meeting(app: &TestApp, leader: &TestApp, date: &str) -> i64 {
    let group = org_id(leader, "综合党小组").await;
    let host = member_id(leader, "李红梅").await;
    let created = leader
        .post_json(
            "/api/v1/activities",
            &json!({
                "org_id": group,
                "kind": "group_meeting",
                "topic": "学习党章",
                "date": date,
                "start": "09:00",
                "end": "10:00",
                "place": "二楼",
                "host_member_id": host,
                "recorder_member_id": host,
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let detail: Value = created.json().await.expect("json");
    let id = detail["activity"]["id"].as_i64().expect("id");
    assert_eq!(act(leader, id, "submit", "").await.status(), StatusCode::OK);
    assert_eq!(
        act(app, id, "approve", "同意").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        act(leader, id, "publish", "").await.status(),
        StatusCode::OK
    );
    id
}

pub async fn signed_in(app: &TestApp, phone: &str) -> TestApp {
    let browser = app.new_browser();
    browser.login(phone, PASSWORD).await;
    browser
}

/// A member's events about one activity (the demo holds others), newest first.
async fn events_of(app: &TestApp, member: i64, activity: i64) -> Vec<(String, String)> {
    let mut handle = app.store.acquire().await.expect("connection");
    let prefix = format!("activity:{activity}:");
    dangjian_store::events::events_of_member(handle.conn(), member)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| e.source_key.starts_with(&prefix))
        .map(|e| (e.kind, e.source_key))
        .collect()
}

async fn group_meeting_needs_the_branch_approval_and_not_its_own(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let group = org_id(&leader, "综合党小组").await;
    let host = member_id(&leader, "李红梅").await;
    let created = leader
        .post_json(
            "/api/v1/activities",
            &json!({
                "org_id": group,
                "kind": "branch_assembly",
                "topic": "x",
                "date": yesterday(),
                "start": "09:00",
                "end": "10:00",
                "place": "a",
                "host_member_id": host,
                "recorder_member_id": host,
            }),
        )
        .await;
    assert_eq!(
        created.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a group does not hold branch assemblies"
    );
    let mut body = plan("group_meeting", "学习党章", &yesterday(), host);
    body["org_id"] = json!(group);
    let created = leader.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let detail: Value = created.json().await.expect("json");
    let id = detail["activity"]["id"].as_i64().expect("id");
    assert_eq!(detail["activity"]["needs_approval"], true);
    assert!(
        detail["expected"].as_i64().expect("expected") >= 3,
        "the group's members are expected: {detail}"
    );

    let early = act(&leader, id, "publish", "").await;
    assert_eq!(early.status(), StatusCode::CONFLICT);
    assert!(message(early).await.contains("审批"));
    assert_eq!(
        act(&leader, id, "submit", "").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        act(&leader, id, "approve", "").await.status(),
        StatusCode::FORBIDDEN,
        "a group leader approves nothing"
    );
    let home = app.get("/").await.text().await.expect("html");
    assert!(
        home.contains("待审批") && home.contains("学习党章"),
        "the plan waits on the secretary's home page"
    );
    let bare = act(&app, id, "return", "  ").await;
    assert_eq!(
        bare.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a return needs comments"
    );
    assert_eq!(
        act(&app, id, "return", "请补充学习篇目").await.status(),
        StatusCode::OK
    );
    assert_eq!(status_of(&app, id).await, "returned");
    let (_, returned) = leader.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(returned["activity"]["decision_note"], "请补充学习篇目");
    assert_eq!(
        act(&leader, id, "submit", "").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        act(&app, id, "approve", "同意").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        act(&leader, id, "publish", "").await.status(),
        StatusCode::OK
    );
    assert_eq!(status_of(&app, id).await, "published");

    // The secretary plans a group meeting too and may not approve it herself.
    let mut own = plan("group_meeting", "书记安排的小组会", &yesterday(), host);
    own["org_id"] = json!(group);
    let created = app.post_json("/api/v1/activities", &own).await;
    let own_id = created.json::<Value>().await.expect("json")["activity"]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        act(&app, own_id, "submit", "").await.status(),
        StatusCode::OK
    );
    let refused = act(&app, own_id, "approve", "").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(message(refused).await.contains("不能审批自己"));
    assert_eq!(
        status_of(&app, own_id).await,
        "submitted",
        "nothing changed"
    );
    assert!(!app.audit_actions("activity_approved").await.is_empty());
}

async fn check_in_with_the_current_code_once(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    let not_open = member
        .post_json(
            &format!("/api/v1/activities/{id}/check-in"),
            &json!({"code": "1-0000000000000000"}),
        )
        .await;
    assert_eq!(not_open.status(), StatusCode::CONFLICT);
    assert_eq!(
        leader
            .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
            .await
            .0,
        StatusCode::CONFLICT,
        "no code before check-in opens"
    );
    assert_eq!(
        act(&leader, id, "open_check_in", "").await.status(),
        StatusCode::OK
    );
    let (status, shown) = leader
        .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        member
            .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
            .await
            .0,
        StatusCode::FORBIDDEN,
        "members do not see the code"
    );

    let forged = member
        .post_json(
            &format!("/api/v1/activities/{id}/check-in"),
            &json!({"code": "123-0123456789abcdef"}),
        )
        .await;
    assert_eq!(forged.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A code copied from an earlier window: made with the real secret, two windows ago.
    let secret = {
        let mut handle = app.store.acquire().await.expect("connection");
        dangjian_store::activities::activity_by_id(handle.conn(), id)
            .await
            .expect("query")
            .expect("row")
            .checkin_secret
    };
    let old_window = checkin::window_of(crate::helpers::now().as_second()) - 2;
    let stale = member
        .post_json(
            &format!("/api/v1/activities/{id}/check-in"),
            &json!({"code": checkin::code_for(secret.as_bytes(), id, old_window)}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(message(stale).await.contains("过期"));
    let other = member
        .post_json(
            &format!("/api/v1/activities/{}/check-in", id + 1000),
            &json!({"code": shown["code"]}),
        )
        .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);

    let code = shown["code"].as_str().expect("code");
    let first = member
        .post_json(
            &format!("/api/v1/activities/{id}/check-in"),
            &json!({"code": code}),
        )
        .await;
    // The window may have turned between showing and sending; the grace period covers 5 s, so
    // fetch a fresh code once if needed.
    let first = if first.status() == StatusCode::OK {
        first
    } else {
        let (_, fresh) = leader
            .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
            .await;
        member
            .post_json(
                &format!("/api/v1/activities/{id}/check-in"),
                &json!({"code": fresh["code"]}),
            )
            .await
    };
    assert_eq!(first.status(), StatusCode::OK);
    let (_, fresh) = leader
        .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
        .await;
    let twice = member
        .post_json(
            &format!("/api/v1/activities/{id}/check-in"),
            &json!({"code": fresh["code"]}),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert!(message(twice).await.contains("已签到"));
    let (_, detail) = member.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(detail["mine"]["status"], "present");
    assert_eq!(detail["present"], 1);
    assert_eq!(app.audit_actions("activity_checked_in").await.len(), 1);

    // Check-ins share transactions under load: two at once from the same phone still record
    // one check-in and one audit entry; the other is told it is already done.
    let (_, fresh) = leader
        .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
        .await;
    let url = format!("/api/v1/activities/{id}/check-in");
    let body = json!({"code": fresh["code"]});
    let (a, b) = tokio::join!(leader.post_json(&url, &body), leader.post_json(&url, &body));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(app.audit_actions("activity_checked_in").await.len(), 2);
    let (_, detail) = leader.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(detail["present"], 2);

    // An activity of another branch: 张伟 is not on its list.
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
    let other_id = admin
        .post_json("/api/v1/activities", &body)
        .await
        .json::<Value>()
        .await
        .expect("json")["activity"]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        act(&admin, other_id, "publish", "").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        act(&admin, other_id, "open_check_in", "").await.status(),
        StatusCode::OK
    );
    let (_, theirs) = admin
        .get_json(&format!("/api/v1/activities/{other_id}/check-in-code"))
        .await;
    let foreign = member
        .post_json(
            &format!("/api/v1/activities/{other_id}/check-in"),
            &json!({"code": theirs["code"]}),
        )
        .await;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let (_, fresh) = leader
        .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
        .await;
    assert_eq!(
        act(&leader, id, "close_check_in", "").await.status(),
        StatusCode::OK
    );
    let closed = member
        .post_json(
            &format!("/api/v1/activities/{id}/check-in"),
            &json!({"code": fresh["code"]}),
        )
        .await;
    assert_eq!(
        closed.status(),
        StatusCode::CONFLICT,
        "after the window closes"
    );
}

async fn leave_absence_make_up_and_events_exactly_once(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let zhang = member_id(&app, "张伟").await;
    let wang = member_id(&app, "王建国").await;
    let li = member_id(&app, "李红梅").await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    let empty = member
        .post_json(
            &format!("/api/v1/activities/{id}/leave"),
            &json!({"reason": " "}),
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let asked = member
        .post_json(
            &format!("/api/v1/activities/{id}/leave"),
            &json!({"reason": "外出办案"}),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let again = member
        .post_json(
            &format!("/api/v1/activities/{id}/leave"),
            &json!({"reason": "外出办案"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let decided = leader
        .post_json(
            &format!("/api/v1/activities/{id}/leave-decisions"),
            &json!({"member_id": zhang, "approve": true}),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    // The leader marks herself present by hand; the secretary (王建国) stays away.
    let marked = leader
        .post_json(
            &format!("/api/v1/activities/{id}/attendance"),
            &json!({"member_id": li, "status": "present"}),
        )
        .await;
    assert_eq!(marked.status(), StatusCode::OK);
    let too_early = leader
        .post_json(
            &format!("/api/v1/activities/{id}/attendance"),
            &json!({"member_id": wang, "status": "absent"}),
        )
        .await;
    assert_eq!(
        too_early.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "absence is decided when the meeting is confirmed"
    );
    assert_eq!(
        act(&leader, id, "finish", "").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        act(&leader, id, "finish", "").await.status(),
        StatusCode::CONFLICT,
        "held once"
    );
    let (_, detail) = leader.get_json(&format!("/api/v1/activities/{id}")).await;
    let line = |member: i64| {
        detail["attendees"]
            .as_array()
            .expect("attendees")
            .iter()
            .find(|a| a["member_id"] == member)
            .cloned()
            .expect("attendee")
    };
    assert_eq!(line(li)["status"], "present");
    assert_eq!(line(zhang)["status"], "leave");
    assert_eq!(line(zhang)["make_up"], "assigned");
    assert_eq!(line(wang)["status"], "absent");
    assert_eq!(line(wang)["make_up"], "assigned");

    assert_eq!(
        events_of(&app, li, id).await,
        vec![(
            "attended".to_string(),
            format!("activity:{id}:member:{li}:attended")
        )]
    );
    assert_eq!(events_of(&app, wang, id).await[0].0, "absent_without_leave");
    let done = member
        .post_json(
            &format!("/api/v1/activities/{id}/make-up"),
            &json!({"note": "学习了会议精神"}),
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let twice = member
        .post_json(
            &format!("/api/v1/activities/{id}/make-up"),
            &json!({"note": "再来一次"}),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let kinds: Vec<String> = events_of(&app, zhang, id)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kinds, ["make_up_study_done", "on_leave"]);

    // A correction after the meeting retracts the old event and records the new one.
    let corrected = leader
        .post_json(
            &format!("/api/v1/activities/{id}/attendance"),
            &json!({"member_id": wang, "status": "present"}),
        )
        .await;
    assert_eq!(corrected.status(), StatusCode::OK);
    let kinds: Vec<String> = events_of(&app, wang, id)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        kinds,
        ["attended", "attendance_retracted", "absent_without_leave"]
    );

    // Minutes, archive, then only amendments.
    let minutes = leader
        .post_json(
            &format!("/api/v1/activities/{id}/minutes"),
            &json!({"minutes": "李红梅领学党章第一章。", "resolutions": ""}),
        )
        .await;
    assert_eq!(minutes.status(), StatusCode::OK);
    assert_eq!(
        act(&leader, id, "archive", "").await.status(),
        StatusCode::OK
    );
    let locked = leader
        .post_json(
            &format!("/api/v1/activities/{id}/minutes"),
            &json!({"minutes": "改写"}),
        )
        .await;
    assert_eq!(locked.status(), StatusCode::CONFLICT);
    let locked_mark = leader
        .post_json(
            &format!("/api/v1/activities/{id}/attendance"),
            &json!({"member_id": wang, "status": "absent"}),
        )
        .await;
    assert_eq!(locked_mark.status(), StatusCode::CONFLICT);
    let no_reason = leader
        .post_json(
            &format!("/api/v1/activities/{id}/amendments"),
            &json!({"field": "minutes", "text": "新内容", "reason": ""}),
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let amended = leader
        .post_json(
            &format!("/api/v1/activities/{id}/amendments"),
            &json!({
                "field": "minutes",
                "text": "李红梅领学党章第一、二章。",
                "reason": "漏记第二章",
            }),
        )
        .await;
    assert_eq!(amended.status(), StatusCode::OK);
    let detail: Value = amended.json().await.expect("json");
    assert_eq!(detail["activity"]["minutes"], "李红梅领学党章第一、二章。");
    assert_eq!(
        detail["amendments"][0]["before_text"],
        "李红梅领学党章第一章。"
    );
    assert_eq!(detail["amendments"][0]["author"], "李红梅");
}

async fn assembly_votes_follow_quorum_and_admission_majority(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let wang = member_id(&app, "王建国").await;
    let mut body = plan("branch_assembly", "讨论接收预备党员", &yesterday(), wang);
    body["org_id"] = json!(branch);
    let created = app.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let detail: Value = created.json().await.expect("json");
    let id = detail["activity"]["id"].as_i64().expect("id");
    assert_eq!(
        detail["activity"]["needs_approval"], false,
        "a branch reports upward only when configured"
    );
    assert_eq!(act(&app, id, "publish", "").await.status(), StatusCode::OK);
    let full: Vec<i64> = detail["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .filter(|a| a["full_member"] == true)
        .map(|a| a["member_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(full.len(), 25, "27 members, 2 probationary");
    // 13 of 25 full members attend, more than half: 12 are marked present, and 王建国, who hosts
    // and records, counts present without scanning.
    let marked: Vec<i64> = full.iter().copied().filter(|m| *m != wang).collect();
    for member in &marked[..12] {
        let marked = app
            .post_json(
                &format!("/api/v1/activities/{id}/attendance"),
                &json!({"member_id": member, "status": "present"}),
            )
            .await;
        assert_eq!(marked.status(), StatusCode::OK);
    }
    assert_eq!(act(&app, id, "finish", "").await.status(), StatusCode::OK);
    let vote = |expected: u32, present: u32, favour: u32, purpose: &str| {
        json!({
            "motion": "接收张三为预备党员",
            "purpose": purpose,
            "expected_voters": expected,
            "present_voters": present,
            "in_favour": favour,
            "against": 0,
            "abstaining": present - favour,
        })
    };
    let too_many = app
        .post_json(
            &format!("/api/v1/activities/{id}/votes"),
            &json!({
                "motion": "m",
                "purpose": "resolution",
                "expected_voters": 25,
                "present_voters": 13,
                "in_favour": 10,
                "against": 3,
                "abstaining": 1,
            }),
        )
        .await;
    assert_eq!(
        too_many.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "more votes than voters"
    );
    let phantom = app
        .post_json(
            &format!("/api/v1/activities/{id}/votes"),
            &vote(25, 14, 14, "resolution"),
        )
        .await;
    assert_eq!(
        phantom.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "more voters than signed-in full members"
    );
    // 12 present of 24 expected: exactly half, no quorum.
    let half: Value = app
        .post_json(
            &format!("/api/v1/activities/{id}/votes"),
            &vote(24, 12, 12, "admission"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(
        half["explanation"]
            .as_str()
            .expect("text")
            .contains("表决无效"),
        "{half}"
    );
    // 13 present of 25, 12 in favour: a majority of those present, not of the 25 who should attend.
    let short: Value = app
        .post_json(
            &format!("/api/v1/activities/{id}/votes"),
            &vote(25, 13, 12, "admission"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(
        short["explanation"]
            .as_str()
            .expect("text")
            .contains("至少 13 票"),
        "{short}"
    );
    let carried: Value = app
        .post_json(
            &format!("/api/v1/activities/{id}/votes"),
            &vote(25, 13, 13, "admission"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(
        carried["explanation"]
            .as_str()
            .expect("text")
            .starts_with("表决有效并通过"),
        "{carried}"
    );
    let (_, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    let carried: Vec<bool> = detail["votes"]
        .as_array()
        .expect("votes")
        .iter()
        .map(|v| v["carried"].as_bool().expect("bool"))
        .collect();
    assert_eq!(carried, [false, false, true]);
    assert_eq!(detail["activity"]["status"], "minuted");
}

async fn compliance_counts_what_was_held(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let today = crate::helpers::today();
    let month = format!("{:04}-{:02}", today.year(), today.month());
    let (status, before) = app
        .get_json(&format!("/api/v1/orgs/{branch}/compliance?period={month}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let theme = |view: &Value| {
        view["own"]["kinds"]
            .as_array()
            .expect("kinds")
            .iter()
            .find(|k| k["kind"] == "theme_day")
            .cloned()
            .expect("theme day")
    };
    assert_eq!(theme(&before)["cells"][0]["held"], 0);
    assert_eq!(theme(&before)["cells"][0]["status"], "due");
    let wang = member_id(&app, "王建国").await;
    let mut body = plan(
        "theme_day",
        "主题党日：重温入党誓词",
        &today.to_string(),
        wang,
    );
    body["org_id"] = json!(branch);
    body["start"] = json!("00:00");
    body["end"] = json!("00:30");
    let id = app
        .post_json("/api/v1/activities", &body)
        .await
        .json::<Value>()
        .await
        .expect("json")["activity"]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(act(&app, id, "publish", "").await.status(), StatusCode::OK);
    assert_eq!(act(&app, id, "finish", "").await.status(), StatusCode::OK);
    let (_, after) = app
        .get_json(&format!("/api/v1/orgs/{branch}/compliance?period={month}"))
        .await;
    assert_eq!(theme(&after)["cells"][0]["held"], 1);
    assert_eq!(theme(&after)["cells"][0]["status"], "done");
    // The committee above sees its branch counted.
    let committee = org_id(&signed_in(&app, ADMIN).await, "临渭公安分局党委").await;
    let admin = signed_in(&app, ADMIN).await;
    let (_, top) = admin
        .get_json(&format!(
            "/api/v1/orgs/{committee}/compliance?period={month}"
        ))
        .await;
    let summary = top["summary"]
        .as_array()
        .expect("summary")
        .iter()
        .find(|s| s["kind_label"] == "主题党日")
        .cloned()
        .expect("theme day summary");
    assert_eq!(summary["nodes_done"], 1);
    assert_eq!(top["branches_total"], 1);
    // A group meeting rolls up to the branch's count of groups that met this month.
    let groups_done = |view: &Value| {
        view["own"]["groups_done"][0]
            .as_str()
            .expect("text")
            .rsplit('：')
            .next()
            .expect("count")
            .to_string()
    };
    assert_eq!(
        groups_done(&after),
        "0/3",
        "no group has met this month yet: {after}"
    );
    let criminal = org_id(&app, "刑侦党小组").await;
    let mut meeting = plan(
        "group_meeting",
        "案件办理中的纪律要求",
        &today.to_string(),
        wang,
    );
    meeting["org_id"] = json!(criminal);
    meeting["start"] = json!("00:00");
    meeting["end"] = json!("00:30");
    let id = app
        .post_json("/api/v1/activities", &meeting)
        .await
        .json::<Value>()
        .await
        .expect("json")["activity"]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(act(&app, id, "submit", "").await.status(), StatusCode::OK);
    assert_eq!(
        act(&admin, id, "approve", "同意").await.status(),
        StatusCode::OK
    );
    assert_eq!(act(&app, id, "publish", "").await.status(), StatusCode::OK);
    assert_eq!(act(&app, id, "finish", "").await.status(), StatusCode::OK);
    let (_, again) = app
        .get_json(&format!("/api/v1/orgs/{branch}/compliance?period={month}"))
        .await;
    assert_eq!(groups_done(&again), "1/3", "{again}");
    // The secretary's yearly lecture.
    assert_eq!(again["secretary_name"], "王建国");
    assert_eq!(again["secretary_lecture"]["held"], 0);
    let mut lecture = plan("party_lecture", "书记讲党课", &today.to_string(), wang);
    lecture["org_id"] = json!(branch);
    lecture["start"] = json!("00:00");
    lecture["end"] = json!("00:30");
    let no_speaker = app.post_json("/api/v1/activities", &lecture).await;
    assert_eq!(
        no_speaker.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a lecture names its speaker"
    );
    lecture["speaker_member_id"] = json!(wang);
    let id = app
        .post_json("/api/v1/activities", &lecture)
        .await
        .json::<Value>()
        .await
        .expect("json")["activity"]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(act(&app, id, "publish", "").await.status(), StatusCode::OK);
    assert_eq!(act(&app, id, "finish", "").await.status(), StatusCode::OK);
    let (_, lectured) = app
        .get_json(&format!("/api/v1/orgs/{branch}/compliance?period={month}"))
        .await;
    assert_eq!(lectured["secretary_lecture"]["held"], 1);
    assert_eq!(lectured["secretary_lecture"]["status"], "done");
    let bad = app
        .get_json(&format!("/api/v1/orgs/{branch}/compliance?period=2026-13"))
        .await;
    assert_eq!(bad.0, StatusCode::UNPROCESSABLE_ENTITY);
    let member = signed_in(&app, MEMBER).await;
    assert_eq!(
        member
            .get_json(&format!("/api/v1/orgs/{branch}/compliance"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

async fn dual_life_lists_leading_cadres_who_missed_meetings(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let year = crate::helpers::today().yesterday().expect("date").year();
    let wang = |report: &Value| {
        report["cadres"]
            .as_array()
            .expect("cadres")
            .iter()
            .find(|c| c["name"] == "王建国")
            .cloned()
            .expect("王建国 is a leading cadre (所长)")
    };
    let (status, before) = app
        .get_json(&format!("/api/v1/orgs/{branch}/dual-life?period={year}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    assert_eq!(
        act(&leader, id, "finish", "").await.status(),
        StatusCode::OK
    );
    let (_, after) = app
        .get_json(&format!("/api/v1/orgs/{branch}/dual-life?period={year}"))
        .await;
    let count = |report: &Value, field: &str| wang(report)[field].as_i64().expect("count");
    assert_eq!(count(&after, "expected") - count(&before, "expected"), 1);
    assert_eq!(
        count(&after, "absent") - count(&before, "absent"),
        1,
        "he missed his group's meeting"
    );
    assert_eq!(count(&after, "present"), count(&before, "present"));
    assert_eq!(wang(&after)["below_expectation"], true);
    assert!(after["below"].as_i64().expect("count") >= 1);
}

async fn my_activities_and_pages(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    let (status, mine) = member.get_json("/api/v1/me/activities").await;
    assert_eq!(status, StatusCode::OK);
    let this = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["activity_id"] == id)
        .cloned()
        .expect("the meeting is listed");
    assert_eq!(this["may_request_leave"], true);
    for path in [
        "/activities".to_string(),
        format!("/activities/{id}"),
        format!(
            "/orgs/{}/compliance",
            org_id(&app, "站南派出所党支部").await
        ),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status(), StatusCode::OK, "{path}");
    }
    let home = member.get("/").await.text().await.expect("html");
    assert!(
        home.contains("待参加") && home.contains("学习党章"),
        "the member's home lists the meeting"
    );
    let secretary_home = app.get("/").await.text().await.expect("html");
    assert!(
        !secretary_home.contains("待审批"),
        "nothing awaits the secretary once approved"
    );
    let page = member.get("/activities").await.text().await.expect("html");
    assert!(
        page.contains("我的组织生活") && page.contains("学习党章"),
        "the member's list"
    );
    assert_eq!(
        act(&leader, id, "open_check_in", "").await.status(),
        StatusCode::OK
    );
    let screen = leader
        .get(&format!("/activities/{id}/check-in"))
        .await
        .text()
        .await
        .expect("html");
    assert!(screen.contains("<svg"), "the QR code is drawn");
    let (_, shown) = leader
        .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
        .await;
    let code = shown["code"].as_str().expect("code");
    let scan = member
        .get(&format!("/checkin/{id}?code={code}"))
        .await
        .text()
        .await
        .expect("html");
    assert!(scan.contains("确认签到"));
    let posted = member
        .post_form(&format!("/checkin/{id}"), &[("code", code)])
        .await;
    assert!(
        posted.status() == StatusCode::SEE_OTHER || posted.status() == StatusCode::CONFLICT,
        "{}",
        posted.status()
    );
    assert_eq!(
        act(&leader, id, "finish", "").await.status(),
        StatusCode::OK
    );
    let print = leader
        .get(&format!("/activities/{id}/print"))
        .await
        .text()
        .await
        .expect("html");
    // The record book prints on A4 with its own style sheet (a file: the CSP allows no inline
    // <style>).
    let page = scraper::Html::parse_document(&print);
    let title = scraper::Selector::parse("h1").expect("selector");
    assert!(
        page.select(&title)
            .any(|h| h.text().collect::<String>().contains("会议记录"))
    );
    let sheet = scraper::Selector::parse("link[rel=stylesheet][href='/static/print.css']")
        .expect("selector");
    assert!(page.select(&sheet).next().is_some());
    let css = leader
        .get("/static/print.css")
        .await
        .text()
        .await
        .expect("css");
    assert!(css.contains("@page"));
}

/// A 支委会 expects the branch committee and whoever records it, not all 27 members; a theme
/// day of the same branch expects every member (issue #26).
async fn a_committee_meeting_expects_the_committee(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let wang = member_id(&app, "王建国").await;
    let li = member_id(&app, "李红梅").await;
    let (status, positions) = app
        .get_json(&format!("/api/v1/orgs/{branch}/positions"))
        .await;
    assert_eq!(status, StatusCode::OK, "{positions}");
    let mut committee: Vec<i64> = positions
        .as_array()
        .expect("positions")
        .iter()
        .filter(|p| p["position"] != "group_leader" && p["org_id"] == branch)
        .map(|p| p["member_id"].as_i64().expect("member id"))
        .collect();
    committee.sort_unstable();
    committee.dedup();
    assert_eq!(
        committee.len(),
        5,
        "the demo branch elected five: {positions}"
    );
    assert!(committee.contains(&wang) && !committee.contains(&li));

    let expected_of = |detail: &Value| -> Vec<i64> {
        let mut ids: Vec<i64> = detail["attendees"]
            .as_array()
            .expect("attendees")
            .iter()
            .map(|a| a["member_id"].as_i64().expect("id"))
            .collect();
        ids.sort_unstable();
        ids
    };
    let mut body = plan("committee_meeting", "研究本月工作", &yesterday(), wang);
    body["org_id"] = json!(branch);
    body["recorder_member_id"] = json!(li);
    let created = app.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let detail: Value = created.json().await.expect("json");
    let mut want = committee.clone();
    want.push(li);
    want.sort_unstable();
    assert_eq!(expected_of(&detail), want, "the committee and its recorder");

    let mut body = plan("theme_day", "主题党日", &yesterday(), wang);
    body["org_id"] = json!(branch);
    let created = app.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let detail: Value = created.json().await.expect("json");
    assert_eq!(expected_of(&detail).len(), 27, "every member of the branch");
}

on_both_backends!(
    group_meeting_needs_the_branch_approval_and_not_its_own,
    check_in_with_the_current_code_once,
    leave_absence_make_up_and_events_exactly_once,
    assembly_votes_follow_quorum_and_admission_majority,
    compliance_counts_what_was_held,
    dual_life_lists_leading_cadres_who_missed_meetings,
    my_activities_and_pages,
    a_committee_meeting_expects_the_committee
);
