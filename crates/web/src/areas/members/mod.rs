//! The roster: members, and its import and export as spreadsheets.

use dangjian_domain::Action;
use utoipa::OpenApi;

use crate::routes::Access::SignedIn;
use crate::routes::{Area, NavEntry, Table};
pub(crate) mod api;
pub(crate) mod pages;

use api::{members as member_api, roster_io as api_io};
use pages::members as page;
use pages::roster_io as page_io;
pub(crate) use pages::roster_io::IMPORT_BODY_LIMIT;

/// The roster in the API, with its import and export.
#[derive(OpenApi)]
#[openapi(paths(
    member_api::list,
    member_api::create,
    member_api::get_one,
    member_api::update,
    member_api::reveal_id_number,
    member_api::choices,
    api_io::import_template,
    api_io::import,
    api_io::export,
))]
struct MembersApi;

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[NavEntry {
        position: 30,
        href: "/members",
        label: "党员花名册",
        description: "按组织、类别、年龄、入党年份查找党员，登记和修改党员信息",
        action: Some(Action::ViewMembers),
        tab: None,
    }],
    api: MembersApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/members", SignedIn, page::list)
        .post("/members", SignedIn, page::create)
        .get("/api/v1/members", SignedIn, member_api::list)
        .post("/api/v1/members", SignedIn, member_api::create)
        .get("/members/new", SignedIn, page::new_form)
        .get("/members/{id}", SignedIn, page::show)
        .get("/api/v1/members/{id}", SignedIn, member_api::get_one)
        .get("/members/{id}/edit", SignedIn, page::edit_form)
        .post("/members/{id}/edit", SignedIn, page::update)
        .put("/api/v1/members/{id}", SignedIn, member_api::update)
        .post("/members/{id}/reveal-id", SignedIn, page::reveal_id)
        .post("/api/v1/members/{id}/reveal-id-number", SignedIn, member_api::reveal_id_number)
        // Choosing a member in a form, by name or pinyin initials
        .get("/partials/orgs/{id}/member-choices", SignedIn, page::choices)
        .get("/api/v1/orgs/{id}/member-choices", SignedIn, member_api::choices)
        // Import and export: uploads of roster files may exceed `BODY_LIMIT`.
        .get("/members/import-template", SignedIn, page_io::template)
        .get("/api/v1/members/import-template", SignedIn, api_io::import_template)
        .post("/members/import", SignedIn, page_io::import).limit(IMPORT_BODY_LIMIT)
        .post("/api/v1/members/import", SignedIn, api_io::import).limit(IMPORT_BODY_LIMIT)
        .post("/members/export", SignedIn, page_io::export)
        .post("/api/v1/members/export", SignedIn, api_io::export)
}
