//! The pipeline as data: five stages, twenty-five steps, and the steps each one must follow
//! (发展细则, chapters 2–6; RULES.md "Member development").

use serde::{Deserialize, Serialize};

/// The five stages (阶段) of 发展细则, one chapter each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 第一阶段 申请入党 (chapter 2): steps 1–2.
    Application,
    /// 第二阶段 入党积极分子的确定和培养教育 (chapter 3): steps 3–6.
    Activist,
    /// 第三阶段 发展对象的确定和考察 (chapter 4): steps 7–11.
    Candidate,
    /// 第四阶段 预备党员的接收 (chapter 5): steps 12–20.
    Admission,
    /// 第五阶段 预备党员的教育考察和转正 (chapter 6): steps 21–25.
    Probation,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Application,
        Stage::Activist,
        Stage::Candidate,
        Stage::Admission,
        Stage::Probation,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Application => "申请入党",
            Stage::Activist => "入党积极分子的确定和培养教育",
            Stage::Candidate => "发展对象的确定和考察",
            Stage::Admission => "预备党员的接收",
            Stage::Probation => "预备党员的教育考察和转正",
        }
    }

    /// 第一阶段 … 第五阶段.
    pub fn ordinal(self) -> &'static str {
        match self {
            Stage::Application => "第一阶段",
            Stage::Activist => "第二阶段",
            Stage::Candidate => "第三阶段",
            Stage::Admission => "第四阶段",
            Stage::Probation => "第五阶段",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Stage::Application => "application",
            Stage::Activist => "activist",
            Stage::Candidate => "candidate",
            Stage::Admission => "admission",
            Stage::Probation => "probation",
        }
    }
}

/// A step number, 1 to 25. Holding one means it is in range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct StepNo(u8);

/// A number outside 1..=25.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("步骤编号须为 1 到 25 的整数，收到 {0}")]
pub struct StepNoError(pub i64);

impl StepNo {
    pub const FIRST: StepNo = StepNo(1);
    pub const LAST: StepNo = StepNo(25);

    pub fn new(n: i64) -> Result<StepNo, StepNoError> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=25).contains(n))
            .map(StepNo)
            .ok_or(StepNoError(n))
    }

    /// For the fixed numbers of the rules below; out of range only by a programming error,
    /// which the table test catches.
    pub const fn of(n: u8) -> StepNo {
        StepNo(n)
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn all() -> impl Iterator<Item = StepNo> {
        (1..=25).map(StepNo)
    }

    pub fn info(self) -> &'static StepInfo {
        &STEPS[usize::from(self.0 - 1)]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn stage(self) -> Stage {
        self.info().stage
    }

    /// 第 7 步「确定发展对象」: how messages name a step.
    pub fn cite(self) -> String {
        format!("第 {} 步「{}」", self.0, self.name())
    }
}

impl std::fmt::Display for StepNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for StepNo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<StepNo, D::Error> {
        let n = i64::deserialize(d)?;
        StepNo::new(n).map_err(serde::de::Error::custom)
    }
}

/// One step of the table: its name, its stage, and the steps that must be recorded first (its date
/// may not be earlier than theirs; the same day is allowed, as files often date a committee
/// meeting and its filing alike).
#[derive(Debug)]
pub struct StepInfo {
    pub no: u8,
    pub name: &'static str,
    pub stage: Stage,
    pub after: &'static [u8],
}

const fn step(no: u8, name: &'static str, stage: Stage, after: &'static [u8]) -> StepInfo {
    StepInfo {
        no,
        name,
        stage,
        after,
    }
}

/// The 25 steps of 发展细则 in order. The `after` lists follow RULES.md's table; where the table says
/// nothing, the step follows the one that opens its stage (e.g. the sponsors, the political review
/// and the training all follow 确定发展对象), and the admission form (14) also needs the sponsors
/// (9), who sign it.
pub static STEPS: [StepInfo; 25] = [
    step(1, "递交入党申请书", Stage::Application, &[]),
    step(2, "党组织派人谈话", Stage::Application, &[1]),
    step(3, "推荐和确定入党积极分子", Stage::Activist, &[2]),
    step(4, "上级党委备案", Stage::Activist, &[3]),
    step(5, "指定培养联系人", Stage::Activist, &[3]),
    step(6, "培养教育考察", Stage::Activist, &[5]),
    step(7, "确定发展对象", Stage::Candidate, &[4, 6]),
    step(8, "报上级党委备案", Stage::Candidate, &[7]),
    step(9, "确定入党介绍人", Stage::Candidate, &[7]),
    step(10, "进行政治审查", Stage::Candidate, &[7]),
    step(11, "开展集中培训", Stage::Candidate, &[7]),
    step(12, "支部委员会审查", Stage::Admission, &[8, 10, 11]),
    step(13, "上级党委预审", Stage::Admission, &[12]),
    step(14, "填写入党志愿书", Stage::Admission, &[9, 13]),
    step(15, "支部大会讨论", Stage::Admission, &[14]),
    step(16, "上级党委派人谈话", Stage::Admission, &[15]),
    step(17, "上级党委审批", Stage::Admission, &[16]),
    step(18, "再上一级党委组织部门备案", Stage::Admission, &[17]),
    step(19, "编入党支部和党小组", Stage::Admission, &[17]),
    step(20, "入党宣誓", Stage::Admission, &[17]),
    step(21, "继续教育考察", Stage::Probation, &[17]),
    step(22, "提出转正申请", Stage::Probation, &[17]),
    step(23, "支部大会讨论", Stage::Probation, &[22]),
    step(24, "上级党委审批", Stage::Probation, &[23]),
    step(25, "材料归档", Stage::Probation, &[24]),
];

impl StepInfo {
    pub fn prerequisites(&self) -> impl Iterator<Item = StepNo> + '_ {
        self.after.iter().map(|&n| StepNo(n))
    }
}
