//! The step form as an HTML form posts it (flat fields), read into the use case's input.

use dangjian_app::AppError;
use dangjian_app::development::{DecisionInput, ParticipantInput, StepInput};
use dangjian_domain::development::VoteTally;
use serde::Deserialize;

/// The step form: flat fields, as an HTML form posts them.
#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    member_a: String,
    #[serde(default)]
    member_b: String,
    /// Other people, one per line.
    #[serde(default)]
    others: String,
    /// One document per line.
    #[serde(default)]
    documents: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    training_days: String,
    #[serde(default)]
    class_hours: String,
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
    /// Evaluation dates separated by spaces, commas or lines.
    #[serde(default)]
    evaluations: String,
    #[serde(default)]
    approval_extended: Option<String>,
    #[serde(default)]
    months: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    deviation_reason: String,
}

fn number(raw: &str, what: &str) -> Result<Option<u32>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| AppError::invalid("number", format!("{what}应为不小于 0 的整数")))
}

impl StepForm {
    fn vote(&self) -> Result<Option<VoteTally>, AppError> {
        let expected = number(&self.expected_voters, "应到人数")?;
        let Some(expected_voters) = expected else {
            return Ok(None);
        };
        Ok(Some(VoteTally {
            expected_voters,
            present_voters: number(&self.present_voters, "实到人数")?.unwrap_or(0),
            in_favour: number(&self.in_favour, "赞成票")?.unwrap_or(0),
            against: number(&self.against, "反对票")?.unwrap_or(0),
            abstaining: number(&self.abstaining, "弃权票")?.unwrap_or(0),
        }))
    }

    pub(super) fn step_input(&self) -> Result<StepInput, AppError> {
        let step: i64 = self
            .step
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("step", "请选择步骤"))?;
        // Who the roster picks are depends on the step: talkers, contacts or sponsors.
        let role = match step {
            2 | 16 => "talker",
            5 => "contact",
            9 => "sponsor",
            _ => "other",
        };
        let mut people: Vec<ParticipantInput> = [&self.member_a, &self.member_b]
            .iter()
            .filter_map(|m| m.trim().parse::<i64>().ok())
            .map(|member_id| ParticipantInput {
                name: String::new(),
                role: role.into(),
                member_id: Some(member_id),
                full_member: false,
            })
            .collect();
        people.extend(lines(&self.others).map(|name| ParticipantInput {
            name,
            role: "other".into(),
            member_id: None,
            full_member: false,
        }));
        Ok(StepInput {
            step,
            date: self.date.clone(),
            people,
            documents: lines(&self.documents).collect(),
            note: Some(self.note.clone()),
            training_days: number(&self.training_days, "培训天数")?,
            class_hours: number(&self.class_hours, "培训学时")?,
            vote: self.vote()?,
            evaluations: self
                .evaluations
                .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            approval_extended: self.approval_extended.is_some(),
            deviation_reason: Some(self.deviation_reason.clone()),
        })
    }

    pub(super) fn decision(&self) -> Result<DecisionInput, AppError> {
        Ok(DecisionInput {
            date: self.date.clone(),
            months: number(&self.months, "延长月数")?,
            vote: self.vote()?,
            reason: Some(self.reason.clone()),
            deviation_reason: Some(self.deviation_reason.clone()),
        })
    }
}

fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
}
