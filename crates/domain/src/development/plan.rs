//! Where a person stands and what comes next: the dashboard's view of a file.

use jiff::civil::Date;
use serde::Serialize;

use super::file::DevelopmentFile;
use super::limits;
use super::steps::{Stage, StepNo};
use super::window::{probation_end, window};

/// A step that may be recorded next, with the days the rules allow for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStep {
    pub step: StepNo,
    pub earliest: Option<Date>,
    pub latest: Option<Date>,
}

impl NextStep {
    /// Past its latest day and still not recorded.
    pub fn overdue(&self, today: Date) -> bool {
        self.latest.is_some_and(|l| today > l)
    }
}

/// Where the file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// In the pipeline, at this stage.
    InStage(Stage),
    /// Step 25 recorded: converted and archived.
    Completed,
    /// 取消预备党员资格.
    Cancelled,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::InStage(stage) => stage.label(),
            Standing::Completed => "已转正",
            Standing::Cancelled => "已取消预备党员资格",
        }
    }
}

/// The stage of the furthest step recorded: someone whose training (step 6) is recorded is still
/// an activist until step 7 makes them a development candidate.
pub fn standing(file: &DevelopmentFile) -> Standing {
    if file.probation.cancellation.is_some() {
        return Standing::Cancelled;
    }
    match file.steps.iter().map(|s| s.step).max() {
        Some(StepNo::LAST) => Standing::Completed,
        Some(step) => Standing::InStage(step.stage()),
        None => Standing::InStage(Stage::Application),
    }
}

/// The steps whose prerequisites are all recorded but which are not, lowest first, each with its
/// window. Nothing is open after a cancellation.
pub fn next_steps(file: &DevelopmentFile) -> Vec<NextStep> {
    if file.probation.cancellation.is_some() {
        return Vec::new();
    }
    StepNo::all()
        .filter(|&s| !file.has(s) && s.info().prerequisites().all(|p| file.has(p)))
        .map(|step| {
            let (earliest, latest) = window(file, step);
            NextStep {
                step,
                earliest,
                latest,
            }
        })
        .collect()
}

/// During the activist's training (step 6 recorded, step 7 not): the day the next half-yearly
/// evaluation is due.
pub fn evaluation_due(file: &DevelopmentFile) -> Option<Date> {
    let training = file.step(StepNo::of(6))?;
    if file.has(StepNo::of(7)) {
        return None;
    }
    let start = file.date_of(StepNo::of(3)).unwrap_or(training.date);
    let last = training.evaluations.iter().copied().max().unwrap_or(start);
    Some(limits::evaluation_due(last.max(start)))
}

/// While on probation (admitted, not yet voted on for conversion, not cancelled): the day it ends.
pub fn probation_ends(file: &DevelopmentFile) -> Option<Date> {
    if file.has(StepNo::of(23)) || file.probation.cancellation.is_some() {
        return None;
    }
    probation_end(file)
}
