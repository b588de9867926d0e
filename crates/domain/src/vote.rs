//! Votes of a branch assembly (支部党员大会): whether a count stands.
//!
//! One rule for every vote the product records: an organizational-life resolution, the admission of
//! a probationary member (发展细则 step 15) and a conversion (step 23).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What a vote decides, which fixes the majority it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VotePurpose {
    /// 一般决议: carried by more than half of the voters present (少数服从多数, 党章 art. 10).
    Resolution,
    /// 接收预备党员 (发展细则 art. 24) and 预备党员转正 (art. 33, "same quorum and majority"): carried
    /// only by more than half of the full members with voting rights who should attend — not half
    /// of those present.
    Admission,
}

impl VotePurpose {
    pub fn label(self) -> &'static str {
        match self {
            VotePurpose::Resolution => "一般决议",
            VotePurpose::Admission => "接收预备党员或预备党员转正",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            VotePurpose::Resolution => "resolution",
            VotePurpose::Admission => "admission",
        }
    }

    pub fn from_code(code: &str) -> Option<VotePurpose> {
        [VotePurpose::Resolution, VotePurpose::Admission]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

/// A vote as counted at the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteCount {
    pub purpose: VotePurpose,
    /// 应到会有表决权的人数: full members with voting rights who should attend. Probationary
    /// members have no vote (党章 art. 7) and are not counted.
    pub expected_voters: u32,
    /// 实到会有表决权的人数.
    pub present_voters: u32,
    pub in_favour: u32,
    pub against: u32,
    pub abstaining: u32,
}

/// A count that cannot have happened; refused before anything is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VoteCountError {
    #[error("应到会有表决权的人数不能为 0")]
    NobodyExpected,
    #[error("实到会有表决权的人数（{present}）超过应到会人数（{expected}）")]
    MorePresentThanExpected { present: u32, expected: u32 },
    #[error("赞成、反对、弃权票合计 {cast} 票，超过实到会有表决权的人数 {present}")]
    MoreVotesThanVoters { cast: u32, present: u32 },
}

/// Whether the vote stands and, when it does not, why — in words a secretary can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum VoteOutcome {
    Carried,
    /// The meeting could not vote: too few voters present. The count is void.
    NoQuorum {
        needed: u32,
        present: u32,
    },
    /// The meeting could vote but the motion did not get enough votes in favour.
    Rejected {
        needed: u32,
        in_favour: u32,
    },
}

impl VoteOutcome {
    pub fn carried(&self) -> bool {
        matches!(self, VoteOutcome::Carried)
    }

    /// One sentence for the page: the result, or the rule it failed and by how much.
    pub fn explain(&self, count: &VoteCount) -> String {
        match self {
            VoteOutcome::Carried => format!(
                "表决有效并通过：应到 {} 人，实到 {} 人，赞成 {} 票。",
                count.expected_voters, count.present_voters, count.in_favour
            ),
            VoteOutcome::NoQuorum { needed, present } => format!(
                "表决无效：到会有表决权的党员须超过应到会人数（{}）的半数，即至少 {needed} 人，实到 {present} 人。",
                count.expected_voters
            ),
            VoteOutcome::Rejected { needed, in_favour } => match count.purpose {
                VotePurpose::Admission => format!(
                    "未通过：赞成票须超过应到会有表决权的正式党员（{}）的半数，即至少 {needed} 票，实得 {in_favour} 票（不是按实到人数计算）。",
                    count.expected_voters
                ),
                VotePurpose::Resolution => format!(
                    "未通过：赞成票须超过实到会有表决权人数（{}）的半数，即至少 {needed} 票，实得 {in_favour} 票。",
                    count.present_voters
                ),
            },
        }
    }
}

/// The smallest whole number strictly greater than half of `total`.
pub fn more_than_half(total: u32) -> u32 {
    total / 2 + 1
}

impl VoteCount {
    /// Checks the count and decides it.
    ///
    /// Quorum (发展细则 art. 24; 党章 art. 10): voters present must be **more than half** of the
    /// voters who should attend — exactly half is not enough. Majority: see [`VotePurpose`].
    pub fn decide(&self) -> Result<VoteOutcome, VoteCountError> {
        if self.expected_voters == 0 {
            return Err(VoteCountError::NobodyExpected);
        }
        if self.present_voters > self.expected_voters {
            return Err(VoteCountError::MorePresentThanExpected {
                present: self.present_voters,
                expected: self.expected_voters,
            });
        }
        let cast = u64::from(self.in_favour) + u64::from(self.against) + u64::from(self.abstaining);
        if cast > u64::from(self.present_voters) {
            return Err(VoteCountError::MoreVotesThanVoters {
                cast: u32::try_from(cast).unwrap_or(u32::MAX),
                present: self.present_voters,
            });
        }
        let quorum = more_than_half(self.expected_voters);
        if self.present_voters < quorum {
            return Ok(VoteOutcome::NoQuorum {
                needed: quorum,
                present: self.present_voters,
            });
        }
        let needed = match self.purpose {
            VotePurpose::Admission => more_than_half(self.expected_voters),
            VotePurpose::Resolution => more_than_half(self.present_voters),
        };
        if self.in_favour < needed {
            return Ok(VoteOutcome::Rejected {
                needed,
                in_favour: self.in_favour,
            });
        }
        Ok(VoteOutcome::Carried)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn count(purpose: VotePurpose, expected: u32, present: u32, favour: u32) -> VoteCount {
        VoteCount {
            purpose,
            expected_voters: expected,
            present_voters: present,
            in_favour: favour,
            against: 0,
            abstaining: present - favour,
        }
    }

    #[test]
    fn exactly_half_present_is_no_quorum() {
        let outcome = count(VotePurpose::Resolution, 20, 10, 10).decide();
        assert_eq!(
            outcome,
            Ok(VoteOutcome::NoQuorum {
                needed: 11,
                present: 10
            })
        );
        let outcome = count(VotePurpose::Resolution, 20, 11, 11).decide();
        assert_eq!(outcome, Ok(VoteOutcome::Carried));
    }

    #[test]
    fn odd_membership_needs_the_next_whole_person() {
        assert_eq!(more_than_half(7), 4);
        assert!(
            !count(VotePurpose::Resolution, 7, 3, 3)
                .decide()
                .expect("valid")
                .carried()
        );
        assert!(
            count(VotePurpose::Resolution, 7, 4, 3)
                .decide()
                .expect("valid")
                .carried()
        );
    }

    #[test]
    fn admission_counts_against_those_who_should_attend_not_those_present() {
        // 20 expected, 12 present, 10 in favour: a majority of those present, but exactly half of
        // the 20 who should attend — not carried.
        let outcome = count(VotePurpose::Admission, 20, 12, 10).decide();
        assert_eq!(
            outcome,
            Ok(VoteOutcome::Rejected {
                needed: 11,
                in_favour: 10
            })
        );
        assert!(
            count(VotePurpose::Admission, 20, 12, 11)
                .decide()
                .expect("valid")
                .carried()
        );
        // The same 10 votes carry an ordinary resolution.
        assert!(
            count(VotePurpose::Resolution, 20, 12, 10)
                .decide()
                .expect("valid")
                .carried()
        );
    }

    #[test]
    fn resolution_at_exactly_half_of_present_fails() {
        let outcome = count(VotePurpose::Resolution, 20, 12, 6).decide();
        assert_eq!(
            outcome,
            Ok(VoteOutcome::Rejected {
                needed: 7,
                in_favour: 6
            })
        );
    }

    #[test]
    fn impossible_counts_are_refused() {
        let too_many = VoteCount {
            purpose: VotePurpose::Resolution,
            expected_voters: 10,
            present_voters: 6,
            in_favour: 5,
            against: 1,
            abstaining: 1,
        };
        assert_eq!(
            too_many.decide(),
            Err(VoteCountError::MoreVotesThanVoters {
                cast: 7,
                present: 6
            })
        );
        assert_eq!(
            count(VotePurpose::Resolution, 5, 6, 6).decide(),
            Err(VoteCountError::MorePresentThanExpected {
                present: 6,
                expected: 5
            })
        );
        assert_eq!(
            count(VotePurpose::Resolution, 0, 0, 0).decide(),
            Err(VoteCountError::NobodyExpected)
        );
    }

    #[test]
    fn explanations_name_the_threshold() {
        let admission = count(VotePurpose::Admission, 20, 12, 10);
        let text = admission.decide().expect("valid").explain(&admission);
        assert!(text.contains("至少 11 票"), "{text}");
        assert!(text.contains("不是按实到人数计算"), "{text}");
    }

    proptest! {
        #[test]
        fn carried_means_strict_majorities(expected in 1u32..500, present_share in 0u32..=100, favour_share in 0u32..=100, purpose_admission: bool) {
            let present = expected * present_share / 100;
            let favour = present * favour_share / 100;
            let purpose = if purpose_admission { VotePurpose::Admission } else { VotePurpose::Resolution };
            let vote = count(purpose, expected, present, favour);
            let outcome = vote.decide().expect("a consistent count is valid");
            let quorate = 2 * present > expected;
            let majority = match purpose {
                VotePurpose::Admission => 2 * favour > expected,
                VotePurpose::Resolution => 2 * favour > present,
            };
            prop_assert_eq!(outcome.carried(), quorate && majority);
            if !quorate {
                let is_no_quorum = matches!(outcome, VoteOutcome::NoQuorum { .. });
                prop_assert!(is_no_quorum);
            }
        }
    }
}
