//! Organizational life's records and outputs: the ledger workbook, the calendar and its feed,
//! attachments, and the consecutive-months flags.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::{act, approved_group_meeting, member_id, signed_in, yesterday};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

async fn ledger_workbook_has_a_sheet_per_kind_with_chinese_headers(backend: Backend) {
    use calamine::{Data, DataType, Reader, Xlsx};
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    assert_eq!(
        act(&leader, id, "finish", "").await.status(),
        StatusCode::OK
    );
    let branch = org_id(&app, "站南派出所党支部").await;
    let year = crate::helpers::today().yesterday().expect("date").year();
    let response = app
        .get(&format!(
            "/api/v1/orgs/{branch}/activity-ledger?period={year}"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("filename*=UTF-8''")
    );
    let bytes = response.bytes().await.expect("body");
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx workbook");
    let names = workbook.sheet_names();
    assert_eq!(names.len(), 9);
    assert!(names.iter().any(|n| n == "支部党员大会") && names.iter().any(|n| n == "党小组会"));
    let sheet = workbook.worksheet_range("党小组会").expect("sheet");
    let header: Vec<String> = sheet
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        dangjian_app::activities::ledger::HEADERS
            .map(String::from)
            .to_vec()
    );
    let link = format!("/activities/{id}");
    let row: Vec<Data> = sheet
        .rows()
        .find(|r| r[13].to_string().ends_with(&link))
        .expect("the meeting")
        .to_vec();
    assert_eq!(row[3].to_string(), "学习党章");
    assert_eq!(row[7].to_string(), "已召开");
    let expected = row[8].as_f64().expect("number");
    let present = row[9].as_f64().expect("number");
    let absent = row[11].as_f64().expect("number");
    assert!(
        expected >= 3.0
            && (present - 1.0).abs() < f64::EPSILON
            && (absent - (expected - 1.0)).abs() < f64::EPSILON,
        "nobody checked in: all absent but 李红梅, who hosted and recorded it"
    );
    assert_eq!(
        workbook
            .worksheet_range("组织生活会")
            .expect("sheet")
            .rows()
            .count(),
        1,
        "headers only"
    );
    let page = app
        .get(&format!("/orgs/{branch}/activities.xlsx?period={year}"))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let member = signed_in(&app, MEMBER).await;
    assert_eq!(
        member
            .get(&format!("/api/v1/orgs/{branch}/activity-ledger"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

async fn calendar_month_and_a_private_feed_the_member_can_revoke(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let day = yesterday();
    let id = approved_group_meeting(&app, &leader, &day).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let (status, calendar) = app
        .get_json(&format!(
            "/api/v1/orgs/{branch}/calendar?month={}",
            &day[..7]
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let found = calendar["weeks"]
        .as_array()
        .expect("weeks")
        .iter()
        .flat_map(|w| w.as_array().expect("days").iter())
        .find(|d| d["date"] == day.as_str())
        .cloned()
        .expect("the day");
    assert_eq!(found["items"][0]["id"], id);
    assert_eq!(
        app.get(&format!("/orgs/{branch}/calendar")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/orgs/{branch}/calendar?month=2026-13"))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let created = member
        .post_json("/api/v1/me/calendar-feed", &json!({}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let path = created.json::<Value>().await.expect("json")["path"]
        .as_str()
        .expect("path")
        .to_string();
    let anonymous = app.new_browser();
    let feed = anonymous.get(&path).await;
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/calendar")
    );
    let text = feed.text().await.expect("text");
    assert!(
        text.contains(&format!("UID:activity-{id}@dangjian")),
        "{text}"
    );
    assert!(text.contains("SUMMARY:党小组会：学习党章"));
    let revoked = member
        .client
        .delete(member.url("/api/v1/me/calendar-feed"))
        .header("X-CSRF-Token", member.csrf().await)
        .send()
        .await
        .expect("request");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(anonymous.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        anonymous.get("/calendar/not-a-token.ics").await.status(),
        StatusCode::NOT_FOUND
    );
    let admin = signed_in(&app, ADMIN).await;
    let page = admin.get("/account/calendar").await;
    assert_eq!(
        page.status(),
        StatusCode::OK,
        "an account without a member record is told, not refused"
    );
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("没有关联党员档案")
    );
    assert_eq!(
        member.get("/account/calendar").await.status(),
        StatusCode::OK
    );
}

async fn upload(app: &TestApp, id: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    app.client
        .post(app.url(&format!("/api/v1/activities/{id}/attachments")))
        .header("X-CSRF-Token", app.csrf().await)
        .multipart(form)
        .send()
        .await
        .expect("request")
}

async fn photos_attach_to_a_held_meeting_only(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let id = approved_group_meeting(&app, &leader, &yesterday()).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    assert_eq!(
        upload(&leader, id, "现场.png", png.clone()).await.status(),
        StatusCode::CONFLICT,
        "not held yet"
    );
    assert_eq!(
        act(&leader, id, "finish", "").await.status(),
        StatusCode::OK
    );
    let page = upload(
        &leader,
        id,
        "页面.html",
        b"<html><script>alert(1)</script>".to_vec(),
    )
    .await;
    assert_eq!(
        page.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "only JPEG, PNG, PDF"
    );
    assert_eq!(
        upload(&member, id, "现场.png", png.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let big = [b"%PDF-".as_slice(), &vec![b'x'; 5 * 1024 * 1024]].concat();
    let refused = upload(&leader, id, "扫描件.pdf", big).await.status();
    assert!(
        refused == StatusCode::UNPROCESSABLE_ENTITY || refused == StatusCode::PAYLOAD_TOO_LARGE,
        "{refused}"
    );
    let added = upload(&leader, id, "C:\\fakepath\\现场.png", png.clone()).await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let attachment = added.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let (_, detail) = leader.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(detail["attachments"][0]["file_name"], "现场.png");
    assert_eq!(detail["attachments"][0]["is_image"], true);
    let file = member
        .get(&format!("/api/v1/activities/{id}/attachments/{attachment}"))
        .await;
    assert_eq!(file.status(), StatusCode::OK, "attendees see the photos");
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert_eq!(file.bytes().await.expect("body").to_vec(), png);
    assert_eq!(
        member
            .get(&format!(
                "/api/v1/activities/{id}/attachments/{}",
                attachment + 1
            ))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        member
            .get(&format!("/api/v1/activities/{id}/attachments/x"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.audit_actions("activity_attachment_added").await.len(),
        1
    );
}

/// Moves a member's registration back in time, as if they had been on the rolls for months.
async fn registered_months_ago(app: &TestApp, member: i64, months: i64) {
    let at = crate::helpers::now().as_microsecond() - months * 31 * 24 * 3600 * 1_000_000;
    let mut tx = app
        .store
        .begin_at(crate::helpers::now().as_microsecond())
        .await
        .expect("tx");
    let sql = "UPDATE members SET created_at = $1, joined_on = '2010-07-01' WHERE id = $2";
    match tx.conn() {
        dangjian_store::Conn::Sqlite(c) => sqlx::query(sql)
            .bind(at)
            .bind(member)
            .execute(c)
            .await
            .map(|_| ()),
        dangjian_store::Conn::Postgres(c) => sqlx::query(sql)
            .bind(at)
            .bind(member)
            .execute(c)
            .await
            .map(|_| ()),
    }
    .expect("backdate");
    tx.commit().await.expect("commit");
}

async fn months_without_organizational_life_are_flagged_never_acted_on(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let zhang = member_id(&app, "张伟").await;
    let li = member_id(&app, "李红梅").await;
    let (_, fresh) = app
        .get_json(&format!("/api/v1/orgs/{branch}/compliance"))
        .await;
    assert_eq!(
        fresh["flags"].as_array().expect("flags").len(),
        0,
        "nobody is judged on months before they were registered"
    );
    // 张伟 missed every meeting the demo held and has been on the rolls for 8 months; 李红梅
    // attended last month's.
    let (_, held) = app.get_json("/api/v1/activities?per_page=100").await;
    for activity in held["items"].as_array().expect("activities") {
        let id = activity["id"].as_i64().expect("id");
        let (_, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
        let was_there = detail["attendees"].as_array().is_some_and(|all| {
            all.iter()
                .any(|a| a["member_id"] == zhang && a["status"] == "present")
        });
        if was_there {
            let marked = app
                .post_json(
                    &format!("/api/v1/activities/{id}/attendance"),
                    &serde_json::json!({"member_id": zhang, "status": "absent"}),
                )
                .await;
            assert_eq!(
                marked.status(),
                StatusCode::OK,
                "{}",
                marked.text().await.unwrap_or_default()
            );
        }
    }
    registered_months_ago(&app, zhang, 8).await;
    registered_months_ago(&app, li, 8).await;
    let (_, view) = app
        .get_json(&format!("/api/v1/orgs/{branch}/compliance"))
        .await;
    let flags = view["flags"].as_array().expect("flags");
    let flag = flags
        .iter()
        .find(|f| f["member_id"] == zhang)
        .expect("张伟 is flagged");
    assert!(flag["months"].as_i64().expect("months") >= 6, "{flag}");
    assert_eq!(flag["level"], "six_months");
    assert!(
        flag["message"]
            .as_str()
            .expect("text")
            .contains("党章第九条")
    );
    assert!(
        !flags.iter().any(|f| f["member_id"] == li),
        "attendance last month breaks the streak"
    );
    let (_, still) = app.get_json(&format!("/api/v1/members/{zhang}")).await;
    assert_eq!(still["status"], "normal", "the system only flags");
}

on_both_backends!(
    ledger_workbook_has_a_sheet_per_kind_with_chinese_headers,
    calendar_month_and_a_private_feed_the_member_can_revoke,
    photos_attach_to_a_held_meeting_only,
    months_without_organizational_life_are_flagged_never_acted_on
);
