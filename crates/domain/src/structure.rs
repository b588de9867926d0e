//! Structure health (组织设置体检): whether a branch is set up as RULES.md "Organization" requires.
//! Plain facts in, findings out; the caller gathers the facts and shows the findings.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// 支部条例 ch. 2: a unit with at least this many full members sets up a branch.
pub const MIN_FULL_MEMBERS_FOR_BRANCH: u32 = 3;
/// 支部条例 art. 20: a branch with at least this many full members sets up a branch committee.
pub const COMMITTEE_THRESHOLD_FULL_MEMBERS: u32 = 7;
/// 支部条例 art. 20: a branch committee has 3 to 5 members …
pub const BRANCH_COMMITTEE_SIZE: RangeInclusive<u32> = 3..=5;
/// … and generally no more than 7.
pub const MAX_BRANCH_COMMITTEE_SIZE: u32 = 7;
/// 支部条例 ch. 2: a branch generally has no more than 50 members.
pub const MAX_BRANCH_MEMBERS: u32 = 50;
/// With more members than this a unit may set up a general branch (党总支), with approval.
pub const GENERAL_BRANCH_ABOVE: u32 = 50;
/// With more members than this a unit may set up a grassroots committee (基层党委), with approval.
pub const GRASSROOTS_COMMITTEE_ABOVE: u32 = 100;
/// 支部条例 ch. 2: a joint branch generally covers no more than 5 units.
pub const MAX_UNITS_IN_JOINT_BRANCH: u32 = 5;
/// 党章 art. 31: committees of grassroots organizations serve 3 to 5 years a term.
pub const TERM_YEARS: RangeInclusive<u8> = 3..=5;
/// 支部条例 ch. 6: branch committees other than those of villages and communities, generally 3.
pub const DEFAULT_TERM_YEARS: u8 = 3;
/// 支部条例 ch. 6: branch committees of villages and communities serve 5 years.
pub const VILLAGE_COMMUNITY_TERM_YEARS: u8 = 5;
/// How long before a term ends the election (换届) reminder starts: preparing an election takes
/// months (nominations, the superior's approval of candidates).
pub const TERM_REMINDER_MONTHS: i8 = 6;

const RULE_SETUP: &str = "《中国共产党支部工作条例（试行）》第二章：有正式党员 3 人以上的，都应当成立党支部；正式党员不足 3 人的单位，应当成立联合党支部";
const RULE_JOINT_UNITS: &str =
    "《中国共产党支部工作条例（试行）》第二章：联合党支部覆盖单位一般不超过 5 个";
const RULE_SIZE: &str = "《中国共产党支部工作条例（试行）》第二章：党支部党员人数一般不超过 50 人；党员较多的单位经上级党组织批准可设立党总支（50 人以上）或基层党委（100 人以上）";
const RULE_COMMITTEE: &str = "《中国共产党支部工作条例（试行）》第六章第二十条：有正式党员 7 人以上的党支部，应当设立党支部委员会，由 3 至 5 人组成，一般不超过 7 人";
const RULE_POSITIONS: &str = "《中国共产党支部工作条例（试行）》第六章第二十条：党支部委员会设书记和组织委员、宣传委员、纪检委员等，必要时可以设 1 名副书记";
const RULE_SECRETARY: &str = "《中国共产党支部工作条例（试行）》第六章第二十条：正式党员不足 7 人的党支部，设 1 名书记，必要时可以设 1 名副书记";
const RULE_MEMBERSHIP: &str = "《中国共产党章程》第八条：每个党员都必须编入党的一个支部、小组或其他特定组织，参加党的组织生活";
const RULE_GROUPS: &str =
    "《中国共产党支部工作条例（试行）》第十三条：党支部应当划分若干党小组，并设立党小组组长";
const RULE_TERM: &str = "《中国共产党章程》第三十一条：党的基层委员会、总支部委员会、支部委员会每届任期三年至五年；《中国共产党基层组织选举工作条例》：任期届满应当按期进行换届选举，延期或者提前进行换届选举应当报上级党组织批准";

/// 职务 in a branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Secretary,
    DeputySecretary,
    OrganizationMember,
    PublicityMember,
    DisciplineMember,
    CommitteeMember,
    GroupLeader,
}

impl Position {
    pub const ALL: [Position; 7] = [
        Position::Secretary,
        Position::DeputySecretary,
        Position::OrganizationMember,
        Position::PublicityMember,
        Position::DisciplineMember,
        Position::CommitteeMember,
        Position::GroupLeader,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Position::Secretary => "书记",
            Position::DeputySecretary => "副书记",
            Position::OrganizationMember => "组织委员",
            Position::PublicityMember => "宣传委员",
            Position::DisciplineMember => "纪检委员",
            Position::CommitteeMember => "委员",
            Position::GroupLeader => "党小组长",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Position::Secretary => "secretary",
            Position::DeputySecretary => "deputy_secretary",
            Position::OrganizationMember => "organization_member",
            Position::PublicityMember => "publicity_member",
            Position::DisciplineMember => "discipline_member",
            Position::CommitteeMember => "committee_member",
            Position::GroupLeader => "group_leader",
        }
    }

    pub fn from_code(code: &str) -> Option<Position> {
        Position::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Reads the label; 党支部书记, 支部委员 and 党小组组长 (the regulation's own words) too.
    pub fn from_label(label: &str) -> Option<Position> {
        let label = label.trim();
        let label = label
            .strip_prefix("党支部")
            .or_else(|| label.strip_prefix("支部"))
            .unwrap_or(label);
        match label {
            "党小组组长" | "小组长" => Some(Position::GroupLeader),
            _ => Position::ALL.into_iter().find(|p| p.label() == label),
        }
    }

    /// Where the position stands in a committee list: 书记 first, then 副书记, then the 委员, the
    /// way a committee is always named (the order of `ALL`).
    pub fn precedence(self) -> usize {
        Position::ALL
            .iter()
            .position(|p| *p == self)
            .unwrap_or(Position::ALL.len())
    }

    /// A seat on the branch committee (everything but the group leader).
    pub fn is_committee_seat(self) -> bool {
        self != Position::GroupLeader
    }
}

/// A term length in years, within 党章 art. 31's 3 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TermYears(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("任期应为 3 至 5 年（现为 {0} 年）")]
pub struct TermYearsError(pub u8);

impl TermYears {
    pub const DEFAULT: TermYears = TermYears(DEFAULT_TERM_YEARS);
    pub const VILLAGE_COMMUNITY: TermYears = TermYears(VILLAGE_COMMUNITY_TERM_YEARS);

    pub fn new(years: u8) -> Result<TermYears, TermYearsError> {
        if TERM_YEARS.contains(&years) {
            Ok(TermYears(years))
        } else {
            Err(TermYearsError(years))
        }
    }

    /// The term a new organization starts with: 5 years for a village or community branch, else 3.
    pub fn default_for(village_or_community: bool) -> TermYears {
        if village_or_community {
            TermYears::VILLAGE_COMMUNITY
        } else {
            TermYears::DEFAULT
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// The day a term started on `start` ends, the day by which the next election is due. A term
/// begun on 29 February ends on 28 February of a common year.
pub fn term_end(start: Date, years: TermYears) -> Date {
    start.saturating_add(i64::from(years.get()).years())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermState {
    Current,
    /// Ends within `TERM_REMINDER_MONTHS`: time to prepare the election.
    EndingSoon {
        end: Date,
    },
    /// The end day has come: the election is due, or overdue.
    Expired {
        end: Date,
    },
}

/// Where a term ending on `end` stands on `today`. The reminder starts on `end` minus
/// `TERM_REMINDER_MONTHS` months (inclusive); on `end` itself the term has run out.
pub fn term_state(end: Date, today: Date) -> TermState {
    if today >= end {
        TermState::Expired { end }
    } else if today >= end.saturating_sub(i64::from(TERM_REMINDER_MONTHS).months()) {
        TermState::EndingSoon { end }
    } else {
        TermState::Current
    }
}

/// Problems break a rule the texts state as "应当" (shall); warnings concern what they state as
/// "一般" (generally), where the superior may have approved an exception, and reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Problem,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Problem => "问题",
            Severity::Warning => "提醒",
        }
    }
}

/// One finding of the health check: a stable `code` for filters and tests, the Chinese message,
/// and the text of the rule it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub rule: &'static str,
}

impl Finding {
    fn new(code: &'static str, severity: Severity, message: String, rule: &'static str) -> Finding {
        Finding {
            code,
            severity,
            message,
            rule,
        }
    }
}

/// What the health check needs to know about one branch; counts are of active members
/// (`MemberStatus::is_active`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BranchFacts {
    pub full_members: u32,
    pub probationary_members: u32,
    /// 联合党支部.
    pub is_joint: bool,
    /// 临时党支部.
    pub is_temporary: bool,
    /// How many units a joint branch covers, when known.
    pub units_in_joint: Option<u32>,
    /// Whether the branch has a committee (positions other than secretary and deputy filled).
    pub has_committee: bool,
    /// How many people sit on the committee, when known (one person may hold two posts, so this
    /// cannot be counted from `positions`).
    pub committee_size: Option<u32>,
    /// The positions currently held.
    pub positions: Vec<Position>,
    pub has_groups: bool,
    /// Active members of the branch assigned to none of its groups.
    pub members_without_group: u32,
    /// When the current term of the committee (or of the secretary) ends.
    pub term_end: Option<Date>,
}

/// 支部条例 art. 13: a group has a leader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupFacts {
    pub has_leader: bool,
}

mod checks;
pub use checks::{check_branch, check_group};

#[cfg(test)]
mod tests;
