//! 争先创优 (issue 5): awards with their nominations and objections, and the assessment of
//! organizations.

use utoipa::OpenApi;

use crate::routes::Access::SignedIn;
use crate::routes::{Area, Table};
mod api;
mod pages;

use api::{assessment as assessment_api, awards as awards_api};
use pages::{assessment, awards as page};

/// 争先创优 and 效能考核 share this area.
fn awards_and_assessment_api() -> utoipa::openapi::OpenApi {
    awards_api::AwardsApi::openapi().merge_from(assessment_api::AssessmentApi::openapi())
}

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[],
    api: awards_and_assessment_api,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .post("/orgs/{id}/awards", SignedIn, page::start)
        .get("/api/v1/orgs/{id}/awards", SignedIn, awards_api::list)
        .post("/api/v1/orgs/{id}/awards", SignedIn, awards_api::start)
        .get("/awards/{id}", SignedIn, page::show)
        .get("/api/v1/awards/{id}", SignedIn, awards_api::get_one)
        .post("/awards/{id}/nominations", SignedIn, page::nominate)
        .post("/api/v1/awards/{id}/nominations", SignedIn, awards_api::nominate)
        .post("/awards/{id}/decision", SignedIn, page::decide)
        .post("/api/v1/awards/{id}/decision", SignedIn, awards_api::decide)
        .post("/awards/{id}/objections", SignedIn, page::object)
        .post("/api/v1/awards/{id}/objections", SignedIn, awards_api::object)
        .post("/awards/{id}/final", SignedIn, page::finalize)
        .post("/api/v1/awards/{id}/final", SignedIn, awards_api::finalize)
        .get("/api/v1/members/{id}/honours", SignedIn, awards_api::honours)
        // The assessment of organizations
        .get("/orgs/{id}/assessment", SignedIn, assessment::show)
        .get("/orgs/{id}/dashboard", SignedIn, assessment::dashboard)
        .get("/api/v1/orgs/{id}/assessment", SignedIn, assessment_api::scores)
        .post("/orgs/{id}/assessment/weights", SignedIn, assessment::set_weights)
        .post("/api/v1/orgs/{id}/assessment/weights", SignedIn, assessment_api::set_weights)
}
