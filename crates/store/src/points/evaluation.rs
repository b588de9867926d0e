//! 民主评议党员: campaigns, self-evaluations, mutual ratings (read only as tallies) and results.

use crate::db::on_backend;
use crate::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub branch_id: i64,
    pub branch_name: String,
    pub year: i64,
    pub status: String,
    pub excellent_share: i64,
    pub floor_points: i64,
    pub confirmed_on: Option<String>,
}

const SELECT: &str =
    "SELECT c.id, c.branch_id, b.name AS branch_name, c.year, c.status, c.excellent_share, c.floor_points, c.confirmed_on
     FROM eval_campaigns c JOIN org_nodes b ON b.id = c.branch_id ";

pub struct NewCampaign {
    pub branch_id: i64,
    pub year: i64,
    pub excellent_share: i64,
    pub floor_points: i64,
    pub created_by: i64,
    pub created_at: i64,
}

/// Inserts a campaign; `None` when the branch already has one for the year.
pub async fn insert_campaign(conn: Conn<'_>, c: &NewCampaign) -> Result<Option<i64>> {
    on_backend!(conn, |c2| {
        Ok(sqlx::query_scalar(
            "INSERT INTO eval_campaigns (branch_id, year, status, excellent_share, floor_points, created_by, created_at)
         VALUES ($1, $2, 'open', $3, $4, $5, $6) ON CONFLICT (branch_id, year) DO NOTHING RETURNING id",
        )
        .bind(c.branch_id)
        .bind(c.year)
        .bind(c.excellent_share)
        .bind(c.floor_points)
        .bind(c.created_by)
        .bind(c.created_at)
        .fetch_optional(c2)
        .await?)
    })
}

pub async fn campaign(conn: Conn<'_>, id: i64) -> Result<Option<CampaignRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.id = $1"
    )))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

pub async fn campaigns_of_branch(conn: Conn<'_>, branch_id: i64) -> Result<Vec<CampaignRow>> {
    on_backend!(conn, |c| Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.branch_id = $1 ORDER BY c.year DESC"
    )))
    .bind(branch_id)
    .fetch_all(c)
    .await?))
}

pub async fn set_status(
    conn: Conn<'_>,
    id: i64,
    from: &str,
    to: &str,
    confirmed_on: Option<&str>,
) -> Result<bool> {
    on_backend!(conn, |c| {
        Ok(sqlx::query(
            "UPDATE eval_campaigns SET status = $3, confirmed_on = coalesce($4, confirmed_on) WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(confirmed_on)
        .execute(c)
        .await?
        .rows_affected()
            == 1)
    })
}

pub async fn save_self(
    conn: Conn<'_>,
    campaign_id: i64,
    member_id: i64,
    text: &str,
    at: i64,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO eval_self (campaign_id, member_id, text, submitted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (campaign_id, member_id) DO UPDATE SET text = excluded.text, submitted_at = excluded.submitted_at",
        )
        .bind(campaign_id)
        .bind(member_id)
        .bind(text)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn self_text(conn: Conn<'_>, campaign_id: i64, member_id: i64) -> Result<Option<String>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT text FROM eval_self WHERE campaign_id = $1 AND member_id = $2"
    )
    .bind(campaign_id)
    .bind(member_id)
    .fetch_optional(c)
    .await?))
}

/// Records a rating; false when the rater already rated this member (no second vote).
pub async fn rate(
    conn: Conn<'_>,
    campaign_id: i64,
    rater: i64,
    ratee: i64,
    rating: &str,
) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query(
        "INSERT INTO eval_ratings (campaign_id, rater_id, ratee_id, rating) VALUES ($1, $2, $3, $4)
         ON CONFLICT (campaign_id, rater_id, ratee_id) DO NOTHING",
    )
    .bind(campaign_id)
    .bind(rater)
    .bind(ratee)
    .bind(rating)
    .execute(c)
    .await?
    .rows_affected()
        == 1))
}

/// Whom a rater has rated (never what): so their form can show who is left.
pub async fn rated_by(conn: Conn<'_>, campaign_id: i64, rater: i64) -> Result<Vec<i64>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT ratee_id FROM eval_ratings WHERE campaign_id = $1 AND rater_id = $2"
    )
    .bind(campaign_id)
    .bind(rater)
    .fetch_all(c)
    .await?))
}

/// Per ratee and rating, how many peers gave it: the only form in which ratings are ever read.
pub async fn tally(conn: Conn<'_>, campaign_id: i64) -> Result<Vec<(i64, String, i64)>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT ratee_id, rating, count(*) FROM eval_ratings WHERE campaign_id = $1 GROUP BY ratee_id, rating",
        )
        .bind(campaign_id)
        .fetch_all(c)
        .await?)
    })
}

pub async fn self_submitted(conn: Conn<'_>, campaign_id: i64) -> Result<Vec<i64>> {
    on_backend!(conn, |c| Ok(sqlx::query_scalar(
        "SELECT member_id FROM eval_self WHERE campaign_id = $1"
    )
    .bind(campaign_id)
    .fetch_all(c)
    .await?))
}

pub async fn save_result(
    conn: Conn<'_>,
    campaign_id: i64,
    member_id: i64,
    rating: &str,
    year_points: i64,
    handling: &str,
) -> Result<()> {
    on_backend!(conn, |c| {
        sqlx::query(
            "INSERT INTO eval_results (campaign_id, member_id, rating, year_points, handling) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (campaign_id, member_id) DO UPDATE SET rating = excluded.rating, year_points = excluded.year_points,
             handling = excluded.handling",
        )
        .bind(campaign_id)
        .bind(member_id)
        .bind(rating)
        .bind(year_points)
        .bind(handling)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResultRow {
    pub campaign_id: i64,
    pub member_id: i64,
    pub rating: String,
    pub year_points: i64,
    pub handling: String,
}

pub async fn results(conn: Conn<'_>, campaign_id: i64) -> Result<Vec<ResultRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT campaign_id, member_id, rating, year_points, handling FROM eval_results WHERE campaign_id = $1",
        )
        .bind(campaign_id)
        .fetch_all(c)
        .await?)
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberResult {
    pub year: i64,
    pub branch_name: String,
    pub rating: String,
    pub year_points: i64,
    pub handling: String,
}

/// A member's confirmed ratings, newest first (their profile).
pub async fn confirmed_of_member(conn: Conn<'_>, member_id: i64) -> Result<Vec<MemberResult>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT c.year, b.name AS branch_name, r.rating, r.year_points, r.handling FROM eval_results r
         JOIN eval_campaigns c ON c.id = r.campaign_id JOIN org_nodes b ON b.id = c.branch_id
         WHERE r.member_id = $1 AND c.status = 'confirmed' ORDER BY c.year DESC",
        )
        .bind(member_id)
        .fetch_all(c)
        .await?)
    })
}
