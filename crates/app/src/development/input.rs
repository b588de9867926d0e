//! What a form or an API call gives for a step or a probation decision, read into the checker's
//! types with Chinese messages for what cannot be read at all (a malformed date, a step number out
//! of range). Whether the content breaks a rule is the checker's to say.

use dangjian_domain::development::{Participant, ParticipantRole, StepNo, StepRecord, VoteTally};
use dangjian_domain::text::Shape;
use jiff::civil::Date;
use serde::Deserialize;

use crate::members::record::parse_date;
use crate::{AppError, AppResult};

/// One step as recorded.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct StepInput {
    /// 1 to 25.
    pub step: i64,
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    pub date: String,
    #[serde(default)]
    pub people: Vec<ParticipantInput>,
    /// Document references: titles, archive numbers.
    #[serde(default)]
    pub documents: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Step 11.
    #[serde(default)]
    pub training_days: Option<u32>,
    #[serde(default)]
    pub class_hours: Option<u32>,
    /// Steps 15 and 23.
    #[serde(default)]
    #[schema(value_type = Option<VoteTallyInput>)]
    pub vote: Option<VoteTally>,
    /// Step 6: evaluation dates, YYYY-MM-DD.
    #[serde(default)]
    pub evaluations: Vec<String>,
    /// Step 17.
    #[serde(default)]
    pub approval_extended: bool,
    /// Record despite the rules (a historical file): why. Audited and shown in red.
    #[serde(default)]
    pub deviation_reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ParticipantInput {
    #[serde(default)]
    pub name: String,
    /// talker, contact, sponsor or other.
    pub role: String,
    /// The roster entry: the name and whether a full member are then taken from the roster.
    #[serde(default)]
    pub member_id: Option<i64>,
    /// For a person not on this roster: stated by the caller.
    #[serde(default)]
    pub full_member: bool,
}

/// A vote's count as `VoteTally` reads it (unknown fields refused); for the OpenAPI document.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct VoteTallyInput {
    pub expected_voters: u32,
    pub present_voters: u32,
    pub in_favour: u32,
    #[serde(default)]
    pub against: u32,
    #[serde(default)]
    pub abstaining: u32,
}

/// An extension (延长预备期) or a cancellation (取消预备党员资格) of the probation.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
// Named apart: another input of the same Rust name would take its place in the OpenAPI document.
#[schema(as = ProbationDecisionInput)]
pub struct DecisionInput {
    /// YYYY-MM-DD: the branch assembly's date.
    #[schema(format = Date)]
    pub date: String,
    /// Extension only: 6 to 12.
    #[serde(default)]
    pub months: Option<u32>,
    #[serde(default)]
    #[schema(value_type = Option<VoteTallyInput>)]
    pub vote: Option<VoteTally>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub deviation_reason: Option<String>,
}

pub(crate) fn date(field: &'static str, raw: &str) -> AppResult<Date> {
    parse_date(raw).ok_or_else(|| AppError::invalid(field, "日期格式应为 2026-03-15"))
}

fn text(field: &'static str, raw: &str, max: usize, what: &str) -> AppResult<String> {
    AppError::check_text(field, what, raw, Shape::MultiLine, max, false)
}

/// Optional free text: blank is none.
pub(crate) fn optional_text(
    field: &'static str,
    raw: Option<&str>,
    max: usize,
    what: &str,
) -> AppResult<Option<String>> {
    let t = text(field, raw.unwrap_or(""), max, what)?;
    Ok((!t.is_empty()).then_some(t))
}

impl StepInput {
    /// The record the checker reads; participants still carry the caller's word until the use
    /// case replaces it with the roster's.
    pub(crate) fn record(&self) -> AppResult<StepRecord> {
        let step = StepNo::new(self.step).map_err(|e| AppError::invalid("step", e.to_string()))?;
        let mut record = StepRecord::on(step, date("date", &self.date)?);
        for p in &self.people {
            let role = ParticipantRole::from_code(p.role.trim())
                .ok_or_else(|| AppError::invalid("people", format!("未知的角色「{}」", p.role)))?;
            let name = text("people", &p.name, 50, "姓名")?;
            if name.is_empty() && p.member_id.is_none() {
                continue;
            }
            record.people.push(Participant {
                name,
                role,
                full_member: p.full_member,
                member_id: p.member_id,
            });
        }
        if record.people.len() > 20 {
            return Err(AppError::invalid("people", "参与人员最多 20 名"));
        }
        for d in &self.documents {
            let d = text("documents", d, 200, "材料名称")?;
            if !d.is_empty() {
                record.documents.push(d);
            }
        }
        if record.documents.len() > 50 {
            return Err(AppError::invalid("documents", "材料最多 50 份"));
        }
        record.note = optional_text("note", self.note.as_deref(), 1000, "说明")?;
        record.training_days = self.training_days;
        record.class_hours = self.class_hours;
        record.vote = self.vote;
        for e in self.evaluations.iter().filter(|e| !e.trim().is_empty()) {
            record.evaluations.push(date("evaluations", e)?);
        }
        if record.evaluations.len() > 50 {
            return Err(AppError::invalid("evaluations", "考察记录最多 50 次"));
        }
        record.approval_extended = self.approval_extended;
        Ok(record)
    }
}
