//! `bench run`: starts the real server in this process on 127.0.0.1:0 and measures it with an
//! in-process client. Because server and client share the process, "server peak memory" is the
//! process's VmHWM from /proc/self/status (the client's share is small: a few MiB of buffers).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use dangjian_app::bench::{RunFixtures, prepare_run};
use dangjian_app::points::verify::verify_range;
use dangjian_app::{App, AppSettings};
use dangjian_domain::OrgPath;
use dangjian_domain::activity::checkin::{code_for, window_of};
use dangjian_domain::time::to_micros;
use dangjian_store::bench as store_bench;
use dangjian_store::{Store, SubtreeRange};
use dangjian_web::{AppState, WebConfig};
use jiff::Timestamp;
use serde_json::json;

use super::load::{Outcome, Stats, closed_loop, get_ok, memory_mib, repeated};
use super::report::{Figures, Import, print_table};
use super::xlsx;
use crate::Failure;
use crate::operate::{Options, app_error, open};

/// Concurrent clients of the throughput figures (the 64 check-in clients).
const CLIENTS: usize = 64;

struct Plan {
    load: Duration,
    ceiling: Duration,
    reads: u64,
    import_rows: u64,
    /// Open activities per client: enough that no client runs out before the load's end at up to
    /// 16,000 check-ins a second (64 × 5,000 attendees; a client that runs out ends the load
    /// early, which the verifications report).
    activities: i64,
}

fn env_error(what: &str) -> impl Fn(dangjian_store::StoreError) -> Failure + '_ {
    move |e| Failure::environment(format!("{what}: {e}"))
}

pub async fn run(options: &Options, quick: bool, json_file: Option<&Path>) -> Result<(), Failure> {
    let plan = if quick {
        Plan {
            load: Duration::from_secs(2),
            ceiling: Duration::from_secs(1),
            reads: 30,
            import_rows: 5_000,
            activities: 1_000,
        }
    } else {
        Plan {
            load: Duration::from_secs(20),
            ceiling: Duration::from_secs(5),
            reads: 300,
            import_rows: 100_000,
            activities: 5_000,
        }
    };
    let store = open(options, false).await?;
    let app = App::new(store.clone(), AppSettings::default());
    let fixtures = prepare_run(&app, CLIENTS as i64, plan.activities)
        .await
        .map_err(app_error)?;
    let mut handle = store.acquire().await.map_err(env_error("database"))?;
    let members = store_bench::table_count(handle.conn(), "members")
        .await
        .map_err(env_error("count"))?;
    let nodes = store_bench::table_count(handle.conn(), "org_nodes")
        .await
        .map_err(env_error("count"))?;
    drop(handle);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Failure::environment(format!("无法监听 / cannot listen: {e}")))?;
    let address = listener
        .local_addr()
        .map_err(|e| Failure::environment(e.to_string()))?;
    let state = AppState {
        app: app.clone(),
        config: WebConfig {
            secure_cookies: false,
            trust_forwarded_for: false,
        },
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(dangjian_web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let base = format!("http://{address}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS * 2)
        .build()
        .map_err(|e| Failure::environment(e.to_string()))?;
    eprintln!("测量中 / measuring against {members} members in {nodes} nodes at {base} …");

    let trivial = {
        let (client, url) = (client.clone(), format!("{base}/healthz"));
        closed_loop(CLIENTS, plan.ceiling, move |_, _| {
            let (client, url) = (client.clone(), url.clone());
            async move { get_ok(&client, &url, "").await }
        })
        .await
    };
    let raw_commit = raw_commit_rate(&store, plan.ceiling).await?;
    let check_in = check_ins(&client, &base, &fixtures, plan.load).await;
    let activity_ids: Vec<i64> = fixtures.activities.iter().map(|a| a.id).collect();
    let mut handle = store.acquire().await.map_err(env_error("database"))?;
    let recorded = store_bench::present_count(handle.conn(), &activity_ids)
        .await
        .map_err(env_error("count"))?;
    drop(handle);

    let reads = read_paths(&client, &base, &fixtures, plan.reads).await;
    let (points_entries, chain) = points_ledger(&app, &store, fixtures.branch).await?;
    let import = import(&client, &base, &fixtures, plan.import_rows).await?;
    let (_, peak) = memory_mib();

    let _ = stop.send(());
    let _ = server.await;
    store.close().await;

    let figures = Figures {
        backend: format!("{:?}", store.backend()).to_lowercase(),
        quick,
        members,
        nodes,
        trivial,
        raw_commit,
        check_in_verified: recorded as u64 == check_in.requests,
        check_in_planned_seconds: plan.load.as_secs_f64(),
        check_in,
        check_ins_recorded: recorded,
        reads,
        points_entries,
        chain_verified: chain,
        import,
        peak_rss_mib: peak,
    };
    print_table(&figures);
    if let Some(file) = json_file {
        let text = serde_json::to_string_pretty(&figures.to_json()).unwrap_or_default();
        std::fs::write(file, text).map_err(|e| {
            Failure::environment(format!("无法写入 / cannot write {}: {e}", file.display()))
        })?;
    }
    if figures.all_verified() {
        Ok(())
    } else {
        Err(Failure::environment(
            "有验证未通过，见上表 / a verification failed, see the table",
        ))
    }
}

/// The ledger's size, and whether the measured branch's hash chain verifies (the whole ledger is
/// `dangjian ledger verify`'s job: at city scale it rehashes millions of entries).
async fn points_ledger(app: &App, store: &Store, branch: i64) -> Result<(i64, bool), Failure> {
    let mut handle = store.acquire().await.map_err(env_error("database"))?;
    let entries = store_bench::table_count(handle.conn(), "points_entries")
        .await
        .map_err(env_error("count"))?;
    let path = dangjian_store::orgs::org_by_id(handle.conn(), branch)
        .await
        .map_err(env_error("branch"))?
        .and_then(|row| OrgPath::parse(&row.path))
        .ok_or_else(|| {
            Failure::environment("测量的党支部不存在 / the measured branch is missing")
        })?;
    drop(handle);
    let report = verify_range(app, Some(&SubtreeRange::of(&path)))
        .await
        .map_err(app_error)?;
    Ok((entries, report.ok && report.entries > 0))
}

/// The database's own ceiling: single-row INSERT + COMMIT transactions from the same concurrency,
/// through the same pool, with no HTTP and no product logic.
async fn raw_commit_rate(store: &Store, duration: Duration) -> Result<Stats, Failure> {
    let store = store.clone();
    let mut tx = store
        .begin_at(dangjian_domain::time::to_micros(jiff::Timestamp::now()))
        .await
        .map_err(env_error("probe"))?;
    store_bench::create_probe(tx.conn())
        .await
        .map_err(env_error("probe"))?;
    tx.commit().await.map_err(env_error("probe"))?;
    let probe_store = store.clone();
    let stats = closed_loop(CLIENTS, duration, move |task, n| {
        let store = probe_store.clone();
        async move {
            let result = async {
                let mut tx = store
                    .begin_at(dangjian_domain::time::to_micros(jiff::Timestamp::now()))
                    .await?;
                store_bench::insert_probe(
                    tx.conn(),
                    n as i64,
                    task as i64,
                    to_micros(Timestamp::now()),
                )
                .await?;
                tx.commit().await
            }
            .await;
            match result {
                Ok(()) => Outcome::Ok,
                Err(e) => Outcome::Failed(e.to_string()),
            }
        }
    })
    .await;
    let mut tx = store
        .begin_at(dangjian_domain::time::to_micros(jiff::Timestamp::now()))
        .await
        .map_err(env_error("probe"))?;
    store_bench::drop_probe(tx.conn())
        .await
        .map_err(env_error("probe"))?;
    tx.commit().await.map_err(env_error("probe"))?;
    Ok(stats)
}

/// Each client is a distinct member checking in, with the current code, to the open activities in
/// turn, as a phone does after scanning the host's screen.
async fn check_ins(
    client: &reqwest::Client,
    base: &str,
    fixtures: &RunFixtures,
    duration: Duration,
) -> Stats {
    let activities = Arc::new(fixtures.activities.clone());
    let tokens = Arc::new(
        fixtures
            .clients
            .iter()
            .map(|(_, t)| t.clone())
            .collect::<Vec<_>>(),
    );
    let (client, base) = (client.clone(), base.to_string());
    closed_loop(tokens.len(), duration, move |task, n| {
        let (client, base, activities, tokens) = (
            client.clone(),
            base.clone(),
            activities.clone(),
            tokens.clone(),
        );
        async move {
            let Some(activity) = activities.get(n as usize) else {
                return Outcome::Exhausted;
            };
            let window = window_of(Timestamp::now().as_second());
            let code = code_for(activity.secret.as_bytes(), activity.id, window);
            let url = format!("{base}/api/v1/activities/{}/check-in", activity.id);
            match client
                .post(&url)
                .bearer_auth(&tokens[task])
                .json(&json!({ "code": code }))
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => Outcome::Ok,
                Ok(r) => {
                    let status = r.status();
                    Outcome::Failed(format!("{status} {}", r.text().await.unwrap_or_default()))
                }
                Err(e) => Outcome::Failed(e.to_string()),
            }
        }
    })
    .await
}

/// The read paths, each requested one after another by the administrator (whole-tree reach),
/// then the member's own pages by a member (the first check-in client's account).
async fn read_paths(
    client: &reqwest::Client,
    base: &str,
    f: &RunFixtures,
    count: u64,
) -> Vec<(&'static str, Stats)> {
    let paths = [
        (
            "root compliance, quarter (2026-Q3)",
            format!("/api/v1/orgs/{}/compliance?period=2026-Q3", f.root),
        ),
        (
            "root top-50 by points, quarter (2026-Q3)",
            format!(
                "/api/v1/orgs/{}/points/leaderboard?period=2026-Q3&limit=50",
                f.root
            ),
        ),
        (
            "root dues summary, month (2026-09)",
            format!("/api/v1/orgs/{}/dues/summary?month=2026-09", f.root),
        ),
        (
            "branch roster page",
            format!("/api/v1/members?org_id={}&page=1", f.branch),
        ),
        ("member profile", format!("/api/v1/members/{}", f.member)),
        (
            "member points card, quarter (2026-Q3)",
            format!("/api/v1/points/card?member_id={}&period=2026-Q3", f.member),
        ),
    ];
    let mut out = Vec::new();
    for (name, path) in paths {
        let url = format!("{base}{path}");
        let stats = repeated(count, |_| get_ok(client, &url, &f.admin_token)).await;
        out.push((name, stats));
    }
    // 待办 gathers every area's reminders on each home page: the root's (plans awaiting
    // approval across the tree) and a member's (meetings, make-up study, 民主评议).
    let url = format!("{base}/api/v1/me/reminders");
    let stats = repeated(count, |_| get_ok(client, &url, &f.admin_token)).await;
    out.push(("root 待办 (reminders)", stats));
    if let Some((_, member_token)) = f.clients.first() {
        let stats = repeated(count, |_| get_ok(client, &url, member_token)).await;
        out.push(("member 待办 (reminders)", stats));
    }
    out
}

/// Imports a generated roster into an empty branch through the API, sampling memory meanwhile.
async fn import(
    client: &reqwest::Client,
    base: &str,
    f: &RunFixtures,
    rows: u64,
) -> Result<Import, Failure> {
    let bytes = tokio::task::spawn_blocking({
        let from = f.import_from;
        move || xlsx::roster(rows, from)
    })
    .await
    .map_err(|e| Failure::environment(e.to_string()))?
    .map_err(Failure::environment)?;
    let file_mib = bytes.len() as f64 / 1_048_576.0;
    let (before, _) = memory_mib();
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = tokio::spawn({
        let sampling = sampling.clone();
        async move {
            let mut top: f64 = 0.0;
            while sampling.load(Ordering::Relaxed) {
                top = top.max(memory_mib().0);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            top
        }
    });
    let form = reqwest::multipart::Form::new()
        .text("org_id", f.import_branch.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("roster.xlsx"),
        );
    let started = Instant::now();
    let response = client
        .post(format!("{base}/api/v1/members/import"))
        .bearer_auth(&f.admin_token)
        .multipart(form)
        .send()
        .await;
    let seconds = started.elapsed().as_secs_f64();
    sampling.store(false, Ordering::Relaxed);
    let top = sampler.await.unwrap_or(0.0);
    let (imported, error) = match response {
        Ok(r) if r.status().is_success() => {
            let body: serde_json::Value = r.json().await.unwrap_or_default();
            (body["imported"].as_u64().unwrap_or(0), None)
        }
        Ok(r) => (
            0,
            Some(format!(
                "{} {}",
                r.status(),
                r.text()
                    .await
                    .unwrap_or_default()
                    .chars()
                    .take(300)
                    .collect::<String>()
            )),
        ),
        Err(e) => (0, Some(e.to_string())),
    };
    Ok(Import {
        rows,
        imported,
        seconds,
        file_mib,
        rss_before_mib: before,
        rss_peak_mib: top,
        error,
    })
}
