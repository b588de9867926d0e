//! The lifecycle of an activity, from plan to locked record.
//!
//! draft → (submitted → approved | returned → submitted …) → published (notice to attendees) →
//! held (attendance final) → minuted → archived. A group's activity needs its branch's approval of
//! theme, procedure and content before it happens (报备审批); a branch may be configured to report
//! to its committee. Archived records change only by amendments that keep who and why.

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
    Published,
    Held,
    Minuted,
    Archived,
    Cancelled,
}

/// What someone wants to do to an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Edit,
    Submit,
    Approve,
    Return,
    Publish,
    OpenCheckIn,
    CheckIn,
    RequestLeave,
    DecideLeave,
    MarkAttendance,
    Finish,
    RecordMinutes,
    RecordVote,
    Archive,
    Amend,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("活动当前为「{}」，{}", .status.label(), .hint)]
pub struct LifecycleError {
    pub status: ActivityStatus,
    pub hint: &'static str,
}

impl ActivityStatus {
    pub const ALL: [ActivityStatus; 9] = [
        ActivityStatus::Draft,
        ActivityStatus::Submitted,
        ActivityStatus::Returned,
        ActivityStatus::Approved,
        ActivityStatus::Published,
        ActivityStatus::Held,
        ActivityStatus::Minuted,
        ActivityStatus::Archived,
        ActivityStatus::Cancelled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActivityStatus::Draft => "草稿",
            ActivityStatus::Submitted => "待审批",
            ActivityStatus::Returned => "已退回",
            ActivityStatus::Approved => "已审批",
            ActivityStatus::Published => "已发布通知",
            ActivityStatus::Held => "已召开",
            ActivityStatus::Minuted => "已记录",
            ActivityStatus::Archived => "已归档",
            ActivityStatus::Cancelled => "已取消",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ActivityStatus::Draft => "draft",
            ActivityStatus::Submitted => "submitted",
            ActivityStatus::Returned => "returned",
            ActivityStatus::Approved => "approved",
            ActivityStatus::Published => "published",
            ActivityStatus::Held => "held",
            ActivityStatus::Minuted => "minuted",
            ActivityStatus::Archived => "archived",
            ActivityStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<ActivityStatus> {
        ActivityStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the activity has taken place (counts for compliance and attendance).
    pub fn is_held(self) -> bool {
        matches!(
            self,
            ActivityStatus::Held | ActivityStatus::Minuted | ActivityStatus::Archived
        )
    }

    /// Checks an operation against the status; `needs_approval` says whether this activity must be
    /// approved before its notice is published. Returns the status after the operation.
    pub fn apply(
        self,
        operation: Operation,
        needs_approval: bool,
    ) -> Result<ActivityStatus, LifecycleError> {
        use ActivityStatus as S;
        use Operation as O;
        let refuse = |hint| Err(LifecycleError { status: self, hint });
        match (operation, self) {
            (O::Edit, S::Draft | S::Returned) => Ok(self),
            (O::Edit, S::Submitted | S::Approved | S::Published) => {
                refuse("不能再修改计划；如需修改请先取消后重新制定")
            }
            (O::Edit, S::Archived) => refuse("记录已归档锁定，只能提交更正"),
            (O::Edit, _) => refuse("不能再修改计划"),
            (O::Submit, S::Draft | S::Returned) if needs_approval => Ok(S::Submitted),
            (O::Submit, _) if !needs_approval => refuse("本活动无需报备审批，可直接发布通知"),
            (O::Submit, _) => refuse("只有草稿或被退回的计划可以报批"),
            (O::Approve | O::Return, S::Submitted) => Ok(if operation == O::Approve {
                S::Approved
            } else {
                S::Returned
            }),
            (O::Approve | O::Return, _) => refuse("只有待审批的计划可以审批"),
            (O::Publish, S::Approved) => Ok(S::Published),
            (O::Publish, S::Draft | S::Returned) if !needs_approval => Ok(S::Published),
            (O::Publish, S::Draft | S::Returned | S::Submitted) => {
                refuse("须经上级党组织审批后才能发布通知")
            }
            (O::Publish, _) => refuse("通知已发布"),
            (O::OpenCheckIn | O::CheckIn | O::RequestLeave | O::DecideLeave, S::Published) => {
                Ok(self)
            }
            (O::OpenCheckIn | O::CheckIn, _) => refuse("不在签到阶段"),
            (O::RequestLeave | O::DecideLeave, _) => refuse("只能在活动召开前请假"),
            (O::MarkAttendance, S::Published | S::Held | S::Minuted) => Ok(self),
            (O::Finish, S::Published) => Ok(S::Held),
            (O::Finish, _) => refuse("只有已发布通知的活动可以确认召开"),
            (O::RecordMinutes | O::RecordVote, S::Held | S::Minuted) => Ok(S::Minuted),
            (O::Archive, S::Minuted) => Ok(S::Archived),
            (O::Archive, _) => refuse("须先记录会议记录才能归档"),
            (O::Amend, S::Archived) => Ok(self),
            (O::Amend, _) => refuse("未归档的记录可直接修改，无需更正"),
            (O::Cancel, S::Draft | S::Submitted | S::Returned | S::Approved | S::Published) => {
                Ok(S::Cancelled)
            }
            (O::Cancel, _) => refuse("已召开或已取消的活动不能取消"),
            (O::MarkAttendance, S::Archived) => refuse("记录已归档锁定，只能提交更正"),
            (O::RecordMinutes | O::RecordVote, S::Archived) => {
                refuse("记录已归档锁定，只能提交更正")
            }
            (O::MarkAttendance | O::RecordMinutes | O::RecordVote, _) => refuse("活动尚未召开"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActivityStatus as S;
    use Operation as O;

    #[test]
    fn group_meeting_path_with_approval() {
        let mut status = S::Draft;
        for (op, expected) in [
            (O::Submit, S::Submitted),
            (O::Return, S::Returned),
            (O::Edit, S::Returned),
            (O::Submit, S::Submitted),
            (O::Approve, S::Approved),
            (O::Publish, S::Published),
            (O::CheckIn, S::Published),
            (O::Finish, S::Held),
            (O::RecordMinutes, S::Minuted),
            (O::Archive, S::Archived),
            (O::Amend, S::Archived),
        ] {
            status = status.apply(op, true).expect("allowed step");
            assert_eq!(status, expected, "{op:?}");
        }
    }

    #[test]
    fn unapproved_plans_cannot_be_published() {
        let error = S::Draft
            .apply(O::Publish, true)
            .expect_err("needs approval");
        assert!(error.to_string().contains("审批"), "{error}");
        assert_eq!(S::Draft.apply(O::Publish, false), Ok(S::Published));
        assert!(S::Draft.apply(O::Submit, false).is_err());
    }

    #[test]
    fn archived_records_are_locked() {
        for op in [
            O::Edit,
            O::MarkAttendance,
            O::RecordMinutes,
            O::RecordVote,
            O::Cancel,
        ] {
            let error = S::Archived.apply(op, true).expect_err("locked");
            assert_eq!(error.status, S::Archived);
        }
    }

    #[test]
    fn check_in_only_while_published() {
        for status in ActivityStatus::ALL {
            let allowed = status.apply(O::CheckIn, false).is_ok();
            assert_eq!(allowed, status == S::Published, "{status:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for status in ActivityStatus::ALL {
            assert_eq!(ActivityStatus::from_code(status.code()), Some(status));
        }
    }
}
