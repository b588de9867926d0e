//! The benchmark: the generator's bulk writes leave every maintained counter equal to a recount
//! of the rows, and `bench run --quick` produces every figure with its verifications passed.
//! Nothing here asserts a time.

use dangjian_app::AppError;
use dangjian_app::bench::{Scale, generate};
use dangjian_domain::OrgPath;
use dangjian_store::SubtreeRange;
use dangjian_store::dues::totals;

use crate::activity_counters::{recount, stored};
use crate::helpers::*;
use crate::on_both_backends;

pub(crate) async fn assert_dues_totals_match(app: &TestApp) -> usize {
    let mut handle = app.store.acquire().await.expect("connection");
    let keys = dangjian_store::bench::dues_total_keys(handle.conn())
        .await
        .expect("keys");
    for (org, month) in &keys {
        let row = dangjian_store::orgs::org_by_id(handle.conn(), *org)
            .await
            .expect("org")
            .expect("exists");
        let path = OrgPath::parse(&row.path).expect("path");
        let counted = totals::recount(handle.conn(), &SubtreeRange::of(&path), month)
            .await
            .expect("recount");
        let kept = totals::totals_of(handle.conn(), &[*org], month, month)
            .await
            .expect("totals");
        assert_eq!(
            kept.first().map(|r| r.totals).unwrap_or_default(),
            counted,
            "{} {month}",
            row.name
        );
    }
    keys.len()
}

async fn generated_tiny_organization_keeps_every_counter_equal_to_a_recount(backend: Backend) {
    let app = spawn_empty(backend).await;
    let summary = generate(&app.app, Scale::Tiny, &|_| {})
        .await
        .expect("generate");
    assert!((200..=450).contains(&summary.members), "{summary:?}");
    assert!(
        summary.activities > 500 && summary.attendances > 5_000,
        "{summary:?}"
    );

    // Compliance counters: held per node, period and kind; done-nodes rolled up the tree.
    let counted = recount(&app).await;
    assert!(!counted.is_empty());
    assert_eq!(stored(&app).await, counted);

    // The consecutive-months rule's member-month counters.
    let mut handle = app.store.acquire().await.expect("connection");
    let life = dangjian_store::bench::stored_life_months(handle.conn())
        .await
        .expect("stored");
    let life_recount = dangjian_store::bench::recount_life_months(handle.conn())
        .await
        .expect("recount");
    drop(handle);
    assert!(life.len() > 3_000, "{}", life.len());
    assert_eq!(life, life_recount);

    // Dues totals of every node and month equal the sheet rows of its subtree.
    let checked = assert_dues_totals_match(&app).await;
    assert!(checked > 400, "{checked}");

    // Points: an entry per attendance, absence and dues month; the totals equal a recount of
    // the ledger and every branch's hash chain verifies.
    let (members, nodes) = crate::points_totals::stored(&app).await;
    assert_eq!(
        (members.clone(), nodes.clone()),
        crate::points_totals::recount(&app).await
    );
    assert!(
        members.len() > 3_000 && nodes.len() > 100,
        "{} {}",
        members.len(),
        nodes.len()
    );
    let ledger = dangjian_app::points::verify::verify_range(&app.app, None)
        .await
        .expect("verify");
    assert!(ledger.ok, "{ledger:?}");
    assert_eq!(ledger.branches, 15);
    assert!(
        ledger.entries as u64 > summary.attendances,
        "{ledger:?} {summary:?}"
    );
    assert_eq!(ledger.entries as u64, summary.points_entries);

    // The root's pages read them through the real server.
    let fixtures = dangjian_app::bench::prepare_run(&app.app, 2, 2)
        .await
        .expect("fixtures");
    for path in [
        format!("/api/v1/orgs/{}/dues/summary?month=2026-09", fixtures.root),
        format!("/api/v1/orgs/{}/compliance?period=2026-Q3", fixtures.root),
        format!(
            "/api/v1/orgs/{}/points/leaderboard?period=2026-Q3",
            fixtures.root
        ),
        format!(
            "/api/v1/points/card?member_id={}&period=2026-Q3",
            fixtures.member
        ),
    ] {
        let response = app
            .client
            .get(app.url(&path))
            .bearer_auth(&fixtures.admin_token)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
    }

    // A second run refuses: the generator only fills an empty database.
    let again = generate(&app.app, Scale::Tiny, &|_| {}).await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
}

async fn bench_run_quick_produces_every_figure_and_passes_its_verifications(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let url = fresh_database(backend, &dir).await;
    let json_file = dir.path().join("bench.json");
    let dangjian = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dangjian"))
            .args(args)
            .env_remove("DANGJIAN_CONFIG")
            .output()
            .expect("run dangjian")
    };
    let generated = dangjian(&["bench", "generate", "--scale", "tiny", "--database", &url]);
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let json_arg = json_file.to_str().expect("path");
    let ran = dangjian(&[
        "bench",
        "run",
        "--quick",
        "--database",
        &url,
        "--json",
        json_arg,
    ]);
    let table = String::from_utf8_lossy(&ran.stdout).to_string();
    assert!(
        ran.status.success(),
        "{table}\n{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(
        table.contains("check-in (64 members)") && table.contains("points entries"),
        "{table}"
    );

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).expect("json written"))
            .expect("json");
    let verifications = report["verifications"].as_array().expect("verifications");
    assert_eq!(verifications.len(), 8, "{verifications:?}");
    for verification in verifications {
        assert_eq!(verification["passed"], true, "{verification}");
    }
    for figure in [
        &report["ceilings"]["trivial_http"],
        &report["ceilings"]["raw_insert_commit"],
        &report["check_in"]["stats"],
        &report["reads"]["root compliance, quarter (2026-Q3)"],
        &report["reads"]["root dues summary, month (2026-09)"],
        &report["reads"]["branch roster page"],
        &report["reads"]["member profile"],
        &report["reads"]["root top-50 by points, quarter (2026-Q3)"],
        &report["reads"]["member points card, quarter (2026-Q3)"],
        &report["reads"]["root 待办 (reminders)"],
        &report["reads"]["member 待办 (reminders)"],
    ] {
        assert!(figure["requests"].as_u64().unwrap_or(0) > 0, "{figure}");
        assert!(figure["p99_ms"].as_f64().is_some(), "{figure}");
    }
    assert!(
        report["check_in"]["ratio_to_trivial_http"]
            .as_f64()
            .is_some()
    );
    assert!(report["check_in"]["ratio_to_raw_commit"].as_f64().is_some());
    assert_eq!(report["roster_import"]["imported"], 5_000);
    assert!(report["server_peak_rss_mib"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(
        report["points_entries"].as_i64().unwrap_or(0) > 5_000,
        "{}",
        report["points_entries"]
    );
}

on_both_backends!(
    generated_tiny_organization_keeps_every_counter_equal_to_a_recount,
    bench_run_quick_produces_every_figure_and_passes_its_verifications
);
