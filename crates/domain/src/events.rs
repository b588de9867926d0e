//! Domain events: facts recorded by one module, in the same transaction as the write that made them
//! true, for other modules to act on (the points ledger awards and deducts from them).
//!
//! Each event has a stable source key built from the fact's identity, never from a clock or a
//! counter, so recording it again — a retried request, a replay — is a no-op, and a consumer keyed on
//! the source key acts exactly once. Events are never changed; a corrected fact is a new event
//! (`*_retracted`) naming the key it retracts.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A member attended an organizational-life activity.
    Attended,
    /// A member was absent without approved leave.
    AbsentWithoutLeave,
    /// A member was absent with approved leave (请假).
    OnLeave,
    /// An absent member confirmed the make-up study (补学).
    MakeUpStudyDone,
    /// A talk (谈心谈话) was held; one event per participant.
    TalkHeld,
    /// An earlier attendance fact was corrected; the payload names the retracted source key.
    AttendanceRetracted,
    /// A month's dues paid in full by the end of that month.
    DuesPaidOnTime,
    /// A month's dues still unpaid after that month ended.
    DuesInArrears,
}

impl EventKind {
    pub const ALL: [EventKind; 8] = [
        EventKind::Attended,
        EventKind::AbsentWithoutLeave,
        EventKind::OnLeave,
        EventKind::MakeUpStudyDone,
        EventKind::TalkHeld,
        EventKind::AttendanceRetracted,
        EventKind::DuesPaidOnTime,
        EventKind::DuesInArrears,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Attended => "attended",
            EventKind::AbsentWithoutLeave => "absent_without_leave",
            EventKind::OnLeave => "on_leave",
            EventKind::MakeUpStudyDone => "make_up_study_done",
            EventKind::TalkHeld => "talk_held",
            EventKind::AttendanceRetracted => "attendance_retracted",
            EventKind::DuesPaidOnTime => "dues_paid_on_time",
            EventKind::DuesInArrears => "dues_in_arrears",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::Attended => "参加组织生活",
            EventKind::AbsentWithoutLeave => "无故缺席",
            EventKind::OnLeave => "请假",
            EventKind::MakeUpStudyDone => "完成补学",
            EventKind::TalkHeld => "谈心谈话",
            EventKind::AttendanceRetracted => "更正出勤记录",
            EventKind::DuesPaidOnTime => "按时交纳党费",
            EventKind::DuesInArrears => "欠交党费",
        }
    }

    pub fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The stable source key of a fact about a member: `<entity>:<entity id>:member:<member id>:<kind>`.
/// Dues use the month as the entity (`dues:2026-03`).
pub fn source_key(entity: &str, entity_id: &str, member_id: i64, kind: EventKind) -> String {
    format!("{entity}:{entity_id}:member:{member_id}:{}", kind.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_code(kind.code()), Some(kind));
        }
        let mut codes: Vec<_> = EventKind::ALL.iter().map(|k| k.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), EventKind::ALL.len());
    }

    #[test]
    fn source_keys_depend_only_on_the_fact() {
        assert_eq!(
            source_key("activity", "12", 34, EventKind::Attended),
            "activity:12:member:34:attended"
        );
        assert_eq!(
            source_key("dues", "2026-03", 34, EventKind::DuesPaidOnTime),
            "dues:2026-03:member:34:dues_paid_on_time"
        );
    }
}
