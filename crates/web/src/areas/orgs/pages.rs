use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dangjian_app::members::MemberView;
use dangjian_app::orgs::{self, OrgInput, OrgOverview, OrgView, TreeNode};
use dangjian_app::structure::{self, AppointInput, HealthFinding, PositionView};
use dangjian_app::{Actor, AppError};
use dangjian_domain::PositionId;
use dangjian_domain::structure::Position;
use dangjian_domain::{OrgId, OrgKind};
use serde::Deserialize;

use crate::AppState;
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice, NoticeQuery};
use crate::pages::{Csrf, Layout, ok, render};
use crate::session::{Ctx, CurrentActor};

const HERE: &str = "/orgs";

#[derive(Template)]
#[template(path = "orgs/orgs.html")]
struct TreePage {
    layout: Layout,
    nodes: Vec<TreeNode>,
    can_create_top: bool,
}

pub async fn tree(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    let nodes = orgs::tree(&state.app, &actor, None).await?;
    let can_create_top = orgs::may_create_top(&actor);
    Ok(ok(&TreePage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        nodes,
        can_create_top,
    }))
}

#[derive(Template)]
#[template(path = "orgs/org.html")]
struct OrgPage {
    layout: Layout,
    org: OrgView,
    node: TreeNode,
    ancestors: Vec<OrgView>,
    children: Vec<TreeNode>,
    can_manage: bool,
    /// May plan this node's organizational-life activities (a group leader for the group).
    can_plan: bool,
    move_targets: Vec<OrgView>,
    positions: Vec<PositionView>,
    findings: Vec<HealthFinding>,
    candidates: Vec<MemberView>,
    position_choices: Vec<(&'static str, &'static str)>,
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn org_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<OrgPage, HttpError> {
    let overview = orgs::overview(&state.app, actor, OrgId(id)).await?;
    let is_group = overview.node.org.kind == OrgKind::Group;
    let position_choices = Position::ALL
        .iter()
        .filter(|p| (**p == Position::GroupLeader) == is_group)
        .map(|p| (p.code(), p.label()))
        .collect();
    let OrgOverview {
        node,
        ancestors,
        children,
        can_manage,
        can_plan,
        move_targets,
        positions,
        findings,
        candidates,
    } = overview;
    Ok(OrgPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        org: node.org.clone(),
        node,
        ancestors,
        children,
        can_manage,
        can_plan,
        move_targets,
        positions,
        findings,
        candidates,
        position_choices,
        today: state.app.today().to_string(),
        notice,
        error,
    })
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<NoticeQuery>,
) -> Result<Response, HttpError> {
    Ok(ok(
        &org_page(&state, &actor, csrf, id, query.text(), None).await?
    ))
}

#[derive(Template)]
#[template(path = "orgs/org_form.html")]
struct OrgFormPage {
    layout: Layout,
    title: &'static str,
    action: String,
    back: String,
    editing: bool,
    parent_id: Option<i64>,
    parent_name: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
    form: OrgForm,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    is_joint: Option<String>,
    #[serde(default)]
    is_temporary: Option<String>,
    #[serde(default)]
    joint_units: String,
    #[serde(default)]
    term_years: String,
    #[serde(default)]
    parent_id: String,
}

impl OrgForm {
    fn is_joint(&self) -> bool {
        self.is_joint.is_some()
    }

    fn is_temporary(&self) -> bool {
        self.is_temporary.is_some()
    }

    fn to_input(&self) -> Result<OrgInput, AppError> {
        let number = |raw: &str, field: &'static str| -> Result<Option<i64>, AppError> {
            match raw.trim() {
                "" => Ok(None),
                text => text
                    .parse()
                    .map(Some)
                    .map_err(|_| AppError::invalid(field, "请填写整数")),
            }
        };
        Ok(OrgInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            is_joint: self.is_joint(),
            is_temporary: self.is_temporary(),
            joint_units: number(&self.joint_units, "joint_units")?,
            term_years: number(&self.term_years, "term_years")?,
        })
    }
}

fn child_kinds(parent: Option<OrgKind>) -> Vec<(&'static str, &'static str)> {
    OrgKind::ALL
        .iter()
        .filter(|k| k.may_be_child_of(parent))
        .map(|k| (k.code(), k.label()))
        .collect()
}

#[derive(Deserialize)]
pub struct NewQuery {
    parent_id: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<NewQuery>,
) -> Result<Response, HttpError> {
    let parent_id = query
        .parent_id
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok());
    let page = form_page(&state, &actor, csrf, parent_id, OrgForm::default(), None).await?;
    Ok(ok(&page))
}

async fn form_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    parent_id: Option<i64>,
    mut form: OrgForm,
    error: Option<String>,
) -> Result<OrgFormPage, HttpError> {
    let parent = orgs::parent_for_new(&state.app, actor, parent_id.map(OrgId)).await?;
    let kinds = child_kinds(parent.as_ref().map(|p| p.kind));
    if form.kind.is_empty() {
        form.kind = kinds
            .iter()
            .find(|(code, _)| *code == "branch")
            .or(kinds.first())
            .map(|(c, _)| c.to_string())
            .unwrap_or_default();
    }
    Ok(OrgFormPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        title: "新建组织",
        action: "/orgs".into(),
        back: parent
            .as_ref()
            .map(|p| format!("/orgs/{}", p.id))
            .unwrap_or_else(|| HERE.into()),
        editing: false,
        parent_id,
        parent_name: parent.map(|p| p.name),
        kinds,
        form,
        error,
    })
}

pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<OrgForm>,
) -> Result<Response, HttpError> {
    let parent_id = form.parent_id.trim().parse::<i64>().ok();
    let result = match form.to_input() {
        Ok(input) => orgs::create_org(&state.app, &actor, parent_id.map(OrgId), &input, &ctx).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(created) => Ok(notice::redirect(
            &format!("/orgs/{}", created.id),
            Notice::OrgCreated,
        )),
        Err(error @ AppError::Invalid { .. }) => {
            let status = crate::error::status_of(&error);
            Ok(render(
                status,
                &form_page(
                    &state,
                    &actor,
                    csrf,
                    parent_id,
                    form,
                    Some(error.to_string()),
                )
                .await?,
            ))
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
    let org = orgs::org_for_editing(&state.app, &actor, OrgId(id)).await?;
    let form = OrgForm {
        name: org.name.clone(),
        kind: org.kind.code().to_string(),
        is_joint: org.is_joint.then(|| "true".into()),
        is_temporary: org.is_temporary.then(|| "true".into()),
        joint_units: org.joint_units.map(|u| u.to_string()).unwrap_or_default(),
        term_years: org.term_years.map(|y| y.to_string()).unwrap_or_default(),
        parent_id: String::new(),
    };
    Ok(ok(&edit_page(&actor, csrf, &org, form, None)))
}

fn edit_page(
    actor: &Actor,
    csrf: String,
    org: &OrgView,
    form: OrgForm,
    error: Option<String>,
) -> OrgFormPage {
    OrgFormPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        title: "修改组织",
        action: format!("/orgs/{}/edit", org.id),
        back: format!("/orgs/{}", org.id),
        editing: true,
        parent_id: None,
        parent_name: None,
        kinds: Vec::new(),
        form,
        error,
    }
}

pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<OrgForm>,
) -> Result<Response, HttpError> {
    let result = match form.to_input() {
        Ok(input) => orgs::update_org(&state.app, &actor, OrgId(id), &input, &ctx).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => Ok(notice::redirect(&format!("/orgs/{id}"), Notice::OrgUpdated)),
        Err(error @ AppError::Invalid { .. }) => {
            let org = orgs::get_org(&state.app, &actor, OrgId(id)).await?;
            let status = crate::error::status_of(&error);
            Ok(render(
                status,
                &edit_page(&actor, csrf, &org, form, Some(error.to_string())),
            ))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    parent_id: String,
}

/// Runs a change from the node page; a refusal is shown on the page, not as an error page.
async fn on_org_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    result: Result<Notice, AppError>,
) -> Result<Response, HttpError> {
    match result {
        Ok(done) => Ok(notice::redirect(&format!("/orgs/{id}"), done)),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            Ok(render(
                status,
                &org_page(state, actor, csrf, id, None, Some(error.to_string())).await?,
            ))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn move_to(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MoveForm>,
) -> Result<Response, HttpError> {
    let result = match form.parent_id.trim().parse::<i64>() {
        Ok(parent) => orgs::move_org(&state.app, &actor, OrgId(id), OrgId(parent), &ctx)
            .await
            .map(|_| Notice::OrgMoved),
        Err(_) => Err(AppError::invalid("parent_id", "请选择要移至的上级组织")),
    };
    on_org_page(&state, &actor, csrf, id, result).await
}

pub async fn dissolve(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let result = orgs::dissolve_org(&state.app, &actor, OrgId(id), &ctx)
        .await
        .map(|_| Notice::OrgDissolved);
    on_org_page(&state, &actor, csrf, id, result).await
}

pub async fn delete(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    match orgs::delete_org(&state.app, &actor, OrgId(id), &ctx).await {
        Ok(()) => Ok(Redirect::to(HERE).into_response()),
        Err(error) => on_org_page(&state, &actor, csrf, id, Err(error)).await,
    }
}

#[derive(Deserialize)]
pub struct AppointForm {
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    started_on: String,
    #[serde(default)]
    obtained_by: String,
}

pub async fn appoint(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<AppointForm>,
) -> Result<Response, HttpError> {
    let result = match form.member_id.trim().parse::<i64>() {
        Ok(member_id) => {
            let input = AppointInput {
                member_id,
                position: form.position,
                started_on: form.started_on,
                obtained_by: form.obtained_by,
            };
            structure::appoint(&state.app, &actor, OrgId(id), &input, &ctx)
                .await
                .map(|_| Notice::Appointed)
        }
        Err(_) => Err(AppError::invalid("member_id", "请选择党员")),
    };
    on_org_page(&state, &actor, csrf, id, result).await
}

#[derive(Deserialize)]
pub struct EndPositionForm {
    #[serde(default)]
    position_id: String,
}

pub async fn end_position(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<EndPositionForm>,
) -> Result<Response, HttpError> {
    let result = match form.position_id.trim().parse::<i64>() {
        Ok(position_id) => {
            structure::end_position(&state.app, &actor, OrgId(id), PositionId(position_id), &ctx)
                .await
                .map(|_| Notice::PositionEnded)
        }
        Err(_) => Err(AppError::invalid("position_id", "请选择职务")),
    };
    on_org_page(&state, &actor, csrf, id, result).await
}
