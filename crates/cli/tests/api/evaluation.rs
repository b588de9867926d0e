//! 民主评议党员 through the API on both backends: self-evaluation, anonymous mutual rating (a
//! peer cannot read anyone's ratings), the tally with points beside it, the 60-point floor and the
//! 30% share, handling for 不合格, the assembly's confirmation and the result in the profile.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::member_id;
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;
use crate::points::signed_in;

async fn message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.expect("json");
    body["message"].as_str().unwrap_or_default().to_string()
}

async fn democratic_evaluation_from_self_evaluation_to_confirmation(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let zhang = member_id(&app, "张伟").await;
    let li = member_id(&app, "李红梅").await;
    let year = crate::helpers::today().year();
    let started = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/evaluations"),
            &json!({"year": year}),
        )
        .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let id = started.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        app.post_json(
            &format!("/api/v1/orgs/{branch}/evaluations"),
            &json!({"year": year})
        )
        .await
        .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        member
            .post_json(
                &format!("/api/v1/orgs/{branch}/evaluations"),
                &json!({"year": year - 1})
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // 张伟 writes a self-evaluation and rates 李红梅, once; not himself.
    assert_eq!(
        member
            .post_json(
                &format!("/api/v1/evaluations/{id}/self"),
                &json!({"text": "认真学习，按时参加组织生活。"})
            )
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let rated = member
        .post_json(
            &format!("/api/v1/evaluations/{id}/ratings"),
            &json!({"member_id": li, "rating": "excellent"}),
        )
        .await;
    assert_eq!(rated.status(), StatusCode::NO_CONTENT);
    let twice = member
        .post_json(
            &format!("/api/v1/evaluations/{id}/ratings"),
            &json!({"member_id": li, "rating": "qualified"}),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let own = member
        .post_json(
            &format!("/api/v1/evaluations/{id}/ratings"),
            &json!({"member_id": zhang, "rating": "excellent"}),
        )
        .await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(own).await.contains("不能评议自己"));

    // Peers cannot read ratings: neither 李红梅 (rated) nor 张伟 (the rater) sees a tally.
    for peer in [&leader, &member] {
        let (status, seen) = peer.get_json(&format!("/api/v1/evaluations/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(seen["tally"], json!([]), "{seen}");
        assert!(
            !seen.to_string().contains("excellent\""),
            "no rating values reach a peer: {seen}"
        );
    }
    let page = leader
        .get(&format!("/evaluations/{id}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        !page.contains("互评汇总") && page.contains("党员互评"),
        "the tally is not on a peer's page"
    );
    let committee = app.get(&format!("/evaluations/{id}")).await;
    assert_eq!(committee.status(), StatusCode::OK);
    assert!(committee.text().await.expect("page").contains("互评汇总"));
    let points_page = app
        .get(&format!("/orgs/{branch}/points"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        points_page.contains(&format!("/evaluations/{id}")),
        "the campaign is linked from the branch's points page"
    );

    // The committee sees counts only, with each member's yearly points total beside them.
    let (_, tally) = app.get_json(&format!("/api/v1/evaluations/{id}")).await;
    let rows = tally["tally"].as_array().expect("tally").clone();
    let li_row = rows.iter().find(|r| r["member_id"] == li).expect("row");
    assert_eq!(li_row["counts"], json!([1, 0, 0, 0]));
    assert!(li_row["year_total_text"].as_str().is_some());
    assert_eq!(
        rows.iter().find(|r| r["member_id"] == zhang).expect("row")["self_submitted"],
        true
    );

    // 张伟 gets a deduction of 50 (proposed by the group leader, approved by the secretary).
    let deduction = leader
        .post_json(
            "/api/v1/points/proposals",
            &json!({
                "member_id": zhang,
                "item_code": "D03",
                "points": "-50",
                "reason": "违反工作纪律",
            }),
        )
        .await;
    assert_eq!(deduction.status(), StatusCode::CREATED);
    let did = deduction.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        app.post_json(
            &format!("/api/v1/points/proposals/{did}/decision"),
            &json!({"approve": true})
        )
        .await
        .status(),
        StatusCode::OK
    );

    let all = |pick: &dyn Fn(i64) -> (&'static str, &'static str)| -> Value {
        json!({"ratings": rows.iter().map(|r| {
            let m = r["member_id"].as_i64().expect("id");
            let (rating, handling) = pick(m);
            json!({"member_id": m, "rating": rating, "handling": handling})
        }).collect::<Vec<_>>()})
    };
    let proposal = |body: Value| {
        let app = &app;
        async move {
            app.post_json(&format!("/api/v1/evaluations/{id}/proposal"), &body)
                .await
        }
    };
    let below_floor = proposal(all(&|m| {
        if m == zhang {
            ("excellent", "")
        } else {
            ("qualified", "")
        }
    }))
    .await;
    assert_eq!(below_floor.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(below_floor).await.contains("低于 60 分"));
    let limit = rows.len() * 30 / 100;
    let eligible: Vec<i64> = rows
        .iter()
        .filter(|r| r["may_be_excellent"] == true && r["member_id"] != zhang)
        .filter_map(|r| r["member_id"].as_i64())
        .collect();
    assert!(
        eligible.len() > limit,
        "the demo branch has enough members to pass the share"
    );
    let too_many: Vec<i64> = eligible.iter().take(limit + 1).copied().collect();
    let over_share = proposal(all(&|m| {
        if too_many.contains(&m) {
            ("excellent", "")
        } else {
            ("qualified", "")
        }
    }))
    .await;
    assert_eq!(over_share.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(over_share).await.contains("不超过 30%"));
    let unhandled = proposal(all(&|m| {
        if m == zhang {
            ("unqualified", "")
        } else {
            ("qualified", "")
        }
    }))
    .await;
    assert_eq!(unhandled.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let at_limit: Vec<i64> = eligible.iter().take(limit).copied().collect();
    let fine = proposal(all(&|m| {
        if at_limit.contains(&m) {
            ("excellent", "")
        } else if m == zhang {
            ("unqualified", "限期改正，三个月内整改")
        } else {
            ("qualified", "")
        }
    }))
    .await;
    assert_eq!(fine.status(), StatusCode::OK);
    assert_eq!(
        fine.json::<Value>().await.expect("json")["status"],
        "proposed"
    );
    assert_eq!(
        member
            .post_json(
                &format!("/api/v1/evaluations/{id}/ratings"),
                &json!({"member_id": li, "rating": "qualified"})
            )
            .await
            .status(),
        StatusCode::CONFLICT,
        "rating closes once the committee proposes"
    );
    assert!(
        member
            .get_json(&format!("/api/v1/members/{zhang}/evaluations"))
            .await
            .1
            .as_array()
            .is_some_and(Vec::is_empty),
        "nothing in the record before the assembly"
    );

    let confirmed = app
        .post_json(
            &format!("/api/v1/evaluations/{id}/confirmation"),
            &json!({"assembly_on": crate::helpers::today().to_string()}),
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert_eq!(
        app.post_json(
            &format!("/api/v1/evaluations/{id}/confirmation"),
            &json!({"assembly_on": crate::helpers::today().to_string()})
        )
        .await
        .status(),
        StatusCode::CONFLICT
    );
    let (status, record) = member
        .get_json(&format!("/api/v1/members/{zhang}/evaluations"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(record[0]["rating_label"], "不合格");
    assert!(
        record[0]["handling"]
            .as_str()
            .unwrap_or("")
            .contains("限期改正"),
        "the follow-up is recorded"
    );
    assert_eq!(
        member
            .get_json(&format!("/api/v1/members/{li}/evaluations"))
            .await
            .0,
        StatusCode::FORBIDDEN,
        "a peer's record is not the member's to read"
    );
}

on_both_backends!(democratic_evaluation_from_self_evaluation_to_confirmation);
