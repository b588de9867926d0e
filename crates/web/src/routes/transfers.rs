//! Transfers of members between organizations: out, in, and their answers.

use super::Access::SignedIn;
use super::Table;
use crate::api::transfers as api;
use crate::pages::{members, transfers as page};

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
