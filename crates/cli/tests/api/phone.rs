//! The site on a phone's home screen (issue #14): a manifest with icons that load, the bottom tab
//! bar with a member's everyday entries, and the home page's entries as tiles.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::Value;

use crate::helpers::*;
use crate::on_both_backends;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

async fn the_site_installs_on_a_phone_with_a_tab_bar(backend: Backend) {
    let app = spawn_demo(backend).await;
    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    let home = member.get("/").await;
    assert_eq!(home.status(), StatusCode::OK);
    let html = Html::parse_document(&home.text().await.expect("body"));
    let manifest_href = html
        .select(&selector("link[rel=manifest]"))
        .next()
        .and_then(|l| l.value().attr("href"))
        .expect("a manifest link")
        .to_string();
    assert!(
        html.select(&selector("meta[name=theme-color]"))
            .next()
            .is_some(),
        "the browser bar takes the site's colour"
    );
    let tabs: Vec<String> = html
        .select(&selector("nav.tabbar a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(tabs, ["首页", "活动", "党费", "积分"]);
    let active: Vec<String> = html
        .select(&selector("nav.tabbar a[aria-current=page]"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(active, ["首页"]);
    assert!(
        html.select(&selector("ul.tiles li a strong")).count() >= 3,
        "the member's entries as tiles"
    );

    let manifest = app.get(&manifest_href).await;
    assert_eq!(manifest.status(), StatusCode::OK);
    assert_eq!(
        manifest
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/manifest+json")
    );
    let manifest: Value = manifest.json().await.expect("the manifest is JSON");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["display"], "standalone");
    let icons = manifest["icons"].as_array().expect("icons");
    assert!(icons.iter().any(|i| i["sizes"] == "512x512"));
    for icon in icons {
        let src = icon["src"].as_str().expect("src");
        let answer = app.get(src).await;
        assert_eq!(answer.status(), StatusCode::OK, "{src}");
        let kind = answer
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert_eq!(kind, icon["type"].as_str().expect("type"), "{src}");
        let bytes = answer.bytes().await.expect("bytes");
        if kind == "image/png" {
            assert!(bytes.starts_with(b"\x89PNG"), "{src} is a PNG");
        }
    }

    // Before sign-in there is nothing to tab to.
    let login = app.new_browser().get("/login").await;
    let html = Html::parse_document(&login.text().await.expect("body"));
    assert!(html.select(&selector("nav.tabbar")).next().is_none());
}

on_both_backends!(the_site_installs_on_a_phone_with_a_tab_bar);

/// A secretary's lists on a phone (issue #14): each row is a card, each cell under its column's
/// header, and no page scrolls sideways. Chromium at 390×844; the labels are the headers' text,
/// set by app.js, so this needs a real browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretarys_lists_are_cards_on_a_phone() {
    let Some((_driver, browser)) = crate::browser::start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    crate::browser::log_in(&browser, &app, SECRETARY).await;
    for path in ["/members", "/activities", "/admin/accounts"] {
        browser.goto(&app.url(path)).await.expect("open the list");
        let cards: Value = browser
            .execute(
                "const table = document.querySelector('table.cards-on-phone');
                 if (!table) { return null; }
                 const headers = [...table.tHead.rows[0].cells].map(th => th.textContent.trim());
                 const row = [...table.tBodies[0].rows]
                   .find(r => !r.cells[0].classList.contains('empty'));
                 if (!row) { return null; }
                 return {
                   headerShown: getComputedStyle(table.tHead).display !== 'none',
                   rowDisplay: getComputedStyle(row).display,
                   headers,
                   labels: [...row.cells].map(td => td.getAttribute('data-label')),
                   shownLabel: getComputedStyle(row.cells[0], '::before').content,
                 };",
                vec![],
            )
            .await
            .expect("read the table");
        assert!(
            !cards.is_null(),
            "{path} has a list with rows, shown as cards"
        );
        assert_eq!(cards["headerShown"], false, "{path}: {cards}");
        assert_eq!(cards["rowDisplay"], "block", "{path}: each row is a card");
        let first_header = cards["headers"][0].as_str().expect("a header");
        assert_eq!(cards["labels"][0], first_header, "{path}: {cards}");
        assert_eq!(
            cards["shownLabel"],
            format!("\"{first_header}\""),
            "{path}: the label is shown before the cell"
        );
        if cards["labels"].as_array().is_some_and(|l| l.len() > 1) {
            assert_eq!(cards["labels"], cards["headers"], "{path}: {cards}");
        }
        crate::browser::assert_fits_the_phone(&browser, path).await;
    }
}
