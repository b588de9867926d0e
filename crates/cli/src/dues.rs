//! `dangjian dues calc`: the dues calculator at the console. It needs no database, so anyone can
//! check a secretary's spreadsheet with it. Contract (issue #6): the first line of standard output
//! is the amount in yuan with two decimals and nothing else; bad input exits with 2.

use std::path::Path;

use dangjian_app::dues::assess;
use dangjian_app::dues::import::DuesImport;
use dangjian_app::members::import::{Caller, ImportOutcome, RosterFile};
use dangjian_app::{App, AppSettings, RequestContext};
use dangjian_domain::OrgId;
use dangjian_domain::dues::{DuesSettings, FarmerAmount, Fen};

use crate::Failure;
use crate::operate::{Options, app_error, open};
use crate::roster::print_report;

pub fn calc(category: &str, income: Option<&str>, farmer: Option<&str>) -> Result<(), Failure> {
    let mut settings = DuesSettings::default();
    if let Some(farmer) = farmer {
        let fen = Fen::from_yuan_str(farmer)
            .map_err(|e| Failure::input(format!("农民党员固定金额：{e}")))?;
        settings.farmer_amount = FarmerAmount::new(fen).map_err(Failure::input)?;
    }
    let assessment =
        assess(category, income, &settings).map_err(|e| Failure::input(e.to_string()))?;
    println!("{}", assessment.amount.yuan());
    println!("{}", assessment.explanation);
    Ok(())
}

/// `dangjian dues import`: a month's payments or a year's bases into a branch or group, all rows
/// or none; problems are printed tab-separated and the exit code is 2.
pub async fn import(options: &Options, kind: &str, file: &Path, into: i64) -> Result<(), Failure> {
    let kind = DuesImport::parse(kind).map_err(|e| Failure::input(e.to_string()))?;
    let roster = RosterFile::open(file).map_err(|e| {
        Failure::input(format!(
            "无法打开文件 / cannot open {}: {e}",
            file.display()
        ))
    })?;
    let store = open(options, false).await?;
    let app = App::new(store, AppSettings::default());
    let outcome = dangjian_app::dues::import::import_dues(
        &app,
        Caller::CommandLine,
        kind,
        OrgId(into),
        roster,
        &RequestContext::command_line(),
    )
    .await;
    match outcome.map_err(app_error)? {
        ImportOutcome::Imported(done) => {
            println!(
                "已导入 {} 行到{} / imported {} rows",
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
