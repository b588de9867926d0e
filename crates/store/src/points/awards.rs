//! 争先创优: campaigns, nominations, objections and the final list.

use crate::db::on_backend;
use crate::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    pub status: String,
    pub notice_from: Option<String>,
    pub notice_to: Option<String>,
}

pub async fn insert_campaign(
    conn: Conn<'_>,
    org_id: i64,
    title: &str,
    by: i64,
    at: i64,
) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO award_campaigns (org_id, title, status, created_by, created_at) VALUES ($1, $2, 'nominating', $3, $4) RETURNING id",
        )
        .bind(org_id)
        .bind(title)
        .bind(by)
        .bind(at)
        .fetch_one(c)
        .await?)
    })
}

pub async fn campaign(conn: Conn<'_>, id: i64) -> Result<Option<CampaignRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT id, org_id, title, status, notice_from, notice_to FROM award_campaigns WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await?)
    })
}

pub async fn campaigns_of(conn: Conn<'_>, org_id: i64) -> Result<Vec<CampaignRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT id, org_id, title, status, notice_from, notice_to FROM award_campaigns WHERE org_id = $1 ORDER BY id DESC",
        )
        .bind(org_id)
        .fetch_all(c)
        .await?)
    })
}

pub async fn set_status(
    conn: Conn<'_>,
    id: i64,
    from: &str,
    to: &str,
    notice: Option<(&str, &str)>,
) -> Result<bool> {
    on_backend!(conn, |c| {
        Ok(sqlx::query(
            "UPDATE award_campaigns SET status = $3, notice_from = coalesce($4, notice_from), notice_to = coalesce($5, notice_to)
         WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(notice.map(|n| n.0))
        .bind(notice.map(|n| n.1))
        .execute(c)
        .await?
        .rows_affected()
            == 1)
    })
}

pub struct NewNomination<'a> {
    pub campaign_id: i64,
    pub honour: &'a str,
    pub member_id: Option<i64>,
    pub group_id: Option<i64>,
    pub nominee_name: &'a str,
    pub reason: &'a str,
    pub nominated_by: &'a str,
}

pub async fn insert_nomination(conn: Conn<'_>, n: &NewNomination<'_>) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO award_nominations (campaign_id, honour, member_id, group_id, nominee_name, reason, nominated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(n.campaign_id)
        .bind(n.honour)
        .bind(n.member_id)
        .bind(n.group_id)
        .bind(n.nominee_name)
        .bind(n.reason)
        .bind(n.nominated_by)
        .fetch_one(c)
        .await?)
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NominationRow {
    pub id: i64,
    pub campaign_id: i64,
    pub honour: String,
    pub member_id: Option<i64>,
    pub group_id: Option<i64>,
    pub nominee_name: String,
    pub reason: String,
    pub nominated_by: String,
    pub selected: bool,
    pub objections: i64,
}

pub async fn nominations(conn: Conn<'_>, campaign_id: i64) -> Result<Vec<NominationRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT n.id, n.campaign_id, n.honour, n.member_id, n.group_id, n.nominee_name, n.reason, n.nominated_by, n.selected,
                (SELECT count(*) FROM award_objections o WHERE o.nomination_id = n.id) AS objections
         FROM award_nominations n WHERE n.campaign_id = $1 ORDER BY n.id",
        )
        .bind(campaign_id)
        .fetch_all(c)
        .await?)
    })
}

pub async fn select(conn: Conn<'_>, campaign_id: i64, nomination_id: i64) -> Result<bool> {
    on_backend!(conn, |c| Ok(sqlx::query(
        "UPDATE award_nominations SET selected = TRUE WHERE id = $1 AND campaign_id = $2"
    )
    .bind(nomination_id)
    .bind(campaign_id)
    .execute(c)
    .await?
    .rows_affected()
        == 1))
}

pub async fn object(
    conn: Conn<'_>,
    nomination_id: i64,
    by: i64,
    text: &str,
    at: i64,
) -> Result<i64> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_scalar(
            "INSERT INTO award_objections (nomination_id, filed_by, text, filed_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(nomination_id)
        .bind(by)
        .bind(text)
        .bind(at)
        .fetch_one(c)
        .await?)
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HonourRow {
    pub title: String,
    pub honour: String,
    pub notice_to: Option<String>,
}

/// A member's final honours (their profile).
pub async fn honours_of_member(conn: Conn<'_>, member_id: i64) -> Result<Vec<HonourRow>> {
    on_backend!(conn, |c| {
        Ok(sqlx::query_as(
            "SELECT a.title, n.honour, a.notice_to FROM award_nominations n JOIN award_campaigns a ON a.id = n.campaign_id
         WHERE n.member_id = $1 AND n.selected AND a.status = 'final' ORDER BY a.id DESC",
        )
        .bind(member_id)
        .fetch_all(c)
        .await?)
    })
}
