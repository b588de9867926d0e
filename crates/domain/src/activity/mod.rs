//! Organizational life (组织生活): the kinds of activity, their lifecycle, attendance,
//! check-in codes, periods and compliance with the frequencies of 支部工作条例 art. 19–22 (RULES.md).

pub mod attendance;
pub mod checkin;
pub mod compliance;
pub mod kind;
pub mod lifecycle;
pub mod month_plan;
pub mod period;

pub use attendance::{Attendance, MeetingRole};
pub use kind::{ActivityKind, Frequency};
pub use lifecycle::{ActivityStatus, Operation};
pub use period::Period;
