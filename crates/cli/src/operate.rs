//! The operator's commands besides `serve`.

use std::io::BufRead;
use std::path::Path;

use dangjian_app::{App, AppError, AppSettings, accounts, demo};
use dangjian_store::{Backend, ConnectOptions, Store, Synchronous, backup};

use crate::Failure;

pub struct Options {
    pub database: String,
    pub synchronous: Synchronous,
}

/// Opens the database (creating an SQLite file if `create`) and brings its schema up to date.
pub async fn open(options: &Options, create: bool) -> Result<Store, Failure> {
    let connect = ConnectOptions {
        synchronous: options.synchronous,
        create_if_missing: create,
        ..Default::default()
    };
    let store = Store::connect(&options.database, &connect)
        .await
        .map_err(|e| Failure::environment(e.to_string()))?;
    store
        .migrate()
        .await
        .map_err(|e| Failure::environment(e.to_string()))?;
    Ok(store)
}

pub fn app_error(error: AppError) -> Failure {
    match error {
        AppError::Internal(cause) => {
            Failure::environment(format!("数据库错误 / database error: {cause}"))
        }
        AppError::Unexpected(cause) => {
            Failure::environment(format!("内部错误 / internal error: {cause}"))
        }
        other => Failure::input(other.to_string()),
    }
}

pub async fn migrate(options: &Options) -> Result<(), Failure> {
    let store = open(options, true).await?;
    println!(
        "数据库已是最新结构 / database schema is up to date: {}",
        store.redacted_url()
    );
    Ok(())
}

pub async fn admin_create(options: &Options, phone: &str, name: &str) -> Result<(), Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Failure::input(format!(
            "无法从标准输入读取密码 / cannot read the password from stdin: {e}"
        ))
    })?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        return Err(Failure::input(
            "请在标准输入提供一行密码 / give the password as one line on stdin",
        ));
    }
    let store = open(options, true).await?;
    let app = App::new(store, AppSettings::default());
    let account = accounts::create_system_admin(&app, phone, name, password)
        .await
        .map_err(app_error)?;
    println!(
        "已创建系统管理员 / system administrator created: {}（{}）",
        account.name, account.phone
    );
    Ok(())
}

pub async fn demo(options: &Options) -> Result<(), Failure> {
    let store = open(options, true).await?;
    let app = App::new(store, AppSettings::default());
    let loaded = demo::load_demo(&app).await.map_err(app_error)?;
    if loaded {
        println!("已载入演示数据 / demo data loaded");
    } else {
        println!("演示数据已存在，未重复载入 / demo data already present");
    }
    print_demo_accounts();
    Ok(())
}

pub fn print_demo_accounts() {
    println!(
        "演示账号 / demo accounts（密码 / password: {}）:",
        demo::DEMO_PASSWORD
    );
    for account in &demo::DEMO_ACCOUNTS {
        println!(
            "  {:<8} {}  {}{}",
            account.role.label(),
            account.phone,
            account.name,
            account.org.map(|o| format!("（{o}）")).unwrap_or_default()
        );
    }
}

pub async fn backup(options: &Options, to: &Path) -> Result<(), Failure> {
    if !options.database.starts_with("sqlite:") {
        return Err(Failure::input(
            "PostgreSQL 数据库请用 pg_dump 备份 / for PostgreSQL use pg_dump (e.g. pg_dump -Fc -f dangjian.dump URL)",
        ));
    }
    if to.exists() {
        return Err(Failure::input(format!(
            "备份文件已存在 / backup file already exists: {}",
            to.display()
        )));
    }
    let store = open(options, false).await?;
    backup::backup_sqlite(&store, to)
        .await
        .map_err(|e| Failure::environment(e.to_string()))?;
    println!("已备份到 / backup written to {}", to.display());
    Ok(())
}

/// Replaces the SQLite database with a backup. Checks everything before touching the target:
/// the target must be empty unless `force`, and the backup must be a dangjian database (checked on
/// a staging copy, which is also brought up to the current schema, then moved into place).
pub async fn restore(options: &Options, from: &Path, force: bool) -> Result<(), Failure> {
    if !options.database.starts_with("sqlite:") {
        return Err(Failure::input(
            "PostgreSQL 数据库请用 pg_restore 恢复 / for PostgreSQL use pg_restore",
        ));
    }
    if !from.is_file() {
        return Err(Failure::input(format!(
            "备份文件不存在 / backup file not found: {}",
            from.display()
        )));
    }
    let target_path = options
        .database
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let target_path = Path::new(target_path.split('?').next().unwrap_or(target_path)).to_path_buf();
    if target_path.exists() {
        let target = open(options, false).await?;
        let empty = backup::is_empty(&target)
            .await
            .map_err(|e| Failure::environment(e.to_string()))?;
        target.close().await;
        if !empty && !force {
            return Err(Failure::input(
                "目标数据库不为空，未做任何改动；确需覆盖请加 --force / the target database is not empty; nothing was changed (use --force to overwrite)",
            ));
        }
    }

    let staging = target_path.with_extension("restoring");
    std::fs::copy(from, &staging).map_err(|e| {
        Failure::environment(format!("复制备份失败 / copying the backup failed: {e}"))
    })?;
    let staging_options = Options {
        database: format!("sqlite://{}", staging.display()),
        synchronous: options.synchronous,
    };
    let checked = check_backup(&staging_options, from).await;
    if let Err(failure) = checked {
        remove_database_files(&staging);
        return Err(failure);
    }
    remove_database_files(&target_path);
    std::fs::rename(&staging, &target_path).map_err(|e| {
        Failure::environment(format!(
            "替换数据库文件失败 / replacing the database failed: {e}"
        ))
    })?;
    println!(
        "已从 {} 恢复 / restored from {}",
        from.display(),
        from.display()
    );
    Ok(())
}

async fn check_backup(staging: &Options, from: &Path) -> Result<(), Failure> {
    let not_a_backup = || {
        Failure::input(format!(
            "{} 不是 dangjian 的备份（没有组织或账号）/ not a dangjian backup (no organizations or accounts)",
            from.display()
        ))
    };
    let connect = ConnectOptions {
        synchronous: staging.synchronous,
        create_if_missing: false,
        max_connections: 1,
    };
    let store = Store::connect(&staging.database, &connect)
        .await
        .map_err(|e| Failure::input(e.to_string()))?;
    let result = async {
        if store.backend() != Backend::Sqlite || backup::is_empty(&store).await.unwrap_or(true) {
            return Err(not_a_backup());
        }
        store
            .migrate()
            .await
            .map_err(|e| Failure::environment(e.to_string()))
    }
    .await;
    store.close().await;
    result
}

/// Removes an SQLite file with its WAL and shared-memory companions (absent ones are fine).
fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        let _ = std::fs::remove_file(file);
    }
}
