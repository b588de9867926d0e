//! The dated limits on a step: the earliest and the latest day the file allows it, each with the
//! rule behind it. The checker refuses a date outside them; the dashboard shows them as the next
//! step's window.

use jiff::civil::Date;

use super::file::DevelopmentFile;
use super::limits;
use super::steps::StepNo;

/// Why a limit exists, which words the refusal uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Step 1: at least 18 on the day of applying.
    MinimumAge,
    /// Any step: not before a step it follows.
    Follows(StepNo),
    /// Step 2: the talk within one month of the application.
    TalkWithinMonth,
    /// Step 7: at least one year as an activist.
    ActivistOneYear,
    /// Step 17: approval within 3 (extended: 6) months of the admission vote.
    ApprovalWithin { extended: bool },
    /// Step 21: the continued education happens during the probation.
    DuringProbation,
    /// Step 22: the application for full membership by the end of the probation.
    ApplyByProbationEnd,
    /// Step 23: the conversion vote once the probation has ended.
    ProbationOver,
    /// Step 24: approval of the conversion within 3 months.
    ConversionApprovalWithin,
}

/// A bound on a step's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    NotBefore(Date, Rule),
    NotAfter(Date, Rule),
}

impl Limit {
    /// Whether `date` lies on the allowed side of this bound.
    pub fn allows(self, date: Date) -> bool {
        match self {
            Limit::NotBefore(earliest, _) => date >= earliest,
            Limit::NotAfter(latest, _) => date <= latest,
        }
    }

    /// The refusal of a date on the wrong side: the rule, and the day it would be allowed.
    pub fn refusal(self, step: StepNo) -> String {
        match self {
            Limit::NotBefore(d, Rule::MinimumAge) => format!(
                "递交入党申请书时须年满 {} 周岁，最早可于 {d} 递交入党申请书",
                limits::MIN_AGE
            ),
            Limit::NotBefore(d, Rule::Follows(prior)) => {
                format!("不得早于{}（{d}），最早可于 {d}", prior.cite())
            }
            Limit::NotBefore(d, Rule::ActivistOneYear) => {
                format!("成为入党积极分子未满一年，最早可于 {d} 确定为发展对象")
            }
            Limit::NotBefore(d, Rule::ProbationOver) => {
                format!("预备期未满，最早可于 {d}（预备期满）讨论转正")
            }
            Limit::NotAfter(d, Rule::TalkWithinMonth) => {
                format!("党组织应在收到入党申请书后一个月内派人谈话，最晚应于 {d}")
            }
            Limit::NotAfter(d, Rule::ApprovalWithin { extended: false }) => {
                format!("上级党委应在支部大会讨论后三个月内审批，最晚应于 {d}")
            }
            Limit::NotAfter(d, Rule::ApprovalWithin { extended: true }) => {
                format!("上级党委审批延长后总期限不得超过六个月，最晚应于 {d}")
            }
            Limit::NotAfter(d, Rule::DuringProbation) => {
                format!("继续教育考察应在预备期内进行，预备期至 {d} 届满")
            }
            Limit::NotAfter(d, Rule::ApplyByProbationEnd) => {
                format!("转正申请应在预备期满前提出，最晚应于 {d}")
            }
            Limit::NotAfter(d, Rule::ConversionApprovalWithin) => {
                format!("上级党委应在支部大会讨论转正后三个月内审批，最晚应于 {d}")
            }
            // The remaining pairs are never built by `limits_of`.
            Limit::NotBefore(d, _) => format!("{}最早可于 {d}", step.cite()),
            Limit::NotAfter(d, _) => format!("{}最晚应于 {d}", step.cite()),
        }
    }
}

/// The dated bounds on `step` that the rest of the file determines. A bound whose reference date
/// is not recorded yet is left out (the missing step is reported on its own).
pub fn limits_of(file: &DevelopmentFile, step: StepNo) -> Vec<Limit> {
    let mut out: Vec<Limit> = step
        .info()
        .prerequisites()
        .filter_map(|prior| {
            file.date_of(prior)
                .map(|d| Limit::NotBefore(d, Rule::Follows(prior)))
        })
        .collect();
    let date = |n: u8| file.date_of(StepNo::of(n));
    let end = probation_end(file);
    match step.get() {
        1 => out.push(Limit::NotBefore(
            limits::earliest_application(file.birth_date),
            Rule::MinimumAge,
        )),
        2 => {
            out.extend(date(1).map(|d| Limit::NotAfter(limits::talk_due(d), Rule::TalkWithinMonth)))
        }
        7 => out.extend(
            date(3).map(|d| Limit::NotBefore(limits::earliest_candidate(d), Rule::ActivistOneYear)),
        ),
        17 => {
            let extended = file.step(step).is_some_and(|s| s.approval_extended);
            out.extend(date(15).map(|d| {
                Limit::NotAfter(
                    limits::approval_due(d, extended),
                    Rule::ApprovalWithin { extended },
                )
            }));
        }
        21 => out.extend(end.map(|e| Limit::NotAfter(e, Rule::DuringProbation))),
        22 => out.extend(end.map(|e| Limit::NotAfter(e, Rule::ApplyByProbationEnd))),
        23 => out.extend(end.map(|e| Limit::NotBefore(e, Rule::ProbationOver))),
        24 => out.extend(date(23).map(|d| {
            Limit::NotAfter(
                limits::conversion_approval_due(d),
                Rule::ConversionApprovalWithin,
            )
        })),
        _ => {}
    }
    out
}

/// The end of the probation as the file stands: one year after step 15, plus a valid extension.
pub fn probation_end(file: &DevelopmentFile) -> Option<Date> {
    let admitted = file.date_of(StepNo::of(15))?;
    let extension = file
        .probation
        .extension
        .as_ref()
        .map(|e| e.months)
        .filter(|&m| limits::extension_allowed(m));
    Some(limits::probation_end(admitted, extension))
}

/// The earliest and latest allowed day of `step` (either may be open).
pub fn window(file: &DevelopmentFile, step: StepNo) -> (Option<Date>, Option<Date>) {
    let mut earliest: Option<Date> = None;
    let mut latest: Option<Date> = None;
    for limit in limits_of(file, step) {
        match limit {
            Limit::NotBefore(d, _) => earliest = Some(earliest.map_or(d, |e| e.max(d))),
            Limit::NotAfter(d, _) => latest = Some(latest.map_or(d, |l| l.min(d))),
        }
    }
    (earliest, latest)
}
