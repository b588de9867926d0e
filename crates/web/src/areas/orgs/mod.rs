//! Party organizations: the tree, each organization, its positions and its health.

use dangjian_domain::Action;
use utoipa::OpenApi;

use crate::routes::Access::SignedIn;
use crate::routes::{Area, NavEntry, Table};
mod api;
mod pages;

use pages as page;

/// The organization tree and positions in the API.
#[derive(OpenApi)]
#[openapi(paths(
    api::list,
    api::get_one,
    api::create,
    api::update,
    api::delete,
    api::move_targets,
    api::move_to,
    api::dissolve,
    api::health,
    api::positions,
    api::appoint,
    api::end_position,
))]
struct OrgsApi;

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[NavEntry {
        position: 20,
        href: "/orgs",
        label: "组织架构",
        description: "查看和调整党委、党总支、党支部、党小组",
        action: Some(Action::ViewOrg),
        tab: None,
    }],
    api: OrgsApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/orgs", SignedIn, page::tree)
        .post("/orgs", SignedIn, page::create)
        .get("/api/v1/orgs", SignedIn, api::list)
        .post("/api/v1/orgs", SignedIn, api::create)
        .get("/orgs/new", SignedIn, page::new_form)
        .get("/orgs/{id}", SignedIn, page::show)
        .get("/api/v1/orgs/{id}", SignedIn, api::get_one)
        .get("/orgs/{id}/edit", SignedIn, page::edit_form)
        .post("/orgs/{id}/edit", SignedIn, page::update)
        .put("/api/v1/orgs/{id}", SignedIn, api::update)
        .get("/api/v1/orgs/{id}/move-targets", SignedIn, api::move_targets)
        .post("/orgs/{id}/move", SignedIn, page::move_to)
        .post("/api/v1/orgs/{id}/move", SignedIn, api::move_to)
        .post("/orgs/{id}/dissolve", SignedIn, page::dissolve)
        .post("/api/v1/orgs/{id}/dissolve", SignedIn, api::dissolve)
        .post("/orgs/{id}/delete", SignedIn, page::delete)
        .delete("/api/v1/orgs/{id}", SignedIn, api::delete)
        .get("/api/v1/orgs/{id}/health", SignedIn, api::health)
        // Positions
        .get("/api/v1/orgs/{id}/positions", SignedIn, api::positions)
        .post("/orgs/{id}/positions", SignedIn, page::appoint)
        .post("/api/v1/orgs/{id}/positions", SignedIn, api::appoint)
        .post("/orgs/{id}/positions/end", SignedIn, page::end_position)
        .post("/api/v1/orgs/{id}/positions/end", SignedIn, api::end_position)
}
