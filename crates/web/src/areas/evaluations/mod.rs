//! 民主评议 (issue 5): the democratic evaluation of members.

use crate::routes::Access::SignedIn;
use crate::routes::{Area, Table};
use utoipa::OpenApi;

mod api;
mod pages;

use pages as page;

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[],
    api: api::EvaluationApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .post("/orgs/{id}/evaluations", SignedIn, page::start)
        .get("/api/v1/orgs/{id}/evaluations", SignedIn, api::list)
        .post("/api/v1/orgs/{id}/evaluations", SignedIn, api::start)
        .get("/evaluations/{id}", SignedIn, page::show)
        .get("/api/v1/evaluations/{id}", SignedIn, api::get_one)
        .post("/evaluations/{id}/self", SignedIn, page::self_evaluation)
        .post("/api/v1/evaluations/{id}/self", SignedIn, api::self_evaluation)
        .post("/evaluations/{id}/ratings", SignedIn, page::rate)
        .post("/api/v1/evaluations/{id}/ratings", SignedIn, api::rate)
        .post("/evaluations/{id}/proposal", SignedIn, page::propose)
        .post("/api/v1/evaluations/{id}/proposal", SignedIn, api::propose)
        .post("/evaluations/{id}/confirmation", SignedIn, page::confirm)
        .post("/api/v1/evaluations/{id}/confirmation", SignedIn, api::confirm)
        .get("/api/v1/members/{id}/evaluations", SignedIn, api::member_results)
}
