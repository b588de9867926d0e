//! Member development (发展党员): the five stages and twenty-five steps of the 2014 rules
//! (中国共产党发展党员工作细则, "发展细则"), their order, their time limits and their other
//! conditions, as pure functions over a person's file. RULES.md "Member development".
//!
//! - [`steps`]: the stages and steps as data, with what each step follows.
//! - [`file`]: the file (birth date, recorded steps, probation decisions) — also the JSON format.
//! - [`limits`]: the time limits and how months and years are counted.
//! - [`window`]: each step's earliest and latest day with the rule behind it.
//! - [`check`]: every violation of a file, in Chinese; used by the CLI, the API and the use cases.
//! - [`plan`]: the stage a person is in and the next steps with their windows (the dashboard).

pub mod check;
pub mod file;
pub mod limits;
pub mod plan;
pub mod steps;
pub mod window;

pub use check::{Violation, check, check_step};
pub use file::{
    Cancellation, DevelopmentFile, Extension, Participant, ParticipantRole, ProbationDecisions,
    StepRecord, VoteTally,
};
pub use plan::{NextStep, Standing, next_steps, standing};
pub use steps::{STEPS, Stage, StepNo};

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
