//! Organizational-life pages: the list, an activity's page, and (in the submodules) the plan
//! form and the actions taken on an activity.

use dangjian_domain::ActivityId;
use dangjian_domain::OrgId;
mod actions;
mod attendance_batch;
mod month_plan;
mod plan;

pub use actions::{act, amend, decide_leave, invite, make_up, mark, minutes, request_leave, vote};
pub use attendance_batch::mark_many;
pub use month_plan::{month_plan_create, month_plan_preview};
pub use plan::{create, edit_form, new_form, update};

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::activities::{
    self, ActivityDetail, ActivityListFilter, ActivityView, MyActivityView,
};
use dangjian_app::members::MemberChoice;
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::{Actor, AppError, PageParams};
use dangjian_domain::access::Action;
use dangjian_domain::activity::{ActivityKind, ActivityStatus, Attendance};
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, QueryParams};
use crate::pages::notice::{self, Notice, NoticeQuery};
use crate::pages::{Csrf, Layout, Pager, ok, page_number, render};
use crate::session::CurrentActor;

const HERE: &str = "/activities";

pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
}

fn kind_choices() -> Vec<Choice> {
    ActivityKind::ALL
        .iter()
        .map(|k| Choice {
            code: k.code(),
            label: k.label(),
        })
        .collect()
}

fn status_choices() -> Vec<Choice> {
    ActivityStatus::ALL
        .iter()
        .map(|s| Choice {
            code: s.code(),
            label: s.label(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "life/activities.html")]
struct ListPage {
    layout: Layout,
    manages: bool,
    items: Vec<ActivityView>,
    pager: Option<Pager>,
    mine: Vec<MyActivityView>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    orgs: Vec<OrgView>,
    query: ListQuery,
    awaiting: Vec<ActivityView>,
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    org: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    period: String,
    page: Option<String>,
}

/// Managers see the activities of their reach and the plans awaiting their approval; everyone
/// with a member record sees their own activities.
pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<ListQuery>,
) -> Result<Response, HttpError> {
    let manages = actor.grant.may_ever(Action::ViewOrg);
    let (items, pager, orgs, awaiting) = if manages {
        let filter = ActivityListFilter {
            org: query.org.trim().parse().ok(),
            kind: Some(query.kind.clone()).filter(|k| !k.is_empty()),
            status: Some(query.status.clone()).filter(|s| !s.is_empty()),
            period: Some(query.period.clone()).filter(|p| !p.is_empty()),
            awaiting_approval: false,
            page: page_number(query.page.as_deref()),
            per_page: Some(20),
        };
        let page = activities::list(&state.app, &actor, &filter).await?;
        let pager = Pager::new(
            &page,
            HERE,
            &[
                ("org", &query.org),
                ("kind", &query.kind),
                ("status", &query.status),
                ("period", &query.period),
            ],
        );
        let awaiting = if actor.grant.may_ever(Action::ApproveActivities) {
            let filter = ActivityListFilter {
                awaiting_approval: true,
                per_page: Some(50),
                ..ActivityListFilter::default()
            };
            activities::list(&state.app, &actor, &filter).await?.items
        } else {
            Vec::new()
        };
        let orgs = orgs::orgs_in_reach(&state.app, &actor, Action::ViewOrg).await?;
        (page.items, Some(pager), orgs, awaiting)
    } else {
        (Vec::new(), None, Vec::new(), Vec::new())
    };
    let mine = if actor.member_id.is_some() {
        activities::my_activities(&state.app, &actor, PageParams::new(Some(1), Some(30)))
            .await?
            .items
    } else {
        Vec::new()
    };
    Ok(ok(&ListPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        manages,
        items,
        pager,
        mine,
        kinds: kind_choices(),
        statuses: status_choices(),
        orgs,
        query,
        awaiting,
    }))
}

#[derive(Template)]
#[template(path = "life/activity.html")]
struct DetailPage {
    layout: Layout,
    detail: ActivityDetail,
    people: Vec<MemberChoice>,
    notice: Option<&'static str>,
    error: Option<String>,
    /// What the vote form proposes: full members listed, full members present.
    full_listed: usize,
    full_present: usize,
}

async fn detail_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<DetailPage, HttpError> {
    let detail = activities::get(&state.app, actor, ActivityId(id)).await?;
    let people = if detail.activity.can_manage && !detail.activity.status.starts_with("arch") {
        activities::member_choices(&state.app, actor, OrgId(detail.activity.org_id))
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let full_listed = detail.attendees.iter().filter(|a| a.full_member).count();
    let full_present = detail
        .attendees
        .iter()
        .filter(|a| a.full_member && a.status == Attendance::Present)
        .count();
    Ok(DetailPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        detail,
        people,
        notice,
        error,
        full_listed,
        full_present,
    })
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<NoticeQuery>,
) -> Result<Response, HttpError> {
    let page = detail_page(&state, &actor, csrf, id, query.text(), None).await?;
    Ok(ok(&page))
}

/// After an action: back to the activity with a notice, or the activity again with the refusal.
pub(in crate::areas::life) async fn back(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    result: Result<Notice, AppError>,
) -> Result<Response, HttpError> {
    match result {
        Ok(done) => Ok(notice::redirect(&format!("/activities/{id}"), done)),
        Err(
            error @ (AppError::Invalid { .. } | AppError::Conflict(_) | AppError::Forbidden(_)),
        ) => {
            let status = crate::error::status_of(&error);
            let page = detail_page(state, actor, csrf, id, None, Some(error.to_string())).await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}
