//! Every page of the route table, opened by every demo role and parsed as a browser would: a page
//! cannot break silently. A template that leaks its own syntax, a `<title>` that swallowed the
//! page, a section shown twice or a link to a route that does not exist fails here, where a test
//! that searches the page for a substring would pass.

use std::collections::{BTreeSet, HashMap};

use dangjian_web::RouteSpec;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::activities::member_id;
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

/// Values for the path parameters, taken from the demo so that pages render with real data.
struct Params {
    orgs: Vec<i64>,
    member: i64,
    activity: i64,
}

impl Params {
    async fn of_demo(app: &TestApp) -> Params {
        let mut orgs = Vec::new();
        for name in ["临渭公安分局党委", "站南派出所党支部", "综合党小组"] {
            orgs.push(org_id(app, name).await);
        }
        let (_, activities) = app.get_json("/api/v1/activities").await;
        let activity = activities["items"][0]["id"]
            .as_i64()
            .expect("the demo has activities");
        Params {
            orgs,
            member: member_id(app, "张伟").await,
            activity,
        }
    }

    /// The concrete paths to open for a route: one per organization level for `/orgs/{id}…`.
    fn paths(&self, pattern: &str) -> Vec<String> {
        let ids: Vec<i64> = if pattern.starts_with("/orgs/{id}") {
            self.orgs.clone()
        } else if pattern.starts_with("/members/{id}") {
            vec![self.member]
        } else if pattern.starts_with("/activities/{id}") || pattern.starts_with("/checkin/{id}") {
            vec![self.activity]
        } else {
            // Awards, evaluations, applicants, transfers: the demo may have none; 404 is an answer.
            vec![1]
        };
        ids.iter()
            .map(|id| {
                pattern
                    .replace("{id}", &id.to_string())
                    .replace("{attachment_id}", "1")
                    .replace("{token}", "no-such-token")
            })
            .collect()
    }
}

/// Whether `path` (without its query) is served by the route `pattern`.
fn matches(pattern: &str, path: &str) -> bool {
    let mut wanted = pattern.trim_matches('/').split('/');
    let mut given = path.trim_matches('/').split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(_)) if w.starts_with("{*") => return true,
            (Some(w), Some(g)) if w == g || (w.starts_with('{') && !g.is_empty()) => {}
            _ => return false,
        }
    }
}

fn route_for<'t>(table: &'t [RouteSpec], target: &str) -> Option<&'t RouteSpec> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    table.iter().find(|spec| matches(spec.path, path))
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

/// Everything wrong with one HTML answer at `path`, as lines starting with `page`.
fn problems_of(page: &str, path: &str, body: &str, table: &[RouteSpec]) -> Vec<String> {
    let mut found = Vec::new();
    for syntax in ["{{", "}}", "{%", "%}"] {
        if body.contains(syntax) {
            found.push(format!("{page}: template syntax `{syntax}` in the output"));
        }
    }
    let html = Html::parse_document(body);
    let whole_page = body.trim_start().starts_with("<!DOCTYPE") || body.contains("<html");
    if whole_page {
        let titles: Vec<String> = html
            .select(&selector("head > title"))
            .map(|t| t.text().collect::<String>())
            .collect();
        match titles.as_slice() {
            [title] if title.trim().is_empty() => found.push(format!("{page}: empty <title>")),
            [title] if title.contains('<') || title.chars().count() > 80 => found.push(format!(
                "{page}: <title> holds markup or the page: {title:.120}"
            )),
            [_] => {}
            _ => found.push(format!("{page}: {} <title> elements", titles.len())),
        }
    }
    // No inline event handlers: text the page shows (a name, a title) must never be able to sit
    // inside script; pages ask with data-confirm and print with data-print (static/app.js).
    for element in html.select(&selector("*")) {
        if let Some((name, _)) = element
            .value()
            .attrs()
            .find(|(name, _)| name.starts_with("on"))
        {
            found.push(format!(
                "{page}: inline handler {name} on <{}>",
                element.value().name()
            ));
        }
    }
    let mut headings: HashMap<String, usize> = HashMap::new();
    for heading in html.select(&selector("h1, h2")) {
        let text = heading.text().collect::<String>().trim().to_string();
        *headings.entry(text).or_default() += 1;
    }
    for (text, count) in headings {
        if count > 1 {
            found.push(format!(
                "{page}: the heading 「{text}」 appears {count} times"
            ));
        }
    }
    for link in html.select(&selector("a[href]")) {
        let href = link.value().attr("href").unwrap_or_default();
        if href.starts_with('/') && !href.starts_with("//") && route_for(table, href).is_none() {
            found.push(format!("{page}: link to {href}, which no route serves"));
        }
    }
    for form in html.select(&selector("form")) {
        let action = form.value().attr("action").unwrap_or(path);
        let method = form
            .value()
            .attr("method")
            .unwrap_or("get")
            .to_ascii_uppercase();
        if !action.starts_with('/') {
            continue;
        }
        match route_for(table, action) {
            Some(spec) if spec.methods.contains(&method.as_str()) => {}
            Some(_) => found.push(format!(
                "{page}: form {method} {action}, a method the route lacks"
            )),
            None => found.push(format!(
                "{page}: form action {action}, which no route serves"
            )),
        }
    }
    found
}

on_both_backends!(every_page_parses_for_every_role);

/// Opens every GET page of the route table as the administrator, the secretary, the group
/// leader and the member, and checks each answer: 200, or a deliberate refusal, never an error;
/// HTML that parses into a page with a plain-text title, no template syntax, no section heading
/// twice, and links and forms that lead to declared routes.
async fn every_page_parses_for_every_role(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let params = Params::of_demo(&app).await;
    let table = dangjian_web::routes::table();
    let pages: BTreeSet<String> = table
        .iter()
        .filter(|spec| spec.methods.contains(&"GET"))
        .filter(|spec| !spec.path.starts_with("/api/") && !spec.path.starts_with("/static/"))
        .filter(|spec| !spec.path.starts_with(dangjian_web::routes::PARTIALS))
        .filter(|spec| spec.path != "/logout")
        .flat_map(|spec| params.paths(spec.path))
        .collect();
    let mut problems = Vec::new();
    let mut rendered = 0;
    for phone in [ADMIN, SECRETARY, GROUP_LEADER, MEMBER] {
        let browser = app.new_browser();
        browser.login(phone, PASSWORD).await;
        // Where each page the role may open offers to go, and which page offered it first.
        let mut offered: HashMap<String, String> = HashMap::new();
        for page in &pages {
            let response = browser.get(page).await;
            let status = response.status();
            let is_html = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            let body = response.text().await.expect("body");
            // A refusal is deliberate when it is one of these: not yours, not there, not now
            // (check-in not open), or a page that needs what the path does not give (a committee
            // has no dues year; a plan needs its organization). Its page is checked too.
            match status {
                StatusCode::OK
                | StatusCode::FORBIDDEN
                | StatusCode::NOT_FOUND
                | StatusCode::CONFLICT
                | StatusCode::UNPROCESSABLE_ENTITY => {}
                StatusCode::SEE_OTHER => continue,
                other => {
                    problems.push(format!("{phone} GET {page}: {other}"));
                    continue;
                }
            }
            if is_html {
                rendered += usize::from(status == StatusCode::OK);
                let name = format!("{phone} GET {page}");
                problems.extend(problems_of(&name, page, &body, &table));
                if status == StatusCode::OK {
                    for target in links_of(&body) {
                        offered.entry(target).or_insert_with(|| page.clone());
                    }
                }
            }
        }
        problems.extend(refused_offers(&browser, phone, &offered).await);
    }
    assert!(
        rendered > 100,
        "the walk renders the pages, not only refusals: {rendered}"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The internal GET links of a page, without their fragment.
fn links_of(body: &str) -> BTreeSet<String> {
    Html::parse_document(body)
        .select(&selector("a[href]"))
        .filter_map(|link| link.value().attr("href"))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .filter(|href| !href.starts_with("/api/") && !href.starts_with("/static/"))
        .filter(|href| *href != "/logout")
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .collect()
}

/// A role is never offered what it may not open: every link a page showed it (a breadcrumb, a
/// menu entry, a 审批 button) opens for it.
async fn refused_offers(
    browser: &TestApp,
    phone: &str,
    offered: &HashMap<String, String>,
) -> Vec<String> {
    let mut found = Vec::new();
    let mut targets: Vec<(&String, &String)> = offered.iter().collect();
    targets.sort();
    for (target, page) in targets {
        let status = browser.get(target).await.status();
        if status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND {
            found.push(format!(
                "{phone} GET {page} offers {target}, which answers {status}"
            ));
        }
    }
    found
}

/// The checker itself finds each defect it is for (the old points page had the first two).
#[test]
fn the_checker_finds_what_it_is_for() {
    let table = dangjian_web::routes::table();
    let broken = r#"<!DOCTYPE html><html><head><title>积分<section><h2>争先创优</h2></section> · 党建</title></head>
        <body><main><h1>积分</h1><h2>民主评议党员</h2><h2>民主评议党员</h2>{% if x %}
        <a href="/no/such/page">x</a><form method="post" action="/orgs/1/nowhere"></form>
        <form method="post" action="/orgs/1/awards" onsubmit="return confirm('张&#x27;);alert(1);//')"></form></main></body></html>"#;
    let found = problems_of("page", "/orgs/1/points", broken, &table).join("\n");
    for expected in [
        "<title> holds markup",
        "「民主评议党员」 appears 2 times",
        "template syntax `{%`",
        "link to /no/such/page",
        "form action /orgs/1/nowhere",
        "inline handler onsubmit on <form>",
    ] {
        assert!(found.contains(expected), "missed {expected}:\n{found}");
    }
    let sound = r#"<!DOCTYPE html><html><head><title>积分 · 党建</title></head>
        <body><main><h1>积分</h1><a href="/orgs/1/points?period=2026">x</a>
        <form method="post" action="/orgs/1/awards"></form></main></body></html>"#;
    assert_eq!(
        problems_of("page", "/orgs/1/points", sound, &table),
        Vec::<String>::new()
    );
}
