//! Party dues: settings, members' bases and reliefs, extra dues, the monthly sheets and the
//! maintained per-node, per-month totals.

pub mod profile;
pub mod sheet;
pub mod totals;

use crate::db::on_backend;
use crate::{Conn, Result};

/// The farmers' fixed amount a top-level organization set, if it set one.
pub async fn farmer_amount(conn: Conn<'_>, top_org_id: i64) -> Result<Option<i64>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT farmer_amount_fen FROM dues_settings WHERE org_id = $1",
    )
    .bind(top_org_id)
    .fetch_optional(c)
    .await?))
}

pub async fn set_farmer_amount(conn: Conn<'_>, top_org_id: i64, fen: i64, now: i64) -> Result<()> {
    on_backend!(conn, |c| sqlx::query(
        "INSERT INTO dues_settings (org_id, farmer_amount_fen, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (org_id) DO UPDATE SET farmer_amount_fen = excluded.farmer_amount_fen,
         updated_at = excluded.updated_at",
    )
    .bind(top_org_id)
    .bind(fen)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}
