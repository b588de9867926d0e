//! `dangjian import members` and `dangjian export members`: the roster file at the console, for
//! the first load of a large organization. The operator holds the database, so no account is
//! needed; the audit log names the command line.

use std::io::Write;
use std::path::Path;

use dangjian_app::members::export::{self, ExportRequest};
use dangjian_app::members::import::{
    self, Caller, ImportOutcome, ImportProgress, Rejected, RosterFile,
};
use dangjian_app::{App, AppSettings, RequestContext};
use dangjian_domain::OrgId;
use indicatif::{ProgressBar, ProgressStyle};

use crate::Failure;
use crate::operate::{Options, app_error, open};

/// Draws the import's progress on standard error (indicatif hides it when that is not a terminal).
struct Bar(ProgressBar);

impl ImportProgress for Bar {
    fn rows_expected(&self, rows: Option<u64>) {
        match rows {
            Some(rows) => {
                self.0.set_length(rows.saturating_sub(1));
                self.0.set_style(
                    ProgressStyle::with_template(
                        "{spinner} 检查并导入 {pos}/{len} 行 [{bar:30}] {per_sec} 剩余 {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
            }
            None => self.0.set_style(
                ProgressStyle::with_template("{spinner} 检查并导入 {pos} 行 {per_sec}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        }
    }

    fn rows_checked(&self, rows: u64) {
        self.0.set_position(rows);
    }
}

pub async fn import_members(options: &Options, file: &Path, into: i64) -> Result<(), Failure> {
    let roster = RosterFile::open(file).map_err(|e| {
        Failure::input(format!(
            "无法打开文件 / cannot open {}: {e}",
            file.display()
        ))
    })?;
    let store = open(options, false).await?;
    let app = App::new(store, AppSettings::default());
    let bar = Bar(ProgressBar::new_spinner());
    let outcome = import::import_members(
        &app,
        Caller::CommandLine,
        OrgId(into),
        roster,
        &RequestContext::command_line(),
        &bar,
    )
    .await;
    bar.0.finish_and_clear();
    match outcome.map_err(app_error)? {
        ImportOutcome::Imported(done) => {
            println!(
                "已导入 {} 名党员到{} / imported {} members",
                done.count, done.target_name, done.count
            );
            Ok(())
        }
        ImportOutcome::Rejected(rejected) => {
            print_report(&rejected);
            Err(Failure::input(format!(
                "{} / nothing imported: {} problem(s) found",
                rejected.message(),
                rejected.total_errors
            )))
        }
    }
}

/// One line per problem, tab-separated so it pastes into a spreadsheet: row, column, value, why.
pub(crate) fn print_report(rejected: &Rejected) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(out, "行\t列\t内容\t问题");
    for e in &rejected.errors {
        let _ = writeln!(
            out,
            "第 {} 行\t{}\t{}\t{}",
            e.row, e.column, e.value, e.message
        );
    }
}

pub async fn export_members(
    options: &Options,
    from: Option<i64>,
    to: &Path,
    masked: bool,
) -> Result<(), Failure> {
    let store = open(options, false).await?;
    let app = App::new(store, AppSettings::default());
    // `create_new`: an export never overwrites a file.
    let file = std::fs::File::create_new(to)
        .map_err(|e| Failure::input(format!("无法创建 / cannot create {}: {e}", to.display())))?;
    let request = ExportRequest {
        org_id: from.map(OrgId),
        unmasked: !masked,
    };
    let exported = export::export_members(
        &app,
        Caller::CommandLine,
        request,
        &RequestContext::command_line(),
        std::io::BufWriter::new(file),
    )
    .await;
    let exported = match exported {
        Ok(exported) => exported,
        Err(error) => {
            let _ = std::fs::remove_file(to);
            return Err(app_error(error));
        }
    };
    exported
        .sink
        .into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .map_err(|e| {
            Failure::environment(format!("无法写入 / cannot write {}: {e}", to.display()))
        })?;
    println!(
        "已导出 {} 名党员到 {}（{}）/ exported {} members",
        exported.rows,
        to.display(),
        if exported.masked {
            "身份证号和手机号已遮蔽"
        } else {
            "含完整身份证号和手机号"
        },
        exported.rows
    );
    Ok(())
}

pub fn write_template(to: &Path) -> Result<(), Failure> {
    if to.exists() {
        return Err(Failure::input(format!(
            "文件已存在 / file already exists: {}",
            to.display()
        )));
    }
    let bytes = export::import_template(Caller::CommandLine).map_err(app_error)?;
    std::fs::write(to, bytes).map_err(|e| {
        Failure::environment(format!("无法写入 / cannot write {}: {e}", to.display()))
    })?;
    println!("已写出导入模板 / template written to {}", to.display());
    Ok(())
}
