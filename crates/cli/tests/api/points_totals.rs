//! The maintained points totals (per member and period, per node and period up the tree) always
//! equal a full recount of the ledger, whatever sequence of meetings, corrections, approved
//! proposals and reversals produced them (a property test on both backends).

use std::collections::BTreeMap;

use dangjian_domain::OrgPath;
use dangjian_domain::activity::Period;
use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::orgs::org_id;
use crate::points::{entries, held_meeting, signed_in};

#[derive(Debug, Clone)]
enum Step {
    /// A group meeting with these of the first four group members present.
    Meeting(u8),
    /// The recorder flips one attendee of the last meeting (present ↔ absent).
    Correct(usize),
    /// An approved 志愿服务 award of 3–10 points to one of the members.
    Award(usize, i64),
    /// The secretary reverses the n-th entry (when not yet reversed).
    Reverse(usize),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        (0u8..16).prop_map(Step::Meeting),
        (0usize..4).prop_map(Step::Correct),
        ((0usize..4), (3i64..=10)).prop_map(|(m, p)| Step::Award(m, p)),
        (0usize..64).prop_map(Step::Reverse),
    ];
    proptest::collection::vec(step, 1..7)
}

pub(crate) type Totals = (
    BTreeMap<(i64, i64, String), i64>,
    BTreeMap<(i64, String), i64>,
);

pub(crate) async fn recount(app: &TestApp) -> Totals {
    let mut handle = app.store.acquire().await.expect("connection");
    let paths: BTreeMap<i64, OrgPath> = dangjian_store::orgs::all_orgs(handle.conn())
        .await
        .expect("orgs")
        .into_iter()
        .filter_map(|o| OrgPath::parse(&o.path).map(|p| (o.id, p)))
        .collect();
    drop(handle);
    let (mut members, mut nodes): Totals = Default::default();
    for e in entries(app).await.into_iter().filter(|e| e.points != 0) {
        let date: jiff::civil::Date = e.occurred_on.parse().expect("date");
        for key in Period::keys_of(date) {
            *members
                .entry((e.member_id, e.branch_id, key.clone()))
                .or_default() += e.points;
            for ancestor in paths[&e.org_id].ids() {
                *nodes.entry((ancestor.0, key.clone())).or_default() += e.points;
            }
        }
    }
    members.retain(|_, v| *v != 0);
    nodes.retain(|_, v| *v != 0);
    (members, nodes)
}

pub(crate) async fn stored(app: &TestApp) -> Totals {
    let mut handle = app.store.acquire().await.expect("connection");
    let members = dangjian_store::points::totals::all_member_totals(handle.conn())
        .await
        .expect("members");
    let nodes = dangjian_store::points::totals::all_org_totals(handle.conn())
        .await
        .expect("nodes");
    (
        members
            .into_iter()
            .map(|(m, b, p, v)| ((m, b, p), v))
            .collect(),
        nodes.into_iter().map(|(o, p, v)| ((o, p), v)).collect(),
    )
}

async fn run(backend: Backend, steps: Vec<Step>) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let group = org_id(&app, "综合党小组").await;
    let (_, list) = leader
        .get_json(&format!("/api/v1/members?org_id={group}&per_page=50"))
        .await;
    let people: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .take(4)
        .collect();
    assert_eq!(people.len(), 4, "{list}");
    let mut last_meeting: Option<(i64, u8)> = None;
    for step in steps {
        match step {
            Step::Meeting(mask) => {
                let present: Vec<i64> = people
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, id)| *id)
                    .collect();
                let id = held_meeting(&app, &leader, &present).await;
                last_meeting = Some((id, mask));
            }
            Step::Correct(k) => {
                if let Some((id, mask)) = last_meeting {
                    let status = if mask & (1 << k) != 0 {
                        "absent"
                    } else {
                        "present"
                    };
                    let r = leader
                        .post_json(
                            &format!("/api/v1/activities/{id}/attendance"),
                            &json!({"member_id": people[k], "status": status}),
                        )
                        .await;
                    assert_eq!(r.status(), StatusCode::OK);
                    last_meeting = Some((id, mask ^ (1 << k)));
                }
            }
            Step::Award(m, points) => {
                let p = leader
                    .post_json(
                        "/api/v1/points/proposals",
                        &json!({
                            "member_id": people[m],
                            "item_code": "A01",
                            "points": points.to_string(),
                            "reason": "志愿服务",
                        }),
                    )
                    .await;
                assert_eq!(p.status(), StatusCode::CREATED);
                let id = p.json::<Value>().await.expect("json")["id"]
                    .as_i64()
                    .expect("id");
                let approved = app
                    .post_json(
                        &format!("/api/v1/points/proposals/{id}/decision"),
                        &json!({"approve": true}),
                    )
                    .await;
                assert_eq!(approved.status(), StatusCode::OK);
            }
            Step::Reverse(n) => {
                let all = entries(&app).await;
                let candidate = all
                    .iter()
                    .filter(|e| e.points != 0 && e.reverses_entry_id.is_none())
                    .nth(n % all.len().max(1));
                if let Some(e) = candidate {
                    let already = all.iter().any(|r| r.reverses_entry_id == Some(e.id));
                    let r = app
                        .post_json(
                            &format!("/api/v1/points/entries/{}/reversal", e.id),
                            &json!({"reason": "更正"}),
                        )
                        .await;
                    let expected = if already {
                        StatusCode::CONFLICT
                    } else {
                        StatusCode::CREATED
                    };
                    assert_eq!(r.status(), expected);
                }
            }
        }
    }
    assert_eq!(stored(&app).await, recount(&app).await);
    let (_, report) = app.get_json("/api/v1/points/verify").await;
    assert_eq!(report["ok"], true, "{report}");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 5,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn points_totals_equal_a_recount_sqlite(steps in steps()) {
        runtime().block_on(run(Backend::Sqlite, steps));
    }

    #[test]
    #[cfg_attr(not(postgres_tests), ignore = "set DANGJIAN_TEST_POSTGRES_URL to run on PostgreSQL")]
    fn points_totals_equal_a_recount_postgres(steps in steps()) {
        runtime().block_on(run(Backend::Postgres, steps));
    }
}
