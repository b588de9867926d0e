//! The main journeys in real headless Chromium through chromedriver (Debian's `chromium` and
//! `chromium-driver`). Skipped where chromedriver is absent, except in CI, where that fails.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::*;

pub(crate) struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

/// Ends chromedriver and every Chromium process it started, also when a test fails: they share
/// the process group chromedriver leads, and the whole group is killed. Killing chromedriver
/// alone leaves its Chromium running.
impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver_path() -> Option<String> {
    let candidates = [
        std::env::var("CHROMEDRIVER").ok(),
        Some("/usr/bin/chromedriver".into()),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| std::path::Path::new(p).exists());
    if found.is_none() && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but chromedriver is not installed: the browser tests must run in CI");
    }
    found
}

pub(crate) async fn start_browser() -> Option<(Driver, Client)> {
    let path = chromedriver_path()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start chromedriver");
    let profile = tempfile::tempdir().expect("profile dir");
    let driver = Driver {
        child,
        port,
        _profile: profile,
    };
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=390,844",
                     format!("--user-data-dir={}", driver._profile.path().display())]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let url = format!("http://127.0.0.1:{}", driver.port);
    for _ in 0..50 {
        if let Ok(client) = ClientBuilder::new(connector.clone())
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            return Some((driver, client));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not accept a session");
}

/// Photographs what the browser shows. Every run takes the picture and checks it is one, so the
/// script that regenerates the README's screenshots (scripts/screenshots) runs the code the
/// tests run; the file is written only when DANGJIAN_TEST_SCREENSHOTS names a folder.
pub(crate) async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1000,
        "the screenshot {name} is a picture"
    );
    if let Ok(dir) = std::env::var("DANGJIAN_TEST_SCREENSHOTS") {
        std::fs::write(format!("{dir}/{name}.png"), png).expect("write the screenshot");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_logs_in_through_chromium_and_sees_the_home_page() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    browser.goto(&app.url("/")).await.expect("open the site");
    let url = browser.current_url().await.expect("url");
    assert_eq!(url.path(), "/login", "a stranger lands on the login page");
    screenshot(&browser, "login").await;
    log_in(&browser, &app, ADMIN).await;
    let heading = browser
        .find(Locator::Css("main h1"))
        .await
        .expect("home heading");
    let text = heading.text().await.expect("heading text");
    assert!(text.contains("系统管理员"), "home greets the admin: {text}");
    let url = browser.current_url().await.expect("url");
    assert_eq!(url.path(), "/");
    let nav = browser
        .find(Locator::Css("nav.modules"))
        .await
        .expect("navigation")
        .text()
        .await
        .expect("nav text");
    assert!(
        nav.contains("账号管理") && nav.contains("审计日志"),
        "{nav}"
    );
    screenshot(&browser, "home").await;
    browser.close().await.expect("close browser");
}

/// Waits for the element and taps it, as a finger would: brought to the middle of the screen
/// first, so the phone's fixed tab bar never lies over it.
pub(crate) async fn click(browser: &Client, locator: Locator<'_>) {
    let element = browser
        .wait()
        .for_element(locator)
        .await
        .expect("element to click");
    tap(browser, &element).await;
}

pub(crate) async fn tap(browser: &Client, element: &fantoccini::elements::Element) {
    let argument = serde_json::to_value(element).expect("element reference");
    browser
        .execute(
            "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
            vec![argument],
        )
        .await
        .expect("scroll to the element");
    element.clone().click().await.expect("click");
}

pub(crate) async fn fill(browser: &Client, css: &str, text: &str) {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .expect("field")
        .send_keys(text)
        .await
        .expect("type");
}

/// Fails when the page scrolls sideways at the phone's width.
pub(crate) async fn assert_fits_the_phone(browser: &Client, page: &str) {
    let widths = browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("measure");
    let scroll = widths[0].as_i64().expect("scroll width");
    let inner = widths[1].as_i64().expect("inner width");
    assert!(
        scroll <= inner,
        "{page} overflows the phone: {scroll}px of content in {inner}px"
    );
}

pub(crate) async fn log_in(browser: &Client, app: &TestApp, phone: &str) {
    browser.goto(&app.url("/login")).await.expect("open login");
    browser
        .find(Locator::Css("#phone"))
        .await
        .expect("phone field")
        .send_keys(phone)
        .await
        .expect("type phone");
    browser
        .find(Locator::Css("#password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type password");
    click(browser, Locator::Css("button[type=submit].primary")).await;
    browser
        .wait()
        .for_element(Locator::Css("nav.modules"))
        .await
        .expect("signed in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secretary_filters_the_roster_opens_a_member_and_starts_a_transfer() {
    let Some((_driver, browser)) = start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    log_in(&browser, &app, SECRETARY).await;
    click(&browser, Locator::LinkText("党员花名册")).await;
    browser
        .wait()
        .for_element(Locator::Css("select[name=org_id]"))
        .await
        .expect("roster filters");
    let group = browser
        .find(Locator::Css("select[name=org_id]"))
        .await
        .expect("org filter");
    group
        .select_by(Locator::XPath(".//option[contains(., '综合党小组')]"))
        .await
        .expect("choose the group");
    click(&browser, Locator::Css("form.filters button[type=submit]")).await;
    // Wait for the filtered page itself, not an element of the page being left.
    for _ in 0..100 {
        let url = browser.current_url().await.expect("url");
        if url.query().is_some_and(|q| q.contains("org_id=")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser
        .wait()
        .for_element(Locator::Css("table"))
        .await
        .expect("filtered list");
    let listing = browser
        .find(Locator::Css("table"))
        .await
        .expect("table")
        .text()
        .await
        .expect("text");
    assert!(
        listing.contains("张伟") && listing.contains("综合党小组"),
        "{listing}"
    );
    assert!(!listing.contains("刑侦党小组"), "only the group is listed");
    screenshot(&browser, "roster").await;
    click(&browser, Locator::LinkText("张伟")).await;
    click(&browser, Locator::LinkText("办理转接")).await;
    let target = browser
        .wait()
        .for_element(Locator::Css("select#to_org_id"))
        .await
        .expect("transfer form");
    target
        .select_by(Locator::XPath(".//option[contains(., '机关党支部')]"))
        .await
        .expect("choose target");
    browser
        .find(Locator::Css("#reason"))
        .await
        .expect("reason")
        .send_keys("工作调动")
        .await
        .expect("type reason");
    click(
        &browser,
        Locator::Css("form[action$='/transfer'] button[type=submit]"),
    )
    .await;
    let notice = browser
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .expect("notice")
        .text()
        .await
        .expect("text");
    assert!(notice.contains("已发起转接"), "{notice}");
    screenshot(&browser, "transfer").await;
    browser.close().await.expect("close browser");
}
