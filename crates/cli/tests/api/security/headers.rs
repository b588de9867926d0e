//! Security headers on every answer, no inline script or style in our pages, compression, and
//! the Swagger UI under its own policy.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use scraper::{Html, Selector};

use super::header;
use crate::activities::signed_in;
use crate::helpers::*;
use crate::on_both_backends;

const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; \
     base-uri 'none'";

fn assert_hardened(headers: &HeaderMap, what: &str) {
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(headers, "referrer-policy"), "same-origin", "{what}");
}

async fn every_answer_carries_the_security_headers(backend: Backend) {
    let app = spawn_demo(backend).await;
    let stranger = app.new_browser();
    app.login(SECRETARY, PASSWORD).await;
    // A stranger's page, API call, asset and unknown paths (page and API), and signed-in pages.
    for (who, path, status) in [
        (&stranger, "/login", StatusCode::OK),
        (&stranger, "/", StatusCode::SEE_OTHER),
        (&stranger, "/api/v1/me/reminders", StatusCode::UNAUTHORIZED),
        (&stranger, "/static/app.css", StatusCode::OK),
        (&stranger, "/static/print.css", StatusCode::OK),
        (&stranger, "/no/such/page", StatusCode::NOT_FOUND),
        (&stranger, "/api/v1/no/such/thing", StatusCode::NOT_FOUND),
        (&stranger, "/healthz", StatusCode::OK),
        (&app, "/", StatusCode::OK),
        (&app, "/orgs", StatusCode::OK),
        (&app, "/api/v1/me/reminders", StatusCode::OK),
    ] {
        let response = who.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_hardened(response.headers(), path);
        assert_eq!(
            header(response.headers(), "content-security-policy"),
            PAGE_POLICY,
            "{path}"
        );
    }
    // The Swagger UI sets inline styles: a looser policy for styles and images, still no
    // inline script and not framed.
    let docs = stranger.get("/api/docs/").await;
    assert_eq!(docs.status(), StatusCode::OK);
    assert_hardened(docs.headers(), "/api/docs/");
    let policy = header(docs.headers(), "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(
        policy.contains("style-src 'self' 'unsafe-inline'"),
        "{policy}"
    );
    // What the policy would block is not in our pages: no inline script or handler, no style
    // attribute or element (the roster page had hx-on handlers for its import box).
    for path in ["/", "/orgs", "/members", "/admin/accounts"] {
        let signed_in = if path == "/admin/accounts" {
            signed_in(&app, ADMIN).await
        } else {
            signed_in(&app, SECRETARY).await
        };
        let html = Html::parse_document(&signed_in.get(path).await.text().await.expect("body"));
        let everything = Selector::parse("*").expect("selector");
        for element in html.select(&everything) {
            let tag = element.value().name();
            assert!(tag != "style", "{path}: <style>");
            assert!(
                tag != "script" || element.value().attr("src").is_some(),
                "{path}: inline <script>"
            );
            for (name, _) in element.value().attrs() {
                assert!(
                    name != "style" && !name.starts_with("on") && !name.starts_with("hx-on"),
                    "{path}: <{tag} {name}>"
                );
            }
        }
    }
    // A write answers with them too.
    let wrong = stranger
        .post_form("/login", &[("phone", ADMIN), ("password", "wrong")])
        .await;
    assert_hardened(wrong.headers(), "POST /login");
}

async fn pages_are_compressed_for_browsers_that_accept_it(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    for (encoding, magic) in [("gzip", &[0x1f_u8, 0x8b][..]), ("br", &[][..])] {
        let response = app
            .client
            .get(app.url("/orgs"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(response.headers(), "content-encoding"), encoding);
        assert_hardened(response.headers(), encoding);
        let body = response.bytes().await.expect("body");
        assert!(body.starts_with(magic), "{encoding}");
        assert!(!body.starts_with(b"<!doctype"), "{encoding}");
    }
    // Without Accept-Encoding the page comes as it is.
    let plain = app.get("/orgs").await;
    assert!(plain.headers().get("content-encoding").is_none());
    let page = Html::parse_document(&plain.text().await.expect("body"));
    let title = Selector::parse("title").expect("selector");
    assert!(page.select(&title).next().is_some());
}

/// The API documentation page still works under its own policy in Chromium: the Swagger UI
/// loads its scripts and renders the document's title and operations.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swagger_ui_renders_under_its_policy_in_the_browser() {
    let Some((_driver, browser)) = crate::browser::start_browser().await else {
        return;
    };
    let app = spawn_demo(Backend::Sqlite).await;
    browser
        .goto(&app.url("/api/docs/"))
        .await
        .expect("open the API docs");
    let title = browser
        .wait()
        .for_element(fantoccini::Locator::Css(".swagger-ui .info .title"))
        .await
        .expect("Swagger UI renders")
        .text()
        .await
        .expect("text");
    assert!(title.contains("dangjian API"), "{title}");
    browser
        .wait()
        .for_element(fantoccini::Locator::Css(".swagger-ui .opblock"))
        .await
        .expect("operations listed");
}

on_both_backends!(
    every_answer_carries_the_security_headers,
    pages_are_compressed_for_browsers_that_accept_it,
);
