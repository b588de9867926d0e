use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

pub async fn org_id(app: &TestApp, name: &str) -> i64 {
    let (_, orgs) = app.get_json("/api/v1/orgs").await;
    orgs.as_array()
        .expect("orgs")
        .iter()
        .find(|o| o["name"] == name)
        .and_then(|o| o["id"].as_i64())
        .unwrap_or_else(|| panic!("no org {name} in {orgs}"))
}

fn node<'a>(tree: &'a Value, name: &str) -> &'a Value {
    tree.as_array()
        .expect("tree")
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

async fn parent_rules_are_enforced(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let bureau = org_id(&app, "临渭公安分局党委").await;
    let station = org_id(&app, "站南派出所党支部").await;
    let app = &app;
    let create = |parent: i64, kind: &str, name: &str| {
        let body = json!({"parent_id": parent, "kind": kind, "name": name});
        async move { app.post_json("/api/v1/orgs", &body).await }
    };
    let group_under_committee = create(bureau, "group", "错误的党小组").await;
    assert_eq!(
        group_under_committee.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let message = group_under_committee.json::<Value>().await.expect("json")["message"]
        .as_str()
        .expect("m")
        .to_string();
    assert!(message.contains("党小组只能设在党支部下"), "{message}");
    assert_eq!(
        create(station, "branch", "支部下的支部").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        create(station, "committee", "支部下的党委").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let general = create(bureau, "general_branch", "机关党总支").await;
    assert_eq!(general.status(), StatusCode::CREATED);
    let general_id = general.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        create(general_id, "general_branch", "总支下的总支")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let branch = create(general_id, "branch", "机关第一党支部").await;
    assert_eq!(branch.status(), StatusCode::CREATED);
    let branch_id = branch.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        create(branch_id, "group", "第一党小组").await.status(),
        StatusCode::CREATED
    );
    let bad_term = app
        .post_json(
            "/api/v1/orgs",
            &json!({
                "parent_id": general_id,
                "kind": "branch",
                "name": "任期错误",
                "term_years": 6,
            }),
        )
        .await;
    assert_eq!(bad_term.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let joint_flag_on_group = app
        .post_json(
            "/api/v1/orgs",
            &json!({"parent_id": branch_id, "kind": "group", "name": "x", "is_joint": true}),
        )
        .await;
    assert_eq!(
        joint_flag_on_group.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(app.audit_actions("org_created").await.len(), 3);
}

async fn tree_counts_roll_up_and_subtree_follows_a_move(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let (status, tree) = app.get_json("/api/v1/orgs").await;
    assert_eq!(status, StatusCode::OK);
    let station = node(&tree, "站南派出所党支部");
    assert_eq!(station["full_members"], 25);
    assert_eq!(station["probationary_members"], 2);
    assert_eq!(
        node(&tree, "临渭公安分局党委")["full_members"],
        25,
        "the committee counts its branches"
    );
    assert_eq!(
        node(&tree, "综合党小组")["full_members"]
            .as_i64()
            .expect("n")
            + node(&tree, "综合党小组")["probationary_members"]
                .as_i64()
                .expect("n"),
        10
    );

    let bureau = node(&tree, "临渭公安分局党委")["id"].as_i64().expect("id");
    let station_id = station["id"].as_i64().expect("id");
    let general = app
        .post_json(
            "/api/v1/orgs",
            &json!({"parent_id": bureau, "kind": "general_branch", "name": "城区党总支"}),
        )
        .await;
    let general_id = general.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    // The API offers where the branch may go: the new general branch or the other committee,
    // not its own committee (already its parent), not itself or its groups.
    let (status, targets) = app
        .get_json(&format!("/api/v1/orgs/{station_id}/move-targets"))
        .await;
    assert_eq!(status, StatusCode::OK, "{targets}");
    let target_names: Vec<&str> = targets
        .as_array()
        .expect("targets")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(
        target_names,
        vec!["城区党总支", "渭南热电有限公司党委"],
        "{targets}"
    );
    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    let (status, _) = member
        .get_json(&format!("/api/v1/orgs/{station_id}/move-targets"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member moves nothing");
    let moved = app
        .post_json(
            &format!("/api/v1/orgs/{station_id}/move"),
            &json!({"parent_id": general_id}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let (_, tree) = app.get_json("/api/v1/orgs").await;
    assert_eq!(
        node(&tree, "城区党总支")["full_members"],
        25,
        "the moved branch now counts under the general branch"
    );
    assert_eq!(
        node(&tree, "综合党小组")["depth"],
        4,
        "groups moved with their branch"
    );
    let into_itself = app
        .post_json(
            &format!("/api/v1/orgs/{general_id}/move"),
            &json!({"parent_id": station_id}),
        )
        .await;
    assert_eq!(into_itself.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The secretary's reach moved with the branch: still the branch and its groups.
    let secretary = app.new_browser();
    secretary.login(SECRETARY, PASSWORD).await;
    let (_, scoped) = secretary.get_json("/api/v1/orgs").await;
    let names: Vec<&str> = scoped
        .as_array()
        .expect("tree")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(
        names[0], "站南派出所党支部",
        "the branch precedes its groups"
    );
    assert!(
        names.contains(&"综合党小组")
            && names.contains(&"刑侦党小组")
            && names.contains(&"治安党小组")
    );
    let outside = secretary
        .post_json(
            "/api/v1/orgs",
            &json!({"parent_id": bureau, "kind": "branch", "name": "越权支部"}),
        )
        .await;
    assert_eq!(outside.status(), StatusCode::FORBIDDEN);
}

async fn dissolving_needs_an_empty_node_and_deleting_needs_no_history(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let station = org_id(&app, "站南派出所党支部").await;
    let refused = app
        .post_json(&format!("/api/v1/orgs/{station}/dissolve"), &json!({}))
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(
        refused.json::<Value>().await.expect("json")["message"]
            .as_str()
            .expect("m")
            .contains("27 名党员")
    );
    let bureau = org_id(&app, "临渭公安分局党委").await;
    let with_history = app
        .client
        .delete(app.url(&format!("/api/v1/orgs/{bureau}")))
        .header("x-csrf-token", app.csrf().await)
        .send()
        .await
        .expect("req");
    assert_eq!(with_history.status(), StatusCode::CONFLICT);
    let mistake = app
        .post_json(
            "/api/v1/orgs",
            &json!({"parent_id": bureau, "kind": "branch", "name": "误建支部"}),
        )
        .await;
    let mistake_id = mistake.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/orgs/{mistake_id}")))
        .header("x-csrf-token", app.csrf().await)
        .send()
        .await
        .expect("req");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let spare = app
        .post_json(
            "/api/v1/orgs",
            &json!({"parent_id": bureau, "kind": "branch", "name": "待撤销支部"}),
        )
        .await;
    let spare_id = spare.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let renamed = app
        .client
        .put(app.url(&format!("/api/v1/orgs/{spare_id}")))
        .header("x-csrf-token", app.csrf().await)
        .json(&json!({"name": "待撤销党支部", "is_joint": true, "joint_units": 4}))
        .send()
        .await
        .expect("req");
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(
        renamed.json::<Value>().await.expect("json")["is_joint"],
        true
    );
    let dissolved = app
        .post_json(&format!("/api/v1/orgs/{spare_id}/dissolve"), &json!({}))
        .await;
    assert_eq!(dissolved.status(), StatusCode::NO_CONTENT);
    let (_, tree) = app.get_json("/api/v1/orgs").await;
    assert_eq!(
        node(&tree, "待撤销党支部")["dissolved"],
        true,
        "a dissolved node stays with its history"
    );
}

async fn tree_and_node_pages(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let tree = app.get("/orgs").await.text().await.expect("body");
    assert!(
        tree.contains("站南派出所党支部") && tree.contains("（25 / 2）"),
        "{tree}"
    );
    let station = org_id(&app, "站南派出所党支部").await;
    let page = app
        .get(&format!("/orgs/{station}"))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("党员 27 名") && page.contains("综合党小组"),
        "{page}"
    );
    let created = app
        .post_form(
            "/orgs",
            &[
                ("parent_id", &station.to_string()),
                ("kind", "group"),
                ("name", "社区党小组"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let wrong = app
        .post_form(
            "/orgs",
            &[
                ("parent_id", &station.to_string()),
                ("kind", "branch"),
                ("name", "x"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .expect("body")
            .contains("党支部只能设在党委或党总支下")
    );
}

/// Members on the rolls of a node as the roster lists them: the members list's total for each
/// status the counts include (on the rolls: normal and out of contact), optionally one category.
async fn roster_total(app: &TestApp, org: i64, category: &str) -> i64 {
    let mut total = 0;
    for status in ["normal", "lost"] {
        let (code, page) = app
            .get_json(&format!(
                "/api/v1/members?org_id={org}&status={status}&category={category}&per_page=200"
            ))
            .await;
        assert_eq!(code, StatusCode::OK, "{page}");
        total += page["total"].as_i64().expect("total");
    }
    total
}

/// The count a node's page shows: `党员 N 名（…）`.
fn count_on_page(body: &str) -> i64 {
    let html = scraper::Html::parse_document(body);
    let line = scraper::Selector::parse("p.member-count").expect("selector");
    let text: String = html
        .select(&line)
        .next()
        .expect("the member count line")
        .text()
        .collect();
    text.trim()
        .strip_prefix("党员 ")
        .and_then(|rest| rest.split_once(" 名"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {text:?}"))
}

/// Every node of the demo tree, groups included (issue #14: a group's page showed 0), shows the
/// members its roster lists: on its page, in `/api/v1/orgs/{id}` and in the tree.
async fn every_node_counts_the_members_its_roster_lists(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let (_, tree) = app.get_json("/api/v1/orgs").await;
    let nodes = tree.as_array().expect("tree");
    assert!(nodes.iter().any(|n| n["kind"] == "group"), "{tree}");
    for in_tree in nodes {
        let id = in_tree["id"].as_i64().expect("id");
        let name = in_tree["name"].as_str().expect("name");
        let members = roster_total(&app, id, "").await;
        let full = roster_total(&app, id, "full").await;
        let (status, node) = app.get_json(&format!("/api/v1/orgs/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{node}");
        for shown in [&node, in_tree] {
            assert_eq!(shown["full_members"], full, "{name}: {shown}");
            assert_eq!(
                shown["full_members"].as_i64().expect("n")
                    + shown["probationary_members"].as_i64().expect("n"),
                members,
                "{name}: {shown}"
            );
        }
        let page = app.get(&format!("/orgs/{id}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let body = page.text().await.expect("body");
        assert_eq!(count_on_page(&body), members, "{name}");
    }
    let group = org_id(&app, "综合党小组").await;
    assert_eq!(
        roster_total(&app, group, "").await,
        10,
        "the demo's group has members to count"
    );
}

/// 书记 first, then 副书记, then the 委员: however the positions were recorded, and even when the
/// secretary's appointment is the newest.
async fn a_committee_is_listed_secretary_first(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let station = org_id(&app, "站南派出所党支部").await;
    let (_, held) = app
        .get_json(&format!("/api/v1/orgs/{station}/positions"))
        .await;
    let secretary = held
        .as_array()
        .expect("positions")
        .iter()
        .find(|p| p["position"] == "secretary")
        .expect("the demo branch has a secretary")
        .clone();
    let ended = app
        .post_json(
            &format!("/api/v1/orgs/{station}/positions/end"),
            &json!({ "position_id": secretary["id"] }),
        )
        .await;
    assert!(ended.status().is_success());
    let (_, found) = app.get_json("/api/v1/members?q=张伟").await;
    let zhang = found["items"][0]["id"].as_i64().expect("id");
    for (member, position) in [
        (zhang, "委员"),
        (secretary["member_id"].as_i64().expect("id"), "书记"),
    ] {
        let appointed = app
            .post_json(
                &format!("/api/v1/orgs/{station}/positions"),
                &json!({
                    "member_id": member,
                    "position": position,
                    "started_on": today().to_string(),
                }),
            )
            .await;
        assert_eq!(appointed.status(), StatusCode::CREATED);
    }
    let expected = ["书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员"];

    let (_, held) = app
        .get_json(&format!("/api/v1/orgs/{station}/positions"))
        .await;
    let labels: Vec<&str> = held
        .as_array()
        .expect("positions")
        .iter()
        .filter_map(|p| p["position_label"].as_str())
        .collect();
    assert_eq!(labels, expected);

    let html = app
        .get(&format!("/orgs/{station}"))
        .await
        .text()
        .await
        .expect("body");
    let page = scraper::Html::parse_document(&html);
    let sections = scraper::Selector::parse("main section").expect("selector");
    let heading = scraper::Selector::parse("h2").expect("selector");
    let label = scraper::Selector::parse("li > strong").expect("selector");
    let committee = page
        .select(&sections)
        .find(|s| {
            s.select(&heading)
                .any(|h| h.text().collect::<String>() == "班子成员")
        })
        .expect("the committee section");
    let shown: Vec<String> = committee
        .select(&label)
        .map(|strong| strong.text().collect())
        .collect();
    assert_eq!(shown, expected);
}

on_both_backends!(
    every_node_counts_the_members_its_roster_lists,
    parent_rules_are_enforced,
    tree_counts_roll_up_and_subtree_follows_a_move,
    dissolving_needs_an_empty_node_and_deleting_needs_no_history,
    tree_and_node_pages,
    a_committee_is_listed_secretary_first
);
