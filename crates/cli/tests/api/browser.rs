//! The main journeys in real headless Chromium through chromedriver (Debian's `chromium` and
//! `chromium-driver`). Skipped where chromedriver is absent, except in CI, where that fails.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::*;

struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
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

async fn start_browser() -> Option<(Driver, Client)> {
    let path = chromedriver_path()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
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

async fn screenshot(client: &Client, name: &str) {
    if let Ok(dir) = std::env::var("DANGJIAN_TEST_SCREENSHOTS")
        && let Ok(png) = client.screenshot().await
    {
        let _ = std::fs::write(format!("{dir}/{name}.png"), png);
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
    browser
        .find(Locator::Css("#phone"))
        .await
        .expect("phone field")
        .send_keys(ADMIN)
        .await
        .expect("type phone");
    browser
        .find(Locator::Css("#password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type password");
    browser
        .find(Locator::Css("button[type=submit].primary"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    let heading = browser
        .wait()
        .for_element(Locator::Css("main h1"))
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
