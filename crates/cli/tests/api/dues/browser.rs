//! In Chromium: the secretary records this month's payments for a group, and the committee's
//! summary shows the new collection rate.

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::*;
use crate::browser::{log_in, start_browser};
use crate::helpers::*;

async fn text_of(browser: &Client, css: &str) -> String {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} on the page"))
        .text()
        .await
        .expect("text")
}

async fn click_link(browser: &Client, text: &str) {
    crate::browser::click(browser, Locator::LinkText(text)).await;
}

/// Waits until the page is `path` (the page being left may still be showing).
async fn wait_for_path(browser: &Client, path: &str) {
    for _ in 0..100 {
        if browser.current_url().await.expect("url").path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never reached {path}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secretary_records_this_months_payments_and_the_committee_sees_the_new_rate() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    // At the start of the year the secretary set the bases of two groups and opened this month.
    app.login(SECRETARY, PASSWORD).await;
    let year = &this_month()[..4];
    let station = crate::orgs::org_id(&app, "站南派出所党支部").await;
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    for (i, org) in [group, crate::orgs::org_id(&app, "刑侦党小组").await]
        .into_iter()
        .enumerate()
    {
        let (_, list) = app
            .get_json(&format!("/api/v1/members?org_id={org}&per_page=200"))
            .await;
        for member in list["items"].as_array().expect("items") {
            let id = member["id"].as_i64().expect("id");
            set_base(
                &app,
                id,
                &format!("{year}-01"),
                "在职",
                if i == 0 { "4500" } else { "6000" },
                "",
            )
            .await;
        }
    }
    open(&app, station, &this_month()).await;
    let admin = app.new_browser();
    admin.login(ADMIN, PASSWORD).await;
    let bureau = crate::orgs::org_id(&admin, "临渭公安分局党委").await;
    let (_, before) = admin
        .get_json(&format!("/api/v1/orgs/{bureau}/dues/summary"))
        .await;
    assert_eq!(before["totals"]["rate"], "0.0");

    log_in(&browser, &app, SECRETARY).await;
    click_link(&browser, "党费").await;
    wait_for_path(&browser, "/dues").await;
    click_link(&browser, "综合党小组").await;
    wait_for_path(&browser, &format!("/orgs/{group}/dues")).await;
    assert_eq!(text_of(&browser, "#sheet-rate").await, "0.0%");
    let boxes = browser
        .find_all(Locator::Css(
            "#pay-form input[type=checkbox][name=member_id]",
        ))
        .await
        .expect("checkboxes");
    assert!(
        boxes.len() >= 5,
        "every member of the group owes this month"
    );
    for checkbox in &boxes {
        crate::browser::tap(&browser, checkbox).await;
    }
    browser
        .find(Locator::Css("#channel"))
        .await
        .expect("channel")
        .select_by_value("转账")
        .await
        .expect("choose channel");
    crate::browser::click(&browser, Locator::Css("#pay-form button[type=submit]")).await;
    // The ticked members and their amounts are listed first; only the confirmation records.
    crate::browser::click(&browser, Locator::Css("#batch-confirm button[type=submit]")).await;
    let notice = text_of(&browser, "p.notice").await;
    assert!(notice.contains("已登记交纳"), "{notice}");
    assert_eq!(text_of(&browser, "#sheet-rate").await, "100.0%");

    // The committee's side: a system administrator opens the bureau's summary.
    crate::browser::click(&browser, Locator::Css("form[action='/logout'] button")).await;
    wait_for_path(&browser, "/login").await;
    log_in(&browser, &app, ADMIN).await;
    click_link(&browser, "党费").await;
    wait_for_path(&browser, "/dues").await;
    click_link(&browser, "临渭公安分局党委").await;
    wait_for_path(&browser, &format!("/orgs/{bureau}/dues")).await;
    let (_, after): (_, Value) = admin
        .get_json(&format!("/api/v1/orgs/{bureau}/dues/summary"))
        .await;
    let rate = after["totals"]["rate"].as_str().expect("rate").to_string();
    assert_ne!(rate, "0.0", "the group's payments count for the committee");
    assert_eq!(text_of(&browser, "#summary-rate").await, format!("{rate}%"));
    let table = text_of(&browser, "table").await;
    assert!(
        table.contains("站南派出所党支部") && table.contains(&format!("{rate}%")),
        "{table}"
    );
    browser.close().await.expect("close browser");
}

/// Bases set for every member of the groups and this month opened for their branch, as the
/// secretary would at the start of the year.
async fn groups_owing_this_month(app: &TestApp, groups: &[i64]) {
    let year = &this_month()[..4];
    for org in groups {
        let (_, list) = app
            .get_json(&format!("/api/v1/members?org_id={org}&per_page=200"))
            .await;
        for member in list["items"].as_array().expect("items") {
            let id = member["id"].as_i64().expect("id");
            set_base(app, id, &format!("{year}-01"), "在职", "4500", "").await;
        }
    }
    let station = crate::orgs::org_id(app, "站南派出所党支部").await;
    open(app, station, &this_month()).await;
}

/// Issue #26: 全选, then the confirmation listing every member and amount, then the sheet all
/// paid — on a phone (390 px, the list as cards that fit the screen) and on a desk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secretary_selects_all_confirms_and_sees_the_sheet_paid_on_phone_and_desk() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(SECRETARY, PASSWORD).await;
    let phone_group = crate::orgs::org_id(&app, "综合党小组").await;
    let desk_group = crate::orgs::org_id(&app, "刑侦党小组").await;
    groups_owing_this_month(&app, &[phone_group, desk_group]).await;
    log_in(&browser, &app, SECRETARY).await;

    for (group, (width, height), phone) in [
        (phone_group, (390, 844), true),
        (desk_group, (1280, 900), false),
    ] {
        browser
            .set_window_size(width, height)
            .await
            .expect("resize");
        browser
            .goto(&app.url(&format!("/orgs/{group}/dues")))
            .await
            .expect("open the sheet");
        assert_eq!(text_of(&browser, "#sheet-rate").await, "0.0%");
        let boxes = browser
            .find_all(Locator::Css(
                "#pay-form input[type=checkbox][name=member_id]",
            ))
            .await
            .expect("checkboxes");
        assert!(boxes.len() >= 2, "the group's members owe this month");
        crate::browser::click(&browser, Locator::Css("#select-all")).await;
        let ticked = browser
            .execute(
                "return [...document.querySelectorAll('#pay-form input[name=member_id]')]\
                   .filter(b => b.checked).length;",
                vec![],
            )
            .await
            .expect("count ticks");
        assert_eq!(
            ticked.as_u64(),
            Some(boxes.len() as u64),
            "全选 ticks every box"
        );
        crate::browser::click(&browser, Locator::Css("#pay-selected")).await;

        browser
            .wait()
            .for_element(Locator::Css("#batch-confirm"))
            .await
            .expect("the confirmation");
        let listed = browser
            .find_all(Locator::Css("#batch-lines tbody tr"))
            .await
            .expect("listed rows");
        assert_eq!(listed.len(), boxes.len(), "every ticked member is listed");
        let first = listed[0].text().await.expect("row text");
        assert!(first.contains("45.00 元"), "{first}");
        if phone {
            let cards = browser
                .execute(
                    "const t = document.querySelector('#batch-lines');
                     return [getComputedStyle(t.tHead).display,
                             getComputedStyle(t.tBodies[0].rows[0]).display,
                             t.tBodies[0].rows[0].cells[3].getAttribute('data-label')];",
                    vec![],
                )
                .await
                .expect("read the list");
            assert_eq!(cards, serde_json::json!(["none", "block", "本次登记"]));
            crate::browser::assert_fits_the_phone(&browser, "the confirmation").await;
            crate::browser::screenshot(&browser, "dues-batch-confirm-phone").await;
        }
        crate::browser::click(&browser, Locator::Css("#batch-confirm button[type=submit]")).await;
        let notice = text_of(&browser, "p.notice").await;
        assert!(notice.contains("已登记交纳"), "{notice}");
        assert_eq!(text_of(&browser, "#sheet-rate").await, "100.0%");
        let left = browser
            .find_all(Locator::Css(
                "#pay-form input[type=checkbox][name=member_id]",
            ))
            .await
            .expect("checkboxes");
        assert!(left.is_empty(), "the sheet is all paid");
        let (_, sheet) = app
            .get_json(&format!("/api/v1/orgs/{group}/dues/sheet"))
            .await;
        assert_eq!(sheet["unpaid_count"], 0, "{sheet}");
        assert_eq!(sheet["partial_count"], 0, "{sheet}");
    }
    browser.close().await.expect("close browser");
}

/// Issue #26, the pre-filled import: the template of the organization's members with their bases
/// in force, one base changed, uploaded through the sheet page's form — on a phone (390 px) and on
/// a desk; the page says how many rows were read and only the changed base is new.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prefilled_bases_file_is_uploaded_on_phone_and_desk() {
    use super::prefilled::{as_file, column, prefilled};
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    app.login(ADMIN, PASSWORD).await;
    log_in(&browser, &app, ADMIN).await;
    let dir = tempfile::tempdir().expect("dir");
    for (group_name, (width, height)) in [
        ("运行一班党小组", (390, 844)),
        ("运行二班党小组", (1280, 900)),
    ] {
        let group = crate::orgs::org_id(&app, group_name).await;
        let mut rows = prefilled(&app, group, "bases").await;
        let (number, base, reason) = (
            column(&rows, "党员编号"),
            column(&rows, "月基数"),
            column(&rows, "调整原因"),
        );
        let changed = rows[1..]
            .iter()
            .position(|r| !r[base].is_empty())
            .map(|i| i + 1)
            .expect("a member with a base");
        rows[changed][base] = "8800".into();
        rows[changed].resize(reason + 1, String::new());
        rows[changed][reason] = "工资调整".into();
        let member: i64 = rows[changed][number].parse().expect("number");
        let (_, profile) = app
            .get_json(&format!("/api/v1/members/{member}/dues"))
            .await;
        let history = profile["bases"].as_array().expect("bases").len();
        let file = dir.path().join(format!("{group}.xlsx"));
        std::fs::write(&file, as_file(&rows)).expect("write the file");

        browser
            .set_window_size(width, height)
            .await
            .expect("resize");
        browser
            .goto(&app.url(&format!("/orgs/{group}/dues")))
            .await
            .expect("open the sheet");
        browser
            .find(Locator::Css(
                "input[type=file][aria-label='导入党费基数文件']",
            ))
            .await
            .expect("the bases file field")
            .send_keys(&file.display().to_string())
            .await
            .expect("choose the file");
        crate::browser::click(&browser, Locator::XPath("//button[text()='导入党费基数']")).await;
        let told = text_of(&browser, "#import-result p.notice").await;
        assert!(
            told.contains(&format!("已导入 {} 行", rows.len() - 1)),
            "{told}"
        );
        if width < 500 {
            crate::browser::assert_fits_the_phone(&browser, "the dues sheet after an import").await;
        }
        let (_, profile) = app
            .get_json(&format!("/api/v1/members/{member}/dues"))
            .await;
        assert_eq!(
            profile["bases"].as_array().expect("bases").len(),
            history + 1,
            "the changed base is recorded, once"
        );
    }
}
