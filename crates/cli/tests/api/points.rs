//! Points through the API on both backends: meetings award points exactly once (even replayed),
//! corrections reverse, rules inherit and override by date, caps stop awards, manual proposals
//! need another approver, ties share ranks, bulletins publish, and tampering is caught.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::{act, approved_group_meeting, member_id, yesterday};
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

pub async fn signed_in(app: &TestApp, phone: &str) -> TestApp {
    let browser = app.new_browser();
    browser.login(phone, PASSWORD).await;
    browser
}

/// A group meeting held yesterday with the given members present (the rest absent): its id.
pub async fn held_meeting(app: &TestApp, leader: &TestApp, present: &[i64]) -> i64 {
    held_meeting_on(app, leader, &yesterday(), present).await
}

/// A group meeting held on `date` with the given members present (the rest absent): its id.
pub async fn held_meeting_on(app: &TestApp, leader: &TestApp, date: &str, present: &[i64]) -> i64 {
    let id = approved_group_meeting(app, leader, date).await;
    for m in present {
        let marked = leader
            .post_json(
                &format!("/api/v1/activities/{id}/attendance"),
                &json!({"member_id": m, "status": "present"}),
            )
            .await;
        assert_eq!(marked.status(), StatusCode::OK);
    }
    assert_eq!(act(leader, id, "finish", "").await.status(), StatusCode::OK);
    id
}

async fn card(app: &TestApp, query: &str) -> Value {
    let (status, card) = app.get_json(&format!("/api/v1/points/card{query}")).await;
    assert_eq!(status, StatusCode::OK, "{card}");
    card
}

pub async fn entries(app: &TestApp) -> Vec<dangjian_store::points::ledger::EntryRow> {
    let mut handle = app.store.acquire().await.expect("connection");
    dangjian_store::points::ledger::all_entries(handle.conn())
        .await
        .expect("entries")
}

/// Entries appended after the entry `since` (the demo's history holds earlier ones).
pub async fn entries_after(
    app: &TestApp,
    since: i64,
) -> Vec<dangjian_store::points::ledger::EntryRow> {
    entries(app)
        .await
        .into_iter()
        .filter(|e| e.id > since)
        .collect()
}

pub async fn last_entry(app: &TestApp) -> i64 {
    entries(app).await.last().map(|e| e.id).unwrap_or(0)
}

/// The month key of yesterday, when every test's meetings are held.
fn meeting_month() -> String {
    yesterday()[..7].to_string()
}

async fn message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.expect("json");
    body["message"].as_str().unwrap_or_default().to_string()
}

async fn version(app: &TestApp, org: i64, from: &str, items: Value) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/orgs/{org}/points/rules"),
        &json!({"effective_from": from, "items": items}),
    )
    .await
}

/// The day after the last day the ledger holds points for: the first a new version may start on.
async fn first_unscored_day(app: &TestApp) -> jiff::civil::Date {
    let last = entries(app)
        .await
        .iter()
        .filter_map(|e| e.occurred_on.parse::<jiff::civil::Date>().ok())
        .max()
        .expect("the demo has scored points");
    last.tomorrow().expect("date")
}

async fn attending_a_meeting_awards_points_once_even_when_replayed(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let member = signed_in(&app, MEMBER).await;
    let zhang = member_id(&app, "张伟").await;
    let month = format!("?period={}", meeting_month());
    let start = card(&member, &month).await["period_points"]
        .as_i64()
        .expect("points");
    let since = last_entry(&app).await;
    let meeting = held_meeting(&app, &leader, &[zhang]).await;

    let mine = card(&member, &month).await;
    assert_eq!(
        mine["period_points"],
        start + 20,
        "+2 for attending, in tenths: {mine}"
    );
    let year = card(&member, "").await;
    assert_eq!(
        year["balance"],
        1000 + year["period_points"].as_i64().expect("points"),
        "the yearly base of 100 plus the year's points"
    );
    assert_eq!(mine["entries"][0]["item_code"], "B01");
    let absent: Vec<_> = entries_after(&app, since)
        .await
        .into_iter()
        .filter(|e| e.points == -50)
        .collect();
    assert!(!absent.is_empty(), "the group's absentees lose 5 each");

    let before = entries(&app).await;
    dangjian_app::points::consume::replay_all(&app.app)
        .await
        .expect("replay");
    dangjian_app::points::consume::replay_all(&app.app)
        .await
        .expect("replay again");
    assert_eq!(
        entries(&app).await,
        before,
        "replaying every event twice books nothing more"
    );
    assert_eq!(card(&member, &month).await["period_points"], start + 20);

    // The recorder corrects 张伟 to absent: the +2 is reversed by a new entry, then −5.
    let corrected = leader
        .post_json(
            &format!("/api/v1/activities/{meeting}/attendance"),
            &json!({"member_id": zhang, "status": "absent"}),
        )
        .await;
    assert_eq!(corrected.status(), StatusCode::OK);
    let after = card(&member, &month).await;
    assert_eq!(after["period_points"], start - 50, "{after}");
    let reasons: Vec<String> = after["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["reason"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(reasons.iter().any(|r| r.starts_with("冲正")), "{reasons:?}");
    let original = before
        .iter()
        .find(|e| e.id > since && e.member_id == zhang && e.points == 20)
        .expect("the award");
    assert!(
        entries(&app).await.contains(original),
        "the award itself is never changed"
    );

    // Entries are append-only in the database itself.
    let mut handle = app.store.acquire().await.expect("connection");
    let refused = match handle.conn() {
        dangjian_store::Conn::Sqlite(c) => sqlx::query("UPDATE points_entries SET points = 99")
            .execute(c)
            .await
            .is_err(),
        dangjian_store::Conn::Postgres(c) => sqlx::query("DELETE FROM points_entries")
            .execute(c)
            .await
            .is_err(),
    };
    assert!(refused, "the trigger refuses changes to the ledger");
}

async fn rules_are_inherited_overridden_and_versioned_by_date(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let group = org_id(&app, "综合党小组").await;
    let other = org_id(&app, "刑侦党小组").await;
    // New versions may only start after the last day the demo's history scored; the dates
    // are counted from that day, so the test holds whatever today is.
    let open = first_unscored_day(&app).await;
    let day = |n: i64| {
        open.checked_add(jiff::Span::new().days(n))
            .expect("date")
            .to_string()
    };
    assert!(
        day(3) < yesterday(),
        "the demo leaves room before yesterday's meeting"
    );
    let item = |points: &str| {
        json!([
            {"code": "B01", "name": "参加组织生活", "category": "basic", "points": points, "trigger": "attended"},
        ])
    };
    assert_eq!(
        version(&app, branch, &day(1), item("3")).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        version(&app, group, &day(3), item("4")).await.status(),
        StatusCode::CREATED
    );
    let points_at = |org: i64, on: String| {
        let app = &app;
        async move {
            let (_, rules) = app
                .get_json(&format!("/api/v1/orgs/{org}/points/rules?on={on}"))
                .await;
            rules["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|i| i["code"] == "B01")
                .expect("B01")["points"]
                .as_i64()
        }
    };
    assert_eq!(
        points_at(group, yesterday()).await,
        Some(40),
        "the group's own version wins"
    );
    assert_eq!(
        points_at(other, yesterday()).await,
        Some(30),
        "another group inherits the branch's"
    );
    assert_eq!(
        points_at(group, day(2)).await,
        Some(30),
        "before its date the group inherited the branch's"
    );
    assert_eq!(
        points_at(group, day(0)).await,
        Some(20),
        "before both: the default rulebook"
    );

    let leader = signed_in(&app, GROUP_LEADER).await;
    let zhang = member_id(&app, "张伟").await;
    let since = last_entry(&app).await;
    held_meeting(&app, &leader, &[zhang]).await;
    let zhang_entry = entries_after(&app, since)
        .await
        .into_iter()
        .find(|e| e.member_id == zhang)
        .expect("entry");
    assert_eq!(zhang_entry.points, 40);

    let late = version(&app, group, &yesterday(), item("5")).await;
    assert_eq!(
        late.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a day already scored cannot get new rules"
    );
    assert!(message(late).await.contains("已计的积分不会被改写"));
    let earlier = version(&app, branch, &day(0), item("5")).await;
    assert_eq!(
        earlier.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not before the node's latest version"
    );
    let negative_cap = version(&app, group, &crate::helpers::today().to_string(), json!([
        {"code": "L01", "name": "学习", "category": "study", "points": "0.5", "cap": "-10", "cap_period": "quarterly", "trigger": "manual"},
    ])).await;
    assert_eq!(negative_cap.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(negative_cap).await.contains("上限须为正数"));
    assert_eq!(
        entries_after(&app, since)
            .await
            .into_iter()
            .find(|e| e.member_id == zhang)
            .map(|e| e.points),
        Some(40),
        "awarded points never change"
    );
    let member = signed_in(&app, MEMBER).await;
    assert_eq!(
        version(
            &member,
            group,
            &crate::helpers::today().to_string(),
            item("9")
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
}

async fn caps_stop_awards_and_proposals_need_another_approver(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let group = org_id(&app, "综合党小组").await;
    let zhang = member_id(&app, "张伟").await;
    // Attending is capped at 3 points a quarter in this group: 2, then 1, then nothing.
    let capped = json!([
        {"code": "B01", "name": "参加组织生活", "category": "basic", "points": "2", "cap": "3", "cap_period": "quarterly", "trigger": "attended"},
    ]);
    assert_eq!(
        version(
            &app,
            group,
            &first_unscored_day(&app).await.to_string(),
            capped
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    // A member who joins the group now: the demo's meetings earned them nothing this quarter.
    let joined = app
        .post_json(
            "/api/v1/members",
            &json!({"org_id": group, "name": "赵新", "id_number": crate::development::id_number(901),
                    "category": "正式党员", "joined_on": "2020-07-01", "full_member_on": "2021-07-01"}),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let newcomer = joined.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let since = last_entry(&app).await;
    held_meeting(&app, &leader, &[newcomer]).await;
    held_meeting(&app, &leader, &[newcomer]).await;
    held_meeting(&app, &leader, &[newcomer]).await;
    let awarded: Vec<i64> = entries_after(&app, since)
        .await
        .into_iter()
        .filter(|e| e.member_id == newcomer)
        .map(|e| e.points)
        .collect();
    assert_eq!(awarded, vec![20, 10, 0]);

    // Study check-ins: +0.5 each, at most 10 a quarter (default rulebook, manual).
    let wrong = study(&leader, zhang, "3").await;
    assert_eq!(
        wrong.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "L01 is worth exactly 0.5"
    );
    let proposed = study(&leader, zhang, "0.5").await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let id = proposed.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let own = app
        .post_json(
            "/api/v1/points/proposals",
            &json!({"member_id": zhang, "item_code": "A01", "points": "5", "reason": "志愿服务"}),
        )
        .await;
    assert_eq!(own.status(), StatusCode::CREATED);
    let own_id = own.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let self_approval = app
        .post_json(
            &format!("/api/v1/points/proposals/{own_id}/decision"),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(self_approval.status(), StatusCode::FORBIDDEN);
    assert!(message(self_approval).await.contains("不能审批自己"));
    assert_eq!(
        leader
            .post_json(
                &format!("/api/v1/points/proposals/{id}/decision"),
                &json!({"approve": true})
            )
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "a group leader does not approve"
    );
    let approved = app
        .post_json(
            &format!("/api/v1/points/proposals/{id}/decision"),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(approved.status(), StatusCode::OK);
    let twice = app
        .post_json(
            &format!("/api/v1/points/proposals/{id}/decision"),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    for _ in 0..19 {
        let p = study(&leader, zhang, "0.5")
            .await
            .json::<Value>()
            .await
            .expect("json");
        let pid = p["id"].as_i64().expect("id");
        assert_eq!(
            app.post_json(
                &format!("/api/v1/points/proposals/{pid}/decision"),
                &json!({"approve": true})
            )
            .await
            .status(),
            StatusCode::OK
        );
    }
    let over = study(&leader, zhang, "0.5").await;
    assert_eq!(
        over.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the 21st check-in passes the cap of 10"
    );
    assert!(message(over).await.contains("最多还能计 0 分"));
    let study: i64 = entries(&app)
        .await
        .into_iter()
        .filter(|e| e.item_code == "L01")
        .map(|e| e.points)
        .sum();
    assert_eq!(study, 100);
}

async fn a_reversed_entry_is_a_new_entry_and_totals_follow(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let zhang = member_id(&app, "张伟").await;
    let member = signed_in(&app, MEMBER).await;
    let month = format!("?period={}", meeting_month());
    let start = card(&member, &month).await["period_points"]
        .as_i64()
        .expect("points");
    let since = last_entry(&app).await;
    held_meeting(&app, &leader, &[zhang]).await;
    let entry = entries_after(&app, since)
        .await
        .into_iter()
        .find(|e| e.member_id == zhang)
        .expect("entry");
    let reversed = app
        .post_json(
            &format!("/api/v1/points/entries/{}/reversal", entry.id),
            &json!({"reason": "误记出席"}),
        )
        .await;
    assert_eq!(reversed.status(), StatusCode::CREATED);
    let again = app
        .post_json(
            &format!("/api/v1/points/entries/{}/reversal", entry.id),
            &json!({"reason": "再次"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(
        member
            .post_json(
                &format!("/api/v1/points/entries/{}/reversal", entry.id),
                &json!({"reason": "x"})
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let mine = card(&member, &month).await;
    assert_eq!(
        mine["period_points"], start,
        "the reversal cancels the award"
    );
    let all = entries(&app).await;
    assert!(
        all.iter().any(|e| e.id == entry.id && e.points == 20),
        "the original stays as it was"
    );
    assert!(
        all.iter()
            .any(|e| e.reverses_entry_id == Some(entry.id) && e.points == -20)
    );
    assert!(!app.audit_actions("points_entry_reversed").await.is_empty());
}

async fn tampering_with_a_row_in_the_database_is_caught_by_verify(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let zhang = member_id(&app, "张伟").await;
    let since = last_entry(&app).await;
    held_meeting(&app, &leader, &[zhang]).await;
    let (_, clean) = app.get_json("/api/v1/points/verify").await;
    assert_eq!(clean["ok"], true, "{clean}");
    assert!(clean["entries"].as_i64().unwrap_or(0) > 1);
    let cli = |url: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dangjian"))
            .args(["ledger", "verify", "--database", url])
            .output()
            .expect("run")
    };
    assert_eq!(cli(&app.database_url).status.code(), Some(0));

    let target = entries_after(&app, since)
        .await
        .into_iter()
        .find(|e| e.member_id == zhang)
        .expect("entry");
    let mut handle = app.store.acquire().await.expect("connection");
    match handle.conn() {
        dangjian_store::Conn::Sqlite(c) => {
            sqlx::query("DROP TRIGGER points_entries_no_update")
                .execute(&mut *c)
                .await
                .expect("drop trigger");
            sqlx::query("UPDATE points_entries SET points = 200 WHERE id = $1")
                .bind(target.id)
                .execute(&mut *c)
                .await
                .expect("tamper");
        }
        dangjian_store::Conn::Postgres(c) => {
            sqlx::query("ALTER TABLE points_entries DISABLE TRIGGER points_entries_no_change")
                .execute(&mut *c)
                .await
                .expect("disable trigger");
            sqlx::query("UPDATE points_entries SET points = 200 WHERE id = $1")
                .bind(target.id)
                .execute(&mut *c)
                .await
                .expect("tamper");
        }
    }
    drop(handle);
    let (_, report) = app.get_json("/api/v1/points/verify").await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["first_broken"]["entry_id"], target.id, "{report}");
    assert_eq!(report["first_broken"]["seq"], target.seq);
    let page = app
        .get("/admin/points/verify")
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("发现第一处断链"));
    let output = cli(&app.database_url);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains(&format!("entry {}", target.id)));
    let member = signed_in(&app, MEMBER).await;
    assert_eq!(
        member.get_json("/api/v1/points/verify").await.0,
        StatusCode::FORBIDDEN
    );
}

async fn concurrent_appends_to_one_branch_never_fork_the_chain(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let zhang = member_id(&app, "张伟").await;
    let mut ids = Vec::new();
    for _ in 0..8 {
        let p = leader
            .post_json(
                "/api/v1/points/proposals",
                &json!({
                    "member_id": zhang,
                    "item_code": "A01",
                    "points": "3",
                    "reason": "志愿服务",
                }),
            )
            .await;
        ids.push(
            p.json::<Value>().await.expect("json")["id"]
                .as_i64()
                .expect("id"),
        );
    }
    let csrf = app.csrf().await;
    let approvals: Vec<_> = ids
        .iter()
        .map(|id| {
            let request = app
                .client
                .post(app.url(&format!("/api/v1/points/proposals/{id}/decision")))
                .header("x-csrf-token", csrf.clone())
                .json(&json!({"approve": true}));
            tokio::spawn(async move { request.send().await.expect("request").status() })
        })
        .collect();
    for approval in approvals {
        assert_eq!(approval.await.expect("task"), StatusCode::OK);
    }
    let (_, report) = app.get_json("/api/v1/points/verify").await;
    assert_eq!(report["ok"], true, "{report}");
    let branch_of_zhang = entries(&app)
        .await
        .into_iter()
        .rev()
        .find(|e| e.member_id == zhang)
        .expect("entry")
        .branch_id;
    let mut seqs: Vec<i64> = entries(&app)
        .await
        .into_iter()
        .filter(|e| e.branch_id == branch_of_zhang)
        .map(|e| e.seq)
        .collect();
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "one chain, no gaps, no forks"
    );
}

async fn ties_share_a_rank_on_leaderboards_and_cards(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let leader = signed_in(&app, GROUP_LEADER).await;
    let group = org_id(&app, "综合党小组").await;
    let zhang = member_id(&app, "张伟").await;
    let li = member_id(&app, "李红梅").await;
    // Three months back: the demo's history covers the last two, so only this meeting counts
    // and 张伟 and 李红梅 tie, whatever today is.
    let day = crate::helpers::today()
        .first_of_month()
        .saturating_sub(jiff::ToSpan::months(3));
    held_meeting_on(&app, &leader, &day.to_string(), &[zhang, li]).await;
    let month = day.strftime("%Y-%m").to_string();
    let (status, board) = app
        .get_json(&format!(
            "/api/v1/orgs/{group}/points/leaderboard?period={month}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let rows = board["rows"].as_array().expect("rows");
    assert_eq!(
        (rows[0]["rank"].as_i64(), rows[1]["rank"].as_i64()),
        (Some(1), Some(1)),
        "{board}"
    );
    assert_eq!(rows[2]["rank"], 3, "after a tie of two the next rank is 3");
    assert_eq!(rows[2]["points"], -50);
    let member = signed_in(&app, MEMBER).await;
    assert_eq!(
        card(&member, &format!("?period={month}")).await["group_rank"],
        1
    );
    let branch = org_id(&app, "站南派出所党支部").await;
    let (_, groups) = app
        .get_json(&format!(
            "/api/v1/orgs/{branch}/points/leaderboard?of=groups&period={month}"
        ))
        .await;
    assert!(
        groups["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .any(|g| g["name"] == "综合党小组" && g["members"].as_i64() > Some(0)),
        "{groups}"
    );
    let (bad, _) = app
        .get_json(&format!(
            "/api/v1/orgs/{group}/points/leaderboard?of=everyone"
        ))
        .await;
    assert_eq!(bad, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_secretary_publishes_a_quarterly_bulletin_to_the_members(backend: Backend) {
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
    let member = signed_in(&app, MEMBER).await;
    let path = format!("/api/v1/orgs/{branch}/points/bulletin?period={quarter}");
    assert_eq!(
        member.get_json(&path).await.0,
        StatusCode::FORBIDDEN,
        "not before it is published"
    );
    let (_, draft) = app.get_json(&path).await;
    assert!(
        draft["deductions"]
            .as_array()
            .expect("deductions")
            .iter()
            .any(|d| d["reason"].as_str().unwrap_or("").contains("无故缺席")),
        "{draft}"
    );
    // The biggest changes against the previous quarter, largest first.
    let changes = draft["changes"].as_array().expect("changes");
    assert!(
        !changes.is_empty(),
        "the meeting moved some members' points: {draft}"
    );
    let size = |c: &Value| {
        c["change_text"]
            .as_str()
            .expect("text")
            .trim_start_matches(['+', '-'])
            .parse::<f64>()
            .expect("number")
    };
    assert!(
        changes.windows(2).all(|w| size(&w[0]) >= size(&w[1])),
        "{draft}"
    );
    assert!(changes.iter().all(|c| size(c) > 0.0));
    assert!(
        draft["previous_label"]
            .as_str()
            .expect("label")
            .contains("季度")
    );
    let published = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/points/bulletin/publish"),
            &json!({"period": quarter}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::NO_CONTENT);
    let (status, seen) = member.get_json(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["published"], true);
    let (_, mine) = member.get_json("/api/v1/points/bulletins").await;
    assert_eq!(mine[0]["period"], quarter.as_str());
    let xlsx = member
        .get(&format!(
            "/api/v1/orgs/{branch}/points/bulletin/export?period={quarter}"
        ))
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(
        xlsx.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .contains("spreadsheetml")
    );
    let twice = app
        .post_json(
            &format!("/api/v1/orgs/{branch}/points/bulletin/publish"),
            &json!({"period": quarter}),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
}

/// The group leader proposes a study check-in (L01) for a member.
async fn study(leader: &TestApp, member: i64, points: &str) -> reqwest::Response {
    let body = json!({
        "member_id": member,
        "item_code": "L01",
        "points": points,
        "reason": "完成微课学习",
        "evidence": "截图",
    });
    leader.post_json("/api/v1/points/proposals", &body).await
}

on_both_backends!(
    attending_a_meeting_awards_points_once_even_when_replayed,
    rules_are_inherited_overridden_and_versioned_by_date,
    caps_stop_awards_and_proposals_need_another_approver,
    a_reversed_entry_is_a_new_entry_and_totals_follow,
    tampering_with_a_row_in_the_database_is_caught_by_verify,
    concurrent_appends_to_one_branch_never_fork_the_chain,
    ties_share_a_rank_on_leaderboards_and_cards,
    the_secretary_publishes_a_quarterly_bulletin_to_the_members
);
