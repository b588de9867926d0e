//! 民主评议党员 (annual democratic evaluation). RULES.md, section "Democratic evaluation": ratings
//! 优秀, 合格, 基本合格, 不合格; the share of 优秀 is configurable (common local default: no more
//! than 30% of the branch's members); 不合格 leads to organizational handling, recorded. RULES.md,
//! section "Points": a member whose yearly total is below the floor (default 60) cannot be
//! proposed 优秀.

use serde::{Deserialize, Serialize};

use super::Points;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Excellent,
    Qualified,
    BasicallyQualified,
    Unqualified,
}

impl Rating {
    pub const ALL: [Rating; 4] = [
        Rating::Excellent,
        Rating::Qualified,
        Rating::BasicallyQualified,
        Rating::Unqualified,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Rating::Excellent => "优秀",
            Rating::Qualified => "合格",
            Rating::BasicallyQualified => "基本合格",
            Rating::Unqualified => "不合格",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Rating::Excellent => "excellent",
            Rating::Qualified => "qualified",
            Rating::BasicallyQualified => "basically_qualified",
            Rating::Unqualified => "unqualified",
        }
    }

    /// Reads a code or the Chinese label.
    pub fn parse(text: &str) -> Option<Rating> {
        let text = text.trim();
        Rating::ALL
            .into_iter()
            .find(|r| r.code() == text || r.label() == text)
    }
}

/// The default share of 优秀, in percent of the branch's members.
pub const DEFAULT_EXCELLENT_SHARE: i64 = 30;

/// How many members may be rated 优秀: the share of the branch's members, rounded down.
pub fn excellent_limit(members: i64, share_percent: i64) -> i64 {
    (members.max(0) * share_percent.clamp(0, 100)) / 100
}

/// One member's proposed rating with their yearly points total (base included).
#[derive(Debug, Clone)]
pub struct Proposed {
    pub name: String,
    pub rating: Rating,
    pub year_total: Points,
    /// For 不合格: the organizational handling (限期改正, 劝其退党, 除名 …).
    pub handling: String,
}

/// Checks a committee's proposal against the floor, the share and the handling rule.
pub fn check_proposal(
    proposed: &[Proposed],
    members: i64,
    share_percent: i64,
    floor: Points,
) -> Result<(), String> {
    for p in proposed {
        if p.rating == Rating::Excellent && !super::may_be_excellent(p.year_total, floor) {
            return Err(format!(
                "{} 本年积分 {} 分，低于 {} 分，不能评为优秀",
                p.name,
                p.year_total.plain(),
                floor.plain()
            ));
        }
        if p.rating == Rating::Unqualified && p.handling.trim().is_empty() {
            return Err(format!(
                "{} 评为不合格，须写明组织处置（限期改正、劝其退党或除名）",
                p.name
            ));
        }
    }
    let excellent = proposed
        .iter()
        .filter(|p| p.rating == Rating::Excellent)
        .count() as i64;
    let limit = excellent_limit(members, share_percent);
    if excellent > limit {
        return Err(format!(
            "优秀比例不超过 {share_percent}%：本支部 {members} 名党员最多评 {limit} 名优秀，现提出 {excellent} 名"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(rating: Rating, total: i64) -> Proposed {
        Proposed {
            name: "甲".into(),
            rating,
            year_total: Points::whole(total),
            handling: String::new(),
        }
    }

    #[test]
    fn thirty_percent_of_ten_is_three() {
        assert_eq!(excellent_limit(10, 30), 3);
        assert_eq!(excellent_limit(7, 30), 2);
        assert_eq!(excellent_limit(3, 30), 0);
        let three = vec![p(Rating::Excellent, 100); 3];
        assert!(check_proposal(&three, 10, 30, Points::whole(60)).is_ok());
        let four = vec![p(Rating::Excellent, 100); 4];
        assert!(check_proposal(&four, 10, 30, Points::whole(60)).is_err());
        assert!(
            check_proposal(&four, 10, 40, Points::whole(60)).is_ok(),
            "the share is configurable"
        );
    }

    #[test]
    fn the_floor_bars_excellent_below_sixty() {
        assert!(check_proposal(&[p(Rating::Excellent, 60)], 10, 30, Points::whole(60)).is_ok());
        let below = Proposed {
            year_total: Points(599),
            ..p(Rating::Excellent, 0)
        };
        assert!(check_proposal(&[below], 10, 30, Points::whole(60)).is_err());
        assert!(check_proposal(&[p(Rating::Qualified, 10)], 10, 30, Points::whole(60)).is_ok());
    }

    #[test]
    fn unqualified_needs_handling() {
        assert!(check_proposal(&[p(Rating::Unqualified, 50)], 10, 30, Points::whole(60)).is_err());
        let handled = Proposed {
            handling: "限期改正".into(),
            ..p(Rating::Unqualified, 50)
        };
        assert!(check_proposal(&[handled], 10, 30, Points::whole(60)).is_ok());
    }

    #[test]
    fn ratings_read_codes_and_labels() {
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.code()), Some(r));
            assert_eq!(Rating::parse(r.label()), Some(r));
        }
        assert_eq!(Rating::parse("很好"), None);
    }

    proptest! {
        #[test]
        fn the_limit_never_exceeds_the_share(members in 0i64..5000, share in 0i64..=100) {
            let limit = excellent_limit(members, share);
            prop_assert!(limit * 100 <= members * share);
            prop_assert!((limit + 1) * 100 > members * share);
        }
    }
}
