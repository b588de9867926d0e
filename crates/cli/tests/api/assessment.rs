//! 效能考核 through the API on both backends: every component is shown beside the score, the
//! score is their weighted sum, and the weights are configurable (adding up to 100).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::{member_id, yesterday};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;
use crate::points::{held_meeting, signed_in};

fn weighted(row: &Value, w: [i64; 4]) -> i64 {
    let c = |k: &str| row[k].as_i64().expect("component");
    (c("compliance") * w[0]
        + c("attendance") * w[1]
        + c("points_component") * w[2]
        + c("dues") * w[3])
        / 100
}

async fn performance_scores_show_their_components_and_follow_the_weights(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let zhang = member_id(&app, "张伟").await;
    held_meeting(&app, &leader, &[zhang]).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let quarter = dangjian_domain::activity::Period::containing(
        yesterday().parse().expect("date"),
        dangjian_domain::activity::Frequency::Quarterly,
    )
    .key();
    let path = format!("/api/v1/orgs/{branch}/assessment?of=groups&period={quarter}");
    let (status, view) = app.get_json(&path).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["weights"], json!([30, 30, 20, 20]));
    let rows = view["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3, "the branch's three groups");
    for row in rows {
        assert_eq!(
            row["score"].as_i64(),
            Some(weighted(row, [30, 30, 20, 20])),
            "{row}"
        );
    }
    let comprehensive = rows
        .iter()
        .find(|r| r["name"] == "综合党小组")
        .expect("group");
    assert!(
        comprehensive["attendance"].as_i64() > Some(0),
        "the meeting's attendance counts: {comprehensive}"
    );

    let bad = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/assessment/weights"),
            &json!({"compliance": 30, "attendance": 30, "points": 20, "dues": 19}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let set = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/assessment/weights"),
            &json!({"compliance": 100, "attendance": 0, "points": 0, "dues": 0}),
        )
        .await;
    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    let (_, reweighted) = app.get_json(&path).await;
    for row in reweighted["rows"].as_array().expect("rows") {
        assert_eq!(
            row["score"], row["compliance"],
            "only compliance counts now"
        );
    }
    let member = signed_in(&app, MEMBER).await;
    assert_eq!(member.get_json(&path).await.0, StatusCode::FORBIDDEN);
    let page = app
        .get(&format!(
            "/orgs/{branch}/assessment?of=groups&period={quarter}"
        ))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("page").contains("组织生活落实率"));
}

on_both_backends!(performance_scores_show_their_components_and_follow_the_weights);
