//! What waits for someone (待办): one shape for every area, so the home page and, later, the inbox
//! and the messages list them alike (DESIGN.md, "Reminders"). Each area says what is due for whom;
//! this module says how a reminder reads and in what order they come.

use jiff::civil::Date;
use serde::Serialize;

/// What kind of thing waits. The order of the variants is the order among reminders due the
/// same day: decisions others wait for come before one's own attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// A plan waits for the caller's approval (审批).
    ApprovePlan,
    /// The caller's own plan was approved and waits to be published to its attendees (发布).
    PublishPlan,
    /// Members asked for leave from a meeting the caller runs.
    DecideLeave,
    /// A points proposal waits for the caller's decision.
    DecideProposal,
    /// Last month's points bulletin (积分通报) of the caller's organization is not published.
    PublishBulletin,
    /// A transfer into the caller's branch waits to be received.
    ReceiveTransfer,
    /// A step of 发展党员 is due or overdue.
    DevelopmentStep,
    /// 民主评议 waits for the member's self-evaluation or ratings.
    Evaluate,
    /// A meeting the member is expected at.
    Attend,
    /// Make-up study (补学) of a missed meeting.
    MakeUp,
}

impl ReminderKind {
    /// The short tag a list shows before the title.
    pub fn label(self) -> &'static str {
        match self {
            ReminderKind::ApprovePlan => "待审批",
            ReminderKind::PublishPlan => "待发布",
            ReminderKind::DecideLeave => "请假待批",
            ReminderKind::DecideProposal => "积分待审",
            ReminderKind::PublishBulletin => "通报待发布",
            ReminderKind::ReceiveTransfer => "待接收",
            ReminderKind::DevelopmentStep => "发展党员",
            ReminderKind::Evaluate => "待评议",
            ReminderKind::Attend => "待参加",
            ReminderKind::MakeUp => "待补学",
        }
    }
}

/// One thing that waits for the caller, with where to act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub kind: ReminderKind,
    /// What it is about, as a person reads it ("综合党小组 · 党小组会：学习党章").
    pub title: String,
    /// The page where it is done.
    pub href: String,
    /// A further line: the time and place, or how many wait.
    pub detail: String,
    /// The day it is due or happens, when it has one.
    pub due_on: Option<Date>,
}

impl Reminder {
    pub fn is_overdue(&self, today: Date) -> bool {
        self.due_on.is_some_and(|due| due < today)
    }
}

/// The order a list shows: overdue first, then by the day due (undated ones after the dated),
/// then by kind, then by title, so the same reminders always come in the same order.
pub fn in_order(mut reminders: Vec<Reminder>, today: Date) -> Vec<Reminder> {
    reminders.sort_by(|a, b| {
        (
            !a.is_overdue(today),
            a.due_on.is_none(),
            a.due_on,
            a.kind,
            &a.title,
        )
            .cmp(&(
                !b.is_overdue(today),
                b.due_on.is_none(),
                b.due_on,
                b.kind,
                &b.title,
            ))
    });
    reminders
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn reminder(kind: ReminderKind, title: &str, due_on: Option<Date>) -> Reminder {
        Reminder {
            kind,
            title: title.into(),
            href: "/".into(),
            detail: String::new(),
            due_on,
        }
    }

    #[test]
    fn overdue_first_then_by_day_then_undated_then_by_kind() {
        let today = date(2026, 12, 2);
        let ordered = in_order(
            vec![
                reminder(
                    ReminderKind::Attend,
                    "周五的党小组会",
                    Some(date(2026, 12, 4)),
                ),
                reminder(ReminderKind::Evaluate, "民主评议", None),
                reminder(
                    ReminderKind::DevelopmentStep,
                    "逾期的考察",
                    Some(date(2026, 11, 20)),
                ),
                reminder(
                    ReminderKind::DecideLeave,
                    "周五的党小组会",
                    Some(date(2026, 12, 4)),
                ),
                reminder(ReminderKind::ApprovePlan, "主题党日", None),
            ],
            today,
        );
        let titles: Vec<(&str, ReminderKind)> =
            ordered.iter().map(|r| (r.title.as_str(), r.kind)).collect();
        assert_eq!(
            titles,
            vec![
                ("逾期的考察", ReminderKind::DevelopmentStep),
                ("周五的党小组会", ReminderKind::DecideLeave),
                ("周五的党小组会", ReminderKind::Attend),
                ("主题党日", ReminderKind::ApprovePlan),
                ("民主评议", ReminderKind::Evaluate),
            ]
        );
        assert!(ordered[0].is_overdue(today));
        assert!(!ordered[1].is_overdue(today));
    }

    #[test]
    fn every_kind_has_a_chinese_tag() {
        for kind in [
            ReminderKind::ApprovePlan,
            ReminderKind::DecideLeave,
            ReminderKind::DecideProposal,
            ReminderKind::ReceiveTransfer,
            ReminderKind::DevelopmentStep,
            ReminderKind::Evaluate,
            ReminderKind::Attend,
            ReminderKind::MakeUp,
        ] {
            assert!(kind.label().chars().all(|c| !c.is_ascii_alphabetic()));
        }
    }
}
