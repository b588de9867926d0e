//! 争先创优 (issue 5): awards with their nominations and objections, and the assessment of
//! organizations.

use utoipa::OpenApi;

use super::Access::SignedIn;
use super::{Area, Table};
use crate::api::{assessment as assessment_api, awards as api};
use crate::pages::{assessment, awards as page};

/// 争先创优 and 效能考核 share this area.
fn awards_and_assessment_api() -> utoipa::openapi::OpenApi {
    api::AwardsApi::openapi().merge_from(assessment_api::AssessmentApi::openapi())
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
        .get("/api/v1/orgs/{id}/awards", SignedIn, api::list)
        .post("/api/v1/orgs/{id}/awards", SignedIn, api::start)
        .get("/awards/{id}", SignedIn, page::show)
        .get("/api/v1/awards/{id}", SignedIn, api::get_one)
        .post("/awards/{id}/nominations", SignedIn, page::nominate)
        .post("/api/v1/awards/{id}/nominations", SignedIn, api::nominate)
        .post("/awards/{id}/decision", SignedIn, page::decide)
        .post("/api/v1/awards/{id}/decision", SignedIn, api::decide)
        .post("/awards/{id}/objections", SignedIn, page::object)
        .post("/api/v1/awards/{id}/objections", SignedIn, api::object)
        .post("/awards/{id}/final", SignedIn, page::finalize)
        .post("/api/v1/awards/{id}/final", SignedIn, api::finalize)
        .get("/api/v1/members/{id}/honours", SignedIn, api::honours)
        // The assessment of organizations
        .get("/orgs/{id}/assessment", SignedIn, assessment::show)
        .get("/orgs/{id}/dashboard", SignedIn, assessment::dashboard)
        .get("/api/v1/orgs/{id}/assessment", SignedIn, assessment_api::scores)
        .post("/orgs/{id}/assessment/weights", SignedIn, assessment::set_weights)
        .post("/api/v1/orgs/{id}/assessment/weights", SignedIn, assessment_api::set_weights)
}
