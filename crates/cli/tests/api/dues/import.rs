//! Bulk entry from .xlsx: all rows or none, every problem listed by row and column.

use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use rust_xlsxwriter::Workbook;
use serde_json::Value;

use super::*;
use crate::helpers::*;
use crate::on_both_backends;

pub(super) fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("cell");
        }
    }
    book.save_to_buffer().expect("workbook")
}

pub(super) async fn upload(app: &TestApp, kind: &str, org: i64, bytes: Vec<u8>) -> Response {
    let form = Form::new()
        .text("org_id", org.to_string())
        .part("file", Part::bytes(bytes).file_name("党费.xlsx"));
    app.client
        .post(app.url(&format!("/api/v1/dues/import?kind={kind}")))
        .header("x-csrf-token", app.csrf().await)
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn id_number(app: &TestApp, member: i64) -> String {
    let mut handle = app.store.acquire().await.expect("connection");
    dangjian_store::members::member_by_id(handle.conn(), member)
        .await
        .expect("member")
        .expect("exists")
        .id_number
}

async fn a_years_bases_and_a_months_payments_import_all_or_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let group = crate::orgs::org_id(&app, "综合党小组").await;
    let zhang = member_id(&app, "张伟").await;
    let li = member_id(&app, "李红梅").await;
    let (zhang_id, li_id) = (id_number(&app, zhang).await, id_number(&app, li).await);

    let template = app.get("/api/v1/dues/import-template?kind=bases").await;
    assert_eq!(template.status(), StatusCode::OK);

    let bad = xlsx(&[
        vec!["2026 年党费基数"],
        vec![
            "姓名",
            "身份证号",
            "党费类别",
            "月基数",
            "生效月份",
            "调整原因",
        ],
        vec!["张伟", &zhang_id, "在职", "4500", "2026-01", ""],
        vec!["李红梅", &li_id, "公务员", "5000", "2026-01", ""],
        vec!["王五", "110101199001011234", "在职", "3000", "2026-01", ""],
        vec!["张三", &zhang_id, "在职", "4500.123", "2026-01", ""],
        vec!["张伟", &zhang_id, "在职", "4600", "2026-05", ""],
    ]);
    let refused = upload(&app, "bases", group, bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = refused.json().await.expect("json");
    let problems: Vec<(i64, &str)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap_or(0),
                e["column"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            (4, "党费类别"),
            (5, "身份证号"),
            (6, "姓名"),
            (7, "调整原因")
        ],
        "{report}"
    );
    assert!(
        report["message"]
            .as_str()
            .is_some_and(|m| m.contains("未导入任何数据"))
    );
    let (_, dues) = app
        .get_json(&format!("/api/v1/members/{zhang}/dues?year=2026"))
        .await;
    assert_eq!(
        dues["bases"].as_array().map(Vec::len),
        Some(0),
        "the good first row was rolled back too"
    );

    let good = xlsx(&[
        vec![
            "姓名",
            "身份证号",
            "党费类别",
            "月基数",
            "生效月份",
            "调整原因",
        ],
        vec!["张伟", &zhang_id, "在职", "4500", "2026-01", ""],
        vec!["李红梅", &li_id, "离退休", "5000.01", "2026-01", ""],
    ]);
    let imported = upload(&app, "bases", group, good).await;
    assert_eq!(imported.status(), StatusCode::OK);
    assert_eq!(imported.json::<Value>().await.expect("json")["imported"], 2);
    let (_, dues) = app
        .get_json(&format!("/api/v1/members/{li}/dues?year=2026"))
        .await;
    assert_eq!(dues["bases"][0]["amount"], "50.00");

    let payments = xlsx(&[
        vec![
            "姓名",
            "身份证号",
            "月份",
            "金额",
            "交纳日期",
            "方式",
            "收据号",
        ],
        vec!["张伟", &zhang_id, "2026-03", "", "2026-03-10", "现金", "R1"],
        vec![
            "李红梅",
            &li_id,
            "2026-03",
            "20",
            "2026-03-10",
            "转账",
            "R2",
        ],
        vec!["张伟", &zhang_id, "2026-03", "", "2026-03-11", "现金", "R3"],
    ]);
    let refused = upload(&app, "payments", group, payments).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = refused.json().await.expect("json");
    assert_eq!(
        report["errors"][0]["row"], 4,
        "the same month twice in one file: {report}"
    );
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("不能重复登记"))
    );
    let payments = xlsx(&[
        vec![
            "姓名",
            "身份证号",
            "月份",
            "金额",
            "交纳日期",
            "方式",
            "收据号",
        ],
        vec!["张伟", &zhang_id, "2026-03", "", "2026-03-10", "现金", "R1"],
        vec![
            "李红梅",
            &li_id,
            "2026-03",
            "20",
            "2026-03-10",
            "转账",
            "R2",
        ],
    ]);
    assert_eq!(
        upload(&app, "payments", group, payments).await.status(),
        StatusCode::OK
    );
    let (_, sheet) = app
        .get_json(&format!("/api/v1/orgs/{group}/dues/sheet?month=2026-03"))
        .await;
    assert_eq!(row_of(&sheet, zhang)["status"], "paid");
    assert_eq!(row_of(&sheet, li)["status"], "partial");
    assert_eq!(app.audit_actions("dues_imported").await.len(), 2);
    let wrong_kind = upload(&app, "other", group, xlsx(&[vec!["x"]])).await;
    assert_eq!(wrong_kind.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_import_reports_problems_and_exits_two() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("dj.db").display());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dangjian"))
            .args(args)
            .args(["--database", &url])
            .env_remove("DANGJIAN_CONFIG")
            .output()
            .expect("run dangjian")
    };
    assert!(run(&["demo"]).status.success());
    let store = dangjian_store::Store::connect(&url, &Default::default())
        .await
        .expect("connect");
    let mut handle = store.acquire().await.expect("connection");
    let zhang: (i64, String) = match handle.conn() {
        dangjian_store::Conn::Sqlite(c) => {
            sqlx::query_as("SELECT group_id, id_number FROM members WHERE name = '张伟'")
                .fetch_one(c)
                .await
                .expect("zhang")
        }
        dangjian_store::Conn::Postgres(_) => unreachable!("sqlite"),
    };
    drop(handle);
    store.close().await;
    let (group, id_number) = zhang;
    let file = dir.path().join("bases.xlsx");
    std::fs::write(
        &file,
        xlsx(&[
            vec!["姓名", "身份证号", "党费类别", "月基数", "生效月份"],
            vec!["张伟", &id_number, "在职", "-1", "2026-01"],
        ]),
    )
    .expect("write");
    let refused = run(&[
        "dues",
        "import",
        "--kind",
        "bases",
        file.to_str().expect("path"),
        "--into",
        &group.to_string(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let report = String::from_utf8_lossy(&refused.stdout).into_owned();
    assert!(report.contains("第 2 行\t月基数\t-1\t"), "{report}");
    std::fs::write(
        &file,
        xlsx(&[
            vec!["姓名", "身份证号", "党费类别", "月基数", "生效月份"],
            vec!["张伟", &id_number, "在职", "4500", "2026-01"],
        ]),
    )
    .expect("write");
    let done = run(&[
        "dues",
        "import",
        "--kind",
        "bases",
        file.to_str().expect("path"),
        "--into",
        &group.to_string(),
    ]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(String::from_utf8_lossy(&done.stdout).contains("已导入 1 行"));
}

on_both_backends!(a_years_bases_and_a_months_payments_import_all_or_nothing);
