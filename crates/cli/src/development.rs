//! `dangjian development check FILE.json`: the member-development checker for other tools.
//! Prints each violation as `step N: <message>`; exit 0 clean, 1 violations, 2 unreadable input.

use std::path::Path;

use dangjian_domain::development::{DevelopmentFile, check};
use jiff::civil::Date;

use crate::Failure;

pub fn check_file(path: &Path, today: Option<&str>) -> Result<(), Failure> {
    let today = match today {
        Some(text) => text.parse::<Date>().map_err(|_| {
            Failure::input(format!(
                "--today 须为 YYYY-MM-DD 格式的日期，收到「{text}」"
            ))
        })?,
        None => dangjian_app::Clock::system().today(),
    };
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::input(format!("无法读取文件 {}：{e}", path.display())))?;
    let file: DevelopmentFile = serde_json::from_slice(&bytes).map_err(|e| {
        let kind = match e.classify() {
            serde_json::error::Category::Syntax => "不是有效的 JSON",
            serde_json::error::Category::Eof => "JSON 不完整",
            serde_json::error::Category::Data => "内容不符合发展党员材料的格式",
            serde_json::error::Category::Io => "读取失败",
        };
        Failure::input(format!(
            "{} {kind}（第 {} 行第 {} 列）：{e}。格式见 docs/member-development.md",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let violations = check(&file, today);
    if violations.is_empty() {
        return Ok(());
    }
    for violation in &violations {
        println!("{violation}");
    }
    Err(Failure {
        message: format!("发现 {} 处不符合发展党员工作细则的问题", violations.len()),
        code: 1,
    })
}
