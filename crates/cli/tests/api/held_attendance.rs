//! Confirming a meeting held (确认已召开, issue #14): whoever ran it (host, recorder, speaker)
//! counts present without scanning, everyone else who did not scan is absent, and the page and
//! the API say who before anything is written.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::activities::{act, member_id, plan, signed_in, yesterday};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;
use crate::points::{entries_after, last_entry};

/// The member checks in with the code on the host's screen. The code window may turn between
/// showing and sending (the grace period covers 5 s), so a refused code is fetched afresh once.
async fn scan(host: &TestApp, member: &TestApp, id: i64) {
    for _ in 0..2 {
        let (status, shown) = host
            .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
            .await;
        assert_eq!(status, StatusCode::OK, "{shown}");
        let answer = member
            .post_json(
                &format!("/api/v1/activities/{id}/check-in"),
                &json!({"code": shown["code"]}),
            )
            .await;
        if answer.status() == StatusCode::OK {
            return;
        }
    }
    panic!("the member could not check in");
}

fn attendee(detail: &Value, member: i64) -> Value {
    detail["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .find(|a| a["member_id"] == member)
        .cloned()
        .unwrap_or_else(|| panic!("{member} is not on the list: {detail}"))
}

/// (member id, name) of a preview list in the API's detail.
fn previewed(detail: &Value, list: &str) -> BTreeSet<(i64, String)> {
    detail["finish_preview"][list]
        .as_array()
        .unwrap_or_else(|| panic!("no finish_preview.{list}: {detail}"))
        .iter()
        .map(|p| {
            (
                p["member_id"].as_i64().expect("member_id"),
                p["name"].as_str().expect("name").to_string(),
            )
        })
        .collect()
}

/// (member id, text) of the items of a list on the activity's page.
fn listed(html: &Html, css: &str) -> BTreeSet<(i64, String)> {
    let items = Selector::parse(css).expect("selector");
    html.select(&items)
        .map(|li| {
            let id = li
                .value()
                .attr("data-member-id")
                .and_then(|v| v.parse().ok())
                .expect("data-member-id");
            (id, li.text().collect::<String>().trim().to_string())
        })
        .collect()
}

async fn lecture_host_who_did_not_scan_is_present_not_absent(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let member = signed_in(&app, MEMBER).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let wang = member_id(&app, "王建国").await;
    let li = member_id(&app, "李红梅").await;
    let zhang = member_id(&app, "张伟").await;

    // 王建国 hosts and 李红梅 records a lecture; the speaker and a member on leave are two others
    // of the branch (the demo names the rest at random, so they are taken from the roster).
    let (_, roster) = app
        .get_json(&format!(
            "/api/v1/members?org_id={branch}&status=normal&per_page=200"
        ))
        .await;
    let others: Vec<i64> = roster["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .filter(|m| ![wang, li, zhang].contains(m))
        .collect();
    let (speaker, on_leave) = (others[0], others[1]);
    let mut body = plan("party_lecture", "党课：坚持人民至上", &yesterday(), wang);
    body["org_id"] = json!(branch);
    body["recorder_member_id"] = json!(li);
    body["speaker_member_id"] = json!(speaker);
    let created = app.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let detail: Value = created.json().await.expect("json");
    let id = detail["activity"]["id"].as_i64().expect("id");
    assert_eq!(act(&app, id, "publish", "").await.status(), StatusCode::OK);
    let leave = app
        .post_json(
            &format!("/api/v1/activities/{id}/attendance"),
            &json!({"member_id": on_leave, "status": "leave"}),
        )
        .await;
    assert_eq!(leave.status(), StatusCode::OK);
    assert_eq!(
        act(&app, id, "open_check_in", "").await.status(),
        StatusCode::OK
    );
    scan(&app, &member, id).await;

    // Before confirming: everyone who neither scanned, nor is on leave, nor runs the meeting.
    let (status, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let name = |m: i64| {
        attendee(&detail, m)["name"]
            .as_str()
            .expect("name")
            .to_string()
    };
    let will_be_absent: BTreeSet<(i64, String)> = detail["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .filter_map(|a| a["member_id"].as_i64())
        .filter(|m| ![wang, li, speaker, zhang, on_leave].contains(m))
        .map(|m| (m, name(m)))
        .collect();
    assert_eq!(
        will_be_absent.len() + 5,
        detail["expected"].as_u64().expect("expected") as usize
    );
    assert_eq!(previewed(&detail, "absent"), will_be_absent);
    assert_eq!(
        previewed(&detail, "present_by_role"),
        BTreeSet::from([(wang, name(wang)), (li, name(li)), (speaker, name(speaker))])
    );
    let (_, seen_by_member) = member.get_json(&format!("/api/v1/activities/{id}")).await;
    assert!(
        seen_by_member["finish_preview"].is_null(),
        "only who may confirm is asked: {seen_by_member}"
    );

    // The page names the same people before the POST, and the button asks with the count.
    let page = app.get(&format!("/activities/{id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = Html::parse_document(&page.text().await.expect("body"));
    assert_eq!(
        listed(&html, "details.finish-preview ul.would-be-absent li"),
        will_be_absent
    );
    assert_eq!(
        listed(&html, "details.finish-preview ul.present-by-role li"),
        BTreeSet::from([
            (wang, format!("{}（主持人）", name(wang))),
            (li, format!("{}（记录人）", name(li))),
            (speaker, format!("{}（授课人）", name(speaker))),
        ])
    );
    let finish_form = Selector::parse("form:has(input[name=action][value=finish])").expect("css");
    let form = html.select(&finish_form).next().expect("the confirm form");
    assert_eq!(
        form.value().attr("data-confirm"),
        Some(format!("{} 人未签到，将记为缺席，确认？", will_be_absent.len()).as_str())
    );

    let since = last_entry(&app).await;
    assert_eq!(act(&app, id, "finish", "").await.status(), StatusCode::OK);
    let (_, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    for runner in [wang, li, speaker] {
        let line = attendee(&detail, runner);
        assert_eq!(line["status"], "present", "{line}");
        assert_eq!(line["check_in_method"], "role", "{line}");
        assert_eq!(line["make_up"], "", "{line}");
    }
    assert_eq!(attendee(&detail, zhang)["status"], "present");
    assert_eq!(attendee(&detail, zhang)["check_in_method"], "qr");
    assert_eq!(attendee(&detail, on_leave)["status"], "leave");
    for (absentee, _) in &will_be_absent {
        let line = attendee(&detail, *absentee);
        assert_eq!(line["status"], "absent", "{line}");
        assert_eq!(line["make_up"], "assigned", "{line}");
    }
    assert_eq!(detail["absent"], will_be_absent.len());
    assert_eq!(detail["present"], 4);
    assert!(
        detail["finish_preview"].is_null(),
        "nothing left to confirm"
    );

    // Points: who ran the meeting earns the attendance award and loses nothing; each absentee
    // loses 5 (entries are in tenths).
    let booked = entries_after(&app, since).await;
    let points_of = |m: i64| -> Vec<i64> {
        booked
            .iter()
            .filter(|e| e.member_id == m && e.source_key.starts_with(&format!("activity:{id}:")))
            .map(|e| e.points)
            .collect()
    };
    for runner in [wang, li, speaker, zhang] {
        assert_eq!(points_of(runner), [20], "member {runner}");
    }
    for (absentee, _) in &will_be_absent {
        assert_eq!(points_of(*absentee), [-50], "member {absentee}");
    }
    let summary = app
        .audit_actions("activity_held")
        .await
        .iter()
        .filter_map(|entry| entry["summary"].as_str())
        .find(|summary| summary.contains("党课：坚持人民至上"))
        .unwrap_or_default()
        .to_string();
    assert!(
        summary.contains(&format!("缺席 {} 人", will_be_absent.len()))
            && summary.contains(&format!("{}（授课人）", name(speaker))),
        "{summary}"
    );

    // A hand correction still works on a presumed presence: the speaker in fact never came.
    let since = last_entry(&app).await;
    let corrected = app
        .post_json(
            &format!("/api/v1/activities/{id}/attendance"),
            &json!({"member_id": speaker, "status": "absent"}),
        )
        .await;
    assert_eq!(corrected.status(), StatusCode::OK);
    let mut reversed: Vec<i64> = entries_after(&app, since)
        .await
        .iter()
        .filter(|e| e.member_id == speaker)
        .map(|e| e.points)
        .collect();
    reversed.sort();
    assert_eq!(reversed, [-50, -20], "the award reversed, then the absence");
}

async fn who_runs_the_meeting_but_asked_for_leave_is_not_presumed_present(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let group = org_id(&leader, "综合党小组").await;
    let li = member_id(&leader, "李红梅").await;
    let zhang = member_id(&leader, "张伟").await;
    // 李红梅 is to host and 张伟 to record; he asks for leave and nobody decides it, and the
    // secretary grants 李红梅 leave. What was recorded for them stands.
    let mut body = plan("group_meeting", "学习党章", &yesterday(), li);
    body["org_id"] = json!(group);
    body["recorder_member_id"] = json!(zhang);
    let created = leader.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.expect("json")["activity"]["id"]
        .as_i64()
        .expect("id");
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
    let asked = member
        .post_json(
            &format!("/api/v1/activities/{id}/leave"),
            &json!({"reason": "外出办案"}),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let granted = app
        .post_json(
            &format!("/api/v1/activities/{id}/attendance"),
            &json!({"member_id": li, "status": "leave"}),
        )
        .await;
    assert_eq!(granted.status(), StatusCode::OK);
    let (_, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    assert!(previewed(&detail, "present_by_role").is_empty(), "{detail}");
    let absent = previewed(&detail, "absent");
    assert!(absent.iter().any(|(m, _)| *m == zhang), "{detail}");
    assert!(!absent.iter().any(|(m, _)| *m == li), "{detail}");
    assert_eq!(act(&app, id, "finish", "").await.status(), StatusCode::OK);
    let (_, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(attendee(&detail, li)["status"], "leave");
    assert_eq!(attendee(&detail, zhang)["status"], "absent");
}

on_both_backends!(
    lecture_host_who_did_not_scan_is_present_not_absent,
    who_runs_the_meeting_but_asked_for_leave_is_not_presumed_present
);
