//! A member's standing on the roster (党员花名册): category, status, flags, age and the dates of
//! joining the Party and becoming a full member.

use jiff::ToSpan;
use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

/// 党员类别. Probationary members have no vote (党章 art. 7), which is why the roster keeps them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberCategory {
    Full,
    Probationary,
}

impl MemberCategory {
    pub const ALL: [MemberCategory; 2] = [MemberCategory::Full, MemberCategory::Probationary];

    pub fn label(self) -> &'static str {
        match self {
            MemberCategory::Full => "正式党员",
            MemberCategory::Probationary => "预备党员",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            MemberCategory::Full => "full",
            MemberCategory::Probationary => "probationary",
        }
    }

    pub fn from_code(code: &str) -> Option<MemberCategory> {
        MemberCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Reads the label; "正式" and "预备" alone are accepted too.
    pub fn from_label(label: &str) -> Option<MemberCategory> {
        match label.trim() {
            "正式党员" | "正式" => Some(MemberCategory::Full),
            "预备党员" | "预备" => Some(MemberCategory::Probationary),
            _ => None,
        }
    }
}

/// 党员状态: where a person on the roster stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// 正常.
    Normal,
    /// 失联: the branch has lost contact.
    Lost,
    /// 停止党籍: membership suspended after long loss of contact.
    Suspended,
    /// 出党: expelled, removed, or left of their own accord (自行脱党), as the branch decided.
    Left,
    /// 死亡.
    Deceased,
    /// 已转出: organizational relation transferred to another organization.
    TransferredOut,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 6] = [
        MemberStatus::Normal,
        MemberStatus::Lost,
        MemberStatus::Suspended,
        MemberStatus::Left,
        MemberStatus::Deceased,
        MemberStatus::TransferredOut,
    ];

    pub fn label(self) -> &'static str {
        match self {
            MemberStatus::Normal => "正常",
            MemberStatus::Lost => "失联",
            MemberStatus::Suspended => "停止党籍",
            MemberStatus::Left => "出党",
            MemberStatus::Deceased => "死亡",
            MemberStatus::TransferredOut => "已转出",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            MemberStatus::Normal => "normal",
            MemberStatus::Lost => "lost",
            MemberStatus::Suspended => "suspended",
            MemberStatus::Left => "left",
            MemberStatus::Deceased => "deceased",
            MemberStatus::TransferredOut => "transferred_out",
        }
    }

    pub fn from_code(code: &str) -> Option<MemberStatus> {
        MemberStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn from_label(label: &str) -> Option<MemberStatus> {
        let label = label.trim();
        MemberStatus::ALL.into_iter().find(|s| s.label() == label)
    }

    /// Whether the person counts toward the organization's size (the 3 / 7 / 50 thresholds, quorums
    /// and statistics). A lost member (失联) is still a member: losing contact ends nothing by
    /// itself; only the branch's decision, approved by the superior, does (党章 art. 9, and
    /// RULES.md: "the system flags; it never removes anyone by itself"). A suspended, departed,
    /// deceased or transferred-out person no longer belongs to this organization's membership.
    pub fn is_active(self) -> bool {
        matches!(self, MemberStatus::Normal | MemberStatus::Lost)
    }
}

/// Facts the roster filters and statistics ask about. They are independent: a retired leading
/// cadre who moved away is all three of `retired`, `leading_cadre` and `mobile`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemberFlags {
    /// 流动党员: away from the place of the organizational relation for a long time.
    pub mobile: bool,
    /// 领导干部: takes part in the organizational life of the branch as an ordinary member too
    /// (双重组织生活).
    pub leading_cadre: bool,
    /// 离退休.
    pub retired: bool,
    /// 困难党员: in hardship, cared for by the branch.
    pub in_hardship: bool,
}

impl MemberFlags {
    /// The labels of the flags that are set, in a fixed order, for a list column.
    pub fn labels(self) -> Vec<&'static str> {
        [
            (self.mobile, "流动党员"),
            (self.leading_cadre, "领导干部"),
            (self.retired, "离退休"),
            (self.in_hardship, "困难党员"),
        ]
        .into_iter()
        .filter_map(|(set, label)| set.then_some(label))
        .collect()
    }
}

/// Age in full years (周岁) on a date. Someone born on 29 February has a birthday on 1 March in
/// common years. A date before the birth gives 0.
pub fn age_on(birth: Date, on: Date) -> i16 {
    if on < birth {
        return 0;
    }
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    on.year() - birth.year() - i16::from(before_birthday)
}

/// Age groups of the roster's filter and of the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    UpTo30,
    From31To40,
    From41To50,
    From51To60,
    From61,
}

/// Birth dates matching an age band on a given day: `after < birth <= on_or_before`, either end
/// open. Lets the store filter on the stored birth date with no date arithmetic in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDateRange {
    pub after: Option<Date>,
    pub on_or_before: Option<Date>,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::UpTo30,
        AgeBand::From31To40,
        AgeBand::From41To50,
        AgeBand::From51To60,
        AgeBand::From61,
    ];

    pub fn of(age: i16) -> AgeBand {
        match age {
            ..=30 => AgeBand::UpTo30,
            31..=40 => AgeBand::From31To40,
            41..=50 => AgeBand::From41To50,
            51..=60 => AgeBand::From51To60,
            61.. => AgeBand::From61,
        }
    }

    /// Inclusive lowest and highest age; `None` where the band is open.
    pub fn bounds(self) -> (Option<i16>, Option<i16>) {
        match self {
            AgeBand::UpTo30 => (None, Some(30)),
            AgeBand::From31To40 => (Some(31), Some(40)),
            AgeBand::From41To50 => (Some(41), Some(50)),
            AgeBand::From51To60 => (Some(51), Some(60)),
            AgeBand::From61 => (Some(61), None),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::UpTo30 => "30岁及以下",
            AgeBand::From31To40 => "31–40岁",
            AgeBand::From41To50 => "41–50岁",
            AgeBand::From51To60 => "51–60岁",
            AgeBand::From61 => "61岁及以上",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            AgeBand::UpTo30 => "up_to_30",
            AgeBand::From31To40 => "31_40",
            AgeBand::From41To50 => "41_50",
            AgeBand::From51To60 => "51_60",
            AgeBand::From61 => "61_up",
        }
    }

    pub fn from_code(code: &str) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The birth dates of the people in this band on `today`. Age ≥ n exactly when the birth is on
    /// or before `today - n years`; age ≤ n exactly when it is after `today - (n + 1) years`.
    pub fn birth_dates(self, today: Date) -> BirthDateRange {
        let years_back = |n: i16| today.saturating_sub(i64::from(n).years());
        let (lowest, highest) = self.bounds();
        BirthDateRange {
            after: highest.map(|n| years_back(n + 1)),
            on_or_before: lowest.map(years_back),
        }
    }
}

/// 党章 art. 1 and RULES.md (member development, step 1): one applies at 18 or older, so a member
/// is certainly 18 on the day of admission.
pub const MIN_AGE_TO_JOIN: i16 = 18;

/// 党章 art. 7: the probation period is one year; it may be extended, by no more than one year.
pub const PROBATION_YEARS: i16 = 1;
pub const MAX_PROBATION_EXTENSION_YEARS: i16 = 1;

/// The date the 1977 Party Constitution (十一大党章) was adopted. The one-year probation applies to
/// admissions from then on; earlier texts set other periods (the 1945 one from six months to two
/// years by class origin, the 1969 and 1973 ones none at all), and the roster holds retired members
/// admitted under them, so their dates are checked only for order.
pub const ONE_YEAR_PROBATION_SINCE: Date = date(1977, 8, 18);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberDateError {
    #[error("请填写入党时间")]
    MissingJoinDate,
    #[error("入党时未满 18 周岁（入党时 {age} 周岁）")]
    TooYoungAtJoining { age: i16 },
    #[error("预备党员不应填写转正时间")]
    ProbationaryWithFullDate,
    #[error("转正时间不能早于入党时间")]
    FullBeforeJoining,
    #[error("转正时间不能早于预备期满（{earliest}）：预备期为一年")]
    ProbationTooShort { earliest: Date },
    #[error("转正时间不能晚于 {latest}：预备期最多延长一年")]
    ProbationTooLong { latest: Date },
}

/// Checks the dates of one roster entry against each other. A join date is required of every
/// member, probationary ones included, since their probation runs from it; a full member's
/// full-membership date lies within the probation the Party Constitution allows (see
/// `ONE_YEAR_PROBATION_SINCE` for admissions before 1977). Whether a date lies in the future is
/// the caller's to check against its clock.
pub fn check_member_dates(
    birth: Date,
    joined: Option<Date>,
    full_member_since: Option<Date>,
    category: MemberCategory,
) -> Result<(), MemberDateError> {
    let joined = joined.ok_or(MemberDateError::MissingJoinDate)?;
    let age = age_on(birth, joined);
    if age < MIN_AGE_TO_JOIN {
        return Err(MemberDateError::TooYoungAtJoining { age });
    }
    let Some(full) = full_member_since else {
        return Ok(());
    };
    if category == MemberCategory::Probationary {
        return Err(MemberDateError::ProbationaryWithFullDate);
    }
    if full < joined {
        return Err(MemberDateError::FullBeforeJoining);
    }
    if joined >= ONE_YEAR_PROBATION_SINCE {
        let earliest = joined.saturating_add(i64::from(PROBATION_YEARS).years());
        let latest = joined
            .saturating_add(i64::from(PROBATION_YEARS + MAX_PROBATION_EXTENSION_YEARS).years());
        if full < earliest {
            return Err(MemberDateError::ProbationTooShort { earliest });
        }
        if full > latest {
            return Err(MemberDateError::ProbationTooLong { latest });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
