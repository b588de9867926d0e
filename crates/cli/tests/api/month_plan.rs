//! 生成本月计划 (issue #26): the month's required activities a node has not planned, drafted from
//! its last meeting of each kind, shown first and written only on confirmation, as drafts, in one
//! audited step; through the API on both backends, the pages, and Chromium at phone and desk size.

use std::collections::BTreeSet;

use fantoccini::Locator;
use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::activities::{member_id, signed_in};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

fn path_of(org: i64) -> String {
    format!("/api/v1/orgs/{org}/activities/month-plan")
}

fn kinds(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["kind"].as_str().expect("kind").to_string())
        .collect()
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

async fn a_branch_drafts_what_the_month_still_needs_in_one_audited_step(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;

    let preview = app.post_json(&path_of(branch), &json!({})).await;
    assert_eq!(preview.status(), StatusCode::OK, "a preview writes nothing");
    let preview: Value = preview.json().await.expect("json");
    let month = today().strftime("%Y-%m").to_string();
    assert_eq!(preview["month"], month, "this month by default");
    assert_eq!(preview["created"], false);
    let drafted: BTreeSet<String> = kinds(&preview, "drafts").into_iter().collect();
    // The branch has a committee: monthly 支委会 and 主题党日, quarterly 党员大会 and 党课;
    // each is drafted unless the month or quarter already has one.
    for required in [
        "committee_meeting",
        "theme_day",
        "branch_assembly",
        "party_lecture",
    ] {
        let planned = preview["already_planned"]
            .as_array()
            .expect("planned")
            .iter()
            .any(|a| {
                a["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with(kind_label(required)))
            });
        assert!(
            drafted.contains(required) != planned,
            "{required}: drafted exactly when not yet planned: {preview}"
        );
    }
    assert!(
        !drafted.contains("life_meeting"),
        "a yearly meeting is not drafted monthly"
    );
    assert!(
        !drafted.contains("group_meeting"),
        "a branch holds no 党小组会"
    );
    for draft in preview["drafts"].as_array().expect("drafts") {
        let date = draft["date"].as_str().expect("date");
        assert!(
            date.starts_with(&month) && date >= today().to_string().as_str(),
            "{draft}"
        );
        assert!(
            draft["host_name"].is_string(),
            "a host from what the system knows: {draft}"
        );
        assert!(
            !draft["place"].as_str().expect("place").is_empty(),
            "{draft}"
        );
    }
    let before = app
        .get_json(&format!("/api/v1/activities?org={branch}&per_page=200"))
        .await
        .1["total"]
        .as_i64()
        .expect("total");
    let audits_before = app.audit_actions("activity_planned").await.len();

    assert!(
        !drafted.is_empty(),
        "the demo month lacks its 支委会: {preview}"
    );
    let created = app
        .post_json(&path_of(branch), &json!({"month": month, "confirm": true}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert_eq!(created["created"], true);
    let ids: Vec<i64> = created["drafts"]
        .as_array()
        .expect("drafts")
        .iter()
        .map(|d| d["activity_id"].as_i64().expect("written"))
        .collect();
    assert_eq!(ids.len(), drafted.len());
    for id in &ids {
        let (status, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            detail["activity"]["status"], "draft",
            "for review before publishing"
        );
        assert_eq!(detail["activity"]["org_id"], branch);
        if detail["activity"]["kind"] == "committee_meeting" {
            let expected = detail["attendees"].as_array().expect("attendees").len();
            assert!(
                expected < 27,
                "a 支委会 expects the committee, not the branch"
            );
        }
    }
    let after = app
        .get_json(&format!("/api/v1/activities?org={branch}&per_page=200"))
        .await
        .1["total"]
        .as_i64()
        .expect("total");
    assert_eq!(after, before + ids.len() as i64);
    let entries = app.audit_actions("activity_planned").await;
    assert_eq!(
        entries.len(),
        audits_before + 1,
        "one entry for the month's drafts"
    );
    assert_eq!(entries[0]["entity_type"], "org");
    let listed = entries[0]["after"].as_str().expect("rows listed");
    for id in &ids {
        assert!(
            listed.lines().any(|l| l.starts_with(&format!("#{id} "))),
            "{listed}"
        );
    }

    let again: Value = app
        .post_json(&path_of(branch), &json!({}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["drafts"], json!([]), "the month is planned: {again}");
    let twice = app
        .post_json(&path_of(branch), &json!({"confirm": true}))
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.audit_actions("activity_planned").await.len(),
        audits_before + 1,
        "a refusal writes nothing"
    );
}

fn kind_label(code: &str) -> &'static str {
    match code {
        "committee_meeting" => "支部委员会",
        "theme_day" => "主题党日",
        "branch_assembly" => "支部党员大会",
        "party_lecture" => "党课",
        _ => "?",
    }
}

/// A leader drafts the group's meeting from the last one; who may not plan, or a past month, is
/// refused without a write.
async fn a_group_drafts_its_meeting_and_bad_requests_change_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let group = org_id(&leader, "综合党小组").await;
    let li = member_id(&leader, "李红梅").await;
    let next_month = today()
        .first_of_month()
        .checked_add(jiff::ToSpan::months(1))
        .expect("next month");
    let next = next_month.strftime("%Y-%m").to_string();

    // Last month's group meeting, held in 二楼 on the 10th, is the template.
    let mut body =
        crate::activities::plan("group_meeting", "学习党章", &next_month.to_string(), li);
    body["org_id"] = json!(group);
    body["place"] = json!("派出所二楼会议室");
    body["start"] = json!("15:00");
    body["end"] = json!("16:00");
    let made = leader.post_json("/api/v1/activities", &body).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let month_after = next_month
        .checked_add(jiff::ToSpan::months(1))
        .expect("a month later");
    let planned_for = month_after.strftime("%Y-%m").to_string();
    let preview: Value = leader
        .post_json(&path_of(group), &json!({"month": planned_for}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        kinds(&preview, "drafts"),
        vec!["group_meeting"],
        "{preview}"
    );
    let draft = &preview["drafts"][0];
    assert_eq!(
        draft["place"], "派出所二楼会议室",
        "copied, not typed again"
    );
    assert_eq!(draft["start"], "15:00");
    assert_eq!(draft["host_name"], "李红梅");
    assert_eq!(
        draft["date"],
        month_after.first_of_month().to_string(),
        "the same day"
    );
    let of_next: Value = leader
        .post_json(&path_of(group), &json!({"month": next}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        of_next["drafts"],
        json!([]),
        "next month already has its meeting"
    );

    let audits = app.audit_actions("activity_planned").await.len();
    let refused = member
        .post_json(&path_of(group), &json!({"confirm": true}))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let last_year = format!("{}-01", today().year() - 1);
    let past = leader
        .post_json(
            &path_of(group),
            &json!({"month": last_year, "confirm": true}),
        )
        .await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let nonsense = leader
        .post_json(&path_of(group), &json!({"month": "2026-13"}))
        .await;
    assert_eq!(nonsense.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let outside = leader
        .post_json(&path_of(org_id(&app, "站南派出所党支部").await), &json!({}))
        .await;
    assert_eq!(
        outside.status(),
        StatusCode::FORBIDDEN,
        "a leader plans for the group only"
    );
    assert_eq!(app.audit_actions("activity_planned").await.len(), audits);
}

/// The pages, without JavaScript: the organization's page leads to the preview, whose one form
/// writes the drafts and comes back with them listed as planned.
async fn the_pages_preview_then_write(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = org_id(&app, "刑侦党小组").await;
    let org_page = Html::parse_document(
        &app.get(&format!("/orgs/{group}"))
            .await
            .text()
            .await
            .expect("body"),
    );
    let link = org_page
        .select(&selector("a#month-plan"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a link to 生成本月计划")
        .to_string();
    let preview = Html::parse_document(&app.get(&link).await.text().await.expect("body"));
    let rows = preview.select(&selector("#drafts tbody tr")).count();
    assert!(rows > 0, "the group has no meeting planned this month yet");
    assert!(preview.select(&selector("#nothing-due")).next().is_none());
    let form = preview
        .select(&selector("form#month-plan-confirm"))
        .next()
        .expect("the confirmation form");
    let month = form
        .select(&selector("input[name=month]"))
        .next()
        .and_then(|i| i.value().attr("value"))
        .expect("month")
        .to_string();
    let written = app
        .post_form(&format!("/orgs/{group}/month-plan"), &[("month", &month)])
        .await;
    assert_eq!(written.status(), StatusCode::SEE_OTHER);
    let back = location(&written);
    assert!(back.contains("notice=month_planned"), "{back}");
    let after = Html::parse_document(&app.get(&back).await.text().await.expect("body"));
    assert!(after.select(&selector("p.notice")).next().is_some());
    assert!(after.select(&selector("#nothing-due")).next().is_some());
    assert!(after.select(&selector("#planned li a")).count() >= rows);
}

on_both_backends!(
    a_branch_drafts_what_the_month_still_needs_in_one_audited_step,
    a_group_drafts_its_meeting_and_bad_requests_change_nothing,
    the_pages_preview_then_write
);

/// In Chromium at phone and desk size: from the organization's page to the drafts and back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretary_generates_the_months_plan_on_phone_and_desk() {
    let Some((_driver, browser)) = crate::browser::start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(SECRETARY, PASSWORD).await;
    let phone_org = org_id(&app, "站南派出所党支部").await;
    let desk_org = org_id(&app, "治安党小组").await;
    crate::browser::log_in(&browser, &app, SECRETARY).await;
    for (org, (width, height), phone) in [
        (phone_org, (390, 844), true),
        (desk_org, (1280, 900), false),
    ] {
        browser
            .set_window_size(width, height)
            .await
            .expect("resize");
        browser
            .goto(&app.url(&format!("/orgs/{org}")))
            .await
            .expect("open the organization");
        crate::browser::click(&browser, Locator::Css("a#month-plan")).await;
        browser
            .wait()
            .for_element(Locator::Css("#planned, #drafts"))
            .await
            .expect("the month's plan");
        let drafts = browser
            .find_all(Locator::Css("#drafts tbody tr"))
            .await
            .expect("drafts");
        if phone {
            crate::browser::assert_fits_the_phone(&browser, "生成本月计划").await;
            crate::browser::screenshot(&browser, "month-plan-phone").await;
        }
        assert!(
            !drafts.is_empty(),
            "the month's required activities are not all planned"
        );
        crate::browser::click(
            &browser,
            Locator::Css("#month-plan-confirm button[type=submit]"),
        )
        .await;
        let notice = browser
            .wait()
            .for_element(Locator::Css("p.notice"))
            .await
            .expect("the notice")
            .text()
            .await
            .expect("text");
        assert!(notice.contains("已生成本月计划草稿"), "{notice}");
        let planned = browser
            .find_all(Locator::Css("#planned li a"))
            .await
            .expect("planned");
        assert!(planned.len() >= drafts.len());
    }
}
