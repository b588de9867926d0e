//! Roster files: the import template, importing .xlsx and .csv (all or nothing, every problem
//! reported), exporting with and without masking, the round trip, and the command line.

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use dangjian_domain::id_number::IdNumber;
use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

pub(crate) const HEADER: [&str; 18] = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "手机号",
    "学历",
    "职务",
    "工作单位",
    "党员类别",
    "入党日期",
    "转正日期",
    "党籍状态",
    "流动党员",
    "领导干部",
    "离退休",
    "困难党员",
    "所在党小组",
];

/// A valid synthetic ID number born on `birth` (YYYYMMDD) with sequence `seq` (odd: a man).
fn id_number(birth: &str, seq: u32) -> String {
    IdNumber::from_body(&format!("610502{birth}{seq:03}"))
        .expect("valid body")
        .as_str()
        .to_string()
}

/// A roster row: name, ID number, group; the rest filled in plausibly.
fn member_row(name: &str, id: &str, group: &str) -> Vec<String> {
    let mut row = vec![String::new(); HEADER.len()];
    row[0] = name.into();
    row[4] = id.into();
    row[5] = "13912345678".into();
    row[6] = "大学本科".into();
    row[7] = "民警".into();
    row[8] = "站南派出所".into();
    row[9] = "正式党员".into();
    row[10] = "2015-07-01".into();
    row[11] = "2016-07-01".into();
    row[13] = "否".into();
    row[14] = "Y".into();
    row[17] = group.into();
    row
}

fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, label) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *label).expect("write");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, cell)
                .expect("write");
        }
    }
    workbook.save_to_buffer().expect("xlsx")
}

/// The cells of the roster sheet of an .xlsx, as text.
fn sheet_of(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an xlsx workbook");
    let range = workbook
        .worksheet_range("党员花名册")
        .expect("roster sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn upload(app: &TestApp, path: &str, org: i64, name: &str, bytes: Vec<u8>) -> Response {
    let form = Form::new()
        .text("org_id", org.to_string())
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    app.client
        .post(app.url(path))
        .header("x-csrf-token", app.csrf().await)
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn export(app: &TestApp, query: &str) -> Response {
    app.client
        .post(app.url(&format!("/api/v1/members/export?{query}")))
        .header("x-csrf-token", app.csrf().await)
        .send()
        .await
        .expect("export")
}

async fn roster_total(app: &TestApp, query: &str) -> i64 {
    let (status, list) = app.get_json(&format!("/api/v1/members?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["total"].as_i64().expect("total")
}

async fn full_id_number_of(app: &TestApp, name: &str) -> String {
    let (_, list) = app.get_json(&format!("/api/v1/members?q={name}")).await;
    let id = list["items"][0]["id"].as_i64().expect("member");
    let revealed = app
        .post_json(
            &format!("/api/v1/members/{id}/reveal-id-number"),
            &json!({}),
        )
        .await;
    revealed.json::<Value>().await.expect("json")["id_number"]
        .as_str()
        .expect("id number")
        .to_string()
}

fn find<'a>(errors: &'a [Value], row: i64, column: &str) -> &'a Value {
    errors
        .iter()
        .find(|e| e["row"] == row && e["column"] == column)
        .unwrap_or_else(|| panic!("no error at row {row}, {column}: {errors:?}"))
}

async fn a_file_with_bad_rows_reports_every_problem_and_imports_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let on_roster = full_id_number_of(&app, "张伟").await;
    let good = id_number("19900307", 123);
    let rows = vec![
        member_row("韩梅", &good, "刑侦党小组"),
        member_row("校验错", "610502199003071234", ""),
        member_row("", &id_number("19850101", 211), ""),
        member_row("重复者", &good, ""),
        member_row("已在册", &on_roster, ""),
        member_row("无此组", &id_number("19800505", 311), "不存在党小组"),
    ];
    let before = roster_total(&app, "").await;
    let response = upload(
        &app,
        "/api/v1/members/import",
        branch,
        "花名册.xlsx",
        xlsx(&rows),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], "invalid");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("未导入任何数据"),
        "{body}"
    );
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 5, "one problem per bad row: {errors:?}");
    assert_eq!(body["total_errors"], 5);
    // Rows are looked up in batches; the report still lists them in file order.
    let listed: Vec<i64> = errors.iter().filter_map(|e| e["row"].as_i64()).collect();
    assert_eq!(listed, vec![3, 4, 5, 6, 7]);
    let checksum = find(errors, 3, "身份证号");
    assert_eq!(checksum["value"], "610502199003071234");
    assert!(
        checksum["message"].as_str().expect("m").contains("校验位"),
        "{checksum}"
    );
    assert!(
        find(errors, 4, "姓名")["message"]
            .as_str()
            .expect("m")
            .contains("请填写姓名")
    );
    assert!(
        find(errors, 5, "身份证号")["message"]
            .as_str()
            .expect("m")
            .contains("第 2 行")
    );
    assert!(
        find(errors, 6, "身份证号")["message"]
            .as_str()
            .expect("m")
            .contains("已在花名册中")
    );
    let group = find(errors, 7, "所在党小组");
    assert_eq!(group["value"], "不存在党小组");
    assert!(
        group["message"].as_str().expect("m").contains("刑侦党小组"),
        "names the groups there are"
    );

    assert_eq!(
        roster_total(&app, "").await,
        before,
        "nothing written, not even the good row"
    );
    assert!(app.audit_actions("members_imported").await.is_empty());

    // The page shows the same report as a table in the result box.
    let page = upload(&app, "/members/import", branch, "花名册.xlsx", xlsx(&rows)).await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.headers().contains_key("x-fragment"));
    let html = page.text().await.expect("html");
    assert!(
        html.contains("第 7 行") && html.contains("不存在党小组") && html.contains("<table"),
        "{html}"
    );
    assert_eq!(roster_total(&app, "").await, before);
}

async fn a_good_file_imports_every_row_into_the_named_groups(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let criminal = org_id(&app, "刑侦党小组").await;
    let before = roster_total(&app, "").await;
    // One cell holds a real Excel date rather than text.
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, label) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *label).expect("write");
    }
    let rows = [
        member_row("韩梅", &id_number("19900307", 123), "刑侦党小组"),
        member_row("李雷", &id_number("19920412", 135), "刑侦党小组"),
        member_row("王芳", &id_number("19880820", 246), ""),
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, cell)
                .expect("write");
        }
    }
    let joined = ExcelDateTime::from_ymd(2014, 6, 30).expect("date");
    sheet
        .write_datetime_with_format(3, 10, &joined, &Format::new().set_num_format("yyyy/m/d"))
        .expect("write");
    sheet.write_string(3, 11, "2015-06-30").expect("write");
    let response = upload(
        &app,
        "/api/v1/members/import",
        branch,
        "roster.xlsx",
        workbook.save_to_buffer().expect("xlsx"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.expect("json")["imported"], 3);
    assert_eq!(roster_total(&app, "").await, before + 3);
    let (_, in_group) = app
        .get_json(&format!("/api/v1/members?org_id={criminal}&q=韩梅"))
        .await;
    assert_eq!(
        in_group["total"], 1,
        "placed in the group named in the file"
    );
    let han = &in_group["items"][0];
    assert_eq!(han["is_leading_cadre"], true, "Y reads as yes");
    assert_eq!(han["is_mobile"], false);
    assert_eq!(han["birth_date"], "1990-03-07");
    let (_, wang) = app.get_json("/api/v1/members?q=王芳").await;
    assert_eq!(
        wang["items"][0]["group_id"],
        Value::Null,
        "an empty group cell: the branch itself"
    );
    assert_eq!(
        wang["items"][0]["joined_on"], "2014-06-30",
        "an Excel date cell"
    );
    assert_eq!(wang["items"][0]["gender"], "女");
    let audit = app.audit_actions("members_imported").await;
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0]["summary"]
            .as_str()
            .expect("summary")
            .contains("3 名")
    );
}

async fn a_csv_file_imports_into_a_group(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = org_id(&app, "综合党小组").await;
    let before = roster_total(&app, &format!("org_id={group}")).await;
    let csv = format!(
        "\u{feff}序号,姓名,身份证号,党员类别,入党日期,转正日期,手机号,流动党员,所在党小组\n\
         1,赵敏,{},正式党员,2010/7/1,2011/7/1,139 1234 5678,是,综合党小组\n\
         2,\"钱, 多多\",{},预备党员,2025-07-01,,,0,\n",
        id_number("19860215", 117),
        id_number("19990909", 228),
    );
    let response = upload(
        &app,
        "/api/v1/members/import",
        group,
        "名单.csv",
        csv.into_bytes(),
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{:?}",
        response.text().await
    );
    assert_eq!(
        roster_total(&app, &format!("org_id={group}")).await,
        before + 2
    );
    let (_, zhao) = app.get_json("/api/v1/members?q=赵敏").await;
    assert_eq!(zhao["items"][0]["is_mobile"], true);
    assert_eq!(zhao["items"][0]["joined_on"], "2010-07-01");

    let text = format!(
        "姓名,身份证号,党员类别,入党日期,所在党小组\n孙悟,{},正式党员,1999-07-01,刑侦党小组\n",
        id_number("19770707", 339)
    );
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let wrong_group = upload(
        &app,
        "/api/v1/members/import",
        group,
        "gbk.csv",
        gbk.into_owned(),
    )
    .await;
    assert_eq!(wrong_group.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = wrong_group.json().await.expect("json");
    assert_eq!(
        body["errors"][0]["value"], "刑侦党小组",
        "GB18030 decoded: {body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .expect("m")
            .contains("综合党小组")
    );
}

async fn an_unmasked_export_imports_into_an_empty_database_as_the_same_roster(backend: Backend) {
    let source = spawn_demo(backend).await;
    source.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&source, "站南派出所党支部").await;
    let response = export(&source, &format!("org_id={branch}&unmasked=true")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("type")
            .contains("spreadsheetml")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("cd")
            .contains("filename*=UTF-8''")
    );
    let exported = response.bytes().await.expect("bytes").to_vec();
    let original = sheet_of(&exported);
    assert_eq!(original[0], HEADER);
    assert_eq!(original.len(), 28, "the header and 27 members");
    let audit = source.audit_actions("members_exported").await;
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0]["summary"]
            .as_str()
            .expect("s")
            .contains("完整身份证号"),
        "an unmasked export says so"
    );

    let target = spawn_empty(backend).await;
    let setup = target
        .post_form(
            "/setup",
            &[
                ("org_name", "新党委"),
                ("admin_name", "周九"),
                ("phone", "13700000000"),
                ("password", "setup2026"),
                ("password_again", "setup2026"),
            ],
        )
        .await;
    assert_eq!(setup.status(), StatusCode::SEE_OTHER);
    target.login("13700000000", "setup2026").await;
    let committee = org_id(&target, "新党委").await;
    let created = target
        .post_json(
            "/api/v1/orgs",
            &json!({"parent_id": committee, "kind": "branch", "name": "新支部"}),
        )
        .await;
    let new_branch = created.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    for name in ["综合党小组", "刑侦党小组", "治安党小组"] {
        let group = target
            .post_json(
                "/api/v1/orgs",
                &json!({"parent_id": new_branch, "kind": "group", "name": name}),
            )
            .await;
        assert_eq!(group.status(), StatusCode::CREATED);
    }
    let imported = upload(
        &target,
        "/api/v1/members/import",
        new_branch,
        "export.xlsx",
        exported,
    )
    .await;
    assert_eq!(imported.status(), StatusCode::OK);
    assert_eq!(
        imported.json::<Value>().await.expect("json")["imported"],
        27
    );

    let again = export(&target, &format!("org_id={new_branch}&unmasked=true")).await;
    let round_tripped = sheet_of(&again.bytes().await.expect("bytes"));
    assert_eq!(
        round_tripped, original,
        "same names, ID numbers, categories, dates, flags and groups"
    );
}

async fn exports_follow_the_role_and_masked_ones_hide_id_numbers(backend: Backend) {
    let app = spawn_demo(backend).await;
    let member = app.new_browser();
    member.login(MEMBER, PASSWORD).await;
    assert_eq!(export(&member, "").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        member.get("/api/v1/members/import-template").await.status(),
        StatusCode::FORBIDDEN
    );

    let leader = app.new_browser();
    leader.login(GROUP_LEADER, PASSWORD).await;
    let masked = export(&leader, "").await;
    assert_eq!(masked.status(), StatusCode::OK);
    let rows = sheet_of(&masked.bytes().await.expect("bytes"));
    assert_eq!(rows.len(), 11, "the header and the leader's group of 10");
    for row in &rows[1..] {
        assert_eq!(&row[4][3..14], "***********", "ID numbers masked: {row:?}");
        assert!(
            row[5].is_empty() || row[5].contains("****"),
            "phones masked: {row:?}"
        );
    }
    assert_eq!(
        export(&leader, "unmasked=true").await.status(),
        StatusCode::FORBIDDEN
    );
    let page = leader.get("/members").await.text().await.expect("html");
    assert!(
        page.contains("/members/export") && !page.contains("/members/import-template"),
        "a leader may export but not import"
    );

    app.login(SECRETARY, PASSWORD).await;
    let page = app.get("/members").await.text().await.expect("html");
    assert!(
        page.contains("/members/import-template")
            && page.contains("hx-encoding=\"multipart/form-data\"")
    );
    let template = app.get("/members/import-template").await;
    assert_eq!(template.status(), StatusCode::OK);
    assert_eq!(
        sheet_of(&template.bytes().await.expect("bytes")),
        vec![HEADER.map(String::from).to_vec()]
    );
    let branch = org_id(&app, "站南派出所党支部").await;
    let download = app
        .post_form("/members/export", &[("org_id", &branch.to_string())])
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["cache-control"], "no-store");
    let rows = sheet_of(&download.bytes().await.expect("bytes"));
    assert_eq!(rows.len(), 28);
    assert!(
        rows[1..].iter().all(|r| r[4].contains('*')),
        "masked unless asked for"
    );
    let audit = app.audit_actions("members_exported").await;
    assert_eq!(audit.len(), 2, "every export is audited");
}

async fn roster_count(handle: &mut dangjian_store::Handle) -> i64 {
    let filter = dangjian_store::members::MemberFilter::default();
    let page = dangjian_store::PageRequest {
        offset: 0,
        limit: 1,
    };
    dangjian_store::members::members(handle.conn(), &filter, page)
        .await
        .expect("members")
        .1
}

fn dangjian(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(args)
        .env_remove("DANGJIAN_DATABASE")
        .env_remove("DANGJIAN_CONFIG")
        .output()
        .expect("run dangjian")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_import_reports_problems_with_exit_2_or_imports() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("dj.db").display());
    assert!(dangjian(&["demo", "--database", &url]).status.success());
    let store = dangjian_store::Store::connect(&url, &Default::default())
        .await
        .expect("connect");
    let mut handle = store.acquire().await.expect("conn");
    let orgs = dangjian_store::orgs::all_orgs(handle.conn())
        .await
        .expect("orgs");
    let branch = orgs
        .iter()
        .find(|o| o.name == "站南派出所党支部")
        .expect("branch")
        .id
        .to_string();
    let before = roster_count(&mut handle).await;

    let bad = dir.path().join("bad.xlsx");
    std::fs::write(
        &bad,
        xlsx(&[
            member_row("好人", &id_number("19900307", 123), ""),
            member_row("", "610502199003071234", "无此组"),
        ]),
    )
    .expect("write");
    let output = dangjian(&[
        "import",
        "members",
        bad.to_str().expect("path"),
        "--into",
        &branch,
        "--database",
        &url,
    ]);
    assert_eq!(output.status.code(), Some(2));
    let report = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "第 3 行\t姓名",
        "第 3 行\t身份证号\t610502199003071234",
        "第 3 行\t所在党小组\t无此组",
    ] {
        assert!(
            report.contains(expected),
            "{expected} missing in:\n{report}"
        );
    }
    assert!(String::from_utf8_lossy(&output.stderr).contains("未导入任何数据"));
    assert_eq!(roster_count(&mut handle).await, before, "nothing written");

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!(
            "姓名,身份证号,党员类别,入党日期,所在党小组\n好人,{},正式党员,2012-07-01,治安党小组\n另一人,{},预备党员,2025-12-01,\n",
            id_number("19900307", 123),
            id_number("19950101", 224)
        ),
    )
    .expect("write");
    let output = dangjian(&[
        "import",
        "members",
        good.to_str().expect("path"),
        "--into",
        &branch,
        "--database",
        &url,
    ]);
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("已导入 2 名党员"));
    assert_eq!(roster_count(&mut handle).await, before + 2);

    let exported = dir.path().join("out.xlsx");
    let output = dangjian(&[
        "export",
        "members",
        "--from",
        &branch,
        "--to",
        exported.to_str().expect("path"),
        "--database",
        &url,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = sheet_of(&std::fs::read(&exported).expect("read"));
    assert!(rows.iter().any(|r| r[0] == "好人" && r[17] == "治安党小组"));
    drop(handle);
    store.close().await;
}

on_both_backends!(
    a_file_with_bad_rows_reports_every_problem_and_imports_nothing,
    a_good_file_imports_every_row_into_the_named_groups,
    a_csv_file_imports_into_a_group,
    an_unmasked_export_imports_into_an_empty_database_as_the_same_roster,
    exports_follow_the_role_and_masked_ones_hide_id_numbers
);
