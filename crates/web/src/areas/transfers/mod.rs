//! Transfers of members between organizations: out, in, and their answers.

use dangjian_domain::Action;
use utoipa::OpenApi;

use crate::routes::Access::SignedIn;
use crate::routes::{Area, NavEntry, Table};
mod api;
mod pages;

use crate::areas::members::pages::members;
use pages as page;

/// Transfers of membership in the API.
#[derive(OpenApi)]
#[openapi(paths(
    api::list,
    api::start,
    api::out,
    api::transfer_in,
    api::accept,
    api::reject,
    api::cancel,
    api::slip,
))]
struct TransfersApi;

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[NavEntry {
        position: 40,
        href: "/transfers",
        label: "组织关系转接",
        description: "发起、接收、退回组织关系转接，登记介绍信回执",
        action: Some(Action::ManageMembers),
        tab: None,
    }],
    api: TransfersApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/transfers", SignedIn, page::list)
        .get("/api/v1/transfers", SignedIn, api::list)
        .get("/members/{id}/transfer", SignedIn, page::start_form)
        .post("/members/{id}/transfer", SignedIn, page::start)
        .post("/api/v1/transfers", SignedIn, api::start)
        .post("/members/{id}/transfer-out", SignedIn, page::out)
        .post("/api/v1/transfers/out", SignedIn, api::out)
        .get("/transfers/in", SignedIn, members::transfer_in_form)
        .post("/transfers/in", SignedIn, members::transfer_in)
        .post("/api/v1/transfers/in", SignedIn, api::transfer_in)
        .post("/transfers/{id}/accept", SignedIn, page::accept)
        .post("/api/v1/transfers/{id}/accept", SignedIn, api::accept)
        .post("/transfers/{id}/reject", SignedIn, page::reject)
        .post("/api/v1/transfers/{id}/reject", SignedIn, api::reject)
        .post("/transfers/{id}/cancel", SignedIn, page::cancel)
        .post("/api/v1/transfers/{id}/cancel", SignedIn, api::cancel)
        .post("/transfers/{id}/slip", SignedIn, page::slip)
        .post("/api/v1/transfers/{id}/slip", SignedIn, api::slip)
}
