//! Recording a step: checked by the domain checker, refused with
//! its messages, or — with a reason — recorded as a known deviation, audited and flagged. The
//! roster follows the file: step 15 puts the person on it as a 预备党员 (join date = step 15),
//! step 24 makes them a 正式党员 from the end of the probation, a cancellation removes them (出党).

use dangjian_domain::ApplicantId;
use dangjian_domain::OrgId;
use dangjian_domain::access::Action;
use dangjian_domain::development::window::probation_end;
use dangjian_domain::development::{DevelopmentFile, StepRecord, check_step};
use dangjian_domain::member::{MemberCategory, MemberStatus};
use dangjian_store::Tx;
use dangjian_store::development::{self as store, NewStep};
use dangjian_store::members::{self, MemberFields};

use super::input::{self, StepInput};
use super::{ApplicantDetail, Loaded, load};
use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// Violations recorded anyway, with the reason given.
pub(crate) struct Refusal {
    what: String,
    pub(crate) reason: String,
    messages: Vec<String>,
}

impl Refusal {
    pub(crate) fn entry(&self, applicant_id: i64, name: &str, branch: i64) -> Entry {
        Entry::new(
            AuditAction::DevelopmentDeviation,
            AuditEntity::Applicant,
            applicant_id,
            format!(
                "{name}的{}不符合发展党员工作细则，作为已知偏差记录。原因：{}。问题：{}",
                self.what,
                self.reason,
                self.messages.join("；")
            ),
        )
        .org(Some(OrgId(branch)))
    }

    pub(crate) fn text(&self) -> String {
        self.messages.join("；")
    }
}

/// The violations found, as a refusal (no reason) or a deviation to record (with one).
pub(crate) fn decide(
    what: String,
    messages: Vec<String>,
    reason: Option<&str>,
) -> AppResult<Option<Refusal>> {
    if messages.is_empty() {
        return Ok(None);
    }
    match reason {
        Some(reason) => Ok(Some(Refusal {
            what,
            reason: reason.to_string(),
            messages,
        })),
        None => Err(AppError::invalid("date", messages.join("；"))),
    }
}

/// Runs the checker on `record` as if added to `file`.
pub(crate) fn checked_step(
    file: &DevelopmentFile,
    record: &StepRecord,
    reason: Option<&str>,
    today: jiff::civil::Date,
) -> AppResult<Option<Refusal>> {
    let mut with = file.clone();
    with.steps.push(record.clone());
    let mut found = Vec::new();
    check_step(&with, record, today, &mut found);
    decide(
        record.step.cite(),
        found.into_iter().map(|v| v.message).collect(),
        reason,
    )
}

pub(crate) async fn insert_step(
    tx: &mut Tx,
    applicant_id: i64,
    actor: &Actor,
    record: &StepRecord,
    refusal: Option<&Refusal>,
    now: i64,
) -> AppResult<()> {
    let details = serde_json::to_string(record).map_err(|e| AppError::Unexpected(e.to_string()))?;
    let deviation = refusal.map(Refusal::text);
    store::insert_step(
        tx.conn(),
        &NewStep {
            applicant_id,
            step: i64::from(record.step.get()),
            occurred_on: &record.date.to_string(),
            details: &details,
            deviation_reason: refusal.map(|r| r.reason.as_str()),
            deviation: deviation.as_deref(),
            recorded_by: actor.account_id.0,
            now,
        },
    )
    .await
    .map_err(|e| match e {
        dangjian_store::StoreError::Duplicate(_) => {
            AppError::Conflict(format!("{}已记录，不能重复记录", record.step.cite()))
        }
        other => other.into(),
    })
}

pub(crate) async fn open_file(app: &App, actor: &Actor, id: i64) -> AppResult<Loaded> {
    let loaded = load(app, actor, id, Action::ManageDevelopment).await?;
    if loaded.row.status != "in_progress" {
        return Err(AppError::Conflict(format!(
            "{}的发展党员流程已结束，不能再记录",
            loaded.row.name
        )));
    }
    Ok(loaded)
}

pub(crate) fn reason_of(raw: Option<&str>) -> AppResult<Option<String>> {
    input::optional_text("deviation_reason", raw, 500, "偏差原因")
}

/// Records one step of an applicant's file.
pub async fn record_step(
    app: &App,
    actor: &Actor,
    id: ApplicantId,
    step: &StepInput,
    ctx: &RequestContext,
) -> AppResult<ApplicantDetail> {
    let loaded = open_file(app, actor, id.0).await?;
    let mut record = step.record()?;
    if loaded.file.has(record.step) {
        return Err(AppError::Conflict(format!(
            "{}已记录，不能重复记录",
            record.step.cite()
        )));
    }
    let mut handle = app.store.acquire().await?;
    for p in record.people.iter_mut() {
        if let Some(member_id) = p.member_id {
            let m = members::member_by_id(handle.conn(), member_id)
                .await?
                .ok_or_else(|| AppError::invalid("people", "所选党员不存在"))?;
            p.name = m.name;
            p.full_member = m.category == MemberCategory::Full.code()
                && MemberStatus::from_code(&m.status).is_some_and(MemberStatus::is_active);
        }
    }
    drop(handle);
    let reason = reason_of(step.deviation_reason.as_deref())?;
    let refusal = checked_step(&loaded.file, &record, reason.as_deref(), app.today())?;
    let row = &loaded.row;
    let now = app.now_micros();
    let mut tx = app.begin().await?;
    insert_step(&mut tx, id.0, actor, &record, refusal.as_ref(), now).await?;
    let who = Who::from(actor);
    let entry = Entry::new(
        AuditAction::DevelopmentStep,
        AuditEntity::Applicant,
        id,
        format!("{}：{} {}", row.name, record.step.cite(), record.date),
    )
    .org(Some(OrgId(row.branch_id)));
    audit::record(&mut tx, who, ctx, entry).await?;
    if let Some(r) = &refusal {
        let entry = r.entry(id.0, &row.name, row.branch_id);
        audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    }
    let mut file = loaded.file.clone();
    file.steps.push(record.clone());
    match record.step.get() {
        15 => admit(&mut tx, actor, &loaded, record.date, ctx, now).await?,
        24 => {
            if let (Some(member), Some(end)) = (row.member_id, probation_end(&file)) {
                let since = end.to_string();
                let full = MemberCategory::Full.code();
                let normal = MemberStatus::Normal.code();
                store::set_member_standing(tx.conn(), member, full, Some(&since), normal, now)
                    .await?;
                let entry = Entry::new(
                    AuditAction::MemberConverted,
                    AuditEntity::Member,
                    member,
                    format!("{} 经上级党委批准转为正式党员，转正日期 {since}", row.name),
                )
                .org(Some(OrgId(row.branch_id)));
                audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
            }
        }
        25 => store::set_applicant_status(tx.conn(), id.0, "completed", None, now).await?,
        _ => {}
    }
    tx.commit().await?;
    super::applicant_detail(app, actor, id).await
}

/// Step 15: the person joins the roster as a probationary member, the join date being the vote's.
async fn admit(
    tx: &mut Tx,
    actor: &Actor,
    loaded: &Loaded,
    joined: jiff::civil::Date,
    ctx: &RequestContext,
    now: i64,
) -> AppResult<()> {
    let row = &loaded.row;
    if members::member_id_by_id_number(tx.conn(), &row.id_number)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "{} 的身份证号已在党员花名册中，不能再次接收",
            row.name
        )));
    }
    let fields = MemberFields {
        branch_id: row.branch_id,
        group_id: None,
        name: row.name.clone(),
        name_initials: dangjian_domain::pinyin_initials::initials(&row.name),
        gender: row.gender.clone(),
        ethnicity: row.ethnicity.clone(),
        birth_date: row.birth_date.clone(),
        id_number: row.id_number.clone(),
        phone: row.phone.clone(),
        education: row.education.clone(),
        job_title: row.job_title.clone(),
        work_unit: row.work_unit.clone(),
        category: MemberCategory::Probationary.code().into(),
        joined_on: Some(joined.to_string()),
        full_member_on: None,
        status: MemberStatus::Normal.code().into(),
        is_mobile: false,
        is_leading_cadre: false,
        is_retired: false,
        in_hardship: false,
    };
    let member = members::insert_member(tx.conn(), &fields, now)
        .await
        .map_err(|e| match e {
            // Someone put the same ID number on the roster between the check and this insert.
            dangjian_store::StoreError::Duplicate(_) => AppError::Conflict(format!(
                "{} 的身份证号已在党员花名册中，不能再次接收",
                row.name
            )),
            other => other.into(),
        })?;
    store::set_applicant_status(tx.conn(), row.id, "in_progress", Some(member), now).await?;
    let entry = Entry::new(
        AuditAction::MemberCreated,
        AuditEntity::Member,
        member,
        format!(
            "{} 经支部党员大会讨论接收为预备党员，入党日期 {joined}",
            row.name
        ),
    )
    .org(Some(OrgId(row.branch_id)));
    audit::record(tx, Who::from(actor), ctx, entry).await?;
    Ok(())
}
