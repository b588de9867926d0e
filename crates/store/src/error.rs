use thiserror::Error;

/// What can go wrong below the use cases. Messages are for logs and operators, not for users:
/// the web layer shows its own Chinese text.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The file exists but is not an SQLite database.
    #[error(
        "无法打开数据库：{path} 不是 SQLite 数据库文件 / cannot open database: {path} is not an SQLite database file"
    )]
    NotSqlite { path: String },
    /// The SQLite file cannot be opened or created (missing folder, permissions).
    #[error("无法打开数据库文件 {path}（{cause}）/ cannot open database file {path} ({cause})")]
    CannotOpen { path: String, cause: String },
    /// The PostgreSQL server cannot be reached or refused the login.
    #[error("无法连接 PostgreSQL 数据库（{cause}）/ cannot connect to PostgreSQL ({cause})")]
    Unreachable { cause: String },
    /// The URL names neither backend.
    #[error(
        "数据库地址无效：应以 sqlite:// 或 postgres:// 开头 / invalid database URL: expected sqlite:// or postgres://"
    )]
    BadUrl,
    #[error("数据库迁移失败 / database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A unique constraint refused the write (the use case says which one in Chinese).
    #[error("unique constraint violated: {0}")]
    Duplicate(String),
    #[error("database error: {0}")]
    Sql(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Duplicate(db.message().to_string())
            }
            _ => StoreError::Sql(error),
        }
    }
}
