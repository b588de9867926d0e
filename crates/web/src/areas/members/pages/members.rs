use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use dangjian_app::members::{self, MemberInput, MemberQuery, MemberView, PersonInput};
use dangjian_app::orgs::{self, OrgView};
use dangjian_app::{Actor, AppError, FieldError, PageParams};
use dangjian_domain::MemberId;
use dangjian_domain::access::Action;
use dangjian_domain::member::{AgeBand, MemberStatus};
use dangjian_domain::person::Education;
use dangjian_domain::{OrgId, OrgKind};
use serde::Deserialize;

use crate::AppState;
use crate::error::{HttpError, OwnBody};
use crate::extract::{IdPath, PageForm, QueryParams};
use crate::pages::notice::{self, Notice, NoticeQuery};
use crate::pages::{Csrf, Layout, Pager, form_errors, ok, page_number, render};
use crate::session::{Ctx, CurrentActor};

const HERE: &str = "/members";
const FLAGS: [(&str, &str); 4] = [
    ("mobile", "流动党员"),
    ("leading_cadre", "领导干部"),
    ("retired", "离退休"),
    ("hardship", "困难党员"),
];

fn statuses() -> Vec<(&'static str, &'static str)> {
    MemberStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect()
}

#[derive(Template)]
#[template(path = "members/members.html")]
struct ListPage {
    layout: Layout,
    members: Vec<MemberView>,
    orgs: Vec<OrgView>,
    statuses: Vec<(&'static str, &'static str)>,
    flags: [(&'static str, &'static str); 4],
    age_bands: Vec<(&'static str, &'static str)>,
    filter: ListFilter,
    org_filter: Option<i64>,
    can_manage: bool,
    pager: Pager,
    error: Option<String>,
}

/// The roster filter as typed in the page's form (all text, so nothing typed is a bad request).
#[derive(Deserialize, Default)]
pub struct ListFilter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    flag: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    join_year: String,
    #[serde(default)]
    without_group: String,
    page: Option<String>,
}

impl ListFilter {
    fn to_query(&self) -> Result<MemberQuery, AppError> {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let join_year = match self.join_year.trim() {
            "" => None,
            text => Some(
                text.parse()
                    .map_err(|_| AppError::invalid("join_year", "入党年份应为四位数字，如 2005"))?,
            ),
        };
        Ok(MemberQuery {
            org_id: self.org_id.trim().parse().ok(),
            category: opt(&self.category),
            status: opt(&self.status),
            flag: opt(&self.flag),
            age_band: opt(&self.age_band),
            join_year,
            q: opt(&self.q),
            without_group: self.without_group == "true",
        })
    }
}

pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(filter): QueryParams<ListFilter>,
) -> Result<Response, HttpError> {
    let params = PageParams::new(page_number(filter.page.as_deref()), None);
    let (result, error) = match filter.to_query() {
        Ok(query) => match members::list_members(&state.app, &actor, &query, params).await {
            Ok(page) => (page, None),
            Err(error @ AppError::Invalid { .. }) => (
                members::list_members(&state.app, &actor, &MemberQuery::default(), params).await?,
                Some(error.to_string()),
            ),
            Err(error) => return Err(error.into()),
        },
        Err(error) => (
            members::list_members(&state.app, &actor, &MemberQuery::default(), params).await?,
            Some(error.to_string()),
        ),
    };
    let orgs = orgs::orgs_in_reach(&state.app, &actor, Action::ViewMembers).await?;
    let pager = Pager::new(
        &result,
        HERE,
        &[
            ("q", &filter.q),
            ("org_id", &filter.org_id),
            ("category", &filter.category),
            ("status", &filter.status),
            ("flag", &filter.flag),
            ("age_band", &filter.age_band),
            ("join_year", &filter.join_year),
            ("without_group", &filter.without_group),
        ],
    );
    let page = ListPage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        members: result.items,
        orgs,
        statuses: statuses(),
        flags: FLAGS,
        age_bands: AgeBand::ALL.iter().map(|b| (b.code(), b.label())).collect(),
        org_filter: filter.org_id.trim().parse().ok(),
        filter,
        can_manage: members::may_manage_any(&actor),
        pager,
        error,
    };
    Ok(ok(&page))
}

#[derive(Template)]
#[template(path = "members/member.html")]
struct ProfilePage {
    layout: Layout,
    member: MemberView,
    transfers: Vec<dangjian_app::transfers::TransferView>,
    positions: Vec<dangjian_app::structure::PositionView>,
    timeline: Vec<(String, String)>,
    can_manage: bool,
    can_open_branch: bool,
    can_reveal: bool,
    can_manage_account: bool,
    account: Option<dangjian_app::accounts::roster::LinkedAccount>,
    notice: Option<&'static str>,
}

pub async fn show(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<NoticeQuery>,
) -> Result<Response, HttpError> {
    let profile = members::profile(&state.app, &actor, MemberId(id)).await?;
    let page = ProfilePage {
        layout: Layout::for_actor(csrf, &actor, HERE),
        can_manage: profile.can_manage,
        can_open_branch: profile.can_open_branch,
        can_reveal: profile.can_reveal,
        can_manage_account: profile.can_manage_account,
        account: profile.account,
        member: profile.member,
        transfers: profile.transfers,
        positions: profile.positions,
        timeline: profile.timeline,
        notice: query.text(),
    };
    Ok(ok(&page))
}

/// The htmx fragment that replaces the masked ID number; the reveal is audited.
pub async fn reveal_id(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let number = members::reveal_id_number(&state.app, &actor, MemberId(id), &ctx).await?;
    let mut response = Html(format!(
        "<code>{number}</code> <small>（已记录查看）</small>"
    ))
    .into_response();
    response.extensions_mut().insert(OwnBody);
    Ok(response)
}

#[derive(Template)]
#[template(path = "members/member_form.html")]
struct FormPage {
    layout: Layout,
    title: &'static str,
    action: String,
    back: String,
    orgs: Vec<OrgView>,
    statuses: Vec<(&'static str, &'static str)>,
    educations: Vec<&'static str>,
    form: MemberForm,
    errors: Vec<FieldError>,
    /// The form registers a member arriving with a letter (转入).
    letter: bool,
}

#[derive(Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    org_id: String,
    #[serde(flatten)]
    person: PersonInput,
    #[serde(default)]
    category: String,
    #[serde(default)]
    joined_on: String,
    #[serde(default)]
    full_member_on: String,
    #[serde(default)]
    status: String,
    is_mobile: Option<String>,
    is_leading_cadre: Option<String>,
    is_retired: Option<String>,
    in_hardship: Option<String>,
    #[serde(default)]
    counterpart: String,
    #[serde(default)]
    letter_no: String,
    #[serde(default)]
    issued_on: String,
}

impl MemberForm {
    fn input(&self) -> MemberInput {
        MemberInput {
            person: self.person.clone(),
            category: self.category.clone(),
            joined_on: self.joined_on.clone(),
            full_member_on: self.full_member_on.clone(),
            status: self.status.clone(),
            is_mobile: self.is_mobile.is_some(),
            is_leading_cadre: self.is_leading_cadre.is_some(),
            is_retired: self.is_retired.is_some(),
            in_hardship: self.in_hardship.is_some(),
        }
    }

    fn org(&self) -> Result<OrgId, AppError> {
        self.org_id
            .trim()
            .parse()
            .map(OrgId)
            .map_err(|_| AppError::invalid("org_id", "请选择所在党支部或党小组"))
    }
}

async fn placeable_orgs(state: &AppState, actor: &Actor) -> Result<Vec<OrgView>, HttpError> {
    Ok(
        orgs::orgs_in_reach(&state.app, actor, Action::ManageMembers)
            .await?
            .into_iter()
            .filter(|o| {
                !o.dissolved
                    && !o.is_temporary
                    && matches!(o.kind, OrgKind::Branch | OrgKind::Group)
            })
            .collect(),
    )
}

#[derive(Deserialize)]
pub struct NewQuery {
    org_id: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    QueryParams(query): QueryParams<NewQuery>,
) -> Result<Response, HttpError> {
    members::ensure_may_add(&actor)?;
    let form = MemberForm {
        org_id: query.org_id.unwrap_or_default(),
        category: "full".into(),
        status: "normal".into(),
        person: PersonInput::with_usual_defaults(),
        ..MemberForm::default()
    };
    Ok(ok(
        &form_page(&state, &actor, csrf, None, form, Vec::new()).await?
    ))
}

async fn form_page(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: Option<i64>,
    form: MemberForm,
    errors: Vec<FieldError>,
) -> Result<FormPage, HttpError> {
    form_page_with(state, actor, csrf, id, form, errors, false).await
}

async fn form_page_with(
    state: &AppState,
    actor: &Actor,
    csrf: String,
    id: Option<i64>,
    form: MemberForm,
    errors: Vec<FieldError>,
    letter: bool,
) -> Result<FormPage, HttpError> {
    Ok(FormPage {
        letter,
        layout: Layout::for_actor(csrf, actor, HERE),
        title: if letter {
            "登记转入党员"
        } else if id.is_some() {
            "修改党员信息"
        } else {
            "登记党员"
        },
        action: if letter {
            "/transfers/in".into()
        } else {
            id.map(|id| format!("/members/{id}/edit"))
                .unwrap_or_else(|| HERE.into())
        },
        back: id
            .map(|id| format!("/members/{id}"))
            .unwrap_or_else(|| HERE.into()),
        orgs: placeable_orgs(state, actor).await?,
        statuses: statuses(),
        educations: Education::ALL.iter().map(|e| e.label()).collect(),
        form,
        errors,
    })
}

pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<MemberForm>,
) -> Result<Response, HttpError> {
    let result = match form.org() {
        Ok(org) => members::create_member(&state.app, &actor, org, &form.input(), &ctx).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(member) => Ok(notice::redirect(
            &format!("/members/{}", member.id),
            Notice::MemberCreated,
        )),
        Err(error) => {
            let status = crate::error::status_of(&error);
            let errors = form_errors(error)?;
            Ok(render(
                status,
                &form_page(&state, &actor, csrf, None, form, errors).await?,
            ))
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
    Ctx(ctx): Ctx,
    IdPath(id): IdPath,
) -> Result<Response, HttpError> {
    let member = members::get_member(&state.app, &actor, MemberId(id)).await?;
    // The form needs the whole ID number to submit it back: opening the editor counts as a reveal.
    let id_number = members::reveal_id_number(&state.app, &actor, MemberId(id), &ctx).await?;
    let flag = |on: bool| on.then(|| "true".to_string());
    let form = MemberForm {
        org_id: member.group_id.unwrap_or(member.branch_id).to_string(),
        person: PersonInput {
            name: member.name.clone(),
            id_number,
            gender: member.gender.clone(),
            birth_date: member.birth_date.clone(),
            ethnicity: member.ethnicity.clone(),
            phone: member.phone.clone(),
            education: member.education.clone(),
            job_title: member.job_title.clone(),
            work_unit: member.work_unit.clone(),
        },
        category: member.category.clone(),
        joined_on: member.joined_on.clone().unwrap_or_default(),
        full_member_on: member.full_member_on.clone().unwrap_or_default(),
        status: member.status.clone(),
        is_mobile: flag(member.is_mobile),
        is_leading_cadre: flag(member.is_leading_cadre),
        is_retired: flag(member.is_retired),
        in_hardship: flag(member.in_hardship),
        ..MemberForm::default()
    };
    Ok(ok(&form_page(
        &state,
        &actor,
        csrf,
        Some(id),
        form,
        Vec::new(),
    )
    .await?))
}

pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    IdPath(id): IdPath,
    PageForm(form): PageForm<MemberForm>,
) -> Result<Response, HttpError> {
    let org = form.org().ok();
    let result =
        members::update_member(&state.app, &actor, MemberId(id), org, &form.input(), &ctx).await;
    match result {
        Ok(_) => Ok(notice::redirect(
            &format!("/members/{id}"),
            Notice::MemberUpdated,
        )),
        Err(error) => {
            let status = crate::error::status_of(&error);
            let errors = form_errors(error)?;
            Ok(render(
                status,
                &form_page(&state, &actor, csrf, Some(id), form, errors).await?,
            ))
        }
    }
}

/// 转入: the member form with the letter the member brought.
pub async fn transfer_in_form(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Csrf(csrf): Csrf,
) -> Result<Response, HttpError> {
    members::ensure_may_add(&actor)?;
    let form = MemberForm {
        category: "full".into(),
        status: "normal".into(),
        person: PersonInput::with_usual_defaults(),
        ..MemberForm::default()
    };
    Ok(ok(&form_page_with(
        &state,
        &actor,
        csrf,
        None,
        form,
        Vec::new(),
        true,
    )
    .await?))
}

pub async fn transfer_in(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    Csrf(csrf): Csrf,
    PageForm(form): PageForm<MemberForm>,
) -> Result<Response, HttpError> {
    let letter = dangjian_app::transfers::LetterInput {
        counterpart: form.counterpart.clone(),
        letter_no: form.letter_no.clone(),
        issued_on: form.issued_on.clone(),
    };
    let result = match form.org() {
        Ok(org) => {
            dangjian_app::transfers::transfer_in(
                &state.app,
                &actor,
                org,
                &form.input(),
                &letter,
                &ctx,
            )
            .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(member) => Ok(notice::redirect(
            &format!("/members/{}", member.id),
            Notice::MemberCreated,
        )),
        Err(error) => {
            let status = crate::error::status_of(&error);
            let errors = form_errors(error)?;
            Ok(render(
                status,
                &form_page_with(&state, &actor, csrf, None, form, errors, true).await?,
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "members/member_choices.html")]
struct ChoicesPartial {
    field: String,
    choices: dangjian_app::members::MemberChoices,
    selected: Option<i64>,
}

/// The radio list a member picker shows (htmx): the organization's members matching the search.
pub async fn choices(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    IdPath(org_id): IdPath,
    QueryParams(query): QueryParams<std::collections::HashMap<String, String>>,
) -> Result<Response, HttpError> {
    let param = |name: &str| query.get(name).map(|v| v.trim()).unwrap_or("");
    // The field name goes into the markup: only a plain identifier is accepted.
    let field = match param("field") {
        f if !f.is_empty()
            && f.len() <= 40
            && f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
        {
            f.to_string()
        }
        _ => "member_id".to_string(),
    };
    // What the form holds now (the picker sends its checked radio along with each search), or
    // what a form shown again after an error had chosen: it stays in the list and checked.
    let selected = [param(&field), param("selected")]
        .into_iter()
        .find_map(|v| v.parse().ok());
    let choices = members::choices(
        &state.app,
        &actor,
        dangjian_domain::OrgId(org_id),
        param("q"),
        selected,
    )
    .await?;
    Ok(ok(&ChoicesPartial {
        field,
        choices,
        selected: selected.map(|id| id.0),
    }))
}
