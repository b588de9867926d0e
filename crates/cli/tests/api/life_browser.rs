//! The organizational-life journey in real Chromium: a group leader plans a 党小组会, the branch
//! secretary approves it, a member checks in with the code on the host's screen, the recorder
//! writes the minutes, and the secretary's compliance page changes.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::activities::{act, approved_group_meeting, signed_in};
use crate::browser::{log_in, start_browser};
use crate::helpers::*;
use crate::orgs::org_id;

async fn click(browser: &Client, locator: Locator<'_>) {
    crate::browser::click(browser, locator).await;
}

async fn text_of(browser: &Client, css: &str) -> String {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .expect("element")
        .text()
        .await
        .expect("text")
}

/// Waits until the page at `path` (and query) is the current one.
/// Waits until the browser shows an activity's own page (`/activities/{id}`, not the form at
/// `/activities/new`, which the same prefix would match before the submit has navigated): its id.
async fn wait_for_activity_page(browser: &Client) -> i64 {
    for _ in 0..100 {
        let url = browser.current_url().await.expect("url");
        if let Some(id) = url
            .path()
            .strip_prefix("/activities/")
            .and_then(|rest| rest.parse().ok())
        {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page = browser.source().await.unwrap_or_default();
    panic!("the plan was never saved; the browser shows: {page}");
}

/// Waits for the notice the next page shows (the page being left may still show an older one).
async fn wait_notice(browser: &Client, expected: &str) {
    for _ in 0..100 {
        if let Ok(element) = browser.find(Locator::Css("p.notice")).await
            && element.text().await.is_ok_and(|t| t.contains(expected))
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no notice {expected}");
}

/// Accepts the confirmation dialog a button opened, once it is up, after checking what it asks.
async fn accept_confirm(browser: &Client, asks: &str) {
    for _ in 0..50 {
        if let Ok(text) = browser.get_alert_text().await {
            assert!(text.contains(asks), "the dialog asks: {text}");
            browser.accept_alert().await.expect("accept the dialog");
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no confirmation dialog");
}

async fn group_meetings_done(browser: &Client, app: &TestApp, branch: i64, month: &str) -> String {
    browser
        .goto(&app.url(&format!("/orgs/{branch}/compliance?period={month}")))
        .await
        .expect("compliance page");
    let row = browser
        .wait()
        .for_element(Locator::XPath("//tr[td[1][normalize-space()='党小组会']]"))
        .await
        .expect("group meeting row");
    row.text().await.expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_meeting_from_plan_to_compliance() {
    let Some((_driver, leader)) = start_browser().await else {
        return;
    };
    let Some((_member_driver, member)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    let api = app.new_browser();
    api.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&api, "站南派出所党支部").await;
    let group = org_id(&api, "综合党小组").await;
    // Today, early in the morning: already started, and in a month the demo data leaves empty.
    let day = crate::helpers::today().to_string();
    let month = &day[..7];

    // The secretary looks at the month first.
    log_in(&leader, &app, SECRETARY).await;
    let before = group_meetings_done(&leader, &app, branch, month).await;
    assert!(before.contains("0/3"), "{before}");
    leader.delete_all_cookies().await.expect("sign out");

    // The group leader plans the meeting from the group's page and submits it.
    log_in(&leader, &app, GROUP_LEADER).await;
    leader
        .goto(&app.url(&format!("/orgs/{group}")))
        .await
        .expect("group page");
    click(&leader, Locator::LinkText("安排活动")).await;
    let kind = leader
        .wait()
        .for_element(Locator::Css("#kind"))
        .await
        .expect("kind");
    kind.select_by(Locator::Css("option[value=group_meeting]"))
        .await
        .expect("kind");
    leader
        .find(Locator::Css("#topic"))
        .await
        .expect("topic")
        .send_keys("学习新修订的党章")
        .await
        .expect("type");
    // Date inputs take keyboard input in the browser's locale; set the value directly.
    leader
        .execute(
            "document.getElementById('date').value = arguments[0];
             document.getElementById('start').value = '00:00';
             document.getElementById('end').value = '00:30';",
            vec![serde_json::json!(day)],
        )
        .await
        .expect("set date");
    leader
        .find(Locator::Css("#place"))
        .await
        .expect("place")
        .send_keys("二楼会议室")
        .await
        .expect("type");
    for field in ["#host_member_id", "#recorder_member_id"] {
        leader
            .find(Locator::Css(field))
            .await
            .expect("person")
            .select_by(Locator::XPath(".//option[normalize-space()='李红梅']"))
            .await
            .expect("choose 李红梅");
    }
    click(&leader, Locator::Css("form.form button.primary")).await;
    let id = wait_for_activity_page(&leader).await;
    click(
        &leader,
        Locator::XPath("//button[normalize-space()='报上级审批']"),
    )
    .await;
    wait_notice(&leader, "已报上级党组织审批").await;
    leader.delete_all_cookies().await.expect("sign out");

    // The secretary approves it from the list of plans awaiting approval.
    log_in(&leader, &app, SECRETARY).await;
    leader
        .goto(&app.url("/activities"))
        .await
        .expect("activities");
    click(
        &leader,
        Locator::XPath("//a[contains(., '学习新修订的党章')]"),
    )
    .await;
    click(
        &leader,
        Locator::XPath("//button[normalize-space()='同意']"),
    )
    .await;
    wait_notice(&leader, "已审批同意").await;
    leader.delete_all_cookies().await.expect("sign out");

    // The group leader publishes the notice and opens check-in; the member scans the code.
    log_in(&leader, &app, GROUP_LEADER).await;
    log_in(&member, &app, MEMBER).await;
    leader
        .goto(&app.url(&format!("/activities/{id}")))
        .await
        .expect("activity");
    click(
        &leader,
        Locator::XPath("//button[normalize-space()='发布通知']"),
    )
    .await;
    click(
        &leader,
        Locator::XPath("//button[normalize-space()='开始签到']"),
    )
    .await;
    click(&leader, Locator::LinkText("显示签到二维码")).await;
    leader
        .wait()
        .for_element(Locator::Css(".qr svg"))
        .await
        .expect("the QR code is shown");
    let code = text_of(&leader, "[data-checkin-code]").await;
    member
        .goto(&app.url(&format!("/checkin/{id}?code={code}")))
        .await
        .expect("scan");
    click(
        &member,
        Locator::XPath("//button[normalize-space()='确认签到']"),
    )
    .await;
    wait_notice(&member, "签到成功").await;
    assert!(text_of(&member, "main").await.contains("我的出勤：出席"));

    // The recorder confirms the meeting: the page first says who will be absent (everyone but
    // the member who scanned and 李红梅, who hosts), and the button asks before it posts.
    leader
        .goto(&app.url(&format!("/activities/{id}")))
        .await
        .expect("activity");
    let summary = text_of(&leader, "details.finish-preview summary").await;
    assert!(summary.contains("人记为缺席"), "{summary}");
    click(
        &leader,
        Locator::XPath("//button[normalize-space()='确认已召开']"),
    )
    .await;
    accept_confirm(&leader, "人未签到，将记为缺席，确认？").await;
    wait_notice(&leader, "已确认召开").await;
    let host_line = leader
        .wait()
        .for_element(Locator::XPath(
            "//table[@id='attendees']/tbody/tr/td[starts-with(normalize-space(), '李红梅')]\
             /following-sibling::td[1]",
        ))
        .await
        .expect("the host's line")
        .text()
        .await
        .expect("text");
    assert!(
        host_line.starts_with("出席"),
        "the host who did not scan is present: {host_line}"
    );
    leader
        .wait()
        .for_element(Locator::Css("#minutes"))
        .await
        .expect("minutes form")
        .send_keys("李红梅领学党章总纲，张伟等同志交流了学习体会。")
        .await
        .expect("type");
    click(
        &leader,
        Locator::XPath("//button[normalize-space()='保存会议记录']"),
    )
    .await;
    wait_notice(&leader, "会议记录已保存").await;
    leader.delete_all_cookies().await.expect("sign out");

    // The secretary's compliance page now counts the group.
    log_in(&leader, &app, SECRETARY).await;
    let after = group_meetings_done(&leader, &app, branch, month).await;
    assert!(after.contains("1/3"), "{after}");
    leader.close().await.expect("close");
    member.close().await.expect("close");
}

/// The host puts the check-in on a projector: the page shows only the code, as large as the
/// screen allows, and the count follows as members scan, without anyone reloading it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_projector_shows_a_large_code_and_a_live_count() {
    let Some((_driver, screen)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let id = approved_group_meeting(&app, &leader, &crate::helpers::today().to_string()).await;
    assert_eq!(
        act(&leader, id, "open_check_in", "").await.status(),
        reqwest::StatusCode::OK
    );

    // A projector is a wide screen, not the phone the other journeys use.
    screen.set_window_size(1280, 720).await.expect("resize");
    log_in(&screen, &app, GROUP_LEADER).await;
    screen
        .goto(&app.url(&format!("/activities/{id}/check-in")))
        .await
        .expect("check-in screen");
    click(&screen, Locator::LinkText("投影模式")).await;
    screen
        .wait()
        .for_element(Locator::Css(".projector-screen .qr svg"))
        .await
        .expect("the projected code");
    let shown = screen
        .execute(
            "return [document.querySelector('.qr svg').getBoundingClientRect().height,
                     window.innerHeight,
                     getComputedStyle(document.querySelector('nav.modules')).display];",
            vec![],
        )
        .await
        .expect("measure");
    let code_height = shown[0].as_f64().expect("code height");
    let screen_height = shown[1].as_f64().expect("screen height");
    assert!(
        code_height >= 0.6 * screen_height,
        "the code fills the wall: {code_height}px of {screen_height}px"
    );
    assert_eq!(shown[2], "none", "no navigation on the projector");

    // Read by script: htmx replaces the element every few seconds, so a held reference goes stale.
    let present = async || {
        let text = screen
            .execute(
                "return document.querySelector('[data-present]').textContent;",
                vec![],
            )
            .await
            .expect("count");
        text.as_str()
            .and_then(|t| t.trim().parse::<i64>().ok())
            .expect("a count")
    };
    let before = present().await;
    let (_, code) = leader
        .get_json(&format!("/api/v1/activities/{id}/check-in-code"))
        .await;
    let scanned = member
        .post_json(
            &format!("/api/v1/activities/{id}/check-in"),
            &serde_json::json!({"code": code["code"]}),
        )
        .await;
    assert_eq!(scanned.status(), reqwest::StatusCode::OK);
    for _ in 0..100 {
        if present().await == before + 1 {
            crate::browser::screenshot(&screen, "checkin-projector").await;
            screen.close().await.expect("close");
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the projected count never showed the member who checked in");
}
