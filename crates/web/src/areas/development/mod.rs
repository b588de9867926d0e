//! Member development (发展党员): applicants and the steps of their way to membership.

use utoipa::OpenApi;

use crate::routes::Access::SignedIn;
use crate::routes::{Area, Table};
mod api;
mod pages;

use pages as page;

/// Member development in the API.
#[derive(OpenApi)]
#[openapi(paths(
    api::dashboard,
    api::create,
    api::get_one,
    api::record_step,
    api::extension,
    api::cancellation,
    api::check_file,
))]
struct DevelopmentApi;

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[],
    api: DevelopmentApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/orgs/{id}/development", SignedIn, page::dashboard)
        .get("/api/v1/orgs/{id}/development", SignedIn, api::dashboard)
        .get("/orgs/{id}/development/new", SignedIn, page::new_applicant_form)
        .post("/orgs/{id}/development/new", SignedIn, page::create_applicant)
        .post("/api/v1/development/applicants", SignedIn, api::create)
        .post("/api/v1/development/check", SignedIn, api::check_file)
        .get("/development/applicants/{id}", SignedIn, page::applicant)
        .get("/api/v1/development/applicants/{id}", SignedIn, api::get_one)
        .post("/development/applicants/{id}/steps", SignedIn, page::record_step)
        .post("/api/v1/development/applicants/{id}/steps", SignedIn, api::record_step)
        .post("/development/applicants/{id}/extension", SignedIn, page::record_extension)
        .post("/api/v1/development/applicants/{id}/extension", SignedIn, api::extension)
        .post("/development/applicants/{id}/cancellation", SignedIn, page::record_cancellation)
        .post("/api/v1/development/applicants/{id}/cancellation", SignedIn, api::cancellation)
}
