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
