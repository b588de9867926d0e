//! An attendee's attendance (出勤) at an activity.
//!
//! Everyone on the list starts expected (应到). Before the meeting a member may ask for leave
//! (请假待批), which the host's side approves (请假) or refuses (back to expected). Scanning the
//! check-in code, or the recorder marking by hand, makes them present (出席). When the host
//! confirms the meeting was held, attendance becomes final: whoever is neither present nor on
//! approved leave is absent without leave (缺席), except those who ran the meeting (host,
//! recorder, speaker), who were there whether or not they scanned the code.

use serde::{Deserialize, Serialize};

use super::kind::ActivityKind;

/// Serialized, and stored, as its code: `expected`, `present`, `leave_requested`, `leave`,
/// `absent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// 应到: on the list, nothing recorded yet.
    Expected,
    /// 出席.
    Present,
    /// 请假待批: asked for leave, not yet decided.
    LeaveRequested,
    /// 请假: leave approved.
    Leave,
    /// 缺席: absent without leave.
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 5] = [
        Attendance::Expected,
        Attendance::Present,
        Attendance::LeaveRequested,
        Attendance::Leave,
        Attendance::Absent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Attendance::Expected => "expected",
            Attendance::Present => "present",
            Attendance::LeaveRequested => "leave_requested",
            Attendance::Leave => "leave",
            Attendance::Absent => "absent",
        }
    }

    pub fn from_code(code: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Attendance::Expected => "应到",
            Attendance::Present => "出席",
            Attendance::LeaveRequested => "请假待批",
            Attendance::Leave => "请假",
            Attendance::Absent => "缺席",
        }
    }

    /// What the recorder may mark by hand: present, leave or absent. Expected and a pending leave
    /// request come only from the list and from the member's own request.
    pub fn may_be_marked(self) -> bool {
        matches!(
            self,
            Attendance::Present | Attendance::Leave | Attendance::Absent
        )
    }

    /// The final attendance once the meeting is confirmed held: present and approved leave stay;
    /// anyone still expected, or whose leave request was never decided, is absent without leave.
    ///
    /// `runs_the_meeting`: the attendee is the plan's host, recorder or speaker. Whoever chaired,
    /// wrote the minutes or gave the lecture was there, scan or no scan (issue #14: the host of a
    /// lecture was booked absent), so while nothing else is recorded for them they are present.
    /// What was recorded stands: approved leave stays leave, and a leave request never decided
    /// says they meant to stay away, so it ends absent as for anyone else (the confirm page lists
    /// them, and the recorder can still mark them present).
    pub fn when_held(self, runs_the_meeting: bool) -> Attendance {
        match self {
            Attendance::Present => Attendance::Present,
            Attendance::Leave => Attendance::Leave,
            Attendance::Expected if runs_the_meeting => Attendance::Present,
            Attendance::Expected | Attendance::LeaveRequested | Attendance::Absent => {
                Attendance::Absent
            }
        }
    }
}

/// A part someone plays in running a meeting, as the plan names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingRole {
    /// 主持人.
    Host,
    /// 记录人.
    Recorder,
    /// 授课人 (a lecture's speaker).
    Speaker,
}

impl MeetingRole {
    pub fn label(self) -> &'static str {
        match self {
            MeetingRole::Host => "主持人",
            MeetingRole::Recorder => "记录人",
            MeetingRole::Speaker => "授课人",
        }
    }
}

/// Who is on a newly planned activity's list (应到) before anyone changes it: a 支委会 expects
/// the branch committee (its members' current positions), every other meeting the node's members;
/// whoever hosts, records or speaks is on the list either way. A talk (谈心谈话) starts empty: its
/// people are invited by name. A branch without a committee yet (under seven members
/// elect none, 只设书记) holds its 支委会 with the members, as before.
pub fn expected_by_default(
    kind: ActivityKind,
    node_members: &[i64],
    committee: &[i64],
    running: &[i64],
) -> Vec<i64> {
    let base: &[i64] = match kind {
        ActivityKind::Talk => return Vec::new(),
        ActivityKind::CommitteeMeeting if !committee.is_empty() => committee,
        _ => node_members,
    };
    let mut list: Vec<i64> = base.iter().chain(running).copied().collect();
    list.sort_unstable();
    list.dedup();
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for attendance in Attendance::ALL {
            assert_eq!(Attendance::from_code(attendance.code()), Some(attendance));
        }
    }

    #[test]
    fn unknown_code_is_none() {
        for junk in [
            "",
            "Present",
            " present",
            "present ",
            "late",
            "leave-requested",
        ] {
            assert_eq!(Attendance::from_code(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Attendance::Expected.label(), "应到");
        assert_eq!(Attendance::Present.label(), "出席");
        assert_eq!(Attendance::LeaveRequested.label(), "请假待批");
        assert_eq!(Attendance::Leave.label(), "请假");
        assert_eq!(Attendance::Absent.label(), "缺席");
    }

    #[test]
    fn serde_reads_the_codes() {
        use serde::de::value::{Error, StrDeserializer};
        for attendance in Attendance::ALL {
            let read = Attendance::deserialize(StrDeserializer::<Error>::new(attendance.code()));
            assert_eq!(read, Ok(attendance));
        }
        assert!(Attendance::deserialize(StrDeserializer::<Error>::new("late")).is_err());
    }

    #[test]
    fn only_final_outcomes_are_marked_by_hand() {
        let marked: Vec<_> = Attendance::ALL
            .into_iter()
            .filter(|a| a.may_be_marked())
            .collect();
        assert_eq!(
            marked,
            [Attendance::Present, Attendance::Leave, Attendance::Absent]
        );
    }

    #[test]
    fn holding_the_meeting_makes_the_undecided_absent() {
        assert_eq!(Attendance::Present.when_held(false), Attendance::Present);
        assert_eq!(Attendance::Leave.when_held(false), Attendance::Leave);
        assert_eq!(Attendance::Expected.when_held(false), Attendance::Absent);
        assert_eq!(
            Attendance::LeaveRequested.when_held(false),
            Attendance::Absent
        );
        assert_eq!(Attendance::Absent.when_held(false), Attendance::Absent);
        for a in Attendance::ALL {
            assert!(a.when_held(false).may_be_marked());
            assert!(a.when_held(true).may_be_marked());
        }
    }

    #[test]
    fn who_ran_the_meeting_is_present_unless_recorded_otherwise() {
        assert_eq!(Attendance::Expected.when_held(true), Attendance::Present);
        assert_eq!(Attendance::Present.when_held(true), Attendance::Present);
        assert_eq!(Attendance::Leave.when_held(true), Attendance::Leave);
        assert_eq!(
            Attendance::LeaveRequested.when_held(true),
            Attendance::Absent
        );
        assert_eq!(Attendance::Absent.when_held(true), Attendance::Absent);
    }

    #[test]
    fn meeting_role_labels() {
        assert_eq!(MeetingRole::Host.label(), "主持人");
        assert_eq!(MeetingRole::Recorder.label(), "记录人");
        assert_eq!(MeetingRole::Speaker.label(), "授课人");
    }

    #[test]
    fn a_committee_meeting_expects_the_committee_and_who_runs_it() {
        let members = [1, 2, 3, 4, 5, 6, 7, 8];
        let committee = [2, 3, 5];
        assert_eq!(
            expected_by_default(
                ActivityKind::CommitteeMeeting,
                &members,
                &committee,
                &[5, 8]
            ),
            vec![2, 3, 5, 8]
        );
        assert_eq!(
            expected_by_default(ActivityKind::CommitteeMeeting, &members, &[], &[1]),
            members.to_vec(),
            "no committee elected yet: the members meet"
        );
    }

    #[test]
    fn other_meetings_expect_the_node_and_a_talk_only_its_people() {
        let members = [4, 1, 3];
        for kind in [
            ActivityKind::ThemeDay,
            ActivityKind::GroupMeeting,
            ActivityKind::BranchAssembly,
        ] {
            assert_eq!(
                expected_by_default(kind, &members, &[3], &[9, 1]),
                vec![1, 3, 4, 9]
            );
        }
        assert_eq!(
            expected_by_default(ActivityKind::Talk, &members, &[3], &[4]),
            Vec::<i64>::new()
        );
    }
}
