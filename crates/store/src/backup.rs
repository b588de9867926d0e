//! Backup and restore of an SQLite database. PostgreSQL deployments use pg_dump / pg_restore.

use crate::db::on_backend;
use crate::{Result, Store, StoreError};
use std::path::Path;

/// Writes a consistent copy of the live database to `to` with `VACUUM INTO`, which reads one
/// snapshot while the server keeps serving and writing. Refuses to overwrite an existing file.
pub async fn backup_sqlite(store: &Store, to: &Path) -> Result<()> {
    let pool = store.sqlite_pool().ok_or(StoreError::BadUrl)?;
    let target = to.to_string_lossy().to_string();
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(pool)
        .await?;
    Ok(())
}

/// Whether the database holds no organization and no account (safe to restore over).
pub async fn is_empty(store: &Store) -> Result<bool> {
    let mut handle = store.acquire().await?;
    let has_tables: i64 = on_backend!(handle.conn(), |c| {
        // A database that was never migrated has no tables of ours and is empty by definition.
        match sqlx::query_scalar::<_, i64>("SELECT count(*) FROM accounts")
            .fetch_one(&mut *c)
            .await
        {
            Ok(accounts) => {
                let orgs: i64 = sqlx::query_scalar("SELECT count(*) FROM org_nodes")
                    .fetch_one(&mut *c)
                    .await?;
                accounts + orgs
            }
            Err(_) => 0,
        }
    });
    Ok(has_tables == 0)
}
