//! Organizational-life pages: the list, the plan form, an activity's page and its actions.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::activities::{
    self, ActivityDetail, ActivityListFilter, ActivityView, MemberChoice, MyActivityView,
    PlanInput, VoteInput,
};
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::{Actor, AppError, PageParams};
use dangjian_domain::OrgId;
use dangjian_domain::access::Action;
use dangjian_domain::activity::{ActivityKind, ActivityStatus};
use serde::Deserialize;

use super::{Csrf, Layout, Pager, ok, page_number, render};
use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::session::{Ctx, CurrentActor};

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
#[template(path = "activities.html")]
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
#[template(path = "activity_form.html")]
struct FormPage {
    layout: Layout,
    org: OrgView,
    /// `None` for a new plan.
    activity_id: Option<i64>,
    form: PlanForm,
    kinds: Vec<Choice>,
    people: Vec<MemberChoice>,
    error: Option<String>,
}

/// The plan form as posted (every field a string, so a bad value is reported, not rejected).
#[derive(Deserialize, Default, Clone)]
pub struct PlanForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    place: String,
    online: Option<String>,
    #[serde(default)]
    host_member_id: String,
    #[serde(default)]
    recorder_member_id: String,
    #[serde(default)]
    speaker_member_id: String,
    #[serde(default)]
    agenda: String,
}

impl PlanForm {
    fn input(&self) -> PlanInput {
        let id = |raw: &str| raw.trim().parse::<i64>().ok();
        PlanInput {
            kind: self.kind.clone(),
            topic: self.topic.clone(),
            date: self.date.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            place: self.place.clone(),
            online: self.online.is_some(),
            host_member_id: id(&self.host_member_id),
            recorder_member_id: id(&self.recorder_member_id),
            speaker_member_id: id(&self.speaker_member_id),
            agenda: self.agenda.clone(),
        }
    }

    fn from_view(view: &ActivityView) -> PlanForm {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        PlanForm {
            kind: view.kind.clone(),
            topic: view.topic.clone(),
            date: view.date.clone(),
            start: view.start.clone(),
            end: view.end.clone(),
            place: view.place.clone(),
            online: view.online.then(|| "on".into()),
            host_member_id: id(view.host_member_id),
            recorder_member_id: id(view.recorder_member_id),
            speaker_member_id: id(view.speaker_member_id),
            agenda: view.agenda.clone(),
        }
    }
}

#[derive(Deserialize)]
pub struct OrgQuery {
    #[serde(default)]
    org: String,
    #[serde(default)]
    kind: String,
}

async fn form_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    org_id: i64,
    activity_id: Option<i64>,
    form: PlanForm,
    error: Option<String>,
) -> Result<FormPage, HttpError> {
    let org = orgs::get_org(&state.app, actor, OrgId(org_id)).await?;
    let people = activities::member_choices(&state.app, actor, org_id).await?;
    Ok(FormPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        org,
        activity_id,
        form,
        kinds: kind_choices(),
        people,
        error,
    })
}

fn org_param(raw: &str) -> Result<i64, HttpError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::invalid("org", "请从组织页面进入，选择要安排活动的组织").into())
}

pub async fn new_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<OrgQuery>,
) -> Result<Response, HttpError> {
    let org_id = org_param(&query.org)?;
    let form = PlanForm {
        kind: query.kind.clone(),
        date: dangjian_app::today().to_string(),
        start: "14:30".into(),
        end: "16:00".into(),
        ..PlanForm::default()
    };
    Ok(ok(&form_page(
        &state, &actor, csrf, org_id, None, form, None,
    )
    .await?))
}

pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<OrgQuery>,
    PageForm(form): PageForm<PlanForm>,
) -> Result<Response, HttpError> {
    let org_id = org_param(&query.org)?;
    match activities::create(&state.app, &actor, &ctx, org_id, &form.input()).await {
        Ok(id) => Ok(Redirect::to(&format!("/activities/{id}")).into_response()),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let page = form_page(
                &state,
                &actor,
                csrf,
                org_id,
                None,
                form,
                Some(error.to_string()),
            )
            .await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let detail = activities::get(&state.app, &actor, id).await?;
    let form = PlanForm::from_view(&detail.activity);
    let org = detail.activity.org_id;
    Ok(ok(&form_page(
        &state,
        &actor,
        csrf,
        org,
        Some(id),
        form,
        None,
    )
    .await?))
}

pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<PlanForm>,
) -> Result<Response, HttpError> {
    match activities::update(&state.app, &actor, &ctx, id, &form.input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/activities/{id}")).into_response()),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let org = activities::get(&state.app, &actor, id)
                .await?
                .activity
                .org_id;
            let page = form_page(
                &state,
                &actor,
                csrf,
                org,
                Some(id),
                form,
                Some(error.to_string()),
            )
            .await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "activity.html")]
struct DetailPage {
    layout: Layout,
    detail: ActivityDetail,
    people: Vec<MemberChoice>,
    notice: Option<String>,
    error: Option<String>,
    /// What the vote form proposes: full members listed, full members present.
    full_listed: usize,
    full_present: usize,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

async fn detail_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> Result<DetailPage, HttpError> {
    let detail = activities::get(&state.app, actor, id).await?;
    let people = if detail.activity.can_manage && !detail.activity.status.starts_with("arch") {
        activities::member_choices(&state.app, actor, detail.activity.org_id)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let full_listed = detail.attendees.iter().filter(|a| a.full_member).count();
    let full_present = detail
        .attendees
        .iter()
        .filter(|a| a.full_member && a.status == "present")
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
    let notice = query.notice.filter(|n| n.chars().count() <= 200);
    Ok(ok(
        &detail_page(&state, &actor, csrf, id, notice, None).await?
    ))
}

/// After an action: back to the activity with a notice, or the activity again with the refusal.
async fn back(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    result: Result<String, AppError>,
) -> Result<Response, HttpError> {
    match result {
        Ok(notice) => {
            let query = serde_urlencoded::to_string([("notice", notice)]).unwrap_or_default();
            Ok(Redirect::to(&format!("/activities/{id}?{query}")).into_response())
        }
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

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
}

pub async fn act(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, HttpError> {
    let app = &state.app;
    let result = match form.action.as_str() {
        "submit" => activities::submit(app, &actor, &ctx, id)
            .await
            .map(|_| "已报上级党组织审批"),
        "approve" => activities::approve(app, &actor, &ctx, id, &form.note)
            .await
            .map(|_| "已审批同意"),
        "return" => activities::return_plan(app, &actor, &ctx, id, &form.note)
            .await
            .map(|_| "已退回修改"),
        "publish" => activities::publish(app, &actor, &ctx, id)
            .await
            .map(|_| "通知已发布，参加人员可在“组织生活”中看到"),
        "cancel" => activities::cancel(app, &actor, &ctx, id)
            .await
            .map(|_| "活动已取消"),
        "open_check_in" => activities::set_check_in(app, &actor, &ctx, id, true)
            .await
            .map(|_| "已开始签到"),
        "close_check_in" => activities::set_check_in(app, &actor, &ctx, id, false)
            .await
            .map(|_| "已结束签到"),
        "finish" => activities::finish(app, &actor, &ctx, id)
            .await
            .map(|_| "已确认召开，未到人员记为缺席并分配补学"),
        "archive" => activities::archive(app, &actor, &ctx, id)
            .await
            .map(|_| "已归档，记录已锁定"),
        _ => Err(AppError::invalid("action", "未知的操作")),
    };
    back(&state, &actor, csrf, id, result.map(String::from)).await
}

#[derive(Deserialize, Default)]
pub struct MarkForm {
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    invited_as: String,
    #[serde(default)]
    approve: String,
}

fn member_param(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::invalid("member_id", "请选择党员"))
}

pub async fn mark(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MarkForm>,
) -> Result<Response, HttpError> {
    let result = match member_param(&form.member_id) {
        Ok(member) => activities::mark(&state.app, &actor, &ctx, id, member, &form.status)
            .await
            .map(|_| "已更新出勤记录".to_string()),
        Err(e) => Err(e),
    };
    back(&state, &actor, csrf, id, result).await
}

pub async fn invite(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MarkForm>,
) -> Result<Response, HttpError> {
    let result = match member_param(&form.member_id) {
        Ok(member) => activities::invite(&state.app, &actor, &ctx, id, member, &form.invited_as)
            .await
            .map(|_| "已添加参加人员".to_string()),
        Err(e) => Err(e),
    };
    back(&state, &actor, csrf, id, result).await
}

pub async fn decide_leave(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MarkForm>,
) -> Result<Response, HttpError> {
    let approve = form.approve == "yes";
    let result = match member_param(&form.member_id) {
        Ok(member) => activities::decide_leave(&state.app, &actor, &ctx, id, member, approve)
            .await
            .map(|_| {
                if approve {
                    "已批准请假"
                } else {
                    "未批准请假"
                }
                .to_string()
            }),
        Err(e) => Err(e),
    };
    back(&state, &actor, csrf, id, result).await
}

#[derive(Deserialize, Default)]
pub struct TextForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    resolutions: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    text: String,
}

pub async fn request_leave(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<TextForm>,
) -> Result<Response, HttpError> {
    let result = activities::request_leave(&state.app, &actor, &ctx, id, &form.reason)
        .await
        .map(|_| "已提交请假申请，等待审批".to_string());
    back(&state, &actor, csrf, id, result).await
}

pub async fn make_up(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<TextForm>,
) -> Result<Response, HttpError> {
    let result = activities::confirm_make_up(&state.app, &actor, &ctx, id, &form.note)
        .await
        .map(|_| "补学已确认".to_string());
    back(&state, &actor, csrf, id, result).await
}

pub async fn minutes(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<TextForm>,
) -> Result<Response, HttpError> {
    let result = activities::record_minutes(
        &state.app,
        &actor,
        &ctx,
        id,
        &form.minutes,
        &form.resolutions,
    )
    .await
    .map(|_| "会议记录已保存".to_string());
    back(&state, &actor, csrf, id, result).await
}

pub async fn amend(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<TextForm>,
) -> Result<Response, HttpError> {
    let result = activities::amend(
        &state.app,
        &actor,
        &ctx,
        id,
        &form.field,
        &form.text,
        &form.reason,
    )
    .await
    .map(|_| "更正已记录".to_string());
    back(&state, &actor, csrf, id, result).await
}

#[derive(Deserialize, Default)]
pub struct VoteForm {
    #[serde(default)]
    motion: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    expected_voters: String,
    #[serde(default)]
    present_voters: String,
    #[serde(default)]
    in_favour: String,
    #[serde(default)]
    against: String,
    #[serde(default)]
    abstaining: String,
}

fn count(raw: &str, field: &'static str) -> Result<u32, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse()
        .map_err(|_| AppError::invalid(field, "人数和票数须为不小于 0 的整数"))
}

pub async fn vote(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<VoteForm>,
) -> Result<Response, HttpError> {
    let input = (|| -> Result<VoteInput, AppError> {
        Ok(VoteInput {
            motion: form.motion.clone(),
            purpose: form.purpose.clone(),
            expected_voters: count(&form.expected_voters, "expected_voters")?,
            present_voters: count(&form.present_voters, "present_voters")?,
            in_favour: count(&form.in_favour, "in_favour")?,
            against: count(&form.against, "against")?,
            abstaining: count(&form.abstaining, "abstaining")?,
        })
    })();
    let result = match input {
        Ok(input) => activities::record_vote(&state.app, &actor, &ctx, id, &input).await,
        Err(e) => Err(e),
    };
    back(&state, &actor, csrf, id, result).await
}
