//! "积分" means one thing per screen (issue #14 §2): a period's 得分 (the change) or the 积分余额
//! (the yearly base plus the year's 得分), each labelled, and the card, the leaderboard and the
//! 民主评议 tally show the same member the same figures under the same words.

use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

use crate::activities::member_id;
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

fn text(element: ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

/// The cell of `member`'s row in the column headed `heading`, in the table with id `table`.
fn cell(page: &Html, table: &str, member: &str, heading: &str) -> String {
    let rows: Vec<ElementRef<'_>> = page
        .select(&selector(&format!("table#{table} tr")))
        .collect();
    let headings: Vec<String> = rows[0].select(&selector("th")).map(text).collect();
    let column = headings
        .iter()
        .position(|h| h == heading)
        .unwrap_or_else(|| panic!("no column {heading} in #{table}: {headings:?}"));
    let row = rows
        .iter()
        .find(|r| r.select(&selector("td")).nth(1).map(text).as_deref() == Some(member))
        .or_else(|| {
            rows.iter()
                .find(|r| r.select(&selector("td")).next().map(text).as_deref() == Some(member))
        })
        .unwrap_or_else(|| panic!("no row for {member} in #{table}"));
    text(row.select(&selector("td")).nth(column).expect("the cell"))
}

async fn page(who: &TestApp, path: &str) -> Html {
    let answer = who.get(path).await;
    assert_eq!(answer.status(), reqwest::StatusCode::OK, "{path}");
    Html::parse_document(&answer.text().await.expect("body"))
}

on_both_backends!(the_card_the_leaderboard_and_the_evaluation_agree);

async fn the_card_the_leaderboard_and_the_evaluation_agree(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let zhang = member_id(&app, "张伟").await;
    // The year of last month, when the demo held its meetings (on New Year's Day this year has
    // no points yet, and a leaderboard lists only members who scored).
    let year = crate::helpers::today()
        .first_of_month()
        .yesterday()
        .expect("a date")
        .year();
    let started = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/evaluations"),
            &json!({"year": year}),
        )
        .await;
    let campaign = started.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");

    let card = page(
        &app,
        &format!("/points/card?member_id={zhang}&period={year}"),
    )
    .await;
    let earned = text(
        card.select(&selector("#period-points"))
            .next()
            .expect("得分"),
    );
    let balance = text(card.select(&selector("#balance")).next().expect("余额"));
    let summary = text(card.select(&selector("main p")).nth(1).expect("summary"));
    assert!(
        summary.starts_with(&format!("{year}年得分")) && summary.contains("积分余额"),
        "both figures are named on the card: {summary}"
    );

    let board = page(&app, &format!("/orgs/{branch}/points?period={year}")).await;
    assert_eq!(
        cell(&board, "leaderboard", "张伟", &format!("{year}年得分")),
        earned,
        "the leaderboard ranks by the card's 得分"
    );

    let evaluation = page(&app, &format!("/evaluations/{campaign}")).await;
    let tallied = cell(&evaluation, "tally", "张伟", "积分余额");
    assert_eq!(
        tallied.trim_end_matches("（不可评优秀）"),
        balance,
        "民主评议 weighs the card's 积分余额"
    );
}
