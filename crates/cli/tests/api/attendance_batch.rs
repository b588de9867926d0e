//! Marking several attendees at once (issue #26): shown first, written on confirmation in one
//! step with one audit entry listing the rows; a bad request changes nothing. Through the API on
//! both backends and through the page's plain forms.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::activities::{approved_group_meeting, member_id, signed_in, yesterday};
use crate::helpers::*;
use crate::on_both_backends;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

async fn statuses(app: &TestApp, id: i64) -> Vec<(i64, String)> {
    let (status, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    detail["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .map(|a| {
            (
                a["member_id"].as_i64().expect("id"),
                a["status"].as_str().expect("status").to_string(),
            )
        })
        .collect()
}

async fn the_recorder_marks_the_ticked_attendees_present_in_one_step(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    let path = format!("/api/v1/activities/{id}/attendance/batch");
    let before = statuses(&leader, id).await;
    let li = member_id(&leader, "李红梅").await;
    let ticked: Vec<i64> = before
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| *m != li)
        .take(3)
        .collect();
    assert_eq!(ticked.len(), 3, "the group has members to mark: {before:?}");
    let audits = app.audit_actions("activity_attendance_marked").await.len();

    let preview = leader
        .post_json(&path, &json!({"member_ids": ticked, "status": "present"}))
        .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview: Value = preview.json().await.expect("json");
    assert_eq!(preview["done"], false);
    assert_eq!(
        preview["lines"].as_array().expect("lines").len(),
        3,
        "{preview}"
    );
    assert_eq!(
        statuses(&leader, id).await,
        before,
        "a preview writes nothing"
    );

    // Whatever is refused leaves the list and the log as they were.
    let (_, branch) = app.get_json("/api/v1/members?per_page=200").await;
    let stranger = branch["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .find(|m| before.iter().all(|(a, _)| a != m))
        .expect("a member of the branch outside the group");
    for (body, expected) in [
        (
            json!({"member_ids": [ticked[0], stranger], "status": "present", "confirm": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"member_ids": [ticked[0], ticked[0]], "status": "present", "confirm": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"member_ids": [], "status": "present", "confirm": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"member_ids": ticked, "status": "absent", "confirm": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"member_ids": ticked, "status": "expected", "confirm": true}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let refused = leader.post_json(&path, &body).await;
        assert_eq!(refused.status(), expected, "{body}");
    }
    let refused = member
        .post_json(
            &path,
            &json!({"member_ids": ticked, "status": "present", "confirm": true}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(statuses(&leader, id).await, before);
    assert_eq!(
        app.audit_actions("activity_attendance_marked").await.len(),
        audits
    );

    let done = leader
        .post_json(
            &path,
            &json!({"member_ids": ticked, "status": "present", "confirm": true}),
        )
        .await;
    assert_eq!(done.status(), StatusCode::CREATED);
    let after = statuses(&leader, id).await;
    for (m, status) in &after {
        let want = if ticked.contains(m) {
            "present".to_string()
        } else {
            before
                .iter()
                .find(|(b, _)| b == m)
                .expect("same list")
                .1
                .clone()
        };
        assert_eq!(status, &want, "member {m}");
    }
    let entries = app.audit_actions("activity_attendance_marked").await;
    assert_eq!(entries.len(), audits + 1, "one entry for the batch");
    let listed: Vec<&str> = entries[0]["after"]
        .as_str()
        .expect("rows")
        .lines()
        .collect();
    assert_eq!(listed.len(), 3);
    for m in &ticked {
        assert!(
            listed
                .iter()
                .any(|l| l.contains(&format!("（党员编号 {m}）"))),
            "{listed:?}"
        );
    }

    let again: Value = leader
        .post_json(
            &path,
            &json!({"member_ids": [ticked[0]], "status": "present"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["lines"], json!([]));
    assert_eq!(
        again["skipped"][0]["member_id"], ticked[0],
        "already present: {again}"
    );
    let nothing = leader
        .post_json(
            &path,
            &json!({"member_ids": [ticked[0]], "status": "present", "confirm": true}),
        )
        .await;
    assert_eq!(nothing.status(), StatusCode::CONFLICT);
}

/// The activity page ticks rows into one form; the confirmation lists them; only its form writes.
async fn the_page_ticks_confirms_and_marks(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    let page = Html::parse_document(
        &leader
            .get(&format!("/activities/{id}"))
            .await
            .text()
            .await
            .expect("body"),
    );
    let boxes: Vec<String> = page
        .select(&selector("#attendees input[type=checkbox][form=mark-many]"))
        .filter_map(|b| b.value().attr("value").map(str::to_string))
        .collect();
    assert_eq!(
        boxes.len(),
        statuses(&leader, id).await.len(),
        "one box per attendee"
    );
    let form = page
        .select(&selector("form#mark-many"))
        .next()
        .expect("the batch form");
    assert_eq!(
        form.value().attr("action"),
        Some(format!("/activities/{id}/attendance/batch").as_str())
    );
    let target = format!("/activities/{id}/attendance/batch");
    let fields = [
        ("member_id", boxes[0].as_str()),
        ("member_id", boxes[1].as_str()),
        ("status", "present"),
    ];
    let confirm = leader.post_form(&target, &fields).await;
    assert_eq!(confirm.status(), StatusCode::OK);
    let confirm = Html::parse_document(&confirm.text().await.expect("body"));
    assert_eq!(confirm.select(&selector("#mark-lines tbody tr")).count(), 2);
    let hidden: Vec<&str> = confirm
        .select(&selector("form#mark-confirm input[name=member_id]"))
        .filter_map(|i| i.value().attr("value"))
        .collect();
    assert_eq!(hidden, vec![boxes[0].as_str(), boxes[1].as_str()]);
    let fields = [
        ("confirm", "1"),
        ("status", "present"),
        ("member_id", boxes[0].as_str()),
        ("member_id", boxes[1].as_str()),
    ];
    let written = leader.post_form(&target, &fields).await;
    assert_eq!(written.status(), StatusCode::SEE_OTHER);
    assert!(location(&written).contains("notice=marked"));
    let present = statuses(&leader, id)
        .await
        .into_iter()
        .filter(|(m, s)| s == "present" && boxes[..2].contains(&m.to_string()))
        .count();
    assert_eq!(present, 2);
}

on_both_backends!(
    the_recorder_marks_the_ticked_attendees_present_in_one_step,
    the_page_ticks_confirms_and_marks
);

/// In Chromium on a phone: 全选 ticks every attendee's box (they join the batch form from the
/// table rows), and the confirmation lists them all as cards that fit the screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_all_ticks_every_attendee_on_a_phone() {
    use fantoccini::Locator;
    let Some((_driver, browser)) = crate::browser::start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    let rows = statuses(&leader, id).await.len();
    crate::browser::log_in(&browser, &app, GROUP_LEADER).await;
    browser.set_window_size(390, 844).await.expect("resize");
    browser
        .goto(&app.url(&format!("/activities/{id}")))
        .await
        .expect("open the activity");
    crate::browser::click(&browser, Locator::Css("#select-all-attendees")).await;
    let ticked = browser
        .execute(
            "return [...document.getElementById('mark-many').elements]\
               .filter(b => b.type === 'checkbox' && b.name === 'member_id' && b.checked).length;",
            vec![],
        )
        .await
        .expect("count ticks");
    assert_eq!(
        ticked.as_u64(),
        Some(rows as u64),
        "全选 ticks every attendee"
    );
    crate::browser::click(&browser, Locator::Css("#mark-selected")).await;
    browser
        .wait()
        .for_element(Locator::Css("#mark-confirm"))
        .await
        .expect("the confirmation");
    let listed = browser
        .find_all(Locator::Css("#mark-lines tbody tr"))
        .await
        .expect("rows");
    assert_eq!(listed.len(), rows);
    crate::browser::assert_fits_the_phone(&browser, "the attendance confirmation").await;
    crate::browser::click(&browser, Locator::Css("#mark-confirm button[type=submit]")).await;
    let notice = browser
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .expect("the notice")
        .text()
        .await
        .expect("text");
    assert!(notice.contains("已更新出勤记录"), "{notice}");
    assert!(
        statuses(&leader, id)
            .await
            .iter()
            .all(|(_, s)| s == "present")
    );
}
