//! Member development in Chromium: the secretary designates an activist on the timeline page and
//! is refused a premature development-candidate step, with the earliest allowed date shown.

use std::time::Duration;

use fantoccini::{Client, Locator};
use jiff::ToSpan;
use serde_json::json;

use crate::browser::{log_in, screenshot, start_browser};
use crate::development::{BRANCH, register, today};
use crate::helpers::*;
use crate::orgs::org_id;

/// Chooses step `n` in the step form, keeps today's date, submits, and waits for the next page.
async fn record_step(browser: &Client, n: u8) {
    browser
        .find(Locator::Css("select#step"))
        .await
        .expect("step form")
        .select_by(Locator::Css(&format!("option[value='{n}']")))
        .await
        .expect("choose the step");
    let before = browser.current_url().await.expect("url");
    crate::browser::click(
        browser,
        Locator::Css("form[action$='/steps'] button[type=submit]"),
    )
    .await;
    // A refusal answers on the form's own URL; wait until the posted page has replaced this one.
    for _ in 0..100 {
        let stale = browser
            .find(Locator::Css("p.notice, p.alert"))
            .await
            .is_err();
        let url = browser.current_url().await.expect("url");
        if !stale || url != before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secretary_designates_an_activist_and_is_refused_a_premature_candidate() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(SECRETARY, PASSWORD).await;
    let applied = today().saturating_sub(40.days());
    let id = register(&app, "申请人辛", 21, applied).await;
    let talk = app
        .post_json(
            &format!("/api/v1/development/applicants/{id}/steps"),
            &json!({"step": 2, "date": applied.saturating_add(7.days()).to_string()}),
        )
        .await;
    assert_eq!(talk.status(), reqwest::StatusCode::CREATED);

    log_in(&browser, &app, SECRETARY).await;
    let branch = org_id(&app, BRANCH).await;
    browser
        .goto(&app.url(&format!("/orgs/{branch}")))
        .await
        .expect("org page");
    crate::browser::click(&browser, Locator::LinkText("发展党员")).await;
    let dashboard = browser
        .wait()
        .for_element(Locator::LinkText("申请人辛"))
        .await
        .expect("the applicant on the dashboard");
    screenshot(&browser, "development-dashboard").await;
    crate::browser::tap(&browser, &dashboard).await;
    browser
        .wait()
        .for_element(Locator::Css("select#step"))
        .await
        .expect("timeline with the step form");

    record_step(&browser, 3).await;
    let notice = browser
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .expect("recorded")
        .text()
        .await
        .expect("text");
    assert!(notice.contains("已记录"), "{notice}");
    let activist = browser
        .find(Locator::Css("#step-3"))
        .await
        .expect("step 3 on the timeline")
        .text()
        .await
        .expect("text");
    assert!(activist.contains(&today().to_string()), "{activist}");

    // Filing, contacts and training as the branch records them, then the premature step 7.
    let (a, b) = {
        let (_, list) = app
            .get_json("/api/v1/members?category=full&per_page=2")
            .await;
        (
            list["items"][0]["id"].clone(),
            list["items"][1]["id"].clone(),
        )
    };
    for body in [
        json!({"step": 4, "date": today().to_string()}),
        json!({
            "step": 5,
            "date": today().to_string(),
            "people": [{"role": "contact", "member_id": a}, {"role": "contact", "member_id": b}],
        }),
        json!({"step": 6, "date": today().to_string()}),
    ] {
        let recorded = app
            .post_json(&format!("/api/v1/development/applicants/{id}/steps"), &body)
            .await;
        assert_eq!(recorded.status(), reqwest::StatusCode::CREATED);
    }
    browser
        .goto(&app.url(&format!("/development/applicants/{id}")))
        .await
        .expect("timeline");
    record_step(&browser, 7).await;
    let refusal = browser
        .wait()
        .for_element(Locator::Css("#refusal"))
        .await
        .expect("refused")
        .text()
        .await
        .expect("text");
    let earliest = today().saturating_add(1.year());
    assert!(
        refusal.contains(&format!(
            "成为入党积极分子未满一年，最早可于 {earliest} 确定为发展对象"
        )),
        "{refusal}"
    );
    let step7 = browser
        .find(Locator::Css("#step-7"))
        .await
        .expect("step 7 line")
        .text()
        .await
        .expect("text");
    assert!(
        step7.contains(&format!("最早 {earliest}")),
        "the timeline shows the window too: {step7}"
    );
    let standing = browser
        .find(Locator::Css("h1 .tag"))
        .await
        .expect("standing")
        .text()
        .await
        .expect("text");
    assert_eq!(
        standing, "入党积极分子的确定和培养教育",
        "still an activist"
    );
    screenshot(&browser, "development-refused").await;
    browser
        .execute("document.getElementById('step-7').scrollIntoView()", vec![])
        .await
        .expect("scroll");
    screenshot(&browser, "development-timeline").await;
    browser.close().await.expect("close browser");
}
