//! Member development (发展党员): applicants, their steps one by one, the probation decisions, the
//! dashboard and the timeline. Every step goes through the domain checker
//! (`dangjian_domain::development::check_step`); a violation is refused with its message unless an
//! administrator records it as a known deviation with a reason, which is audited and flagged.

mod applicants;
mod dashboard;
mod decisions;
mod input;
mod steps;

pub use applicants::{ApplicantInput, create_applicant};
pub use dashboard::{Alert, Dashboard, StageGroup, dashboard, reminders};
pub use decisions::{record_cancellation, record_extension};
pub use input::{DecisionInput, ParticipantInput, StepInput};
pub use steps::record_step;

use dangjian_domain::ApplicantId;
use std::collections::HashMap;

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::development::plan::{evaluation_due, probation_ends};
use dangjian_domain::development::{
    Cancellation, DevelopmentFile, Extension, ProbationDecisions, StepNo, StepRecord, Violation,
    check, next_steps, standing,
};
use dangjian_domain::id_number::IdNumber;
use dangjian_domain::member::age_on;
use dangjian_domain::time::{display_minute, from_micros};
use dangjian_domain::{OrgId, OrgPath, Phone};
use dangjian_store::development::{self as store, ApplicantRow, DecisionRow, StepRow, Whose};
use serde::Serialize;

use crate::members::record::parse_date;
use crate::{Actor, App, AppError, AppResult, orgs};

/// An applicant as lists and the dashboard show them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicantView {
    pub id: i64,
    pub name: String,
    pub gender: String,
    #[schema(format = Date)]
    pub birth_date: String,
    pub age: i16,
    /// Masked.
    pub id_number: String,
    /// Masked unless the caller may see personal data.
    pub phone: String,
    pub education: String,
    pub job_title: String,
    pub work_unit: String,
    pub branch_id: i64,
    pub branch_name: String,
    /// The day the branch received the application.
    #[schema(format = Date)]
    pub received_on: String,
    /// in_progress, completed or cancelled.
    pub status: String,
    /// The stage, or 已转正 / 已取消预备党员资格.
    pub standing: &'static str,
    /// The roster entry once admitted (step 15).
    pub member_id: Option<i64>,
    /// The steps that may be recorded next, with their windows.
    pub next_steps: Vec<NextStepView>,
    /// Some next step is past its latest day.
    pub overdue: bool,
    /// Some recorded step or decision is a known deviation.
    pub has_deviation: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NextStepView {
    pub step: u8,
    pub name: &'static str,
    pub earliest: Option<String>,
    pub latest: Option<String>,
    pub overdue: bool,
}

/// A recorded step on the timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepView {
    pub step: u8,
    pub name: &'static str,
    pub stage: &'static str,
    #[schema(format = Date)]
    pub date: String,
    /// `王建国（入党介绍人，正式党员）`.
    pub people: Vec<String>,
    pub documents: Vec<String>,
    pub note: Option<String>,
    /// Counts, training length, evaluations: one line each.
    pub facts: Vec<String>,
    /// The reason given for recording it despite the rules (shown in red).
    pub deviation_reason: Option<String>,
    /// The rules it breaks, as the checker said them when it was recorded.
    pub deviation: Option<String>,
    pub recorded_by: String,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub recorded_at: String,
}

/// The whole file of one applicant: the timeline page and `GET /api/v1/development/applicants/{id}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicantDetail {
    pub applicant: ApplicantView,
    pub steps: Vec<StepView>,
    /// Extension and cancellation of the probation, as timeline entries.
    pub decisions: Vec<StepView>,
    /// What the checker finds in the file as it stands (deviations included).
    pub violations: Vec<String>,
    /// The end of the probation, while on probation.
    pub probation_ends: Option<String>,
    /// The next half-yearly evaluation, during the activist's training.
    pub evaluation_due: Option<String>,
    /// Whether the caller may record steps.
    pub can_record: bool,
}

/// An applicant with the file the checker reads.
pub(crate) struct Loaded {
    pub row: ApplicantRow,
    pub path: OrgPath,
    pub file: DevelopmentFile,
    pub steps: Vec<StepRow>,
    pub decisions: Vec<DecisionRow>,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Unexpected(format!("stored {what} does not parse: {e}"))
}

/// The checker's view of stored rows.
pub(crate) fn file_of(
    row: &ApplicantRow,
    steps: &[&StepRow],
    decisions: &[&DecisionRow],
) -> AppResult<DevelopmentFile> {
    let birth_date = parse_date(&row.birth_date).ok_or_else(|| corrupt("birth date", row.id))?;
    let steps = steps
        .iter()
        .map(|s| serde_json::from_str::<StepRecord>(&s.details).map_err(|e| corrupt("step", e)))
        .collect::<AppResult<Vec<_>>>()?;
    let mut probation = ProbationDecisions::default();
    for d in decisions {
        match d.kind.as_str() {
            "extension" => {
                probation.extension = Some(
                    serde_json::from_str::<Extension>(&d.details)
                        .map_err(|e| corrupt("extension", e))?,
                )
            }
            _ => {
                probation.cancellation = Some(
                    serde_json::from_str::<Cancellation>(&d.details)
                        .map_err(|e| corrupt("cancellation", e))?,
                )
            }
        }
    }
    Ok(DevelopmentFile {
        birth_date,
        steps,
        probation,
    })
}

/// Loads an applicant the actor may take `action` on, with the whole file.
pub(crate) async fn load(app: &App, actor: &Actor, id: i64, action: Action) -> AppResult<Loaded> {
    let mut handle = app.store.acquire().await?;
    let row = store::applicant_by_id(handle.conn(), id)
        .await?
        .ok_or(AppError::NotFound("入党申请人"))?;
    let steps = store::steps_of(handle.conn(), Whose::Applicant(id)).await?;
    let decisions = store::decisions_of(handle.conn(), Whose::Applicant(id)).await?;
    drop(handle);
    let path = orgs::path_of(app, OrgId(row.branch_id)).await?;
    actor.authorize(action, Scope::Org(&path))?;
    let file = file_of(
        &row,
        &steps.iter().collect::<Vec<_>>(),
        &decisions.iter().collect::<Vec<_>>(),
    )?;
    Ok(Loaded {
        row,
        path,
        file,
        steps,
        decisions,
    })
}

pub(crate) fn view(
    row: &ApplicantRow,
    file: &DevelopmentFile,
    has_deviation: bool,
    reveal_phone: bool,
    today: jiff::civil::Date,
) -> ApplicantView {
    let next: Vec<NextStepView> = if row.status == "in_progress" {
        next_steps(file)
            .into_iter()
            .map(|n| NextStepView {
                step: n.step.get(),
                name: n.step.name(),
                earliest: n.earliest.map(|d| d.to_string()),
                latest: n.latest.map(|d| d.to_string()),
                overdue: n.overdue(today),
            })
            .collect()
    } else {
        Vec::new()
    };
    let phone = match Phone::parse(&row.phone) {
        Ok(p) if !reveal_phone => p.masked(),
        _ => row.phone.clone(),
    };
    ApplicantView {
        id: row.id,
        name: row.name.clone(),
        gender: dangjian_domain::person::Gender::from_code(&row.gender)
            .map(|g| g.label().to_string())
            .unwrap_or_default(),
        birth_date: row.birth_date.clone(),
        age: age_on(file.birth_date, today),
        id_number: IdNumber::parse(&row.id_number)
            .map(|i| i.masked())
            .unwrap_or_default(),
        phone,
        education: row.education.clone(),
        job_title: row.job_title.clone(),
        work_unit: row.work_unit.clone(),
        branch_id: row.branch_id,
        branch_name: row.branch_name.clone(),
        received_on: row.received_on.clone(),
        status: row.status.clone(),
        standing: standing(file).label(),
        member_id: row.member_id,
        overdue: next.iter().any(|n| n.overdue),
        next_steps: next,
        has_deviation,
    }
}

fn step_view(row: &StepRow, record: Option<&StepRecord>) -> StepView {
    let step = StepNo::new(row.step).unwrap_or(StepNo::FIRST);
    let mut view = StepView {
        step: step.get(),
        name: step.name(),
        stage: step.stage().label(),
        date: row.occurred_on.clone(),
        people: Vec::new(),
        documents: Vec::new(),
        note: None,
        facts: Vec::new(),
        deviation_reason: row.deviation_reason.clone(),
        deviation: row.deviation.clone(),
        recorded_by: row.recorded_by_name.clone(),
        recorded_at: display_minute(from_micros(row.recorded_at)),
    };
    if let Some(r) = record {
        view.people = r
            .people
            .iter()
            .map(|p| {
                let standing = if p.full_member { "，正式党员" } else { "" };
                format!("{}（{}{standing}）", p.name, p.role.label())
            })
            .collect();
        view.documents = r.documents.clone();
        view.note = r.note.clone();
        if let Some(v) = r.vote {
            view.facts.push(format!(
                "表决：应到 {} 人，实到 {} 人，赞成 {}，反对 {}，弃权 {}",
                v.expected_voters, v.present_voters, v.in_favour, v.against, v.abstaining
            ));
        }
        if r.training_days.is_some() || r.class_hours.is_some() {
            view.facts.push(format!(
                "集中培训 {} 天、{} 学时",
                r.training_days.unwrap_or(0),
                r.class_hours.unwrap_or(0)
            ));
        }
        if !r.evaluations.is_empty() {
            let dates: Vec<String> = r.evaluations.iter().map(|d| d.to_string()).collect();
            view.facts.push(format!("考察：{}", dates.join("、")));
        }
        if r.approval_extended {
            view.facts.push("审批时限经延长".into());
        }
    }
    view
}

fn decision_view(row: &DecisionRow, file: &DevelopmentFile) -> StepView {
    let (name, facts, note) = match row.kind.as_str() {
        "extension" => {
            let e = file.probation.extension.as_ref();
            (
                "延长预备期",
                e.map(|e| vec![format!("延长 {} 个月", e.months)])
                    .unwrap_or_default(),
                e.and_then(|e| e.reason.clone()),
            )
        }
        _ => (
            "取消预备党员资格",
            Vec::new(),
            file.probation
                .cancellation
                .as_ref()
                .and_then(|c| c.reason.clone()),
        ),
    };
    StepView {
        step: 23,
        name,
        stage: dangjian_domain::development::Stage::Probation.label(),
        date: row.decided_on.clone(),
        people: Vec::new(),
        documents: Vec::new(),
        note,
        facts,
        deviation_reason: row.deviation_reason.clone(),
        deviation: row.deviation.clone(),
        recorded_by: row.recorded_by_name.clone(),
        recorded_at: display_minute(from_micros(row.recorded_at)),
    }
}

/// The file of one applicant: the timeline and the printable summary.
pub async fn applicant_detail(
    app: &App,
    actor: &Actor,
    id: ApplicantId,
) -> AppResult<ApplicantDetail> {
    let loaded = load(app, actor, id.0, Action::ViewMembers).await?;
    Ok(detail_of(actor, &loaded, app.today()))
}

pub(crate) fn detail_of(
    actor: &Actor,
    loaded: &Loaded,
    today: jiff::civil::Date,
) -> ApplicantDetail {
    let Loaded {
        row,
        path,
        file,
        steps,
        decisions,
    } = loaded;
    let by_step: HashMap<u8, &StepRecord> = file.steps.iter().map(|r| (r.step.get(), r)).collect();
    let has_deviation = steps.iter().any(|s| s.deviation_reason.is_some())
        || decisions.iter().any(|d| d.deviation_reason.is_some());
    let reveal = actor
        .grant
        .permits(Action::ViewPersonalData, Scope::Org(path));
    ApplicantDetail {
        applicant: view(row, file, has_deviation, reveal, today),
        steps: steps
            .iter()
            .map(|s| {
                let no = u8::try_from(s.step).unwrap_or(0);
                step_view(s, by_step.get(&no).copied())
            })
            .collect(),
        decisions: decisions.iter().map(|d| decision_view(d, file)).collect(),
        violations: check(file, today)
            .iter()
            .map(Violation::to_string)
            .collect(),
        probation_ends: probation_ends(file).map(|d| d.to_string()),
        evaluation_due: evaluation_due(file).map(|d| d.to_string()),
        can_record: row.status == "in_progress"
            && actor
                .grant
                .permits(Action::ManageDevelopment, Scope::Org(path)),
    }
}
