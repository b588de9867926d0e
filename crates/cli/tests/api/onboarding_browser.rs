//! A branch onboards a member in real Chromium at phone size (issue #14): the secretary opens the
//! roster's accounts and reads the handover list, the member signs in with the initial password,
//! sets their own, checks in at a meeting by its code and opens the points card. No page on the
//! way is wider than the phone.

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::activities::{act, approved_group_meeting, signed_in, yesterday};
use crate::browser::{assert_fits_the_phone, click, fill, log_in, screenshot, start_browser};
use crate::helpers::*;
use crate::orgs::org_id;

/// Waits until the browser is on `path`.
async fn wait_for_path(browser: &Client, path: &str) {
    for _ in 0..100 {
        if browser
            .current_url()
            .await
            .is_ok_and(|url| url.path() == path)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = browser.current_url().await.expect("url");
    panic!("expected {path}, the browser is on {url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_onboards_a_member_who_checks_in_on_the_phone() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = org_id(&app, "综合党小组").await;
    let created = app
        .post_json(
            "/api/v1/members",
            &json!({
                "org_id": group, "name": "韩梅", "id_number": "610502199003071248",
                "phone": "13912340000", "category": "正式党员", "joined_on": "2015-07-01",
                "full_member_on": "2016-07-01", "education": "大学本科"
            }),
        )
        .await;
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);

    // The secretary opens the group's accounts from the accounts page.
    log_in(&browser, &app, SECRETARY).await;
    browser
        .goto(&app.url("/admin/accounts"))
        .await
        .expect("accounts page");
    click(&browser, Locator::LinkText("为花名册开通账号")).await;
    browser
        .wait()
        .for_element(Locator::Css("select#org"))
        .await
        .expect("organization choice")
        .select_by(Locator::XPath(".//option[contains(., '综合党小组')]"))
        .await
        .expect("choose the group");
    click(&browser, Locator::Css("input[name=without]")).await;
    click(
        &browser,
        Locator::XPath("//button[normalize-space()='查看']"),
    )
    .await;
    for _ in 0..100 {
        let url = browser.current_url().await.expect("url");
        if url
            .query()
            .is_some_and(|q| q.contains(&format!("org={group}")))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser
        .wait()
        .for_element(Locator::XPath("//td[normalize-space()='韩梅']"))
        .await
        .expect("the new member is listed");
    assert_fits_the_phone(&browser, "the roster's accounts").await;
    click(
        &browser,
        Locator::XPath("//button[normalize-space()='为本页勾选的党员开通账号']"),
    )
    .await;
    // The roster page being left has a 韩梅 row too: wait for the handover list's password cell,
    // which only the answer has.
    let password = browser
        .wait()
        .for_element(Locator::XPath("//tr[td[normalize-space()='韩梅']]/td/code"))
        .await
        .expect("the initial password on the handover list")
        .text()
        .await
        .expect("text");
    assert_fits_the_phone(&browser, "the handover list").await;
    screenshot(&browser, "phone-handover-list").await;

    // The group leader holds a meeting and opens check-in.
    let leader = signed_in(&app, GROUP_LEADER).await;
    let meeting = approved_group_meeting(&app, &leader, &yesterday()).await;
    assert!(
        act(&leader, meeting, "open_check_in", "")
            .await
            .status()
            .is_success()
    );
    let (_, shown): (_, Value) = leader
        .get_json(&format!("/api/v1/activities/{meeting}/check-in-code"))
        .await;
    let code = shown["code"].as_str().expect("code").to_string();

    // The member signs in with the handed-over password and must choose their own first.
    browser.delete_all_cookies().await.expect("sign out");
    browser.goto(&app.url("/login")).await.expect("login");
    fill(&browser, "#phone", "13912340000").await;
    fill(&browser, "#password", &password).await;
    click(&browser, Locator::Css("button[type=submit].primary")).await;
    wait_for_path(&browser, "/account/password").await;
    assert_fits_the_phone(&browser, "the password change").await;
    fill(&browser, "#current_password", &password).await;
    fill(&browser, "#new_password", "hanmei2026").await;
    fill(&browser, "#new_password_again", "hanmei2026").await;
    click(&browser, Locator::Css("button[type=submit].primary")).await;
    browser
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .expect("password changed");
    browser.goto(&app.url("/")).await.expect("home");
    browser
        .wait()
        .for_element(Locator::Css("nav.tabbar"))
        .await
        .expect("the member's home");
    screenshot(&browser, "phone-member-home").await;

    // Scanning the code opens the check-in page; one tap checks in.
    browser
        .goto(&app.url(&format!("/checkin/{meeting}?code={code}")))
        .await
        .expect("scan");
    click(
        &browser,
        Locator::XPath("//button[normalize-space()='确认签到']"),
    )
    .await;
    let notice = browser
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .expect("check-in answered")
        .text()
        .await
        .expect("text");
    assert!(notice.contains("签到成功"), "{notice}");
    assert_fits_the_phone(&browser, "the activity after check-in").await;
    screenshot(&browser, "phone-checked-in").await;

    browser
        .goto(&app.url("/points/card"))
        .await
        .expect("points card");
    let heading = browser
        .wait()
        .for_element(Locator::Css("main h1"))
        .await
        .expect("card")
        .text()
        .await
        .expect("text");
    assert!(heading.contains("积分"), "{heading}");
    let main = browser
        .find(Locator::Css("main"))
        .await
        .expect("main")
        .text()
        .await
        .expect("text");
    assert!(
        main.contains("韩梅"),
        "the card is the member's own: {main}"
    );
    assert_fits_the_phone(&browser, "the points card").await;
    screenshot(&browser, "phone-points-card").await;
    let tab_bar = browser
        .find(Locator::Css("nav.tabbar"))
        .await
        .expect("the tab bar");
    assert!(
        tab_bar.is_displayed().await.expect("visibility"),
        "the tab bar shows at phone width"
    );
    let tabs = tab_bar.text().await.expect("tabs");
    assert!(tabs.contains("积分") && tabs.contains("活动"), "{tabs}");
    browser.close().await.expect("close");
}
