//! `dangjian`: the server and the operator's tools in one binary.

mod bench;
mod config;
mod development;
mod dues;
mod ledger;
mod operate;
mod roster;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "dangjian",
    version,
    about = "党建工作平台：服务器与运维工具 / work platform for grassroots Party organizations",
    long_about = None
)]
struct Cli {
    /// TOML 配置文件 / TOML config file
    #[arg(long, env = "DANGJIAN_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// 数据库地址 sqlite://PATH 或 postgres://… / database URL [default: sqlite://dangjian.db]
    #[arg(long, env = "DANGJIAN_DATABASE", global = true)]
    database: Option<String>,
    /// 日志级别过滤 / log filter, e.g. "info" or "dangjian=debug" [default: info]
    #[arg(long, env = "DANGJIAN_LOG", global = true)]
    log: Option<String>,
    /// 日志格式 text 或 json / log format
    #[arg(long, env = "DANGJIAN_LOG_FORMAT", global = true)]
    log_format: Option<String>,
    /// SQLite 持久化级别 normal（默认，进程崩溃不丢数据）或 full（断电也不丢）/ SQLite durability
    #[arg(long, env = "DANGJIAN_SQLITE_SYNCHRONOUS", global = true)]
    sqlite_synchronous: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 启动服务器 / start the server
    Serve(serve::ServeArgs),
    /// 执行数据库迁移 / apply database migrations
    Migrate,
    /// 管理员账号 / administrator accounts
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// 在线备份 SQLite 数据库 / online backup of the SQLite database
    Backup {
        /// 备份文件（不得已存在）/ backup file (must not exist)
        #[arg(long)]
        to: PathBuf,
    },
    /// 从备份恢复（服务器须已停止）/ restore from a backup (stop the server first)
    Restore {
        /// 备份文件 / backup file
        #[arg(long)]
        from: PathBuf,
        /// 覆盖非空数据库 / overwrite a database that is not empty
        #[arg(long)]
        force: bool,
    },
    /// 载入演示组织和演示账号 / load the demo organization and accounts
    Demo,
    /// 导入数据 / import data
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// 导出数据 / export data
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// 发展党员 / member development
    Development {
        #[command(subcommand)]
        command: DevelopmentCommand,
    },
    /// 党费 / Party dues
    Dues {
        #[command(subcommand)]
        command: DuesCommand,
    },
    /// 性能基准：生成模拟组织并测量 / benchmark: generate a synthetic organization and measure
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// 积分台账 / the points ledger
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// 审计日志 / the audit log
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// 重新计算审计日志的哈希链，报告第一处断链；完整退出 0，断链退出 1
    /// / recompute the audit log's hash chain; exit 0 intact, 1 with the first broken entry
    Verify,
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// 重新计算各党支部积分台账的哈希链，报告第一处断链；完整退出 0，断链退出 1
    /// / recompute the hash chains; exit 0 intact, 1 with the first broken link
    Verify {
        /// 只核验此组织下的党支部 / only the branches under this node
        #[arg(long)]
        node: Option<i64>,
    },
    /// 把新记录的组织生活、党费事件计入积分 / book new domain events into the ledger
    Process,
}

#[derive(Subcommand)]
enum DevelopmentCommand {
    /// 按发展党员工作细则检查一份材料（JSON，格式见 docs/member-development.md）：每个问题一行
    /// `step N: 说明`；无问题退出 0，有问题退出 1，文件无法读取退出 2
    /// / check a development file (exit 0 clean, 1 violations, 2 unreadable)
    Check {
        /// JSON 文件 / the JSON file
        file: PathBuf,
        /// 以此日期为今天（YYYY-MM-DD，默认北京时间今天）/ the date taken as today
        #[arg(long)]
        today: Option<String>,
    },
}

#[derive(Subcommand)]
enum DuesCommand {
    /// 计算月交党费：第一行为金额（元，两位小数），第二行为计算说明；无需数据库
    /// / monthly dues: first line the amount in yuan, second line the explanation; no database
    Calc {
        /// 党费类别：在职、离退休、农民、学生、下岗失业/无固定收入、其他 / dues category
        #[arg(long)]
        category: String,
        /// 月收入（元），如 4500 或 4500.50；固定金额类别可不填 / monthly income in yuan
        #[arg(long, allow_hyphen_values = true)]
        income: Option<String>,
        /// 农民党员每月固定金额（元，0.20–1.00，默认 0.20）/ farmers' fixed amount
        #[arg(long, allow_hyphen_values = true)]
        farmer_amount: Option<String>,
    },
    /// 从 .xlsx 导入交纳记录（payments）或党费基数（bases）：全部正确才写入，否则列出全部问题并以 2 退出
    /// / import payments or bases (all rows or none; problems are listed and the exit code is 2)
    Import {
        /// payments 或 bases
        #[arg(long)]
        kind: String,
        /// .xlsx 文件 / the .xlsx file
        file: PathBuf,
        /// 党支部或党小组的编号 / id of the branch or group
        #[arg(long)]
        into: i64,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// 从 .xlsx 或 .csv 导入党员花名册：先检查每一行，全部正确才写入，否则列出全部问题并以 2 退出
    /// / import the member roster (all rows or none; problems are listed and the exit code is 2)
    Members {
        /// .xlsx 或 .csv 文件 / the .xlsx or .csv file
        file: PathBuf,
        /// 导入到的党支部或党小组的编号 / id of the branch or group to import into
        #[arg(long)]
        into: i64,
    },
    /// 写出导入模板（.xlsx）/ write the import template (.xlsx)
    Template {
        /// 模板文件（不得已存在）/ template file (must not exist)
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// 导出党员花名册（.xlsx，与导入格式相同）/ export the member roster (.xlsx, the import format)
    Members {
        /// 组织编号，导出其下全部党员；不填为全部组织 / node id whose subtree to export (default: all)
        #[arg(long)]
        from: Option<i64>,
        /// 导出文件（不得已存在）/ output file (must not exist)
        #[arg(long)]
        to: PathBuf,
        /// 遮蔽身份证号和手机号 / mask ID numbers and phones
        #[arg(long)]
        masked: bool,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// 创建系统管理员，密码从标准输入读取一行 / create a system administrator; password read from stdin
    Create {
        #[arg(long)]
        phone: String,
        #[arg(long)]
        name: String,
    },
}

/// A command that did not succeed: what to tell the operator, and the exit code.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    /// The database or configuration is unusable (exit 1).
    pub fn environment(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 1,
        }
    }

    /// The operator's input was refused (exit 2).
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let file = match config::FileConfig::load(config::config_path(&cli.config)) {
        Ok(file) => file,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(1);
        }
    };
    init_logging(&cli, &file);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("无法启动运行时 / cannot start the runtime: {error}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli, file)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn init_logging(cli: &Cli, file: &config::FileConfig) {
    let filter = config::pick(cli.log.clone(), file.log.clone(), "info,sqlx=warn".into());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let format = config::pick(
        cli.log_format.clone(),
        file.log_format.clone(),
        "text".into(),
    );
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(cli: Cli, file: config::FileConfig) -> Result<(), Failure> {
    let synchronous = match config::pick(
        cli.sqlite_synchronous.clone(),
        file.sqlite_synchronous.clone(),
        "normal".into(),
    )
    .as_str()
    {
        "normal" => dangjian_store::Synchronous::Normal,
        "full" => dangjian_store::Synchronous::Full,
        other => {
            return Err(Failure::input(format!(
                "sqlite_synchronous 只能是 normal 或 full，收到「{other}」/ sqlite_synchronous must be normal or full"
            )));
        }
    };
    let demo_default = matches!(&cli.command, Command::Serve(args) if args.demo);
    let default_database = if demo_default {
        config::DEMO_DATABASE
    } else {
        config::DEFAULT_DATABASE
    };
    let database = config::pick(
        cli.database.clone(),
        file.database.clone(),
        default_database.into(),
    );
    let options = operate::Options {
        database,
        synchronous,
    };
    match cli.command {
        Command::Serve(args) => serve::run(args, &file, &options).await,
        Command::Migrate => operate::migrate(&options).await,
        Command::Admin {
            command: AdminCommand::Create { phone, name },
        } => operate::admin_create(&options, &phone, &name).await,
        Command::Backup { to } => operate::backup(&options, &to).await,
        Command::Restore { from, force } => operate::restore(&options, &from, force).await,
        Command::Demo => operate::demo(&options).await,
        Command::Import {
            command: ImportCommand::Members { file, into },
        } => roster::import_members(&options, &file, into).await,
        Command::Import {
            command: ImportCommand::Template { to },
        } => roster::write_template(&to),
        Command::Export {
            command: ExportCommand::Members { from, to, masked },
        } => roster::export_members(&options, from, &to, masked).await,
        Command::Development {
            command: DevelopmentCommand::Check { file, today },
        } => development::check_file(&file, today.as_deref()),
        Command::Dues {
            command:
                DuesCommand::Calc {
                    category,
                    income,
                    farmer_amount,
                },
        } => dues::calc(&category, income.as_deref(), farmer_amount.as_deref()),
        Command::Dues {
            command: DuesCommand::Import { kind, file, into },
        } => dues::import(&options, &kind, &file, into).await,
        Command::Ledger {
            command: LedgerCommand::Verify { node },
        } => ledger::verify(&options, node).await,
        Command::Ledger {
            command: LedgerCommand::Process,
        } => ledger::process(&options).await,
        Command::Audit {
            command: AuditCommand::Verify,
        } => ledger::verify_audit(&options).await,
        Command::Bench { command } => bench::command(&options, command).await,
    }
}
