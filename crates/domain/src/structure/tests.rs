use super::*;
use jiff::civil::date;
use proptest::prelude::*;

fn today() -> Date {
    date(2026, 3, 10)
}

/// A branch of 5 full members with a secretary, no groups, a term far from its end: no findings.
fn small_branch() -> BranchFacts {
    BranchFacts {
        full_members: 5,
        positions: vec![Position::Secretary],
        term_end: Some(date(2028, 1, 1)),
        ..BranchFacts::default()
    }
}

/// A branch of 10 full members with a complete committee: no findings.
fn committee_branch() -> BranchFacts {
    BranchFacts {
        full_members: 10,
        probationary_members: 2,
        has_committee: true,
        committee_size: Some(5),
        positions: vec![
            Position::Secretary,
            Position::OrganizationMember,
            Position::PublicityMember,
            Position::DisciplineMember,
            Position::CommitteeMember,
        ],
        term_end: Some(date(2028, 1, 1)),
        ..BranchFacts::default()
    }
}

fn codes(facts: &BranchFacts) -> Vec<&'static str> {
    check_branch(facts, today())
        .iter()
        .map(|f| f.code)
        .collect()
}

#[test]
fn healthy_branches_have_no_findings() {
    assert_eq!(codes(&small_branch()), Vec::<&str>::new());
    assert_eq!(codes(&committee_branch()), Vec::<&str>::new());
}

#[test]
fn three_full_members_make_a_branch() {
    let two = BranchFacts {
        full_members: 2,
        probationary_members: 4,
        ..small_branch()
    };
    assert_eq!(codes(&two), vec!["too_few_full_members"]);
    let three = BranchFacts {
        full_members: 3,
        ..small_branch()
    };
    assert_eq!(codes(&three), Vec::<&str>::new());
    let finding = &check_branch(&two, today())[0];
    assert_eq!(finding.severity, Severity::Problem);
    assert!(finding.message.contains("仅 2 人"), "{}", finding.message);
    assert!(finding.rule.contains("3 人以上"));
}

#[test]
fn joint_and_temporary_branches_may_have_fewer_than_three() {
    for facts in [
        BranchFacts {
            full_members: 2,
            is_joint: true,
            ..small_branch()
        },
        BranchFacts {
            full_members: 1,
            is_temporary: true,
            ..small_branch()
        },
    ] {
        assert_eq!(codes(&facts), Vec::<&str>::new(), "{facts:?}");
    }
}

#[test]
fn seven_full_members_need_a_committee() {
    let six = BranchFacts {
        full_members: 6,
        probationary_members: 3,
        ..small_branch()
    };
    assert_eq!(codes(&six), Vec::<&str>::new());
    let seven = BranchFacts {
        full_members: 7,
        ..small_branch()
    };
    assert_eq!(codes(&seven), vec!["committee_missing"]);
    assert!(check_branch(&seven, today())[0].rule.contains("第二十条"));
}

#[test]
fn committee_size_three_to_seven() {
    let with_size = |n| BranchFacts {
        committee_size: Some(n),
        ..committee_branch()
    };
    assert_eq!(codes(&with_size(2)), vec!["committee_too_small"]);
    assert_eq!(codes(&with_size(3)), Vec::<&str>::new());
    assert_eq!(codes(&with_size(7)), Vec::<&str>::new());
    assert_eq!(codes(&with_size(8)), vec!["committee_too_large"]);
    assert_eq!(
        check_branch(&with_size(8), today())[0].severity,
        Severity::Warning
    );
    let unknown = BranchFacts {
        committee_size: None,
        ..committee_branch()
    };
    assert_eq!(codes(&unknown), Vec::<&str>::new());
}

#[test]
fn fifty_members_at_most() {
    let fifty = BranchFacts {
        full_members: 45,
        probationary_members: 5,
        ..committee_branch()
    };
    assert_eq!(codes(&fifty), Vec::<&str>::new());
    let fifty_one = BranchFacts {
        probationary_members: 6,
        ..fifty.clone()
    };
    assert_eq!(codes(&fifty_one), vec!["too_many_members"]);
    let finding = &check_branch(&fifty_one, today())[0];
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding.message.contains("党总支"), "{}", finding.message);
    let hundred_one = BranchFacts {
        full_members: 101,
        probationary_members: 0,
        ..fifty
    };
    let finding = &check_branch(&hundred_one, today())[0];
    assert!(finding.message.contains("基层党委"), "{}", finding.message);
}

#[test]
fn joint_branch_covers_five_units_at_most() {
    let joint = |units| BranchFacts {
        is_joint: true,
        units_in_joint: Some(units),
        ..small_branch()
    };
    assert_eq!(codes(&joint(5)), Vec::<&str>::new());
    assert_eq!(codes(&joint(6)), vec!["joint_too_many_units"]);
    // A count of units on a branch not marked joint is ignored.
    let not_joint = BranchFacts {
        is_joint: false,
        ..joint(6)
    };
    assert_eq!(codes(&not_joint), Vec::<&str>::new());
}

#[test]
fn members_outside_groups_are_reported_only_where_there_are_groups() {
    let grouped = |outside| BranchFacts {
        has_groups: true,
        members_without_group: outside,
        ..committee_branch()
    };
    assert_eq!(codes(&grouped(0)), Vec::<&str>::new());
    assert_eq!(codes(&grouped(1)), vec!["members_without_group"]);
    let ungrouped = BranchFacts {
        has_groups: false,
        ..grouped(4)
    };
    assert_eq!(codes(&ungrouped), Vec::<&str>::new());
}

#[test]
fn vacant_positions() {
    let no_secretary = BranchFacts {
        positions: vec![],
        ..small_branch()
    };
    assert_eq!(codes(&no_secretary), vec!["vacant_secretary"]);
    assert!(
        check_branch(&no_secretary, today())[0]
            .rule
            .contains("不足 7 人")
    );
    // Without a committee only the secretary is expected.
    let deputy_too = BranchFacts {
        positions: vec![Position::Secretary, Position::DeputySecretary],
        ..small_branch()
    };
    assert_eq!(codes(&deputy_too), Vec::<&str>::new());
    let bare_committee = BranchFacts {
        positions: vec![Position::CommitteeMember],
        ..committee_branch()
    };
    assert_eq!(
        codes(&bare_committee),
        vec![
            "vacant_secretary",
            "vacant_organization_member",
            "vacant_publicity_member",
            "vacant_discipline_member"
        ]
    );
    let findings = check_branch(&bare_committee, today());
    assert_eq!(findings[3].message, "支部委员会纪检委员空缺");
}

#[test]
fn term_findings() {
    let ending = |end| BranchFacts {
        term_end: Some(end),
        ..small_branch()
    };
    assert_eq!(codes(&ending(date(2026, 9, 11))), Vec::<&str>::new());
    assert_eq!(codes(&ending(date(2026, 9, 10))), vec!["term_ending_soon"]);
    assert_eq!(codes(&ending(date(2026, 3, 11))), vec!["term_ending_soon"]);
    assert_eq!(codes(&ending(date(2026, 3, 10))), vec!["term_expired"]);
    let expired = check_branch(&ending(date(2025, 1, 1)), today());
    assert_eq!(expired[0].severity, Severity::Problem);
    assert!(expired[0].message.contains("2025-01-01"));
    let soon = check_branch(&ending(date(2026, 5, 1)), today());
    assert_eq!(soon[0].severity, Severity::Warning);
    let none = BranchFacts {
        term_end: None,
        ..small_branch()
    };
    assert_eq!(codes(&none), Vec::<&str>::new());
}

#[test]
fn term_state_six_month_boundary() {
    let end = date(2026, 9, 10);
    assert_eq!(term_state(end, date(2026, 3, 9)), TermState::Current);
    assert_eq!(
        term_state(end, date(2026, 3, 10)),
        TermState::EndingSoon { end }
    );
    assert_eq!(
        term_state(end, date(2026, 9, 9)),
        TermState::EndingSoon { end }
    );
    assert_eq!(term_state(end, end), TermState::Expired { end });
    assert_eq!(
        term_state(end, date(2030, 1, 1)),
        TermState::Expired { end }
    );
}

#[test]
fn groups_need_a_leader() {
    assert!(check_group(&GroupFacts { has_leader: true }).is_empty());
    let findings = check_group(&GroupFacts { has_leader: false });
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, "group_without_leader");
    assert_eq!(findings[0].severity, Severity::Problem);
}

#[test]
fn term_years_three_to_five() {
    assert_eq!(TermYears::new(2), Err(TermYearsError(2)));
    assert_eq!(TermYears::new(3).map(TermYears::get), Ok(3));
    assert_eq!(TermYears::new(5).map(TermYears::get), Ok(5));
    assert_eq!(TermYears::new(6), Err(TermYearsError(6)));
    assert_eq!(
        TermYearsError(6).to_string(),
        "任期应为 3 至 5 年（现为 6 年）"
    );
    assert_eq!(TermYears::default_for(true).get(), 5);
    assert_eq!(TermYears::default_for(false).get(), 3);
}

#[test]
fn term_end_adds_whole_years() {
    let three = TermYears::new(3).expect("valid");
    assert_eq!(term_end(date(2023, 5, 10), three), date(2026, 5, 10));
    assert_eq!(term_end(date(2024, 2, 29), three), date(2027, 2, 28));
}

#[test]
fn positions_round_trip() {
    for p in Position::ALL {
        assert_eq!(Position::from_code(p.code()), Some(p));
        assert_eq!(Position::from_label(p.label()), Some(p));
    }
    assert_eq!(
        Position::from_label("党支部书记"),
        Some(Position::Secretary)
    );
    assert_eq!(
        Position::from_label("支部委员"),
        Some(Position::CommitteeMember)
    );
    assert_eq!(
        Position::from_label("党小组组长"),
        Some(Position::GroupLeader)
    );
    assert_eq!(Position::from_label("主任"), None);
    assert!(!Position::GroupLeader.is_committee_seat());
}

#[test]
fn every_finding_cites_a_rule() {
    let worst = BranchFacts {
        full_members: 60,
        probationary_members: 50,
        is_joint: true,
        units_in_joint: Some(9),
        has_committee: true,
        committee_size: Some(9),
        has_groups: true,
        members_without_group: 3,
        term_end: Some(date(2020, 1, 1)),
        ..BranchFacts::default()
    };
    let findings = check_branch(&worst, today());
    assert_eq!(findings.len(), 9);
    for f in findings {
        assert!(f.rule.starts_with('《'), "{}", f.code);
        assert!(!f.message.is_empty());
    }
}

fn any_date() -> impl Strategy<Value = Date> {
    (1990i16..=2060, 1i8..=12, 1i8..=31)
        .prop_filter_map("real date", |(y, m, d)| Date::new(y, m, d).ok())
}

proptest! {
    /// As `today` moves forward a term only ever goes Current → EndingSoon → Expired.
    #[test]
    fn term_state_moves_one_way(end in any_date(), a in any_date(), b in any_date()) {
        let rank = |s: TermState| match s {
            TermState::Current => 0,
            TermState::EndingSoon { .. } => 1,
            TermState::Expired { .. } => 2,
        };
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(rank(term_state(end, early)) <= rank(term_state(end, late)));
    }

    #[test]
    fn findings_follow_the_member_thresholds(full in 0u32..200, probationary in 0u32..60) {
        let facts = BranchFacts { full_members: full, probationary_members: probationary, ..small_branch() };
        let found = codes(&facts);
        prop_assert_eq!(found.contains(&"too_few_full_members"), full < 3);
        prop_assert_eq!(found.contains(&"committee_missing"), full >= 7);
        prop_assert_eq!(found.contains(&"too_many_members"), full + probationary > 50);
    }

    #[test]
    fn only_three_to_five_year_terms_exist(years in any::<u8>()) {
        prop_assert_eq!(TermYears::new(years).is_ok(), (3..=5).contains(&years));
    }
}

#[test]
fn a_committee_is_listed_secretary_first_then_deputy_then_members() {
    let mut listed = [
        Position::CommitteeMember,
        Position::GroupLeader,
        Position::DisciplineMember,
        Position::Secretary,
        Position::PublicityMember,
        Position::DeputySecretary,
        Position::OrganizationMember,
    ];
    listed.sort_by_key(|p| p.precedence());
    let labels: Vec<_> = listed.iter().map(|p| p.label()).collect();
    assert_eq!(
        labels,
        [
            "书记",
            "副书记",
            "组织委员",
            "宣传委员",
            "纪检委员",
            "委员",
            "党小组长"
        ]
    );
}
