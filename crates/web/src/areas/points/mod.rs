//! Points (issue 5): the rules per organization, proposals and decisions, the card, the bulletin
//! and the verification of the ledger's chain.

use crate::routes::Access::SignedIn;
use crate::routes::{Area, NavEntry, Table};
use utoipa::OpenApi;

pub(crate) mod api;
mod pages;

use pages as page;

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[NavEntry {
        position: 60,
        href: "/points",
        label: "党员积分",
        description: "积分卡、积分排行、加扣分申报审批、积分通报",
        action: None,
        tab: Some("积分"),
    }],
    api: api::PointsApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/points", SignedIn, page::hub)
        .post("/api/v1/points/process", SignedIn, api::process)
        .get("/points/card", SignedIn, page::card)
        .get("/api/v1/points/card", SignedIn, api::card)
        .get("/orgs/{id}/points", SignedIn, page::org)
        .get("/api/v1/orgs/{id}/points/leaderboard", SignedIn, api::leaderboard)
        // Rules
        .get("/api/v1/orgs/{id}/points/rules", SignedIn, api::rules)
        .post("/orgs/{id}/points/rules", SignedIn, page::new_version)
        .post("/api/v1/orgs/{id}/points/rules", SignedIn, api::new_version)
        // Proposals, decisions and reversals
        .post("/orgs/{id}/points/proposals", SignedIn, page::propose)
        .post("/api/v1/points/proposals", SignedIn, api::propose)
        .get("/api/v1/orgs/{id}/points/proposals", SignedIn, api::org_proposals)
        .post("/points/proposals/{id}/decision", SignedIn, page::decide)
        .post("/api/v1/points/proposals/{id}/decision", SignedIn, api::decide)
        .post("/points/entries/{id}/reversal", SignedIn, page::reverse)
        .post("/api/v1/points/entries/{id}/reversal", SignedIn, api::reverse)
        // Bulletins
        .get("/orgs/{id}/points/bulletin", SignedIn, page::bulletin_page)
        .get("/api/v1/orgs/{id}/points/bulletin", SignedIn, api::bulletin_view)
        .get("/api/v1/points/bulletins", SignedIn, api::my_bulletins)
        .post("/orgs/{id}/points/bulletin/publish", SignedIn, page::publish)
        .post("/api/v1/orgs/{id}/points/bulletin/publish", SignedIn, api::publish)
        .get("/api/v1/orgs/{id}/points/bulletin/export", SignedIn, api::bulletin_export)
        // The ledger's chain
        .get("/admin/points/verify", SignedIn, page::verify_page)
        .get("/api/v1/points/verify", SignedIn, api::verify_chain)
}
