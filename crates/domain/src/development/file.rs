//! A person's development file (入党材料) as the checker reads it: the birth date, the steps with
//! their dates, people, documents and counts, and the probation decisions. The same shape is the
//! JSON of `dangjian development check` and of the API (docs/member-development.md).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::steps::StepNo;
use crate::vote::{VoteCount, VotePurpose};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevelopmentFile {
    pub birth_date: Date,
    #[serde(default)]
    pub steps: Vec<StepRecord>,
    #[serde(default)]
    pub probation: ProbationDecisions,
}

/// One step as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    pub step: StepNo,
    pub date: Date,
    /// The people involved: talkers, contacts (培养联系人), sponsors (入党介绍人), others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<Participant>,
    /// Document references: file names, archive numbers (档案号), uploaded files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Step 11: length of the concentrated training in days and/or class hours (学时).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_hours: Option<u32>,
    /// Steps 15 and 23: the branch assembly's count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<VoteTally>,
    /// Step 6: the dates of the periodic evaluations (考察) of the activist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluations: Vec<Date>,
    /// Step 17: the superior extended its time limit for a special reason (特殊情况可适当延长).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approval_extended: bool,
}

impl StepRecord {
    /// A step with only its date.
    pub fn on(step: StepNo, date: Date) -> StepRecord {
        StepRecord {
            step,
            date,
            people: Vec::new(),
            documents: Vec::new(),
            note: None,
            training_days: None,
            class_hours: None,
            vote: None,
            evaluations: Vec::new(),
            approval_extended: false,
        }
    }
}

/// What a person does in a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    /// 谈话人 (steps 2 and 16).
    Talker,
    /// 培养联系人 (step 5).
    Contact,
    /// 入党介绍人 (step 9).
    Sponsor,
    Other,
}

impl ParticipantRole {
    pub const ALL: [ParticipantRole; 4] = [
        ParticipantRole::Talker,
        ParticipantRole::Contact,
        ParticipantRole::Sponsor,
        ParticipantRole::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ParticipantRole::Talker => "谈话人",
            ParticipantRole::Contact => "培养联系人",
            ParticipantRole::Sponsor => "入党介绍人",
            ParticipantRole::Other => "其他",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ParticipantRole::Talker => "talker",
            ParticipantRole::Contact => "contact",
            ParticipantRole::Sponsor => "sponsor",
            ParticipantRole::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<ParticipantRole> {
        ParticipantRole::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub name: String,
    pub role: ParticipantRole,
    /// Whether the person is a full member (正式党员) on the step's date. Not stated means no:
    /// contacts and sponsors must be shown to be full members.
    #[serde(default)]
    pub full_member: bool,
    /// The roster entry, when the person was picked from it (the system then fills
    /// `full_member` from the roster, not from the form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<i64>,
}

/// A branch assembly's count, as on the minutes. Its quorum and majority are the admission rule of
/// [`crate::vote`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteTally {
    pub expected_voters: u32,
    pub present_voters: u32,
    pub in_favour: u32,
    #[serde(default)]
    pub against: u32,
    #[serde(default)]
    pub abstaining: u32,
}

impl VoteTally {
    /// Admission, conversion, extension and cancellation are all decided with the admission
    /// majority (发展细则 art. 24 and 33).
    pub fn admission(self) -> VoteCount {
        VoteCount {
            purpose: VotePurpose::Admission,
            expected_voters: self.expected_voters,
            present_voters: self.present_voters,
            in_favour: self.in_favour,
            against: self.against,
            abstaining: self.abstaining,
        }
    }
}

/// Decisions on a probationary member other than conversion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbationDecisions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation: Option<Cancellation>,
}

/// 延长预备期: decided by the branch assembly when the probation ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    pub date: Date,
    /// Length of the extension in months: 6 to 12.
    pub months: u32,
    pub vote: Option<VoteTally>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// 取消预备党员资格.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cancellation {
    pub date: Date,
    pub vote: Option<VoteTally>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl DevelopmentFile {
    /// The first record of a step, if any.
    pub fn step(&self, no: StepNo) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.step == no)
    }

    pub fn date_of(&self, no: StepNo) -> Option<Date> {
        self.step(no).map(|s| s.date)
    }

    pub fn has(&self, no: StepNo) -> bool {
        self.step(no).is_some()
    }
}
