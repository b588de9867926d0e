//! How an activity reads where people see it: its title names the kind once, and its agenda keeps
//! the author's lines on screen and on paper.

use dangjian_domain::activity::ActivityKind;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::{member_id, plan, signed_in};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).expect("selector")
}

fn text_of(element: scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

/// The texts of the links to activities on a page, and of its `h1` and `title`.
async fn activity_titles(app: &TestApp, path: &str) -> Vec<String> {
    let answer = app.get(path).await;
    assert_eq!(answer.status(), StatusCode::OK, "{path}");
    let page = scraper::Html::parse_document(&answer.text().await.expect("body"));
    let named = selector("a[href^='/activities/'], h1, title");
    page.select(&named).map(text_of).collect()
}

fn doubled_kind(text: &str) -> Option<&'static str> {
    ActivityKind::ALL
        .iter()
        .map(|kind| kind.label())
        .find(|label| text.contains(&format!("{label}：{label}")))
}

/// The demo's theme days were planned with the topic "主题党日：重温入党誓词": lists, the activity's
/// page, the calendar and the member's home say 主题党日 once.
async fn an_activity_names_its_kind_once(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let member = signed_in(&app, MEMBER).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let (_, listed) = app
        .get_json(&format!("/api/v1/activities?org={branch}&kind=theme_day"))
        .await;
    let theme_day = listed["items"][0]["id"].as_i64().expect("a demo theme day");
    assert_eq!(listed["items"][0]["title"], "主题党日：重温入党誓词");
    let last_month = today()
        .first_of_month()
        .yesterday()
        .expect("date")
        .strftime("%Y-%m")
        .to_string();

    let mut seen = Vec::new();
    for (who, path) in [
        (&app, "/activities".to_string()),
        (&app, format!("/activities/{theme_day}")),
        (&app, format!("/orgs/{branch}/calendar?month={last_month}")),
        (&member, "/activities".to_string()),
        (&member, "/".to_string()),
    ] {
        for text in activity_titles(who, &path).await {
            assert_eq!(doubled_kind(&text), None, "{path}: {text}");
            seen.push(text);
        }
    }
    for expected in ["主题党日：重温入党誓词", "党课：坚持人民至上"] {
        assert!(
            seen.iter().any(|text| text.ends_with(expected)),
            "{expected} in {seen:?}"
        );
    }
}

/// The printed record and the activity's page show the agenda line by line, in an element whose
/// style keeps the lines and does not break a line inside a name.
async fn the_agenda_keeps_its_lines_on_screen_and_on_paper(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let wang = member_id(&app, "王建国").await;
    let agenda = "一、学习《中国共产党章程》\n二、交流发言：王建国、李红梅\n三、王建国同志作总结";
    let mut body = plan("branch_assembly", "学习党章", &today().to_string(), wang);
    body["org_id"] = json!(branch);
    body["agenda"] = json!(agenda);
    let created = app.post_json("/api/v1/activities", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.expect("json")["activity"]["id"]
        .as_i64()
        .expect("id");

    for path in [
        format!("/activities/{id}"),
        format!("/activities/{id}/print"),
    ] {
        let answer = app.get(&path).await;
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        let page = scraper::Html::parse_document(&answer.text().await.expect("body"));
        let shown = page
            .select(&selector("#agenda"))
            .next()
            .unwrap_or_else(|| panic!("no agenda on {path}"));
        assert!(
            shown.value().classes().any(|class| class == "lines"),
            "{path}: {:?}",
            shown.value()
        );
        assert_eq!(shown.text().collect::<String>(), agenda, "{path}");
        let sheets: Vec<&str> = page
            .select(&selector("link[rel=stylesheet]"))
            .filter_map(|link| link.value().attr("href"))
            .collect();
        assert!(sheets.contains(&"/static/app.css"), "{path}: {sheets:?}");
    }

    let css = app.get("/static/app.css").await.text().await.expect("css");
    let rule = css
        .split('}')
        .find_map(|block| block.split_once(".lines {").map(|(_, rule)| rule))
        .expect("a .lines rule");
    for declaration in ["white-space: pre-wrap", "word-break: keep-all"] {
        assert!(rule.contains(declaration), "{declaration} in {rule}");
    }
}

on_both_backends!(
    an_activity_names_its_kind_once,
    the_agenda_keeps_its_lines_on_screen_and_on_paper
);
