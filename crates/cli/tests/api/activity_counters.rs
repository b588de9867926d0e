//! The maintained compliance counters always equal a full recount of held activities, whatever
//! sequence of plans, cancellations and held meetings produced them (a property test on both
//! backends).

use std::collections::BTreeMap;

use dangjian_domain::OrgPath;
use dangjian_domain::activity::Period;
use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::{act, member_id, plan};
use crate::helpers::*;
use crate::orgs::org_id;

#[derive(Debug, Clone)]
struct Step {
    /// 0: the branch, 1–3: its groups.
    node: usize,
    kind_choice: usize,
    days_ago: i64,
    /// 0: leave as a draft, 1: cancel, 2+: hold it.
    fate: u8,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        (0usize..4, 0usize..3, 1i64..500, 0u8..5).prop_map(
            |(node, kind_choice, days_ago, fate)| Step {
                node,
                kind_choice,
                days_ago,
                fate,
            },
        ),
        1..10,
    )
}

type Key = (i64, String, String);

/// Held and done counts recomputed from the activities themselves.
pub(crate) async fn recount(app: &TestApp) -> BTreeMap<Key, (i64, i64)> {
    let mut handle = app.store.acquire().await.expect("connection");
    let held = dangjian_store::life_counters::held_activities(handle.conn())
        .await
        .expect("held");
    let mut counts: BTreeMap<Key, (i64, i64)> = BTreeMap::new();
    let mut paths = BTreeMap::new();
    for a in &held {
        let date: jiff::civil::Date = a.held_on.parse().expect("date");
        for key in Period::keys_of(date) {
            counts.entry((a.org_id, key, a.kind.clone())).or_default().0 += 1;
        }
        paths.insert(a.org_id, OrgPath::parse(&a.org_path).expect("path"));
    }
    let owners: Vec<Key> = counts.keys().cloned().collect();
    for (org, period, kind) in owners {
        for ancestor in paths[&org].ids() {
            counts
                .entry((ancestor.0, period.clone(), kind.clone()))
                .or_default()
                .1 += 1;
        }
    }
    counts
}

pub(crate) async fn stored(app: &TestApp) -> BTreeMap<Key, (i64, i64)> {
    let mut handle = app.store.acquire().await.expect("connection");
    dangjian_store::life_counters::all_counters(handle.conn())
        .await
        .expect("counters")
        .into_iter()
        .map(|c| ((c.org_id, c.period, c.kind), (c.held, c.nodes_done)))
        .collect()
}

async fn run(backend: Backend, steps: Vec<Step>) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let admin = app.new_browser();
    admin.login(ADMIN, PASSWORD).await;
    let nodes = [
        org_id(&app, "站南派出所党支部").await,
        org_id(&app, "综合党小组").await,
        org_id(&app, "刑侦党小组").await,
        org_id(&app, "治安党小组").await,
    ];
    let host = member_id(&app, "王建国").await;
    let today = crate::helpers::today();
    for step in steps {
        let kind = if step.node == 0 {
            ["theme_day", "branch_assembly", "party_lecture"][step.kind_choice]
        } else {
            "group_meeting"
        };
        let date = today
            .checked_sub(jiff::Span::new().days(step.days_ago))
            .expect("date")
            .to_string();
        let mut body = plan(kind, "随机活动", &date, host);
        body["org_id"] = json!(nodes[step.node]);
        if kind == "party_lecture" {
            body["speaker_member_id"] = json!(host);
        }
        let created = app.post_json("/api/v1/activities", &body).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let id = created.json::<Value>().await.expect("json")["activity"]["id"]
            .as_i64()
            .expect("id");
        match step.fate {
            0 => {}
            1 => assert_eq!(act(&app, id, "cancel", "").await.status(), StatusCode::OK),
            _ => {
                if step.node > 0 {
                    assert_eq!(act(&app, id, "submit", "").await.status(), StatusCode::OK);
                    assert_eq!(
                        act(&admin, id, "approve", "").await.status(),
                        StatusCode::OK
                    );
                }
                assert_eq!(act(&app, id, "publish", "").await.status(), StatusCode::OK);
                assert_eq!(act(&app, id, "finish", "").await.status(), StatusCode::OK);
                // Finishing twice must not count twice.
                assert_eq!(
                    act(&app, id, "finish", "").await.status(),
                    StatusCode::CONFLICT
                );
            }
        }
    }
    assert_eq!(stored(&app).await, recount(&app).await);
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
        cases: 6,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn counters_equal_a_recount_sqlite(steps in steps()) {
        runtime().block_on(run(Backend::Sqlite, steps));
    }

    #[test]
    #[cfg_attr(not(postgres_tests), ignore = "set DANGJIAN_TEST_POSTGRES_URL to run on PostgreSQL")]
    fn counters_equal_a_recount_postgres(steps in steps()) {
        runtime().block_on(run(Backend::Postgres, steps));
    }
}
