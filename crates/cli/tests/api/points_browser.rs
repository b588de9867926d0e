//! Points in real Chromium: a member who attended a group meeting finds the points on their card,
//! and the secretary publishes the quarter's bulletin, which the member then opens.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::activities::yesterday;
use crate::browser::{log_in, start_browser};
use crate::helpers::*;
use crate::orgs::org_id;
use crate::points::{held_meeting, signed_in};

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

async fn wait_for_text(browser: &Client, css: &str, expected: &str) -> String {
    for _ in 0..100 {
        if let Ok(element) = browser.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && text.contains(expected)
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {expected}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_sees_meeting_points_and_opens_the_published_quarterly_bulletin() {
    let Some((_driver, member)) = start_browser().await else {
        return;
    };
    let Some((_secretary_driver, secretary)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    let api = app.new_browser();
    api.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let zhang = crate::activities::member_id(&api, "张伟").await;
    let branch = org_id(&api, "站南派出所党支部").await;
    held_meeting(&api, &leader, &[zhang]).await;
    let quarter = dangjian_domain::activity::Period::containing(
        yesterday().parse().expect("date"),
        dangjian_domain::activity::Frequency::Quarterly,
    );

    // The member opens 党员积分 from the navigation, then the card.
    log_in(&member, &app, MEMBER).await;
    click(
        &member,
        Locator::XPath("//nav//a[normalize-space()='党员积分']"),
    )
    .await;
    click(&member, Locator::LinkText("我的积分卡")).await;
    // The card opens on this year; on New Year's Day yesterday's meeting is last year's.
    let meeting_year = &yesterday()[..4];
    if meeting_year != today().year().to_string() {
        member
            .goto(&app.url(&format!("/points/card?period={meeting_year}")))
            .await
            .expect("last year's card");
    }
    let entries = wait_for_text(&member, "#entries", "参加组织生活").await;
    assert!(entries.contains("+2"), "{entries}");
    assert!(text_of(&member, "main").await.contains("积分余额"));

    // The secretary opens the branch's points and publishes the quarter's bulletin.
    log_in(&secretary, &app, SECRETARY).await;
    secretary
        .goto(&app.url(&format!("/orgs/{branch}/points?period={}", quarter.key())))
        .await
        .expect("points page");
    click(&secretary, Locator::LinkText("积分通报")).await;
    wait_for_text(&secretary, "h1", &quarter.label()).await;
    click(&secretary, Locator::Css("#publish")).await;
    wait_for_text(&secretary, "#published", "已发布").await;

    // The member finds it on the points page and opens it.
    member.goto(&app.url("/points")).await.expect("points hub");
    click(
        &member,
        Locator::XPath(&format!("//a[contains(., '{}')]", quarter.key())),
    )
    .await;
    let heading = wait_for_text(&member, "h1", "积分通报").await;
    assert!(heading.contains(&quarter.label()), "{heading}");
    let top = text_of(&member, "#top").await;
    assert!(
        top.contains("名次") && !top.contains("无"),
        "the published bulletin lists the quarter's leaders: {top}"
    );
    member.close().await.expect("close");
    secretary.close().await.expect("close");
}

/// Issue #14: a proposal picks its member by name at phone size; nobody types a number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_picks_its_member_by_name_on_the_phone() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(SECRETARY, PASSWORD).await;
    let (_, me) = app.get_json("/api/v1/me").await;
    let branch = me["org_id"].as_i64().expect("branch");
    log_in(&browser, &app, SECRETARY).await;
    browser
        .goto(&app.url(&format!("/orgs/{branch}/points")))
        .await
        .expect("points page");
    crate::browser::fill(&browser, "fieldset.picker input[type=search]", "zw").await;
    // The list narrows to the search (htmx); then choose 张伟 by tapping the name.
    for _ in 0..100 {
        let listed = browser
            .find_all(Locator::Css("fieldset.picker label.choice"))
            .await
            .expect("choices");
        let mut names = Vec::new();
        for label in &listed {
            names.push(label.text().await.unwrap_or_default());
        }
        if !names.is_empty() && names.iter().all(|n| n.contains("张伟")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    click(
        &browser,
        Locator::XPath("//label[contains(@class,'choice')][contains(., '张伟')]"),
    )
    .await;
    browser
        .find(Locator::Css("select[name=item_code]"))
        .await
        .expect("rule")
        .select_by_value("A01")
        .await
        .expect("choose the rule");
    crate::browser::fill(&browser, "input[name=points]", "3").await;
    crate::browser::fill(&browser, "input[name=reason]", "社区志愿服务").await;
    crate::browser::assert_fits_the_phone(&browser, "the points page").await;
    click(
        &browser,
        Locator::XPath("//button[normalize-space()='提交申报']"),
    )
    .await;
    let proposals = wait_for_text(&browser, "#proposals", "社区志愿服务").await;
    assert!(proposals.contains("张伟"), "{proposals}");
    browser.close().await.expect("close");
}
