//! Web hardening (issue #15): security headers and compression on every answer, login answers that
//! do not tell whether an account exists, session cookies, tokens after a password reset, 429s that
//! say when to retry, and use cases that authorize before they look at the object's state.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::helpers::*;
use crate::on_both_backends;

const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; \
     base-uri 'none'";

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

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
    // The Swagger UI runs its own inline start-up script: a looser policy, still not framed.
    let docs = stranger.get("/api/docs/").await;
    assert_eq!(docs.status(), StatusCode::OK);
    assert_hardened(docs.headers(), "/api/docs/");
    let policy = header(docs.headers(), "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(
        policy.contains("script-src 'self' 'unsafe-inline'"),
        "{policy}"
    );
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
    let page = scraper::Html::parse_document(&plain.text().await.expect("body"));
    let title = scraper::Selector::parse("title").expect("selector");
    assert!(page.select(&title).next().is_some());
}

on_both_backends!(
    every_answer_carries_the_security_headers,
    pages_are_compressed_for_browsers_that_accept_it,
);
