//! Party dues (issue #6): bases, reliefs and extras per member, the monthly sheet per organization.

use crate::areas::members::IMPORT_BODY_LIMIT;
use crate::routes::Access::SignedIn;
use crate::routes::{Area, NavEntry, Table};
use utoipa::OpenApi;

mod api;
mod pages;

use pages::{self as page, bases, batch, member, sheet};

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[NavEntry {
        position: 50,
        href: "/dues",
        label: "党费",
        description: "按规定比例计算党费，登记每月收缴，查看欠交和收缴报表",
        action: None,
        tab: Some("党费"),
    }],
    api: api::DuesApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/dues", SignedIn, page::hub)
        .get("/api/v1/dues/mine", SignedIn, api::mine)
        .get("/dues/calc", SignedIn, page::calc)
        .get("/api/v1/dues/calc", SignedIn, api::calc)
        // A member's dues
        .get("/members/{id}/dues", SignedIn, member::show)
        .get("/api/v1/members/{id}/dues", SignedIn, api::member_dues)
        .post("/members/{id}/dues/base", SignedIn, member::set_base)
        .post("/api/v1/members/{id}/dues/bases", SignedIn, api::set_base)
        .post("/members/{id}/dues/relief", SignedIn, member::add_relief)
        .post("/api/v1/members/{id}/dues/reliefs", SignedIn, api::add_relief)
        .post("/members/{id}/dues/extra", SignedIn, member::record_extra)
        .post("/api/v1/members/{id}/dues/extras", SignedIn, api::record_extra)
        // An organization's sheet
        .get("/orgs/{id}/dues", SignedIn, sheet::show)
        .get("/api/v1/orgs/{id}/dues/sheet", SignedIn, api::sheet)
        .get("/api/v1/orgs/{id}/dues/summary", SignedIn, api::summary)
        .post("/orgs/{id}/dues/open", SignedIn, sheet::open)
        .post("/api/v1/orgs/{id}/dues/sheet/open", SignedIn, api::open_month)
        .post("/orgs/{id}/dues/pay", SignedIn, sheet::pay)
        .post("/api/v1/dues/payments", SignedIn, api::pay)
        .post("/orgs/{id}/dues/payments/batch", SignedIn, batch::pay_batch)
        .post("/api/v1/orgs/{id}/dues/payments/batch", SignedIn, api::pay_batch)
        .get("/orgs/{id}/dues/bases", SignedIn, bases::show)
        .post("/orgs/{id}/dues/bases", SignedIn, bases::save)
        .get("/api/v1/orgs/{id}/dues/bases", SignedIn, api::bases_grid)
        .post("/api/v1/orgs/{id}/dues/bases", SignedIn, api::save_bases_grid)
        .get("/orgs/{id}/dues/year", SignedIn, sheet::year)
        .get("/api/v1/orgs/{id}/dues/year", SignedIn, api::year)
        .post("/orgs/{id}/dues/settings", SignedIn, sheet::settings)
        .post("/api/v1/orgs/{id}/dues/settings", SignedIn, api::settings)
        .get("/api/v1/orgs/{id}/dues/export", SignedIn, api::export)
        // Imports of payments: uploads may exceed `BODY_LIMIT`.
        .get("/api/v1/dues/import-template", SignedIn, api::import_template)
        .get("/api/v1/orgs/{id}/dues/import-template", SignedIn, api::prefilled_import_template)
        .post("/orgs/{id}/dues/import", SignedIn, sheet::import).limit(IMPORT_BODY_LIMIT)
        .post("/api/v1/dues/import", SignedIn, api::import_file).limit(IMPORT_BODY_LIMIT)
}
