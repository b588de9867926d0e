//! Registering an applicant (入党申请人): personal data as on the roster, the branch handling the
//! application and the day it was received, which is step 1.

use dangjian_domain::ApplicantId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::development::limits::earliest_application;
use dangjian_domain::development::window::{Limit, Rule};
use dangjian_domain::development::{StepNo, StepRecord};
use dangjian_domain::id_number::IdNumber;
use dangjian_domain::member::MemberCategory;
use dangjian_domain::{OrgId, OrgKind};
use dangjian_store::StoreError;
use dangjian_store::development::{self as store, NewApplicant};
use dangjian_store::members;
use serde::Deserialize;

use super::steps::{Refusal, checked_step, insert_step};
use super::{ApplicantDetail, input};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::members::MemberInput;
use crate::members::record;
use crate::members::record::PersonInput;
use crate::{Actor, App, AppError, AppResult, FieldError, RequestContext, orgs};

/// An applicant as the form or the API gives it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ApplicantInput {
    #[serde(flatten)]
    pub person: PersonInput,
    /// The day the branch received the application (step 1), YYYY-MM-DD.
    #[schema(format = Date)]
    pub received_on: String,
    /// Record despite the rules (e.g. a historical file): why.
    #[serde(default)]
    pub deviation_reason: Option<String>,
}

/// The person's fields, checked by the roster's own rules (ID number, gender and birth date agree,
/// ethnicity, phone, education). The join-date rules of the roster do not apply to an applicant:
/// the checker's step 1 says whether they are old enough.
fn check_person(
    input: &ApplicantInput,
    today: jiff::civil::Date,
) -> AppResult<members::MemberFields> {
    let as_member = MemberInput {
        person: input.person.clone(),
        category: MemberCategory::Probationary.code().into(),
        // A placeholder the roster check needs; only its age rule could object, and that error
        // is dropped below in favour of the checker's step 1.
        joined_on: today.to_string(),
        ..MemberInput::default()
    };
    match record::check(&as_member, today) {
        Ok(checked) => Ok(checked.fields),
        Err(errors) => {
            let errors: Vec<FieldError> = errors
                .into_iter()
                .filter(|e| e.field != "joined_on")
                .collect();
            if errors.is_empty() {
                // Only the age rule objected: say it as the checker's step 1 does, with the day.
                let birth = record::parse_date(&input.person.birth_date).or_else(|| {
                    IdNumber::parse(&input.person.id_number)
                        .ok()
                        .map(|i| i.birth_date())
                });
                let message = birth.map_or_else(
                    || "递交入党申请书时须年满 18 周岁".to_string(),
                    |b| {
                        Limit::NotBefore(earliest_application(b), Rule::MinimumAge)
                            .refusal(StepNo::FIRST)
                    },
                );
                Err(AppError::invalid("birth_date", message))
            } else {
                Err(AppError::InvalidFields(errors))
            }
        }
    }
}

/// Registers an applicant in a branch (a group's branch when a group is named) and records step 1.
/// Refused when the person is on the roster already or in another pipeline.
pub async fn create_applicant(
    app: &App,
    actor: &Actor,
    org: OrgId,
    input: &ApplicantInput,
    ctx: &RequestContext,
) -> AppResult<ApplicantDetail> {
    let (org_row, path) = orgs::load(app, org).await?;
    actor.authorize(Action::ManageDevelopment, Scope::Org(&path))?;
    let branch_id = match OrgKind::from_code(&org_row.kind) {
        Some(OrgKind::Branch) if !org_row.is_temporary => org_row.id,
        Some(OrgKind::Group) => org_row.parent_id.ok_or(AppError::NotFound("党支部"))?,
        Some(OrgKind::Branch) => {
            return Err(AppError::invalid("org_id", "临时党支部不能发展党员"));
        }
        _ => {
            return Err(AppError::invalid(
                "org_id",
                "入党申请由党支部受理，请在党支部中登记",
            ));
        }
    };
    if org_row.status == "dissolved" {
        return Err(AppError::invalid("org_id", "该组织已撤销"));
    }
    let fields = check_person(input, app.today())?;
    let received = input::date("received_on", &input.received_on)?;
    let deviation = input::optional_text(
        "deviation_reason",
        input.deviation_reason.as_deref(),
        500,
        "偏差原因",
    )?;
    let masked = IdNumber::parse(&fields.id_number)
        .map(|i| i.masked())
        .unwrap_or_default();
    let mut handle = app.store.acquire().await?;
    if let Some(member) = members::member_id_by_id_number(handle.conn(), &fields.id_number).await? {
        let row = members::member_by_id(handle.conn(), member).await?;
        let who = row.map(|r| r.name).unwrap_or_default();
        return Err(AppError::Conflict(format!(
            "身份证号 {masked} 已在党员花名册中（{who}），已是党员的人不能登记为入党申请人"
        )));
    }
    if let Some(other) =
        store::applicant_in_progress_by_id_number(handle.conn(), &fields.id_number).await?
    {
        return Err(AppError::Conflict(format!(
            "{}（{masked}）已在{}的发展党员流程中，同一人不能同时在两个流程中",
            other.name, other.branch_name
        )));
    }
    drop(handle);
    let birth = record::parse_date(&fields.birth_date)
        .ok_or(AppError::invalid("birth_date", "日期格式应为 1985-07-01"))?;
    let first = StepRecord::on(StepNo::FIRST, received);
    let file = dangjian_domain::development::DevelopmentFile {
        birth_date: birth,
        steps: Vec::new(),
        probation: Default::default(),
    };
    let refusal: Option<Refusal> = checked_step(&file, &first, deviation.as_deref(), app.today())?;
    let now = app.now_micros();
    let mut tx = app.begin().await?;
    let id = store::insert_applicant(
        tx.conn(),
        &NewApplicant {
            branch_id,
            name: &fields.name,
            name_initials: &fields.name_initials,
            gender: &fields.gender,
            ethnicity: &fields.ethnicity,
            birth_date: &fields.birth_date,
            id_number: &fields.id_number,
            phone: &fields.phone,
            education: &fields.education,
            job_title: &fields.job_title,
            work_unit: &fields.work_unit,
            received_on: &received.to_string(),
            created_by: actor.account_id.0,
            now,
        },
    )
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => {
            AppError::Conflict("此人已在发展党员流程中，同一人不能同时在两个流程中".into())
        }
        other => other.into(),
    })?;
    insert_step(&mut tx, id, actor, &first, refusal.as_ref(), now).await?;
    let entry = Entry::new(
        AuditAction::ApplicantCreated,
        AuditEntity::Applicant,
        id,
        format!(
            "登记入党申请人 {}（{masked}），{received} 递交入党申请书",
            fields.name
        ),
    )
    .org(Some(OrgId(branch_id)));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    if let Some(r) = &refusal {
        audit::record(
            &mut tx,
            Who::from(actor),
            ctx,
            r.entry(id, &fields.name, branch_id),
        )
        .await?;
    }
    tx.commit().await?;
    super::applicant_detail(app, actor, ApplicantId(id)).await
}
