//! `dangjian bench`: generate a synthetic organization, and measure the server against it
//! (docs/performance.md holds the assumptions, the commands and the figures).

mod load;
mod report;
mod run;
mod xlsx;

use std::path::PathBuf;
use std::time::Instant;

use clap::Subcommand;
use dangjian_app::bench::{Progress, Scale, generate};
use dangjian_app::{App, AppSettings};
use indicatif::{ProgressBar, ProgressStyle};

use crate::Failure;
use crate::operate::{Options, app_error, open};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// 生成确定性的模拟组织（仅限空数据库）/ generate a deterministic synthetic organization
    /// into an empty database
    Generate {
        /// tiny（约 300 名党员）、county（约 2 万）、city（约 20 万）、province（约 200 万）
        #[arg(long)]
        scale: String,
    },
    /// 对模拟组织测量服务器性能，打印表格 / measure the server against a generated database
    Run {
        /// 每项只测几秒（冒烟测试）/ a few seconds per figure (smoke test)
        #[arg(long)]
        quick: bool,
        /// 同时把结果写成 JSON / also write the results as JSON
        #[arg(long)]
        json: Option<PathBuf>,
    },
}

pub async fn command(options: &Options, command: BenchCommand) -> Result<(), Failure> {
    match command {
        BenchCommand::Generate { scale } => generate_scale(options, &scale).await,
        BenchCommand::Run { quick, json } => run::run(options, quick, json.as_deref()).await,
    }
}

async fn generate_scale(options: &Options, scale: &str) -> Result<(), Failure> {
    let scale = Scale::parse(scale).ok_or_else(|| {
        Failure::input(format!(
            "规模应为 tiny、county、city 或 province，收到「{scale}」/ unknown scale"
        ))
    })?;
    let store = open(options, true).await?;
    let app = App::new(store.clone(), AppSettings::default());
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} 生成 {pos}/{len} 个党支部 [{bar:30}] {per_sec} 剩余 {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let started = Instant::now();
    let report = |p: Progress| {
        bar.set_length(p.branches);
        bar.set_position(p.branches_done);
        bar.set_message(format!("{} 行", p.rows));
    };
    let summary = generate(&app, scale, &report).await.map_err(app_error)?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "已生成 {} 规模 / generated scale {}: {} 个组织 nodes, {} 个党支部 branches, {} 名党员 members, \
         {} 次活动 activities, {} 条出勤 attendances, {} 条党费月记录 dues months, \
         {} 条积分记录 points entries; \
         {} 行 rows in {seconds:.1} s ({:.0} rows/s)",
        scale.code(),
        scale.code(),
        summary.nodes,
        summary.branches,
        summary.members,
        summary.activities,
        summary.attendances,
        summary.dues_months,
        summary.points_entries,
        summary.rows,
        summary.rows as f64 / seconds.max(0.001),
    );
    store.close().await;
    Ok(())
}
