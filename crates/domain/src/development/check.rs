//! The checker: every condition of RULES.md "Member development" over a whole file, as a list of
//! violations in Chinese. The command line, the API and the use cases all call [`check`].

use jiff::civil::Date;
use serde::Serialize;

use super::file::{DevelopmentFile, ParticipantRole, StepRecord, VoteTally};
use super::limits;
use super::steps::StepNo;
use super::window::limits_of;

/// One broken rule, on the step it concerns. Extension and cancellation of the probation are
/// reported on step 23, the branch assembly that decides at the end of the probation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub step: StepNo,
    pub message: String,
}

impl std::fmt::Display for Violation {
    /// The line of `dangjian development check`: `step 7: 成为入党积极分子未满一年，…`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "step {}: {}", self.step, self.message)
    }
}

const DECISION_STEP: StepNo = StepNo::of(23);

/// Checks the whole file as of `today` (dates after it are refused). Violations come ordered by
/// step; an empty list means the file is clean.
pub fn check(file: &DevelopmentFile, today: Date) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    let mut steps: Vec<&StepRecord> = file.steps.iter().collect();
    steps.sort_by_key(|s| s.step);
    for record in steps {
        if seen.contains(&record.step) {
            out.push(at(record.step, format!("{}重复记录", record.step.cite())));
            continue;
        }
        seen.push(record.step);
        check_step(file, record, today, &mut out);
    }
    check_decisions(file, today, &mut out);
    out.sort_by_key(|v| v.step);
    out
}

/// Checks one step against the rest of the file: what a use case runs before recording it.
pub fn check_step(
    file: &DevelopmentFile,
    record: &StepRecord,
    today: Date,
    out: &mut Vec<Violation>,
) {
    let step = record.step;
    let mut say = |message: String| out.push(at(step, message));
    check_date(record.date, file.birth_date, today, &mut say);
    for prior in step.info().prerequisites() {
        if !file.has(prior) {
            say(format!("须先记录{}", prior.cite()));
        }
    }
    for limit in limits_of(file, step) {
        if !limit.allows(record.date) {
            say(limit.refusal(step));
        }
    }
    match step.get() {
        5 => check_people(record, ParticipantRole::Contact, 1, 2, &mut say),
        6 => check_evaluations(file, record, today, &mut say),
        9 => check_people(record, ParticipantRole::Sponsor, 2, 2, &mut say),
        10 if record.documents.is_empty() => {
            say("政治审查须形成结论性材料，请登记政治审查结论的材料名称或档案号".into())
        }
        11 => check_training(record, &mut say),
        15 | 23 => check_vote(record.vote, &mut say),
        _ => {}
    }
    if let Some(c) = &file.probation.cancellation
        && step >= DECISION_STEP
    {
        say(format!(
            "预备党员资格已于 {} 取消，不能再记录转正的步骤",
            c.date
        ));
    }
}

fn at(step: StepNo, message: String) -> Violation {
    Violation { step, message }
}

/// Every date of the file: not after today, not before the birth date.
fn check_date(date: Date, birth: Date, today: Date, say: &mut impl FnMut(String)) {
    if date > today {
        say(format!(
            "日期 {date} 晚于今天（{today}），不能记录将来的日期"
        ));
    }
    if date < birth {
        say(format!("日期 {date} 早于出生日期（{birth}）"));
    }
}

/// Steps 5 and 9: the contacts (one or two) and the sponsors (two) are full members
/// (发展细则 art. 11 and 15).
fn check_people(
    record: &StepRecord,
    role: ParticipantRole,
    min: usize,
    max: usize,
    say: &mut impl FnMut(String),
) {
    let people: Vec<_> = record.people.iter().filter(|p| p.role == role).collect();
    let wanted = if min == max {
        format!("{min} 名")
    } else {
        format!("{min} 至 {max} 名")
    };
    if people.len() < min || people.len() > max {
        say(format!(
            "{}须为 {wanted}正式党员，记录了 {} 名",
            role.label(),
            people.len()
        ));
    }
    for p in people.iter().filter(|p| !p.full_member) {
        say(format!("{}「{}」须为正式党员", role.label(), p.name));
    }
}

/// Step 6: from the designation as activist until the development-candidate decision, no more
/// than half a year passes without an evaluation (发展细则 art. 12). An open training period is
/// the dashboard's reminder, not a violation.
fn check_evaluations(
    file: &DevelopmentFile,
    record: &StepRecord,
    today: Date,
    say: &mut impl FnMut(String),
) {
    let start = file.date_of(StepNo::of(3)).unwrap_or(record.date);
    let mut dates = record.evaluations.clone();
    dates.sort();
    for &d in &dates {
        if d < start {
            say(format!(
                "考察日期 {d} 早于确定为入党积极分子的日期（{start}）"
            ));
        }
        check_date(d, file.birth_date, today, say);
    }
    let mut previous = start;
    let ends = file.date_of(StepNo::of(7));
    for next in dates.iter().copied().filter(|&d| d >= start).chain(ends) {
        let due = limits::evaluation_due(previous);
        if next > due {
            say(format!(
                "培养教育考察应至少每半年进行一次：{previous} 之后最晚应于 {due} 考察"
            ));
        }
        previous = previous.max(next);
    }
}

/// Step 11: generally at least 3 days or 24 class hours (发展细则 art. 18).
fn check_training(record: &StepRecord, say: &mut impl FnMut(String)) {
    let days = record.training_days.unwrap_or(0);
    let hours = record.class_hours.unwrap_or(0);
    if days < limits::MIN_TRAINING_DAYS && hours < limits::MIN_CLASS_HOURS {
        say(format!(
            "集中培训时间一般不少于 {} 天或 {} 个学时，记录为 {days} 天、{hours} 学时",
            limits::MIN_TRAINING_DAYS,
            limits::MIN_CLASS_HOURS
        ));
    }
}

/// Steps 15 and 23 (and the probation decisions): the count stands under the admission rule.
fn check_vote(vote: Option<VoteTally>, say: &mut impl FnMut(String)) {
    let Some(tally) = vote else {
        say("须记录支部党员大会的表决情况（应到、实到有表决权的正式党员人数和赞成票数）".into());
        return;
    };
    let count = tally.admission();
    match count.decide() {
        Err(error) => say(format!("表决情况有误：{error}")),
        Ok(outcome) if !outcome.carried() => say(outcome.explain(&count)),
        Ok(_) => {}
    }
}

/// The extension (once, 6 to 12 months, decided when the probation ends) and the cancellation
/// (after admission), each by a branch assembly vote with the admission majority (发展细则 art. 34).
fn check_decisions(file: &DevelopmentFile, today: Date, out: &mut Vec<Violation>) {
    let admitted = file.date_of(StepNo::of(15));
    let admission_missing = || format!("须先记录{}", StepNo::of(15).cite());
    if let Some(ext) = &file.probation.extension {
        let mut found = Vec::new();
        let mut say = |m: String| found.push(m);
        check_date(ext.date, file.birth_date, today, &mut say);
        if !limits::extension_allowed(ext.months) {
            say(format!(
                "延长预备期须不少于半年、不超过一年（{} 至 {} 个月），记录为 {} 个月",
                limits::EXTENSION_MIN_MONTHS,
                limits::EXTENSION_MAX_MONTHS,
                ext.months
            ));
        }
        match admitted {
            None => say(admission_missing()),
            Some(d) => {
                let end = limits::probation_end(d, None);
                if ext.date < end {
                    say(format!("预备期满时方可讨论延长预备期，最早可于 {end}"));
                }
            }
        }
        check_vote(ext.vote, &mut say);
        out.extend(
            found
                .into_iter()
                .map(|m| at(DECISION_STEP, format!("延长预备期：{m}"))),
        );
    }
    if let Some(c) = &file.probation.cancellation {
        let mut found = Vec::new();
        let mut say = |m: String| found.push(m);
        check_date(c.date, file.birth_date, today, &mut say);
        match admitted {
            None => say(admission_missing()),
            Some(d) if c.date < d => say(format!("不得早于{}（{d}）", StepNo::of(15).cite())),
            Some(_) => {}
        }
        check_vote(c.vote, &mut say);
        out.extend(
            found
                .into_iter()
                .map(|m| at(DECISION_STEP, format!("取消预备党员资格：{m}"))),
        );
    }
}
