//! Member development pages: the dashboard of a branch or committee, the form to register an
//! applicant, and the applicant's timeline (printable as the file summary) with the forms to
//! record a step, an extension or a cancellation.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use dangjian_app::development::{self, ApplicantDetail, ApplicantInput, Dashboard};
use dangjian_app::members::PersonInput;
use dangjian_app::members::{self, MemberQuery, MemberView};
use dangjian_app::{Actor, AppError, FieldError, PageParams};
use dangjian_domain::ApplicantId;
use dangjian_domain::OrgId;
use dangjian_domain::development::StepNo;
use dangjian_domain::person::Education;
use serde::Deserialize;

mod form;
use form::StepForm;

use crate::AppState;
use crate::charts::{self, Chart};
use crate::error::HttpError;
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice, NoticeQuery};
use crate::pages::{Csrf, Layout, form_errors, ok, render};
use crate::session::{Ctx, CurrentActor};

const HERE: &str = "/orgs";

#[derive(Template)]
#[template(path = "development/development.html")]
struct DashboardPage {
    layout: Layout,
    board: Dashboard,
    chart: Chart,
    today: String,
}

pub async fn dashboard(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let board = development::dashboard(&state.app, &actor, OrgId(id)).await?;
    Ok(ok(&DashboardPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        chart: charts::development_funnel(&board),
        board,
        today: state.app.today().to_string(),
    }))
}

#[derive(Template)]
#[template(path = "development/applicant_form.html")]
struct ApplicantFormPage {
    layout: Layout,
    org_id: i64,
    form: ApplicantForm,
    educations: Vec<&'static str>,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
pub struct ApplicantForm {
    #[serde(flatten)]
    person: PersonInput,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    deviation_reason: String,
}

fn applicant_form_page(
    csrf: String,
    actor: &Actor,
    org_id: i64,
    form: ApplicantForm,
    errors: Vec<FieldError>,
) -> ApplicantFormPage {
    ApplicantFormPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        org_id,
        form,
        educations: Education::ALL.iter().map(|e| e.label()).collect(),
        errors,
    }
}

pub async fn new_applicant_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let board = development::dashboard(&state.app, &actor, OrgId(id)).await?;
    if !board.can_record || !board.accepts_applicants {
        return Err(AppError::forbidden().into());
    }
    let form = ApplicantForm {
        person: PersonInput::with_usual_defaults(),
        received_on: state.app.today().to_string(),
        ..ApplicantForm::default()
    };
    Ok(ok(&applicant_form_page(csrf, &actor, id, form, Vec::new())))
}

pub async fn create_applicant(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<ApplicantForm>,
) -> Result<Response, HttpError> {
    let input = ApplicantInput {
        person: form.person.clone(),
        received_on: form.received_on.clone(),
        deviation_reason: Some(form.deviation_reason.clone()),
    };
    match development::create_applicant(&state.app, &actor, OrgId(id), &input, &ctx).await {
        Ok(detail) => Ok(notice::redirect(
            &format!("/development/applicants/{}", detail.applicant.id),
            Notice::ApplicantCreated,
        )),
        Err(error) => {
            let status = crate::error::status_of(&error);
            let errors = form_errors(error)?;
            Ok(render(
                status,
                &applicant_form_page(csrf, &actor, id, form, errors),
            ))
        }
    }
}

/// One line of the timeline: a step of the table, recorded or not.
struct Line {
    no: u8,
    name: &'static str,
    stage: &'static str,
    /// The stage's first step: the timeline prints the stage heading above it.
    opens_stage: bool,
    recorded: Option<development::StepView>,
    next: Option<development::NextStepView>,
}

#[derive(Template)]
#[template(path = "development/applicant.html")]
struct ApplicantPage {
    layout: Layout,
    detail: ApplicantDetail,
    lines: Vec<Line>,
    full_members: Vec<MemberView>,
    today: String,
    step_choice: u8,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn applicant_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<ApplicantPage, HttpError> {
    let detail = development::applicant_detail(&state.app, actor, ApplicantId(id)).await?;
    let full_members = if detail.can_record {
        let query = MemberQuery {
            org_id: Some(detail.applicant.branch_id),
            category: Some("full".into()),
            status: Some("normal".into()),
            ..MemberQuery::default()
        };
        members::list_members(
            &state.app,
            actor,
            &query,
            PageParams::new(Some(1), Some(200)),
        )
        .await?
        .items
    } else {
        Vec::new()
    };
    let mut lines = Vec::new();
    let mut stage = "";
    for no in StepNo::all() {
        let recorded = detail.steps.iter().find(|s| s.step == no.get()).cloned();
        let next = detail
            .applicant
            .next_steps
            .iter()
            .find(|n| n.step == no.get())
            .cloned();
        let this_stage = no.stage().label();
        lines.push(Line {
            no: no.get(),
            name: no.name(),
            stage: this_stage,
            opens_stage: this_stage != stage,
            recorded,
            next,
        });
        stage = this_stage;
    }
    let step_choice = detail
        .applicant
        .next_steps
        .first()
        .map(|n| n.step)
        .unwrap_or(1);
    Ok(ApplicantPage {
        layout: Layout::for_actor(csrf, actor, HERE),
        detail,
        lines,
        full_members,
        today: state.app.today().to_string(),
        step_choice,
        notice,
        error,
    })
}

pub async fn applicant(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<NoticeQuery>,
) -> Result<Response, HttpError> {
    let page = applicant_page(&state, &actor, csrf, id, query.text(), None).await?;
    Ok(ok(&page))
}

/// After a write: back to the timeline, or the timeline with the refusal on top.
async fn after_write(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: i64,
    result: Result<Notice, AppError>,
) -> Result<Response, HttpError> {
    match result {
        Ok(done) => Ok(notice::redirect(
            &format!("/development/applicants/{id}"),
            done,
        )),
        Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&error);
            let page =
                applicant_page(state, actor, csrf, id, None, Some(error.to_string())).await?;
            Ok(render(status, &page))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn record_step(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<StepForm>,
) -> Result<Response, HttpError> {
    let result = match form.step_input() {
        Ok(input) => development::record_step(&state.app, &actor, ApplicantId(id), &input, &ctx)
            .await
            .map(|_| Notice::StepRecorded),
        Err(e) => Err(e),
    };
    after_write(&state, &actor, csrf, id, result).await
}

pub async fn record_extension(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<StepForm>,
) -> Result<Response, HttpError> {
    let result = match form.decision() {
        Ok(input) => {
            development::record_extension(&state.app, &actor, ApplicantId(id), &input, &ctx)
                .await
                .map(|_| Notice::DecisionRecorded)
        }
        Err(e) => Err(e),
    };
    after_write(&state, &actor, csrf, id, result).await
}

pub async fn record_cancellation(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<StepForm>,
) -> Result<Response, HttpError> {
    let result = match form.decision() {
        Ok(input) => {
            development::record_cancellation(&state.app, &actor, ApplicantId(id), &input, &ctx)
                .await
                .map(|_| Notice::DecisionRecorded)
        }
        Err(e) => Err(e),
    };
    after_write(&state, &actor, csrf, id, result).await
}
