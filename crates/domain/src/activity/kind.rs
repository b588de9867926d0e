//! The kinds of organizational-life activity and how often each is required.

use serde::{Deserialize, Serialize};

use crate::OrgKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// 支部党员大会.
    BranchAssembly,
    /// 支部委员会会议.
    CommitteeMeeting,
    /// 党小组会.
    GroupMeeting,
    /// 党课.
    PartyLecture,
    /// 主题党日.
    ThemeDay,
    /// 组织生活会.
    LifeMeeting,
    /// 民主生活会: of a leadership team (领导班子), held by committees.
    DemocraticLifeMeeting,
    /// 谈心谈话: a talk between two people.
    Talk,
    /// 其他活动: 志愿服务, 参观学习, ...
    Other,
}

/// How often a required activity must be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    Yearly,
}

impl Frequency {
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Monthly => "每月",
            Frequency::Quarterly => "每季度",
            Frequency::Yearly => "每年",
        }
    }
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 9] = [
        ActivityKind::BranchAssembly,
        ActivityKind::CommitteeMeeting,
        ActivityKind::GroupMeeting,
        ActivityKind::PartyLecture,
        ActivityKind::ThemeDay,
        ActivityKind::LifeMeeting,
        ActivityKind::DemocraticLifeMeeting,
        ActivityKind::Talk,
        ActivityKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::BranchAssembly => "支部党员大会",
            ActivityKind::CommitteeMeeting => "支部委员会",
            ActivityKind::GroupMeeting => "党小组会",
            ActivityKind::PartyLecture => "党课",
            ActivityKind::ThemeDay => "主题党日",
            ActivityKind::LifeMeeting => "组织生活会",
            ActivityKind::DemocraticLifeMeeting => "民主生活会",
            ActivityKind::Talk => "谈心谈话",
            ActivityKind::Other => "其他活动",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ActivityKind::BranchAssembly => "branch_assembly",
            ActivityKind::CommitteeMeeting => "committee_meeting",
            ActivityKind::GroupMeeting => "group_meeting",
            ActivityKind::PartyLecture => "party_lecture",
            ActivityKind::ThemeDay => "theme_day",
            ActivityKind::LifeMeeting => "life_meeting",
            ActivityKind::DemocraticLifeMeeting => "democratic_life_meeting",
            ActivityKind::Talk => "talk",
            ActivityKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The default required frequency (支部工作条例 art. 19–22, RULES.md "Organizational life"):
    /// 支部党员大会 quarterly, 支部委员会 and 党小组会 monthly, 党课 quarterly (local default; the
    /// secretary lectures at least once a year), 主题党日 monthly, 组织生活会 yearly. Talks are
    /// required per pair of people, not per node, and have no node-level frequency here.
    pub fn required_frequency(self) -> Option<Frequency> {
        match self {
            ActivityKind::BranchAssembly | ActivityKind::PartyLecture => Some(Frequency::Quarterly),
            ActivityKind::CommitteeMeeting
            | ActivityKind::GroupMeeting
            | ActivityKind::ThemeDay => Some(Frequency::Monthly),
            ActivityKind::LifeMeeting => Some(Frequency::Yearly),
            ActivityKind::DemocraticLifeMeeting | ActivityKind::Talk | ActivityKind::Other => None,
        }
    }

    /// Which node may hold an activity of this kind.
    pub fn may_be_held_by(self, org: OrgKind) -> bool {
        match self {
            ActivityKind::GroupMeeting => org == OrgKind::Group,
            ActivityKind::BranchAssembly
            | ActivityKind::CommitteeMeeting
            | ActivityKind::LifeMeeting => org == OrgKind::Branch,
            ActivityKind::DemocraticLifeMeeting => {
                matches!(org, OrgKind::Committee | OrgKind::GeneralBranch)
            }
            ActivityKind::PartyLecture
            | ActivityKind::ThemeDay
            | ActivityKind::Talk
            | ActivityKind::Other => true,
        }
    }

    /// Whether a branch of this many full members elects a committee (支部委员会): seven or more
    /// (支部工作条例 art. 9); a smaller one has only a secretary (只设书记) and no 支委会.
    pub fn elects_committee(full_members: i64) -> bool {
        full_members >= 7
    }

    /// The kinds a node of this kind is required to hold, with their frequency. A branch without
    /// a committee (fewer than 7 full members, 支部工作条例 art. 9) has no committee meetings.
    pub fn required_of(org: OrgKind, has_committee: bool) -> Vec<(ActivityKind, Frequency)> {
        let kinds: &[ActivityKind] = match org {
            OrgKind::Branch => &[
                ActivityKind::BranchAssembly,
                ActivityKind::CommitteeMeeting,
                ActivityKind::PartyLecture,
                ActivityKind::ThemeDay,
                ActivityKind::LifeMeeting,
            ],
            OrgKind::Group => &[ActivityKind::GroupMeeting],
            OrgKind::Committee | OrgKind::GeneralBranch => &[],
        };
        kinds
            .iter()
            .filter(|k| has_committee || **k != ActivityKind::CommitteeMeeting)
            .filter_map(|k| k.required_frequency().map(|f| (*k, f)))
            .collect()
    }

    /// Only a branch assembly votes (resolutions, admissions, conversions).
    pub fn may_vote(self) -> bool {
        self == ActivityKind::BranchAssembly
    }

    /// Counts as taking part in organizational life for the consecutive-months rule (党章 art. 9).
    pub fn is_organizational_life(self) -> bool {
        self != ActivityKind::Other
    }

    /// How an activity is named in lists, headings and calendars: "党小组会：学习…". Secretaries
    /// often type the kind into the topic themselves ("主题党日：重温入党誓词"); then the topic
    /// already names it and is shown as it is, so the kind never appears twice.
    pub fn title(self, topic: &str) -> String {
        let topic = topic.trim();
        if topic.starts_with(self.label()) {
            topic.to_string()
        } else {
            format!("{}：{topic}", self.label())
        }
    }
}

/// The title of an activity whose stored kind may be one this version does not know: the topic.
pub fn activity_title(kind_code: &str, topic: &str) -> String {
    ActivityKind::from_code(kind_code).map_or_else(|| topic.trim().to_string(), |k| k.title(topic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_is_named_once_in_a_title() {
        assert_eq!(
            ActivityKind::GroupMeeting.title("学习党的二十大报告"),
            "党小组会：学习党的二十大报告"
        );
        assert_eq!(
            ActivityKind::ThemeDay.title("主题党日：重温入党誓词"),
            "主题党日：重温入党誓词"
        );
        assert_eq!(
            ActivityKind::GroupMeeting.title(" 党小组会 学习"),
            "党小组会 学习"
        );
        assert_eq!(
            activity_title("party_lecture", "坚持人民至上"),
            "党课：坚持人民至上"
        );
        assert_eq!(activity_title("unknown_kind", "座谈"), "座谈");
    }

    #[test]
    fn codes_round_trip() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn frequencies_follow_the_regulation() {
        assert_eq!(
            ActivityKind::BranchAssembly.required_frequency(),
            Some(Frequency::Quarterly)
        );
        assert_eq!(
            ActivityKind::ThemeDay.required_frequency(),
            Some(Frequency::Monthly)
        );
        assert_eq!(
            ActivityKind::LifeMeeting.required_frequency(),
            Some(Frequency::Yearly)
        );
        assert_eq!(ActivityKind::Talk.required_frequency(), None);
    }

    #[test]
    fn branch_without_committee_owes_no_committee_meetings() {
        let with = ActivityKind::required_of(OrgKind::Branch, true);
        let without = ActivityKind::required_of(OrgKind::Branch, false);
        assert_eq!(with.len(), without.len() + 1);
        assert!(
            !without
                .iter()
                .any(|(k, _)| *k == ActivityKind::CommitteeMeeting)
        );
        assert_eq!(
            ActivityKind::required_of(OrgKind::Group, false),
            vec![(ActivityKind::GroupMeeting, Frequency::Monthly)]
        );
    }

    #[test]
    fn group_meetings_belong_to_groups() {
        assert!(ActivityKind::GroupMeeting.may_be_held_by(OrgKind::Group));
        assert!(!ActivityKind::GroupMeeting.may_be_held_by(OrgKind::Branch));
        assert!(!ActivityKind::BranchAssembly.may_be_held_by(OrgKind::Group));
    }
}
