//! `dangjian development check FILE.json`, run as the real binary: the contract other tools use.

use std::process::{Command, Output, Stdio};

fn check(json: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("材料.json");
    std::fs::write(&path, json).expect("write");
    let path = path.to_string_lossy().into_owned();
    let mut args = vec!["development", "check", path.as_str()];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(&args)
        .env_remove("DANGJIAN_DATABASE")
        .env_remove("DANGJIAN_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("run dangjian")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// From application to development candidate; the activist was designated on 2025-03-15.
fn activist_file(candidate_on: &str) -> String {
    format!(
        r#"{{
  "birth_date": "2001-06-30",
  "steps": [
    {{"step": 1, "date": "2025-01-31"}},
    {{"step": 2, "date": "2025-02-28", "people": [{{"name": "王建国", "role": "talker", "full_member": true}}]}},
    {{"step": 3, "date": "2025-03-15", "note": "党员推荐"}},
    {{"step": 4, "date": "2025-03-20"}},
    {{"step": 5, "date": "2025-03-20", "people": [
        {{"name": "李红梅", "role": "contact", "full_member": true}},
        {{"name": "张伟", "role": "contact", "full_member": true}}]}},
    {{"step": 6, "date": "2025-03-20", "evaluations": ["2025-09-10", "2026-03-01"]}},
    {{"step": 7, "date": "{candidate_on}"}}
  ]
}}"#
    )
}

#[test]
fn a_clean_file_passes_silently_with_exit_0() {
    let out = check(&activist_file("2026-03-15"), &["--today", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn a_premature_development_candidate_is_one_line_with_the_earliest_date_and_exit_1() {
    let out = check(&activist_file("2026-03-14"), &["--today", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "step 7: 成为入党积极分子未满一年，最早可于 2026-03-15 确定为发展对象\n"
    );
    assert!(text(&out.stderr).contains("发现 1 处"));
}

#[test]
fn every_violation_gets_its_own_line_in_step_order() {
    let json = r#"{"birth_date": "2010-01-01", "steps": [
        {"step": 3, "date": "2026-01-01"},
        {"step": 1, "date": "2025-12-01"}
    ]}"#;
    let out = check(json, &["--today", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "step 1: 递交入党申请书时须年满 18 周岁，最早可于 2028-01-01 递交入党申请书",
            "step 3: 须先记录第 2 步「党组织派人谈话」",
        ]
    );
}

#[test]
fn without_a_today_flag_the_clock_decides_what_is_in_the_future() {
    let json = r#"{"birth_date": "1990-01-01", "steps": [{"step": 1, "date": "2999-01-01"}]}"#;
    let out = check(json, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with("step 1: 日期 2999-01-01 晚于今天"));
}

#[test]
fn unreadable_or_invalid_input_exits_2_with_a_chinese_message() {
    for (json, expected) in [
        ("{ not json", "不是有效的 JSON"),
        (
            r#"{"birth_date": "1990-01-01", "steps": [{"step": 26, "date": "2020-01-01"}]}"#,
            "步骤编号须为 1 到 25",
        ),
        (
            r#"{"birth_date": "1990-02-30"}"#,
            "内容不符合发展党员材料的格式",
        ),
        (r#"{"steps": []}"#, "内容不符合发展党员材料的格式"),
        (
            r#"{"birth_date": "1990-01-01", "steps": [{"step": 1}]}"#,
            "内容不符合",
        ),
    ] {
        let out = check(json, &["--today", "2026-11-23"]);
        assert_eq!(out.status.code(), Some(2), "{json}");
        assert!(
            text(&out.stderr).contains(expected),
            "{json}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), "");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["development", "check", "/nonexistent/材料.json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("无法读取文件"));
    let out = check("{}", &["--today", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--today 须为 YYYY-MM-DD"));
}
