//! Every route of the application, each declared public or signed-in. The router is built only
//! from this table, so a route cannot exist without saying who may reach it; the integration test
//! `every_route_is_public_or_guarded` walks [`table`] and checks each answer.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};
use utoipa_swagger_ui::SwaggerUi;

use crate::pages::roster_io::IMPORT_BODY_LIMIT;
use crate::session::{require_signed_in, require_signed_in_allow_initial_password};
use crate::{AppState, api, ops, pages};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in account that has set its own password.
    SignedIn,
    /// A signed-in account, even one still on its initial password (to change it, or sign out).
    SignedInInitialPassword,
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub path: &'static str,
    pub methods: &'static [&'static str],
    pub access: Access,
}

struct Table {
    router: Router<AppState>,
    specs: Vec<RouteSpec>,
}

impl Table {
    /// Adds one area's routes, kept in its own function.
    fn then(self, area: fn(Table) -> Table) -> Table {
        area(self)
    }

    fn add(
        mut self,
        path: &'static str,
        methods: &'static [&'static str],
        access: Access,
        route: MethodRouter<AppState>,
    ) -> Table {
        let route = match access {
            Access::Public => route,
            Access::SignedIn => route.route_layer(axum::middleware::from_fn(require_signed_in)),
            Access::SignedInInitialPassword => route.route_layer(axum::middleware::from_fn(
                require_signed_in_allow_initial_password,
            )),
        };
        self.router = self.router.route(path, route);
        self.specs.push(RouteSpec {
            path,
            methods,
            access,
        });
        self
    }
}

use Access::{Public, SignedIn, SignedInInitialPassword};

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "POST"];
const GET_PUT: &[&str] = &["GET", "PUT"];
const GET_PUT_DELETE: &[&str] = &["GET", "PUT", "DELETE"];

fn routes() -> Table {
    Table {
        router: Router::new(),
        specs: Vec::new(),
    }
    // Operations and assets
    .add("/healthz", GET, Public, get(ops::healthz))
    .add("/readyz", GET, Public, get(ops::readyz))
    .add("/static/{*path}", GET, Public, get(ops::static_file))
    // Pages
    .add(
        "/setup",
        GET_POST,
        Public,
        get(pages::setup::show).post(pages::setup::submit),
    )
    .add(
        "/login",
        GET_POST,
        Public,
        get(pages::login::show).post(pages::login::submit),
    )
    .add(
        "/logout",
        POST,
        SignedInInitialPassword,
        post(pages::login::logout),
    )
    .add("/", GET, SignedIn, get(pages::home::show))
    .add(
        "/account/password",
        GET_POST,
        SignedInInitialPassword,
        get(pages::password::show).post(pages::password::submit),
    )
    .add(
        "/admin/accounts",
        GET_POST,
        SignedIn,
        get(pages::accounts::list).post(pages::accounts::create),
    )
    .add(
        "/admin/accounts/new",
        GET,
        SignedIn,
        get(pages::accounts::new_form),
    )
    .add(
        "/admin/accounts/{id}/reset-password",
        POST,
        SignedIn,
        post(pages::accounts::reset_password),
    )
    .add(
        "/admin/accounts/{id}/unlock",
        POST,
        SignedIn,
        post(pages::accounts::unlock),
    )
    .add(
        "/admin/tokens",
        GET_POST,
        SignedIn,
        get(pages::tokens::list).post(pages::tokens::issue),
    )
    .add(
        "/admin/tokens/{id}/revoke",
        POST,
        SignedIn,
        post(pages::tokens::revoke),
    )
    .add("/admin/audit", GET, SignedIn, get(pages::audit::list))
    .add(
        "/orgs",
        GET_POST,
        SignedIn,
        get(pages::orgs::tree).post(pages::orgs::create),
    )
    .add("/orgs/new", GET, SignedIn, get(pages::orgs::new_form))
    .add("/orgs/{id}", GET, SignedIn, get(pages::orgs::show))
    .add(
        "/orgs/{id}/edit",
        GET_POST,
        SignedIn,
        get(pages::orgs::edit_form).post(pages::orgs::update),
    )
    .add(
        "/orgs/{id}/move",
        POST,
        SignedIn,
        post(pages::orgs::move_to),
    )
    .add(
        "/orgs/{id}/dissolve",
        POST,
        SignedIn,
        post(pages::orgs::dissolve),
    )
    .add(
        "/orgs/{id}/delete",
        POST,
        SignedIn,
        post(pages::orgs::delete),
    )
    .add(
        "/members",
        GET_POST,
        SignedIn,
        get(pages::members::list).post(pages::members::create),
    )
    .add("/members/new", GET, SignedIn, get(pages::members::new_form))
    .add(
        "/members/import-template",
        GET,
        SignedIn,
        get(pages::roster_io::template),
    )
    // Uploads of roster files are the one place bodies may exceed `BODY_LIMIT`.
    .add(
        "/members/import",
        POST,
        SignedIn,
        post(pages::roster_io::import).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
    )
    .add(
        "/members/export",
        POST,
        SignedIn,
        post(pages::roster_io::export),
    )
    .add("/members/{id}", GET, SignedIn, get(pages::members::show))
    .add(
        "/members/{id}/edit",
        GET_POST,
        SignedIn,
        get(pages::members::edit_form).post(pages::members::update),
    )
    .add(
        "/members/{id}/reveal-id",
        POST,
        SignedIn,
        post(pages::members::reveal_id),
    )
    .add(
        "/members/{id}/transfer",
        GET_POST,
        SignedIn,
        get(pages::transfers::start_form).post(pages::transfers::start),
    )
    .add(
        "/members/{id}/transfer-out",
        POST,
        SignedIn,
        post(pages::transfers::out),
    )
    .add(
        "/orgs/{id}/positions",
        POST,
        SignedIn,
        post(pages::orgs::appoint),
    )
    .add(
        "/orgs/{id}/positions/end",
        POST,
        SignedIn,
        post(pages::orgs::end_position),
    )
    .add("/transfers", GET, SignedIn, get(pages::transfers::list))
    .add(
        "/transfers/in",
        GET_POST,
        SignedIn,
        get(pages::members::transfer_in_form).post(pages::members::transfer_in),
    )
    .add(
        "/transfers/{id}/accept",
        POST,
        SignedIn,
        post(pages::transfers::accept),
    )
    .add(
        "/transfers/{id}/reject",
        POST,
        SignedIn,
        post(pages::transfers::reject),
    )
    .add(
        "/transfers/{id}/cancel",
        POST,
        SignedIn,
        post(pages::transfers::cancel),
    )
    .add(
        "/transfers/{id}/slip",
        POST,
        SignedIn,
        post(pages::transfers::slip),
    )
    // Party dues (issue #6)
    .add("/dues", GET, SignedIn, get(pages::dues::hub))
    .add("/dues/calc", GET, SignedIn, get(pages::dues::calc))
    .add(
        "/members/{id}/dues",
        GET,
        SignedIn,
        get(pages::dues::member::show),
    )
    .add(
        "/members/{id}/dues/base",
        POST,
        SignedIn,
        post(pages::dues::member::set_base),
    )
    .add(
        "/members/{id}/dues/relief",
        POST,
        SignedIn,
        post(pages::dues::member::add_relief),
    )
    .add(
        "/members/{id}/dues/extra",
        POST,
        SignedIn,
        post(pages::dues::member::record_extra),
    )
    .add(
        "/orgs/{id}/dues",
        GET,
        SignedIn,
        get(pages::dues::sheet::show),
    )
    .add(
        "/orgs/{id}/dues/open",
        POST,
        SignedIn,
        post(pages::dues::sheet::open),
    )
    .add(
        "/orgs/{id}/dues/pay",
        POST,
        SignedIn,
        post(pages::dues::sheet::pay),
    )
    .add(
        "/orgs/{id}/dues/year",
        GET,
        SignedIn,
        get(pages::dues::sheet::year),
    )
    .add("/api/v1/dues/calc", GET, SignedIn, get(api::dues::calc))
    .add("/api/v1/dues/mine", GET, SignedIn, get(api::dues::mine))
    .add(
        "/api/v1/dues/payments",
        POST,
        SignedIn,
        post(api::dues::pay),
    )
    .add(
        "/api/v1/members/{id}/dues",
        GET,
        SignedIn,
        get(api::dues::member_dues),
    )
    .add(
        "/api/v1/members/{id}/dues/bases",
        POST,
        SignedIn,
        post(api::dues::set_base),
    )
    .add(
        "/api/v1/members/{id}/dues/reliefs",
        POST,
        SignedIn,
        post(api::dues::add_relief),
    )
    .add(
        "/api/v1/members/{id}/dues/extras",
        POST,
        SignedIn,
        post(api::dues::record_extra),
    )
    .add(
        "/api/v1/orgs/{id}/dues/sheet",
        GET,
        SignedIn,
        get(api::dues::sheet),
    )
    .add(
        "/api/v1/orgs/{id}/dues/sheet/open",
        POST,
        SignedIn,
        post(api::dues::open_month),
    )
    .add(
        "/api/v1/orgs/{id}/dues/summary",
        GET,
        SignedIn,
        get(api::dues::summary),
    )
    .add(
        "/api/v1/orgs/{id}/dues/year",
        GET,
        SignedIn,
        get(api::dues::year),
    )
    .add(
        "/api/v1/orgs/{id}/dues/export",
        GET,
        SignedIn,
        get(api::dues::export),
    )
    .add(
        "/api/v1/dues/import-template",
        GET,
        SignedIn,
        get(api::dues::import_template),
    )
    .add(
        "/api/v1/dues/import",
        POST,
        SignedIn,
        post(api::dues::import_file).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
    )
    .add(
        "/api/v1/orgs/{id}/dues/settings",
        POST,
        SignedIn,
        post(api::dues::settings),
    )
    .add(
        "/orgs/{id}/dues/settings",
        POST,
        SignedIn,
        post(pages::dues::sheet::settings),
    )
    .add(
        "/orgs/{id}/dues/import",
        POST,
        SignedIn,
        post(pages::dues::sheet::import).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
    )
    // JSON API
    .add("/api/v1/auth/login", POST, Public, post(api::auth::login))
    .add(
        "/api/v1/auth/logout",
        POST,
        SignedInInitialPassword,
        post(api::auth::logout),
    )
    .add(
        "/api/v1/me",
        GET,
        SignedInInitialPassword,
        get(api::auth::me),
    )
    .add(
        "/api/v1/me/password",
        POST,
        SignedInInitialPassword,
        post(api::auth::change_password),
    )
    .add(
        "/api/v1/accounts",
        GET_POST,
        SignedIn,
        get(api::accounts::list).post(api::accounts::create),
    )
    .add(
        "/api/v1/accounts/{id}",
        GET,
        SignedIn,
        get(api::accounts::get_one),
    )
    .add(
        "/api/v1/accounts/{id}/reset-password",
        POST,
        SignedIn,
        post(api::accounts::reset_password),
    )
    .add(
        "/api/v1/accounts/{id}/unlock",
        POST,
        SignedIn,
        post(api::accounts::unlock),
    )
    .add(
        "/api/v1/tokens",
        GET_POST,
        SignedIn,
        get(api::tokens::list).post(api::tokens::issue),
    )
    .add(
        "/api/v1/tokens/{id}/revoke",
        POST,
        SignedIn,
        post(api::tokens::revoke),
    )
    .add("/api/v1/audit", GET, SignedIn, get(api::audit::list))
    .add(
        "/api/v1/orgs",
        GET_POST,
        SignedIn,
        get(api::orgs::list).post(api::orgs::create),
    )
    .add(
        "/api/v1/orgs/{id}",
        GET_PUT_DELETE,
        SignedIn,
        get(api::orgs::get_one)
            .put(api::orgs::update)
            .delete(api::orgs::delete),
    )
    .add(
        "/api/v1/orgs/{id}/move-targets",
        GET,
        SignedIn,
        get(api::orgs::move_targets),
    )
    .add(
        "/api/v1/orgs/{id}/move",
        POST,
        SignedIn,
        post(api::orgs::move_to),
    )
    .add(
        "/api/v1/orgs/{id}/dissolve",
        POST,
        SignedIn,
        post(api::orgs::dissolve),
    )
    .add(
        "/api/v1/members",
        GET_POST,
        SignedIn,
        get(api::members::list).post(api::members::create),
    )
    .add(
        "/api/v1/members/import-template",
        GET,
        SignedIn,
        get(api::roster_io::import_template),
    )
    .add(
        "/api/v1/members/import",
        POST,
        SignedIn,
        post(api::roster_io::import).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
    )
    .add(
        "/api/v1/members/export",
        POST,
        SignedIn,
        post(api::roster_io::export),
    )
    .add(
        "/api/v1/members/{id}",
        GET_PUT,
        SignedIn,
        get(api::members::get_one).put(api::members::update),
    )
    .add(
        "/api/v1/members/{id}/reveal-id-number",
        POST,
        SignedIn,
        post(api::members::reveal_id_number),
    )
    .add(
        "/api/v1/orgs/{id}/health",
        GET,
        SignedIn,
        get(api::orgs::health),
    )
    .add(
        "/api/v1/orgs/{id}/positions",
        GET_POST,
        SignedIn,
        get(api::orgs::positions).post(api::orgs::appoint),
    )
    .add(
        "/api/v1/orgs/{id}/positions/end",
        POST,
        SignedIn,
        post(api::orgs::end_position),
    )
    .add(
        "/api/v1/transfers",
        GET_POST,
        SignedIn,
        get(api::transfers::list).post(api::transfers::start),
    )
    .add(
        "/api/v1/transfers/out",
        POST,
        SignedIn,
        post(api::transfers::out),
    )
    .add(
        "/api/v1/transfers/in",
        POST,
        SignedIn,
        post(api::transfers::transfer_in),
    )
    .add(
        "/api/v1/transfers/{id}/accept",
        POST,
        SignedIn,
        post(api::transfers::accept),
    )
    .add(
        "/api/v1/transfers/{id}/reject",
        POST,
        SignedIn,
        post(api::transfers::reject),
    )
    .add(
        "/api/v1/transfers/{id}/cancel",
        POST,
        SignedIn,
        post(api::transfers::cancel),
    )
    .add(
        "/api/v1/transfers/{id}/slip",
        POST,
        SignedIn,
        post(api::transfers::slip),
    )
    // Member development (发展党员): pages, then the JSON API
    .add(
        "/orgs/{id}/development",
        GET,
        SignedIn,
        get(pages::development::dashboard),
    )
    .add(
        "/orgs/{id}/development/new",
        GET_POST,
        SignedIn,
        get(pages::development::new_applicant_form).post(pages::development::create_applicant),
    )
    .add(
        "/development/applicants/{id}",
        GET,
        SignedIn,
        get(pages::development::applicant),
    )
    .add(
        "/development/applicants/{id}/steps",
        POST,
        SignedIn,
        post(pages::development::record_step),
    )
    .add(
        "/development/applicants/{id}/extension",
        POST,
        SignedIn,
        post(pages::development::record_extension),
    )
    .add(
        "/development/applicants/{id}/cancellation",
        POST,
        SignedIn,
        post(pages::development::record_cancellation),
    )
    .add(
        "/api/v1/orgs/{id}/development",
        GET,
        SignedIn,
        get(api::development::dashboard),
    )
    .add(
        "/api/v1/development/applicants",
        POST,
        SignedIn,
        post(api::development::create),
    )
    .add(
        "/api/v1/development/applicants/{id}",
        GET,
        SignedIn,
        get(api::development::get_one),
    )
    .add(
        "/api/v1/development/applicants/{id}/steps",
        POST,
        SignedIn,
        post(api::development::record_step),
    )
    .add(
        "/api/v1/development/applicants/{id}/extension",
        POST,
        SignedIn,
        post(api::development::extension),
    )
    .add(
        "/api/v1/development/applicants/{id}/cancellation",
        POST,
        SignedIn,
        post(api::development::cancellation),
    )
    .add(
        "/api/v1/development/check",
        POST,
        SignedIn,
        post(api::development::check_file),
    )
    .then(activity_routes)
    .then(points_routes)
}

/// Organizational life (issue 4).
fn activity_routes(table: Table) -> Table {
    use pages::activities as page;
    use pages::{life, life_files};
    table
        .add("/activities", GET, SignedIn, get(page::list))
        .add(
            "/activities/new",
            GET_POST,
            SignedIn,
            get(page::new_form).post(page::create),
        )
        .add("/activities/{id}", GET, SignedIn, get(page::show))
        .add(
            "/activities/{id}/edit",
            GET_POST,
            SignedIn,
            get(page::edit_form).post(page::update),
        )
        .add("/activities/{id}/action", POST, SignedIn, post(page::act))
        .add(
            "/activities/{id}/attendance",
            POST,
            SignedIn,
            post(page::mark),
        )
        .add(
            "/activities/{id}/attendees",
            POST,
            SignedIn,
            post(page::invite),
        )
        .add(
            "/activities/{id}/leave",
            POST,
            SignedIn,
            post(page::request_leave),
        )
        .add(
            "/activities/{id}/leave-decision",
            POST,
            SignedIn,
            post(page::decide_leave),
        )
        .add(
            "/activities/{id}/make-up",
            POST,
            SignedIn,
            post(page::make_up),
        )
        .add(
            "/activities/{id}/minutes",
            POST,
            SignedIn,
            post(page::minutes),
        )
        .add("/activities/{id}/votes", POST, SignedIn, post(page::vote))
        .add(
            "/activities/{id}/amendments",
            POST,
            SignedIn,
            post(page::amend),
        )
        .add(
            "/activities/{id}/check-in",
            GET,
            SignedIn,
            get(life::check_in_screen),
        )
        .add(
            "/activities/{id}/check-in/qr",
            GET,
            SignedIn,
            get(life::check_in_qr),
        )
        .add(
            "/activities/{id}/print",
            GET,
            SignedIn,
            get(life::print_minutes),
        )
        .add(
            "/checkin/{id}",
            GET_POST,
            SignedIn,
            get(life::scan).post(life::check_in),
        )
        .add(
            "/orgs/{id}/compliance",
            GET,
            SignedIn,
            get(life::compliance),
        )
        .add("/orgs/{id}/dual-life", GET, SignedIn, get(life::dual_life))
        .add(
            "/orgs/{id}/activities.xlsx",
            GET,
            SignedIn,
            get(life::ledger),
        )
        .add(
            "/orgs/{id}/calendar",
            GET,
            SignedIn,
            get(life_files::calendar),
        )
        .add(
            "/account/calendar",
            GET_POST,
            SignedIn,
            get(life_files::feed_page).post(life_files::feed_change),
        )
        .add("/calendar/{token}", GET, Public, get(life_files::feed))
        .add(
            "/activities/{id}/attachments",
            POST,
            SignedIn,
            post(life_files::upload)
                .layer(DefaultBodyLimit::max(life_files::ATTACHMENT_BODY_LIMIT)),
        )
        .add(
            "/activities/{id}/attachments/{attachment_id}",
            GET,
            SignedIn,
            get(life_files::download_attachment),
        )
        .add(
            "/api/v1/activities/{id}/attachments",
            POST,
            SignedIn,
            post(api::activity_outputs::upload)
                .layer(DefaultBodyLimit::max(life_files::ATTACHMENT_BODY_LIMIT)),
        )
        .add(
            "/api/v1/activities/{id}/attachments/{attachment_id}",
            GET,
            SignedIn,
            get(api::activity_outputs::attachment),
        )
        .add(
            "/api/v1/activities",
            GET_POST,
            SignedIn,
            get(api::activities::list).post(api::activities::create),
        )
        .add(
            "/api/v1/activities/{id}",
            GET_PUT,
            SignedIn,
            get(api::activities::get_one).put(api::activities::update),
        )
        .add(
            "/api/v1/activities/{id}/actions",
            POST,
            SignedIn,
            post(api::activities::act),
        )
        .add(
            "/api/v1/activities/{id}/check-in-code",
            GET,
            SignedIn,
            get(api::activities::check_in_code),
        )
        .add(
            "/api/v1/activities/{id}/check-in",
            POST,
            SignedIn,
            post(api::activities::check_in),
        )
        .add(
            "/api/v1/activities/{id}/attendance",
            POST,
            SignedIn,
            post(api::activities::attendance),
        )
        .add(
            "/api/v1/activities/{id}/attendees",
            POST,
            SignedIn,
            post(api::activities::invite),
        )
        .add(
            "/api/v1/activities/{id}/leave",
            POST,
            SignedIn,
            post(api::activities::request_leave),
        )
        .add(
            "/api/v1/activities/{id}/leave-decisions",
            POST,
            SignedIn,
            post(api::activities::decide_leave),
        )
        .add(
            "/api/v1/activities/{id}/make-up",
            POST,
            SignedIn,
            post(api::activities::make_up),
        )
        .add(
            "/api/v1/activities/{id}/minutes",
            POST,
            SignedIn,
            post(api::activities::minutes),
        )
        .add(
            "/api/v1/activities/{id}/votes",
            POST,
            SignedIn,
            post(api::activities::vote),
        )
        .add(
            "/api/v1/activities/{id}/amendments",
            POST,
            SignedIn,
            post(api::activities::amend),
        )
        .add(
            "/api/v1/orgs/{id}/compliance",
            GET,
            SignedIn,
            get(api::activities::org_compliance),
        )
        .add(
            "/api/v1/orgs/{id}/dual-life",
            GET,
            SignedIn,
            get(api::activities::dual_life),
        )
        .add(
            "/api/v1/me/activities",
            GET,
            SignedIn,
            get(api::activities::mine),
        )
        .add(
            "/api/v1/orgs/{id}/activity-ledger",
            GET,
            SignedIn,
            get(api::activity_outputs::ledger),
        )
        .add(
            "/api/v1/orgs/{id}/calendar",
            GET,
            SignedIn,
            get(api::activity_outputs::calendar),
        )
        .add(
            "/api/v1/me/calendar-feed",
            &["POST", "DELETE"],
            SignedIn,
            post(api::activity_outputs::create_feed).delete(api::activity_outputs::revoke_feed),
        )
}

/// Points (issue 5).
fn points_routes(table: Table) -> Table {
    use api::points as api;
    use pages::points as page;
    table
        .add("/points", GET, SignedIn, get(page::hub))
        .add("/points/card", GET, SignedIn, get(page::card))
        .add("/orgs/{id}/points", GET, SignedIn, get(page::org))
        .add(
            "/orgs/{id}/points/rules",
            POST,
            SignedIn,
            post(page::new_version),
        )
        .add(
            "/orgs/{id}/points/proposals",
            POST,
            SignedIn,
            post(page::propose),
        )
        .add(
            "/points/proposals/{id}/decision",
            POST,
            SignedIn,
            post(page::decide),
        )
        .add(
            "/points/entries/{id}/reversal",
            POST,
            SignedIn,
            post(page::reverse),
        )
        .add(
            "/orgs/{id}/points/bulletin",
            GET,
            SignedIn,
            get(page::bulletin_page),
        )
        .add(
            "/orgs/{id}/points/bulletin/publish",
            POST,
            SignedIn,
            post(page::publish),
        )
        .add(
            "/admin/points/verify",
            GET,
            SignedIn,
            get(page::verify_page),
        )
        .add("/api/v1/points/card", GET, SignedIn, get(api::card))
        .add(
            "/api/v1/points/bulletins",
            GET,
            SignedIn,
            get(api::my_bulletins),
        )
        .add("/api/v1/points/process", POST, SignedIn, post(api::process))
        .add(
            "/api/v1/points/proposals",
            POST,
            SignedIn,
            post(api::propose),
        )
        .add(
            "/api/v1/points/proposals/{id}/decision",
            POST,
            SignedIn,
            post(api::decide),
        )
        .add(
            "/api/v1/points/entries/{id}/reversal",
            POST,
            SignedIn,
            post(api::reverse),
        )
        .add(
            "/api/v1/points/verify",
            GET,
            SignedIn,
            get(api::verify_chain),
        )
        .add(
            "/api/v1/orgs/{id}/points/rules",
            GET_POST,
            SignedIn,
            get(api::rules).post(api::new_version),
        )
        .add(
            "/api/v1/orgs/{id}/points/leaderboard",
            GET,
            SignedIn,
            get(api::leaderboard),
        )
        .add(
            "/api/v1/orgs/{id}/points/proposals",
            GET,
            SignedIn,
            get(api::org_proposals),
        )
        .add(
            "/api/v1/orgs/{id}/points/bulletin",
            GET,
            SignedIn,
            get(api::bulletin_view),
        )
        .add(
            "/api/v1/orgs/{id}/points/bulletin/publish",
            POST,
            SignedIn,
            post(api::publish),
        )
        .add(
            "/api/v1/orgs/{id}/points/bulletin/export",
            GET,
            SignedIn,
            get(api::bulletin_export),
        )
        .then(evaluation_routes)
}

/// 民主评议 (issue 5).
fn evaluation_routes(table: Table) -> Table {
    use api::evaluation as api;
    use pages::evaluation as page;
    table
        .add("/orgs/{id}/evaluations", POST, SignedIn, post(page::start))
        .add("/evaluations/{id}", GET, SignedIn, get(page::show))
        .add(
            "/evaluations/{id}/self",
            POST,
            SignedIn,
            post(page::self_evaluation),
        )
        .add(
            "/evaluations/{id}/ratings",
            POST,
            SignedIn,
            post(page::rate),
        )
        .add(
            "/evaluations/{id}/proposal",
            POST,
            SignedIn,
            post(page::propose),
        )
        .add(
            "/evaluations/{id}/confirmation",
            POST,
            SignedIn,
            post(page::confirm),
        )
        .add(
            "/api/v1/orgs/{id}/evaluations",
            GET_POST,
            SignedIn,
            get(api::list).post(api::start),
        )
        .add("/api/v1/evaluations/{id}", GET, SignedIn, get(api::get_one))
        .add(
            "/api/v1/evaluations/{id}/self",
            POST,
            SignedIn,
            post(api::self_evaluation),
        )
        .add(
            "/api/v1/evaluations/{id}/ratings",
            POST,
            SignedIn,
            post(api::rate),
        )
        .add(
            "/api/v1/evaluations/{id}/proposal",
            POST,
            SignedIn,
            post(api::propose),
        )
        .add(
            "/api/v1/evaluations/{id}/confirmation",
            POST,
            SignedIn,
            post(api::confirm),
        )
        .add(
            "/api/v1/members/{id}/evaluations",
            GET,
            SignedIn,
            get(api::member_results),
        )
        .then(award_routes)
}

/// 争先创优 (issue 5).
fn award_routes(table: Table) -> Table {
    use api::awards as api;
    use pages::awards as page;
    table
        .add("/orgs/{id}/awards", POST, SignedIn, post(page::start))
        .add("/awards/{id}", GET, SignedIn, get(page::show))
        .add(
            "/awards/{id}/nominations",
            POST,
            SignedIn,
            post(page::nominate),
        )
        .add("/awards/{id}/decision", POST, SignedIn, post(page::decide))
        .add(
            "/awards/{id}/objections",
            POST,
            SignedIn,
            post(page::object),
        )
        .add("/awards/{id}/final", POST, SignedIn, post(page::finalize))
        .add(
            "/api/v1/orgs/{id}/awards",
            GET_POST,
            SignedIn,
            get(api::list).post(api::start),
        )
        .add("/api/v1/awards/{id}", GET, SignedIn, get(api::get_one))
        .add(
            "/api/v1/awards/{id}/nominations",
            POST,
            SignedIn,
            post(api::nominate),
        )
        .add(
            "/api/v1/awards/{id}/decision",
            POST,
            SignedIn,
            post(api::decide),
        )
        .add(
            "/api/v1/awards/{id}/objections",
            POST,
            SignedIn,
            post(api::object),
        )
        .add(
            "/api/v1/awards/{id}/final",
            POST,
            SignedIn,
            post(api::finalize),
        )
        .add(
            "/api/v1/members/{id}/honours",
            GET,
            SignedIn,
            get(api::honours),
        )
        .add(
            "/orgs/{id}/assessment",
            GET,
            SignedIn,
            get(pages::assessment::show),
        )
        .add(
            "/orgs/{id}/assessment/weights",
            POST,
            SignedIn,
            post(pages::assessment::set_weights),
        )
        .add(
            "/api/v1/orgs/{id}/assessment",
            GET,
            SignedIn,
            get(crate::api::assessment::scores),
        )
        .add(
            "/api/v1/orgs/{id}/assessment/weights",
            POST,
            SignedIn,
            post(crate::api::assessment::set_weights),
        )
}

/// The public routes the Swagger UI adds (the OpenAPI document and the docs page with its assets).
const DOCS_ROUTES: [RouteSpec; 3] = [
    RouteSpec {
        path: "/api/openapi.json",
        methods: GET,
        access: Public,
    },
    RouteSpec {
        path: "/api/docs",
        methods: GET,
        access: Public,
    },
    RouteSpec {
        path: "/api/docs/{*rest}",
        methods: GET,
        access: Public,
    },
];

/// Every route with its access, for tests and documentation.
pub fn table() -> Vec<RouteSpec> {
    let mut specs = routes().specs;
    specs.extend(DOCS_ROUTES);
    specs
}

pub(crate) fn build(state: AppState) -> Router {
    let docs: Router<AppState> = SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", api::openapi_document())
        .into();
    routes()
        .router
        .merge(docs)
        .fallback(ops::not_found)
        .with_state(state)
}
