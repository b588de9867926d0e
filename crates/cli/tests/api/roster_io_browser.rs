//! The roster import in real headless Chromium: the htmx multipart upload carries the CSRF header,
//! and the result box shows the problems, then the count. Skipped where chromedriver is absent,
//! except in CI, where that fails (the driver start is `browser.rs`'s).

use fantoccini::{Client, Locator};

use crate::browser::{log_in, start_browser};

use crate::helpers::*;

async fn upload(browser: &Client, file: &std::path::Path, expected: &str) -> String {
    browser
        .find(Locator::Css("input[type=file][name=file]"))
        .await
        .expect("file field")
        .send_keys(&file.display().to_string())
        .await
        .expect("choose file");
    crate::browser::click(browser, Locator::XPath("//button[text()='导入']")).await;
    browser
        .wait()
        .for_element(Locator::Css(&format!("#import-result {expected}")))
        .await
        .expect("result box filled")
        .text()
        .await
        .expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secretary_imports_a_roster_file_on_the_roster_page() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    log_in(&browser, &app, SECRETARY).await;
    browser
        .goto(&app.url("/members"))
        .await
        .expect("open roster");
    crate::browser::click(&browser, Locator::Css("details.roster-io summary")).await;
    browser
        .find(Locator::Css("details.roster-io select[name=org_id]"))
        .await
        .expect("target")
        .select_by(Locator::XPath(".//option[contains(., '站南派出所党支部')]"))
        .await
        .expect("choose the branch");

    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "姓名,身份证号,党员类别\n,610502199003071234,党员\n").expect("write");
    let message = upload(&browser, &bad, "p.alert").await;
    assert!(message.contains("未导入任何数据"), "{message}");
    let table = browser
        .find(Locator::Css("#import-result table"))
        .await
        .expect("problem table")
        .text()
        .await
        .expect("text");
    assert!(
        table.contains("第 2 行") && table.contains("校验位"),
        "{table}"
    );
    crate::browser::screenshot(&browser, "roster-import-problems").await;

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "姓名,身份证号,党员类别,入党日期,所在党小组\n韩梅,61050219900307123X,正式党员,2015-07-01,刑侦党小组\n",
    )
    .expect("write");
    let message = upload(&browser, &good, "p.notice").await;
    assert!(message.contains("已导入 1 名党员"), "{message}");
    crate::browser::screenshot(&browser, "roster-import").await;
    browser.close().await.expect("close browser");
}
