//! Installation-wide settings, one row per key.

use crate::db::on_backend;
use crate::{Conn, Result};

/// Set once when the first-run setup completes; its presence closes the setup page for good.
pub const SETUP_COMPLETED: &str = "setup_completed";
/// Set when the demo organization has been loaded.
pub const DEMO_LOADED: &str = "demo_loaded";

pub async fn get(conn: Conn<'_>, key: &str) -> Result<Option<String>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = $1"
    )
    .bind(key)
    .fetch_optional(c)
    .await?))
}

/// Inserts a key that must not exist yet; a second writer gets `StoreError::Duplicate`.
pub async fn insert(conn: Conn<'_>, key: &str, value: &str) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2)"
    )
    .bind(key)
    .bind(value)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
