//! Organizational life (issue 4): activities, their attendance and records, check-in, the
//! attachments, ledgers and calendars they produce.

use utoipa::OpenApi;

use super::Access::{Public, SignedIn};
use super::{Area, NavEntry, Table};
use crate::api::{activities as api, activity_outputs as outputs};
use crate::pages::activities as page;
use crate::pages::life;
use crate::pages::life_files::{self as files, ATTACHMENT_BODY_LIMIT};

/// Uploads of attachments may exceed `BODY_LIMIT`.
const UPLOAD_LIMIT: usize = ATTACHMENT_BODY_LIMIT;

/// Organizational life in the API: plans, check-in, attendance, records and their outputs.
#[derive(OpenApi)]
#[openapi(paths(
    api::list,
    api::create,
    api::get_one,
    api::update,
    api::act,
    api::check_in_code,
    api::check_in,
    api::attendance,
    api::invite,
    api::request_leave,
    api::decide_leave,
    api::make_up,
    api::minutes,
    api::vote,
    api::amend,
    api::org_compliance,
    api::dual_life,
    api::mine,
    outputs::ledger,
    outputs::calendar,
    outputs::create_feed,
    outputs::revoke_feed,
    outputs::upload,
    outputs::attachment,
))]
struct LifeApi;

pub(super) const AREA: Area = Area {
    routes,
    navigation: &[NavEntry {
        position: 10,
        href: "/activities",
        label: "组织生活",
        description: "三会一课、主题党日：制定计划、审批、签到、记录，查看落实情况",
        action: None,
        tab: Some("活动"),
    }],
    api: LifeApi::openapi,
};

#[rustfmt::skip]
pub(super) fn routes(table: Table) -> Table {
    table
        .get("/activities", SignedIn, page::list)
        .get("/api/v1/activities", SignedIn, api::list)
        .get("/api/v1/me/activities", SignedIn, api::mine)
        .get("/activities/new", SignedIn, page::new_form)
        .post("/activities/new", SignedIn, page::create)
        .post("/api/v1/activities", SignedIn, api::create)
        .get("/activities/{id}", SignedIn, page::show)
        .get("/api/v1/activities/{id}", SignedIn, api::get_one)
        .get("/activities/{id}/edit", SignedIn, page::edit_form)
        .post("/activities/{id}/edit", SignedIn, page::update)
        .put("/api/v1/activities/{id}", SignedIn, api::update)
        .post("/activities/{id}/action", SignedIn, page::act)
        .post("/api/v1/activities/{id}/actions", SignedIn, api::act)
        // Attendance and the record of the meeting
        .post("/activities/{id}/attendees", SignedIn, page::invite)
        .post("/api/v1/activities/{id}/attendees", SignedIn, api::invite)
        .post("/activities/{id}/attendance", SignedIn, page::mark)
        .post("/api/v1/activities/{id}/attendance", SignedIn, api::attendance)
        .post("/activities/{id}/leave", SignedIn, page::request_leave)
        .post("/api/v1/activities/{id}/leave", SignedIn, api::request_leave)
        .post("/activities/{id}/leave-decision", SignedIn, page::decide_leave)
        .post("/api/v1/activities/{id}/leave-decisions", SignedIn, api::decide_leave)
        .post("/activities/{id}/make-up", SignedIn, page::make_up)
        .post("/api/v1/activities/{id}/make-up", SignedIn, api::make_up)
        .post("/activities/{id}/minutes", SignedIn, page::minutes)
        .post("/api/v1/activities/{id}/minutes", SignedIn, api::minutes)
        .post("/activities/{id}/votes", SignedIn, page::vote)
        .post("/api/v1/activities/{id}/votes", SignedIn, api::vote)
        .post("/activities/{id}/amendments", SignedIn, page::amend)
        .post("/api/v1/activities/{id}/amendments", SignedIn, api::amend)
        .get("/activities/{id}/print", SignedIn, life::print_minutes)
        // Check-in
        .get("/activities/{id}/check-in", SignedIn, life::check_in_screen)
        .post("/api/v1/activities/{id}/check-in", SignedIn, api::check_in)
        .get("/activities/{id}/check-in/qr", SignedIn, life::check_in_qr)
        .get("/api/v1/activities/{id}/check-in-code", SignedIn, api::check_in_code)
        .get("/checkin/{id}", SignedIn, life::scan)
        .post("/checkin/{id}", SignedIn, life::check_in)
        // Attachments
        .post("/activities/{id}/attachments", SignedIn, files::upload).limit(UPLOAD_LIMIT)
        .post("/api/v1/activities/{id}/attachments", SignedIn, outputs::upload).limit(UPLOAD_LIMIT)
        .get("/activities/{id}/attachments/{attachment_id}", SignedIn, files::download_attachment)
        .get("/api/v1/activities/{id}/attachments/{attachment_id}", SignedIn, outputs::attachment)
        // An organization's life
        .get("/orgs/{id}/compliance", SignedIn, life::compliance)
        .get("/api/v1/orgs/{id}/compliance", SignedIn, api::org_compliance)
        .get("/orgs/{id}/dual-life", SignedIn, life::dual_life)
        .get("/api/v1/orgs/{id}/dual-life", SignedIn, api::dual_life)
        .get("/orgs/{id}/activities.xlsx", SignedIn, life::ledger)
        .get("/api/v1/orgs/{id}/activity-ledger", SignedIn, outputs::ledger)
        .get("/orgs/{id}/calendar", SignedIn, files::calendar)
        .get("/api/v1/orgs/{id}/calendar", SignedIn, outputs::calendar)
        // Calendar feeds: the feed itself is public, reached by its secret token.
        .get("/account/calendar", SignedIn, files::feed_page)
        .post("/account/calendar", SignedIn, files::feed_change)
        .post("/api/v1/me/calendar-feed", SignedIn, outputs::create_feed)
        .delete("/api/v1/me/calendar-feed", SignedIn, outputs::revoke_feed)
        .get("/calendar/{token}", Public, files::feed)
}
