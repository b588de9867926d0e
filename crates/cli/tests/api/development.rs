//! Member development through the real server: the whole journey from application to conversion,
//! extension, cancellation, and every bad input refused without changing anything.

use dangjian_domain::IdNumber;
use jiff::ToSpan;
use jiff::civil::Date;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

pub const BRANCH: &str = "站南派出所党支部";

/// A synthetic, valid ID number of someone born in 1998.
pub fn id_number(seq: u32) -> String {
    IdNumber::from_body(&format!("61050219980612{seq:03}"))
        .expect("valid body")
        .as_str()
        .to_string()
}

pub use crate::helpers::today;

fn iso(d: Date) -> String {
    d.to_string()
}

/// Two full members of the demo branch: contacts and sponsors.
async fn two_full_members(app: &TestApp) -> (i64, i64) {
    let (_, list) = app
        .get_json("/api/v1/members?category=full&status=normal&per_page=2")
        .await;
    let ids: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .collect();
    (ids[0], ids[1])
}

/// Registers an applicant in the demo branch; returns the id.
pub async fn register(app: &TestApp, name: &str, seq: u32, received: Date) -> i64 {
    let branch = org_id(app, BRANCH).await;
    let created = app
        .post_json(
            "/api/v1/development/applicants",
            &json!({
                "org_id": branch,
                "name": name,
                "id_number": id_number(seq),
                "received_on": iso(received),
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = created.json().await.expect("json");
    body["applicant"]["id"].as_i64().expect("id")
}

async fn step(app: &TestApp, id: i64, body: Value) -> (StatusCode, Value) {
    let response = app
        .post_json(&format!("/api/v1/development/applicants/{id}/steps"), &body)
        .await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn ok_step(app: &TestApp, id: i64, body: Value) -> Value {
    let (status, answer) = step(app, id, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}: {answer}");
    answer
}

fn vote() -> Value {
    json!({"expected_voters": 3, "present_voters": 3, "in_favour": 3})
}

/// Records steps 2 to 15 so that every rule holds, starting from the application on `applied`;
/// the admission vote is on `admitted`.
async fn admit(app: &TestApp, id: i64, applied: Date, admitted: Date) {
    let (a, b) = two_full_members(app).await;
    let d = |days: i64| iso(applied.saturating_add(days.days()));
    ok_step(app, id, json!({"step": 2, "date": d(10)})).await;
    ok_step(
        app,
        id,
        json!({"step": 3, "date": d(40), "note": "党员推荐"}),
    )
    .await;
    ok_step(app, id, json!({"step": 4, "date": d(45)})).await;
    let contacts = [a, b].map(|m| json!({"role": "contact", "member_id": m}));
    ok_step(
        app,
        id,
        json!({"step": 5, "date": d(45), "people": contacts}),
    )
    .await;
    ok_step(
        app,
        id,
        json!({"step": 6, "date": d(50), "evaluations": [d(200), d(380)]}),
    )
    .await;
    ok_step(app, id, json!({"step": 7, "date": d(410)})).await;
    ok_step(app, id, json!({"step": 8, "date": d(412)})).await;
    let sponsors = [a, b].map(|m| json!({"role": "sponsor", "member_id": m}));
    ok_step(
        app,
        id,
        json!({"step": 9, "date": d(412), "people": sponsors}),
    )
    .await;
    ok_step(
        app,
        id,
        json!({"step": 10, "date": d(420), "documents": ["政审结论"]}),
    )
    .await;
    ok_step(
        app,
        id,
        json!({"step": 11, "date": d(425), "class_hours": 24}),
    )
    .await;
    for (n, days) in [(12, 430), (13, 435), (14, 440)] {
        ok_step(app, id, json!({"step": n, "date": d(days)})).await;
    }
    ok_step(
        app,
        id,
        json!({"step": 15, "date": iso(admitted), "vote": vote()}),
    )
    .await;
}

/// The roster entry of the person with this name (the test gives each a distinct one).
async fn roster_entry(app: &TestApp, name: &str) -> Value {
    let (_, list) = app.get_json(&format!("/api/v1/members?q={name}")).await;
    assert_eq!(list["total"], 1, "{list}");
    list["items"][0].clone()
}

async fn an_applicant_goes_from_application_to_full_member(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let applied = today().saturating_sub(1000.days());
    let id = register(&app, "申请人甲", 1, applied).await;
    let admitted = applied.saturating_add(450.days());
    admit(&app, id, applied, admitted).await;

    let member = roster_entry(&app, "申请人甲").await;
    assert_eq!(member["name"], "申请人甲");
    assert_eq!(
        member["category"], "probationary",
        "admitted as a probationary member"
    );
    assert_eq!(
        member["joined_on"],
        iso(admitted),
        "the join date is the day of the vote"
    );

    let d = |days: i64| iso(admitted.saturating_add(days.days()));
    ok_step(&app, id, json!({"step": 16, "date": d(10)})).await;
    ok_step(&app, id, json!({"step": 17, "date": d(60)})).await;
    for n in [18, 19, 20, 21] {
        ok_step(&app, id, json!({"step": n, "date": d(70)})).await;
    }
    let end = admitted.saturating_add(1.year());
    ok_step(
        &app,
        id,
        json!({"step": 22, "date": iso(end.saturating_sub(10.days()))}),
    )
    .await;
    ok_step(
        &app,
        id,
        json!({"step": 23, "date": iso(end), "vote": vote()}),
    )
    .await;
    ok_step(
        &app,
        id,
        json!({"step": 24, "date": iso(end.saturating_add(30.days()))}),
    )
    .await;
    let member = roster_entry(&app, "申请人甲").await;
    assert_eq!(member["category"], "full");
    assert_eq!(
        member["full_member_on"],
        iso(end),
        "the conversion date is the end of probation"
    );
    let done = ok_step(
        &app,
        id,
        json!({"step": 25, "date": iso(end.saturating_add(40.days()))}),
    )
    .await;
    assert_eq!(done["applicant"]["status"], "completed");
    assert_eq!(done["applicant"]["standing"], "已转正");
    assert_eq!(done["violations"], json!([]), "a clean file");
    assert_eq!(done["steps"].as_array().map(Vec::len), Some(25));

    let page = app
        .get(&format!("/development/applicants/{id}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains("材料归档") && page.contains("打印材料摘要"),
        "the timeline is the file summary"
    );
    let members_audit = app.audit_actions("member_converted").await;
    assert_eq!(members_audit.len(), 1);
    assert_eq!(app.audit_actions("development_step").await.len(), 24);
}

async fn a_probation_extended_once_moves_the_conversion(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let applied = today().saturating_sub(900.days());
    let id = register(&app, "申请人乙", 2, applied).await;
    let admitted = today().saturating_sub(400.days());
    admit(&app, id, applied, admitted).await;
    let end = admitted.saturating_add(1.year());
    let url = format!("/api/v1/development/applicants/{id}/extension");
    let short = app
        .post_json(
            &url,
            &json!({"date": iso(end), "months": 5, "vote": vote()}),
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = short.json::<Value>().await.expect("json")["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("不少于半年、不超过一年"), "{message}");
    let extended = app
        .post_json(
            &url,
            &json!({
                "date": iso(end),
                "months": 6,
                "vote": vote(),
                "reason": "考察期间表现需继续考察",
            }),
        )
        .await;
    assert_eq!(extended.status(), StatusCode::CREATED);
    let detail: Value = extended.json().await.expect("json");
    let new_end = end.saturating_add(6.months());
    assert_eq!(detail["probation_ends"], iso(new_end));
    let again = app
        .post_json(
            &url,
            &json!({"date": iso(end), "months": 6, "vote": vote()}),
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "a probation is extended only once"
    );
    // The conversion vote now has to wait for the extended end.
    let d = |days: i64| iso(admitted.saturating_add(days.days()));
    ok_step(&app, id, json!({"step": 16, "date": d(10)})).await;
    ok_step(&app, id, json!({"step": 17, "date": d(60)})).await;
    ok_step(&app, id, json!({"step": 22, "date": iso(today())})).await;
    let (status, refused) = step(
        &app,
        id,
        json!({"step": 23, "date": iso(today()), "vote": vote()}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let expected = format!("预备期未满，最早可于 {new_end}（预备期满）讨论转正");
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or("")
            .contains(&expected),
        "{refused}"
    );
    assert_eq!(
        roster_entry(&app, "申请人乙").await["category"],
        "probationary"
    );
    assert_eq!(
        app.audit_actions("probation_extended").await.len(),
        2,
        "on the file and on the member"
    );
}

async fn a_cancelled_probation_ends_the_pipeline_and_the_membership(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let applied = today().saturating_sub(700.days());
    let id = register(&app, "申请人丙", 3, applied).await;
    let admitted = today().saturating_sub(100.days());
    admit(&app, id, applied, admitted).await;
    let url = format!("/api/v1/development/applicants/{id}/cancellation");
    let unvoted = app.post_json(&url, &json!({"date": iso(today())})).await;
    assert_eq!(
        unvoted.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the branch assembly must vote"
    );
    let cancelled = app
        .post_json(
            &url,
            &json!({"date": iso(today()), "vote": vote(), "reason": "不具备党员条件"}),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::CREATED);
    let detail: Value = cancelled.json().await.expect("json");
    assert_eq!(detail["applicant"]["status"], "cancelled");
    assert_eq!(detail["applicant"]["standing"], "已取消预备党员资格");
    let member = roster_entry(&app, "申请人丙").await;
    assert_eq!(
        member["status"], "left",
        "no longer on the active roster; history kept"
    );
    let (status, _) = step(&app, id, json!({"step": 16, "date": iso(today())})).await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing more can be recorded");
    let (_, board) = app
        .get_json(&format!(
            "/api/v1/orgs/{}/development",
            org_id(&app, BRANCH).await
        ))
        .await;
    assert!(
        !board.to_string().contains("申请人丙"),
        "the dashboard shows only people in the pipeline"
    );
}

async fn bad_input_is_refused_in_chinese_and_changes_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let applied = today().saturating_sub(30.days());
    let id = register(&app, "申请人丁", 4, applied).await;
    let steps_now = |detail: &Value| detail["steps"].as_array().map(Vec::len);

    let (status, out_of_order) = step(&app, id, json!({"step": 3, "date": iso(today())})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        out_of_order["message"]
            .as_str()
            .unwrap_or("")
            .contains("须先记录第 2 步「党组织派人谈话」"),
        "{out_of_order}"
    );
    let tomorrow = today().saturating_add(1.day());
    let (status, future) = step(&app, id, json!({"step": 2, "date": iso(tomorrow)})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        future["message"]
            .as_str()
            .unwrap_or("")
            .contains("不能记录将来的日期"),
        "{future}"
    );
    let (status, before_birth) = step(&app, id, json!({"step": 2, "date": "1990-01-01"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        before_birth["message"]
            .as_str()
            .unwrap_or("")
            .contains("早于出生日期（1998-06-12）"),
        "{before_birth}"
    );
    let (status, bad_date) = step(&app, id, json!({"step": 2, "date": "2026-02-30"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_date["message"]
            .as_str()
            .unwrap_or("")
            .contains("日期格式")
    );
    let (status, _) = step(&app, id, json!({"step": 26, "date": iso(today())})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, detail) = app
        .get_json(&format!("/api/v1/development/applicants/{id}"))
        .await;
    assert_eq!(
        steps_now(&detail),
        Some(1),
        "only the application is recorded"
    );

    let branch = org_id(&app, BRANCH).await;
    let twice = app
        .post_json(
            "/api/v1/development/applicants",
            &json!({
                "org_id": branch,
                "name": "申请人丁",
                "id_number": id_number(4),
                "received_on": iso(today()),
            }),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let message = twice.json::<Value>().await.expect("json")["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("同一人不能同时在两个流程中"), "{message}");

    let (_, roster) = app.get_json("/api/v1/members?q=张伟").await;
    let member = roster["items"][0]["id"].as_i64().expect("id");
    let secret = app
        .post_json(
            &format!("/api/v1/members/{member}/reveal-id-number"),
            &json!({}),
        )
        .await;
    let secret: Value = secret.json().await.expect("json");
    let existing = secret["id_number"].as_str().expect("revealed").to_string();
    let member_applies = app
        .post_json(
            "/api/v1/development/applicants",
            &json!({
                "org_id": branch,
                "name": "张伟",
                "id_number": existing,
                "received_on": iso(today()),
            }),
        )
        .await;
    assert_eq!(member_applies.status(), StatusCode::CONFLICT);
    let message = member_applies.json::<Value>().await.expect("json")["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("已在党员花名册中"), "{message}");

    let young = app.post_json("/api/v1/development/applicants", &json!({
        "org_id": branch,
        "name": "少年",
        "id_number": IdNumber::from_body(&format!("610502{}001", today().saturating_sub(17.years()).strftime("%Y%m%d"))).expect("id").as_str(),
        "received_on": iso(today()),
    })).await;
    assert_eq!(young.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = young.json::<Value>().await.expect("json")["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("须年满 18 周岁，最早可于"), "{message}");
}

async fn a_premature_step_is_refused_with_its_earliest_date_unless_recorded_as_a_deviation(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let applied = today().saturating_sub(300.days());
    let id = register(&app, "申请人戊", 5, applied).await;
    let (a, b) = two_full_members(&app).await;
    let activist = applied.saturating_add(20.days());
    ok_step(
        &app,
        id,
        json!({"step": 2, "date": iso(applied.saturating_add(5.days()))}),
    )
    .await;
    ok_step(&app, id, json!({"step": 3, "date": iso(activist)})).await;
    ok_step(&app, id, json!({"step": 4, "date": iso(activist)})).await;
    ok_step(
        &app,
        id,
        json!({
            "step": 5,
            "date": iso(activist),
            "people": [{"role": "contact", "member_id": a}, {"role": "contact", "member_id": b}],
        }),
    )
    .await;
    ok_step(
        &app,
        id,
        json!({
            "step": 6,
            "date": iso(activist),
            "evaluations": [iso(activist.saturating_add(150.days()))],
        }),
    )
    .await;
    let (status, refused) = step(&app, id, json!({"step": 7, "date": iso(today())})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let earliest = activist.saturating_add(1.year());
    let expected = format!("成为入党积极分子未满一年，最早可于 {earliest} 确定为发展对象");
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or("")
            .contains(&expected),
        "{refused}"
    );

    let recorded = ok_step(
        &app,
        id,
        json!({"step": 7, "date": iso(today()), "deviation_reason": "补录 2019 年历史档案"}),
    )
    .await;
    let seventh = &recorded["steps"][6];
    assert_eq!(seventh["deviation_reason"], "补录 2019 年历史档案");
    assert!(
        seventh["deviation"]
            .as_str()
            .unwrap_or("")
            .contains("未满一年")
    );
    assert_eq!(recorded["applicant"]["has_deviation"], true);
    let audit = app.audit_actions("development_deviation").await;
    assert_eq!(audit.len(), 1);
    let page = app
        .get(&format!("/development/applicants/{id}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        page.contains("已知偏差") && page.contains("补录 2019 年历史档案"),
        "shown on the timeline"
    );

    let member_session = app.new_browser();
    member_session.login(MEMBER, PASSWORD).await;
    let (status, _) = step(
        &member_session,
        id,
        json!({"step": 8, "date": iso(today())}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an ordinary member cannot record"
    );
}

async fn the_dashboard_puts_an_overdue_talk_on_top(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let late = today().saturating_sub(45.days());
    register(&app, "申请人己", 6, late).await;
    register(&app, "申请人庚", 7, today()).await;
    let branch = org_id(&app, BRANCH).await;
    let (status, board) = app
        .get_json(&format!("/api/v1/orgs/{branch}/development"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(board["alerts"][0]["name"], "申请人己");
    assert_eq!(board["alerts"][0]["overdue"], true);
    let due = late.saturating_add(1.month());
    assert_eq!(
        board["alerts"][0]["message"],
        format!("第 2 步「党组织派人谈话」最晚应于 {due}")
    );
    assert_eq!(
        board["stages"][0]["applicants"].as_array().map(Vec::len),
        Some(2)
    );
    let admin = app.new_browser();
    admin.login(ADMIN, PASSWORD).await;
    let committee = org_id(&admin, "临渭公安分局党委").await;
    let (_, above) = admin
        .get_json(&format!("/api/v1/orgs/{committee}/development"))
        .await;
    assert_eq!(
        above["stages"][0]["applicants"].as_array().map(Vec::len),
        Some(2),
        "a committee sees its branches' applicants"
    );
    let group = org_id(&app, "综合党小组").await;
    let (_, of_group) = app
        .get_json(&format!("/api/v1/orgs/{group}/development"))
        .await;
    assert_eq!(
        of_group["stages"][0]["applicants"].as_array().map(Vec::len),
        Some(2),
        "a group shows its branch's pipeline"
    );
    let page = app
        .get(&format!("/orgs/{branch}/development"))
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("逾期") && page.contains("申请人己"));
    let org_page = app
        .get(&format!("/orgs/{branch}"))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        org_page.contains(&format!("/orgs/{branch}/development")),
        "linked from the org page"
    );
}

async fn the_forms_register_an_applicant_and_refuse_a_step_on_the_page(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, BRANCH).await;
    let form = app.get(&format!("/orgs/{branch}/development/new")).await;
    assert_eq!(form.status(), StatusCode::OK);
    let path = format!("/orgs/{branch}/development/new");
    let bad = app
        .post_form(
            &path,
            &[
                ("name", "申请人壬"),
                ("id_number", "610502199806120000"),
                ("received_on", &iso(today())),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.expect("page");
    assert!(
        page.contains("请修改以下内容") && page.contains("身份证号"),
        "the form comes back with the problem"
    );
    let id_number = id_number(31);
    let good = app
        .post_form(
            &path,
            &[
                ("name", "申请人壬"),
                ("id_number", &id_number),
                ("received_on", &iso(today())),
            ],
        )
        .await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let timeline = location(&good);
    assert!(
        timeline.starts_with("/development/applicants/"),
        "{timeline}"
    );
    let id = timeline
        .trim_start_matches("/development/applicants/")
        .split('?')
        .next()
        .unwrap_or("");
    let refused = app
        .post_form(
            &format!("/development/applicants/{id}/steps"),
            &[("step", "3"), ("date", &iso(today()))],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.expect("page");
    assert!(
        page.contains("须先记录第 2 步「党组织派人谈话」"),
        "the refusal is shown on the timeline"
    );
    let talk = app
        .post_form(
            &format!("/development/applicants/{id}/steps"),
            &[
                ("step", "2"),
                ("date", &iso(today())),
                ("others", "支部组织委员"),
            ],
        )
        .await;
    assert_eq!(talk.status(), StatusCode::SEE_OTHER);
    let page = app.get(&location(&talk)).await.text().await.expect("page");
    assert!(
        page.contains("已记录") && page.contains("支部组织委员（其他）"),
        "{page}"
    );
}

async fn the_check_endpoint_uses_the_same_checker(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let file = json!({"birth_date": "2001-06-30", "steps": [
        {"step": 1, "date": "2025-01-31"}, {"step": 2, "date": "2025-03-01"}]});
    let checked = app.post_json("/api/v1/development/check", &file).await;
    assert_eq!(checked.status(), StatusCode::OK);
    let body: Value = checked.json().await.expect("json");
    assert_eq!(body["clean"], false);
    assert_eq!(
        body["lines"],
        json!(["step 2: 党组织应在收到入党申请书后一个月内派人谈话，最晚应于 2025-02-28"])
    );
    let bad = app
        .post_json("/api/v1/development/check", &json!({"steps": []}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

on_both_backends!(
    an_applicant_goes_from_application_to_full_member,
    a_probation_extended_once_moves_the_conversion,
    a_cancelled_probation_ends_the_pipeline_and_the_membership,
    bad_input_is_refused_in_chinese_and_changes_nothing,
    a_premature_step_is_refused_with_its_earliest_date_unless_recorded_as_a_deviation,
    the_dashboard_puts_an_overdue_talk_on_top,
    the_forms_register_an_applicant_and_refuse_a_step_on_the_page,
    the_check_endpoint_uses_the_same_checker
);
