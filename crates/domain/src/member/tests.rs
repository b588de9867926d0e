use super::*;
use proptest::prelude::*;

#[test]
fn labels_and_codes_round_trip() {
    for c in MemberCategory::ALL {
        assert_eq!(MemberCategory::from_code(c.code()), Some(c));
        assert_eq!(MemberCategory::from_label(c.label()), Some(c));
    }
    assert_eq!(
        MemberCategory::from_label("预备"),
        Some(MemberCategory::Probationary)
    );
    assert_eq!(MemberCategory::from_label("群众"), None);
    for s in MemberStatus::ALL {
        assert_eq!(MemberStatus::from_code(s.code()), Some(s));
        assert_eq!(MemberStatus::from_label(s.label()), Some(s));
    }
    assert_eq!(MemberStatus::from_code("gone"), None);
    for b in AgeBand::ALL {
        assert_eq!(AgeBand::from_code(b.code()), Some(b));
    }
}

#[test]
fn normal_and_lost_members_count_toward_size() {
    let active: Vec<_> = MemberStatus::ALL
        .into_iter()
        .filter(|s| s.is_active())
        .collect();
    assert_eq!(active, vec![MemberStatus::Normal, MemberStatus::Lost]);
}

#[test]
fn flags_list_their_labels() {
    assert!(MemberFlags::default().labels().is_empty());
    let flags = MemberFlags {
        mobile: true,
        retired: true,
        ..MemberFlags::default()
    };
    assert_eq!(flags.labels(), vec!["流动党员", "离退休"]);
}

#[test]
fn age_counts_full_years() {
    let birth = date(1990, 6, 15);
    assert_eq!(age_on(birth, date(2020, 6, 14)), 29);
    assert_eq!(age_on(birth, date(2020, 6, 15)), 30);
    assert_eq!(age_on(birth, birth), 0);
    assert_eq!(age_on(birth, date(1980, 1, 1)), 0);
    let leap = date(2000, 2, 29);
    assert_eq!(age_on(leap, date(2018, 2, 28)), 17);
    assert_eq!(age_on(leap, date(2018, 3, 1)), 18);
    assert_eq!(age_on(leap, date(2020, 2, 29)), 20);
}

#[test]
fn age_bands_meet_at_their_edges() {
    let cases = [
        (0, AgeBand::UpTo30),
        (30, AgeBand::UpTo30),
        (31, AgeBand::From31To40),
        (40, AgeBand::From31To40),
        (41, AgeBand::From41To50),
        (50, AgeBand::From41To50),
        (51, AgeBand::From51To60),
        (60, AgeBand::From51To60),
        (61, AgeBand::From61),
        (120, AgeBand::From61),
    ];
    for (age, band) in cases {
        assert_eq!(AgeBand::of(age), band, "{age}");
    }
    assert_eq!(AgeBand::From31To40.bounds(), (Some(31), Some(40)));
    assert_eq!(AgeBand::From61.label(), "61岁及以上");
}

#[test]
fn birth_dates_of_a_band() {
    let today = date(2026, 3, 10);
    let range = AgeBand::From31To40.birth_dates(today);
    assert_eq!(range.after, Some(date(1985, 3, 10)));
    assert_eq!(range.on_or_before, Some(date(1995, 3, 10)));
    assert_eq!(AgeBand::UpTo30.birth_dates(today).on_or_before, None);
    assert_eq!(AgeBand::From61.birth_dates(today).after, None);
}

fn born() -> Date {
    date(1990, 6, 15)
}

#[test]
fn joining_needs_age_18_on_the_join_date() {
    let full = MemberCategory::Full;
    let prob = MemberCategory::Probationary;
    assert_eq!(
        check_member_dates(born(), Some(date(2008, 6, 14)), None, prob),
        Err(MemberDateError::TooYoungAtJoining { age: 17 })
    );
    assert_eq!(
        check_member_dates(born(), Some(date(2008, 6, 15)), None, prob),
        Ok(())
    );
    assert_eq!(
        check_member_dates(born(), None, None, prob),
        Err(MemberDateError::MissingJoinDate)
    );
    assert_eq!(
        check_member_dates(born(), None, Some(date(2010, 1, 1)), full),
        Err(MemberDateError::MissingJoinDate)
    );
}

#[test]
fn probationary_members_have_no_full_date() {
    assert_eq!(
        check_member_dates(
            born(),
            Some(date(2015, 7, 1)),
            Some(date(2016, 7, 1)),
            MemberCategory::Probationary
        ),
        Err(MemberDateError::ProbationaryWithFullDate)
    );
}

#[test]
fn full_membership_falls_within_one_to_two_years_of_probation() {
    let joined = Some(date(2015, 7, 1));
    let check = |full| check_member_dates(born(), joined, Some(full), MemberCategory::Full);
    assert_eq!(
        check(date(2016, 6, 30)),
        Err(MemberDateError::ProbationTooShort {
            earliest: date(2016, 7, 1)
        })
    );
    assert_eq!(check(date(2016, 7, 1)), Ok(()));
    assert_eq!(check(date(2017, 7, 1)), Ok(()));
    assert_eq!(
        check(date(2017, 7, 2)),
        Err(MemberDateError::ProbationTooLong {
            latest: date(2017, 7, 1)
        })
    );
    assert_eq!(
        check(date(2015, 6, 30)),
        Err(MemberDateError::FullBeforeJoining)
    );
    // A full member whose full-membership date is not on record yet is accepted.
    assert_eq!(
        check_member_dates(born(), joined, None, MemberCategory::Full),
        Ok(())
    );
}

#[test]
fn admissions_before_1977_are_checked_only_for_order() {
    let birth = date(1950, 1, 1);
    let full = MemberCategory::Full;
    // 1970: the 1969 Constitution had no probation, so joining and full membership coincide.
    let joined = Some(date(1970, 5, 1));
    assert_eq!(
        check_member_dates(birth, joined, Some(date(1970, 5, 1)), full),
        Ok(())
    );
    assert_eq!(
        check_member_dates(birth, joined, Some(date(1970, 4, 30)), full),
        Err(MemberDateError::FullBeforeJoining)
    );
    // The day the 1977 Constitution was adopted, the one-year probation applies again.
    assert!(matches!(
        check_member_dates(
            birth,
            Some(ONE_YEAR_PROBATION_SINCE),
            Some(date(1977, 8, 18)),
            full
        ),
        Err(MemberDateError::ProbationTooShort { .. })
    ));
    assert_eq!(
        check_member_dates(
            birth,
            Some(date(1977, 8, 17)),
            Some(date(1977, 8, 17)),
            full
        ),
        Ok(())
    );
}

#[test]
fn error_messages_are_chinese() {
    assert_eq!(
        MemberDateError::TooYoungAtJoining { age: 17 }.to_string(),
        "入党时未满 18 周岁（入党时 17 周岁）"
    );
    assert_eq!(
        MemberDateError::ProbationTooShort {
            earliest: date(2016, 7, 1)
        }
        .to_string(),
        "转正时间不能早于预备期满（2016-07-01）：预备期为一年"
    );
}

fn any_date() -> impl Strategy<Value = Date> {
    (1900i16..=2100, 1i8..=12, 1i8..=31)
        .prop_filter_map("real date", |(y, m, d)| Date::new(y, m, d).ok())
}

/// Any date, with 29 February drawn often: it is where age arithmetic goes wrong.
fn birth_date() -> impl Strategy<Value = Date> {
    prop_oneof![
        any_date(),
        (0i16..49).prop_map(|k| date(1904 + 4 * k, 2, 29)),
    ]
}

proptest! {
    /// Someone born on 29 February has a birthday on 1 March in common years.
    #[test]
    fn age_grows_by_one_on_each_birthday(birth in birth_date(), years in 1i16..120) {
        let year = birth.year() + years;
        let birthday = Date::new(year, birth.month(), birth.day())
            .unwrap_or_else(|_| date(year, 3, 1));
        prop_assert_eq!(age_on(birth, birthday), years);
        prop_assert_eq!(age_on(birth, birthday.yesterday().expect("in range")), years - 1);
    }

    #[test]
    fn age_never_decreases(birth in any_date(), a in any_date(), b in any_date()) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(age_on(birth, early) <= age_on(birth, late));
    }

    /// The birth-date range the store filters on selects exactly the people `AgeBand::of` puts
    /// in the band.
    #[test]
    fn birth_date_range_matches_age_band(birth in birth_date(), years in 0i64..100, jitter in -3i64..=3) {
        // Days around birthdays, where an off-by-one would show, on purpose.
        let today = birth.saturating_add(years.years()).saturating_add(jitter.days());
        prop_assume!(birth <= today);
        let band = AgeBand::of(age_on(birth, today));
        for candidate in AgeBand::ALL {
            let range = candidate.birth_dates(today);
            let inside = range.after.is_none_or(|after| birth > after)
                && range.on_or_before.is_none_or(|end| birth <= end);
            prop_assert_eq!(inside, candidate == band, "{:?} {} {}", candidate, birth, today);
        }
    }
}
