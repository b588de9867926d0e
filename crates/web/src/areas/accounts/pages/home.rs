use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::PageParams;
use dangjian_app::audit::{self, AuditEntryView, AuditQuery};
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::reminders::{self, ReminderView};
use dangjian_domain::access::Action;

use crate::AppState;
use crate::error::HttpError;
use crate::pages::{Csrf, Layout, ok};
use crate::session::CurrentActor;

#[derive(Template)]
#[template(path = "accounts/home.html")]
struct HomePage {
    layout: Layout,
    greeting: &'static str,
    name: String,
    role_label: &'static str,
    org_name: Option<String>,
    must_change_password: bool,
    orgs: Vec<OrgView>,
    orgs_total: usize,
    recent: Vec<AuditEntryView>,
    /// What waits for the caller in every area (待办), overdue first.
    reminders: Vec<ReminderView>,
    /// The API documentation is for those who connect other systems.
    shows_api_docs: bool,
}

/// The home page lists this many organizations; the tree page has them all.
const ORGS_ON_HOME: usize = 30;

fn greeting(hour: i8) -> &'static str {
    match hour {
        5..=10 => "早上好",
        11..=13 => "中午好",
        14..=17 => "下午好",
        _ => "晚上好",
    }
}

/// The home page differs by role: administrators see the organizations in their reach and the
/// latest audit entries; everyone sees what they can do next.
pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    let orgs = if actor.grant.may_ever(Action::ViewOrg) {
        orgs::orgs_in_reach(&state.app, &actor, Action::ViewOrg).await?
    } else {
        Vec::new()
    };
    let recent = if actor.grant.may_ever(Action::ViewAudit) {
        audit::browse(
            &state.app,
            &actor,
            &AuditQuery::default(),
            PageParams::new(Some(1), Some(5)),
        )
        .await?
        .items
    } else {
        Vec::new()
    };
    let orgs_total = orgs.len();
    let orgs = orgs.into_iter().take(ORGS_ON_HOME).collect();
    let reminders = reminders::due_for(&state.app, &actor).await?;
    let hour = state
        .app
        .now()
        .to_zoned(dangjian_domain::time::china())
        .hour();
    let page = HomePage {
        layout: Layout::for_actor(csrf, &actor, "/"),
        greeting: greeting(hour),
        name: actor.name.clone(),
        role_label: actor.role().label(),
        org_name: actor.org_name.clone(),
        must_change_password: actor.must_change_password,
        orgs,
        orgs_total,
        recent,
        reminders,
        shows_api_docs: actor.grant.may_ever(Action::ManageApiTokens),
    };
    Ok(ok(&page))
}
