//! Organizational life (issue 4): activities, their attendance and records, check-in, the
//! attachments, ledgers and calendars they produce.

use utoipa::OpenApi;

use crate::routes::Access::{Public, SignedIn};
use crate::routes::{Area, NavEntry, Table};
mod api;
mod pages;

use api::{activities as activity_api, activity_outputs as outputs};
use pages::activities as page;
use pages::life;
use pages::life_files::{self as files, ATTACHMENT_BODY_LIMIT};

/// Uploads of attachments may exceed `BODY_LIMIT`.
const UPLOAD_LIMIT: usize = ATTACHMENT_BODY_LIMIT;

/// Organizational life in the API: plans, check-in, attendance, records and their outputs.
#[derive(OpenApi)]
#[openapi(paths(
    activity_api::list,
    activity_api::create,
    activity_api::get_one,
    activity_api::update,
    activity_api::act,
    activity_api::check_in_code,
    activity_api::check_in,
    activity_api::attendance,
    activity_api::attendance_batch,
    activity_api::invite,
    activity_api::request_leave,
    activity_api::decide_leave,
    activity_api::make_up,
    activity_api::minutes,
    activity_api::vote,
    activity_api::amend,
    activity_api::org_compliance,
    activity_api::month_plan,
    activity_api::dual_life,
    activity_api::mine,
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
        .get("/api/v1/activities", SignedIn, activity_api::list)
        .get("/api/v1/me/activities", SignedIn, activity_api::mine)
        .get("/activities/new", SignedIn, page::new_form)
        .post("/activities/new", SignedIn, page::create)
        .post("/api/v1/activities", SignedIn, activity_api::create)
        .get("/activities/{id}", SignedIn, page::show)
        .get("/api/v1/activities/{id}", SignedIn, activity_api::get_one)
        .get("/activities/{id}/edit", SignedIn, page::edit_form)
        .post("/activities/{id}/edit", SignedIn, page::update)
        .put("/api/v1/activities/{id}", SignedIn, activity_api::update)
        .post("/activities/{id}/action", SignedIn, page::act)
        .post("/api/v1/activities/{id}/actions", SignedIn, activity_api::act)
        // Attendance and the record of the meeting
        .post("/activities/{id}/attendees", SignedIn, page::invite)
        .post("/api/v1/activities/{id}/attendees", SignedIn, activity_api::invite)
        .post("/activities/{id}/attendance", SignedIn, page::mark)
        .post("/api/v1/activities/{id}/attendance", SignedIn, activity_api::attendance)
        .post("/activities/{id}/attendance/batch", SignedIn, page::mark_many)
        .post("/api/v1/activities/{id}/attendance/batch", SignedIn, activity_api::attendance_batch)
        .post("/activities/{id}/leave", SignedIn, page::request_leave)
        .post("/api/v1/activities/{id}/leave", SignedIn, activity_api::request_leave)
        .post("/activities/{id}/leave-decision", SignedIn, page::decide_leave)
        .post("/api/v1/activities/{id}/leave-decisions", SignedIn, activity_api::decide_leave)
        .post("/activities/{id}/make-up", SignedIn, page::make_up)
        .post("/api/v1/activities/{id}/make-up", SignedIn, activity_api::make_up)
        .post("/activities/{id}/minutes", SignedIn, page::minutes)
        .post("/api/v1/activities/{id}/minutes", SignedIn, activity_api::minutes)
        .post("/activities/{id}/votes", SignedIn, page::vote)
        .post("/api/v1/activities/{id}/votes", SignedIn, activity_api::vote)
        .post("/activities/{id}/amendments", SignedIn, page::amend)
        .post("/api/v1/activities/{id}/amendments", SignedIn, activity_api::amend)
        .get("/activities/{id}/print", SignedIn, life::print_minutes)
        // Check-in
        .get("/activities/{id}/check-in", SignedIn, life::check_in_screen)
        .post("/api/v1/activities/{id}/check-in", SignedIn, activity_api::check_in)
        .get("/activities/{id}/check-in/qr", SignedIn, life::check_in_qr)
        .get("/api/v1/activities/{id}/check-in-code", SignedIn, activity_api::check_in_code)
        .get("/checkin/{id}", SignedIn, life::scan)
        .post("/checkin/{id}", SignedIn, life::check_in)
        // Attachments
        .post("/activities/{id}/attachments", SignedIn, files::upload).limit(UPLOAD_LIMIT)
        .post("/api/v1/activities/{id}/attachments", SignedIn, outputs::upload).limit(UPLOAD_LIMIT)
        .get("/activities/{id}/attachments/{attachment_id}", SignedIn, files::download_attachment)
        .get("/api/v1/activities/{id}/attachments/{attachment_id}", SignedIn, outputs::attachment)
        // An organization's life
        .get("/orgs/{id}/month-plan", SignedIn, page::month_plan_preview)
        .post("/orgs/{id}/month-plan", SignedIn, page::month_plan_create)
        .post("/api/v1/orgs/{id}/activities/month-plan", SignedIn, activity_api::month_plan)
        .get("/orgs/{id}/compliance", SignedIn, life::compliance)
        .get("/api/v1/orgs/{id}/compliance", SignedIn, activity_api::org_compliance)
        .get("/orgs/{id}/dual-life", SignedIn, life::dual_life)
        .get("/api/v1/orgs/{id}/dual-life", SignedIn, activity_api::dual_life)
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
