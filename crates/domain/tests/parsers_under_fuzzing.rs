//! The parsers that read what users and files send, under fuzzing (issue #15), on stable Rust:
//! proptest feeds each arbitrary text (and near misses of the valid forms), and asserts that
//! nothing panics, that whatever is accepted is in the parser's own form, and that valid input
//! round-trips. Case counts are bounded so the whole file runs in seconds; a failing case is
//! printed by proptest and kept below as a regression test.
//!
//! Covered: ID numbers, phone numbers, months, reporting periods, check-in codes and the
//! development-file JSON of `dangjian development check`. The roster's row checks live in the
//! app crate (`crates/app/tests/roster_rows_under_fuzzing.rs`).

use dangjian_domain::activity::checkin::{self, CheckInCodeError, WINDOW_SECONDS};
use dangjian_domain::activity::{Frequency, Period};
use dangjian_domain::development::{self, DevelopmentFile};
use dangjian_domain::{IdNumber, Month, Phone};
use jiff::civil::Date;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any text, with the characters parsers trip on over-represented: digits, separators, ASCII
/// letters, full-width forms, ideographic space, combining marks, and multi-byte characters at the
/// positions a parser might slice.
fn hostile_text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[0-9]",
        2 => "[-+/. xXqQ:]",
        1 => "[a-zA-Z]",
        1 => "[０-９Ｘ\u{3000}\u{0301}\u{200b}\u{feff}年月日一]",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..=max).prop_map(|pieces| pieces.concat())
}

// ---- ID numbers (GB 11643-1999) ---------------------------------------------------------------

fn valid_id_body() -> impl Strategy<Value = String> {
    (
        "[1-9][0-9]{5}",
        1900i16..=2099,
        1i8..=12,
        1i8..=28,
        "[0-9]{3}",
    )
        .prop_map(|(area, y, m, d, seq)| format!("{area}{y:04}{m:02}{d:02}{seq}"))
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn an_id_number_parse_never_panics_and_accepts_only_its_own_form(input in hostile_text(24)) {
        if let Ok(id) = IdNumber::parse(&input) {
            let text = id.as_str();
            prop_assert_eq!(text.len(), 18);
            prop_assert!(text[..17].bytes().all(|b| b.is_ascii_digit()));
            // What was accepted is accepted again unchanged, and its parts can be read.
            prop_assert_eq!(IdNumber::parse(text), Ok(id.clone()));
            prop_assert_eq!(IdNumber::from_body(&text[..17]), Ok(id.clone()));
            let _ = (id.birth_date(), id.gender(), id.masked());
        }
        let _ = IdNumber::from_body(&input);
    }

    #[test]
    fn a_valid_id_number_round_trips_however_it_is_spaced(
        body in valid_id_body(),
        lower: bool,
        gaps in proptest::collection::vec(0usize..18, 0..4),
    ) {
        let id = IdNumber::from_body(&body).expect("a real date and 17 digits");
        let mut typed: String = id.as_str().to_string();
        if lower {
            typed = typed.replace('X', "x");
        }
        let mut gaps = gaps;
        gaps.sort_unstable();
        for at in gaps.into_iter().rev() {
            typed.insert(at, if at % 2 == 0 { ' ' } else { '\u{3000}' });
        }
        prop_assert_eq!(IdNumber::parse(&typed), Ok(id));
    }
}

// ---- Phone numbers --------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn a_phone_parse_never_panics_and_accepts_only_eleven_digits(input in hostile_text(20)) {
        if let Ok(phone) = Phone::parse(&input) {
            let text = phone.as_str();
            prop_assert_eq!(text.len(), 11);
            prop_assert!(text.bytes().all(|b| b.is_ascii_digit()) && text.starts_with('1'));
            prop_assert_eq!(Phone::parse(text), Ok(phone.clone()));
            prop_assert_eq!(phone.masked().chars().count(), 11);
        }
    }

    #[test]
    fn a_valid_phone_round_trips_in_every_usual_spelling(
        second in 3u8..=9,
        rest in "[0-9]{9}",
        spelling in 0usize..5,
    ) {
        let number = format!("1{second}{rest}");
        let typed = match spelling {
            0 => number.clone(),
            1 => format!("+86{number}"),
            2 => format!("86 {}-{}-{}", &number[..3], &number[3..7], &number[7..]),
            3 => format!("\u{3000}{} {} {}\u{3000}", &number[..3], &number[3..7], &number[7..]),
            _ => format!("+86 {number}"),
        };
        prop_assert_eq!(Phone::parse(&typed).map(|p| p.to_string()), Ok(number));
    }
}

// ---- Months and reporting periods -----------------------------------------------------------

fn any_period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (Month::YEARS, 1i8..=12).prop_map(|(y, m)| Period::Month(Month::new(y, m).expect("valid"))),
        (Month::YEARS, 1i8..=4).prop_map(|(year, quarter)| Period::Quarter { year, quarter }),
        Month::YEARS.prop_map(Period::Year),
    ]
}

/// Whatever a period is asked, it answers without panicking, and its parts agree.
fn exercise(period: Period) -> Result<(), TestCaseError> {
    let months = period.months();
    prop_assert!(!months.is_empty(), "{:?} has months", period);
    prop_assert_eq!(period.first_day(), months[0].first_day());
    prop_assert_eq!(period.last_day(), months[months.len() - 1].last_day());
    prop_assert!(period.contains(period.first_day()) && period.contains(period.last_day()));
    let _ = period.label();
    for frequency in [Frequency::Monthly, Frequency::Quarterly, Frequency::Yearly] {
        prop_assert!(!period.judged_on(frequency).is_empty());
        let _ = Period::current(period.first_day(), period);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn a_month_parse_never_panics_and_reads_back_what_it_writes(input in hostile_text(10)) {
        if let Ok(month) = Month::parse(&input) {
            prop_assert!(Month::YEARS.contains(&month.year()));
            prop_assert_eq!(Month::parse(&month.to_string()), Ok(month));
            prop_assert_eq!(Month::try_from(month.to_string()), Ok(month));
            let _ = (
                month.label(),
                month.first_day(),
                month.last_day(),
                month.next(),
                month.previous(),
            );
        }
        let _ = Month::try_from(input);
    }

    #[test]
    fn a_period_parse_never_panics_and_reads_back_its_key(input in hostile_text(10)) {
        if let Some(period) = Period::parse(&input) {
            prop_assert_eq!(Period::parse(&period.key()), Some(period));
            exercise(period)?;
        }
    }

    #[test]
    fn every_period_round_trips_and_so_do_its_neighbours(period in any_period()) {
        prop_assert_eq!(Period::parse(&period.key()), Some(period));
        exercise(period)?;
        // Stepping never leaves the range a period can be written in.
        for neighbour in [period.previous(), period.next()] {
            prop_assert_eq!(Period::parse(&neighbour.key()), Some(neighbour), "{:?} → {:?}", period, neighbour);
            exercise(neighbour)?;
        }
    }
}

/// Found by `every_period_round_trips_and_so_do_its_neighbours`: the year before 1900 and the
/// quarter before 1900's first were periods whose key no parser reads back (and that have no
/// months); they now stay at the first period, as [`Month::previous`] does.
#[test]
fn the_first_and_last_periods_stay_in_range() {
    for key in ["1900", "1900-Q1", "1900-01"] {
        let first = Period::parse(key).expect("valid");
        assert_eq!(first.previous(), first, "{key}");
    }
    for key in ["2999", "2999-Q4", "2999-12"] {
        let last = Period::parse(key).expect("valid");
        assert_eq!(last.next(), last, "{key}");
    }
}

// ---- Check-in codes -------------------------------------------------------------------------

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

/// Near misses of `<window>-<16 hex>`: numbers of any size and sign, dashes, hex of any length.
fn code_like() -> impl Strategy<Value = String> {
    (
        "[-+]?[0-9]{0,21}",
        "-{0,2}",
        "[0-9a-fA-Fg-z]{0,20}",
        "[ \t]{0,2}",
    )
        .prop_map(|(window, dash, tag, space)| format!("{space}{window}{dash}{tag}{space}"))
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn verifying_any_code_at_any_moment_never_panics(
        code in prop_oneof![hostile_text(40), code_like()],
        activity in any::<i64>(),
        now in any::<i64>(),
        secret in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let _ = checkin::verify(&secret, activity, &code, now);
        let _ = checkin::verify(SECRET, activity, &code, now);
        let _ = (checkin::window_of(now), checkin::seconds_left(now));
    }

    #[test]
    fn a_forged_code_is_never_accepted(
        code in prop_oneof![hostile_text(40), code_like()],
        now in 0i64..4_000_000_000,
    ) {
        // Without the secret a code is accepted only by guessing 64 bits.
        prop_assert!(checkin::verify(SECRET, 7, &code, now).is_err(), "{}", code);
    }

    #[test]
    fn a_shown_code_is_accepted_in_its_window_and_refused_once_changed(
        window in -1_000_000_000i64..1_000_000_000,
        into in 0i64..WINDOW_SECONDS,
        activity in any::<i64>(),
        at in 0usize..64,
        by in 1u8..16,
    ) {
        let code = checkin::code_for(SECRET, activity, window);
        let now = window * WINDOW_SECONDS + into;
        prop_assert_eq!(checkin::verify(SECRET, activity, &code, now), Ok(()));
        // Any one hex digit of the tag changed: forged.
        let dash = code.rfind('-').expect("window-tag");
        let tag_at = dash + 1 + at % 16;
        let mut bytes = code.clone().into_bytes();
        let digit = u8::from_str_radix(&code[tag_at..=tag_at], 16).expect("hex");
        bytes[tag_at] = b"0123456789abcdef"[usize::from((digit + by) % 16)];
        let changed = String::from_utf8(bytes).expect("ascii");
        prop_assert_eq!(
            checkin::verify(SECRET, activity, &changed, now),
            Err(CheckInCodeError::Forged)
        );
    }
}

/// Found by `a_shown_code_is_accepted_in_its_window_and_refused_once_changed`: the code of a
/// window before 1970 (`-1-…`) was split at its first dash and refused. Unreachable with a real
/// clock, but `code_for` and `verify` are now each other's inverse for every window.
#[test]
fn a_code_of_a_negative_window_reads_back() {
    for window in [-1, -2, i64::MIN / WINDOW_SECONDS] {
        let code = checkin::code_for(SECRET, 7, window);
        assert_eq!(
            checkin::verify(SECRET, 7, &code, window * WINDOW_SECONDS),
            Ok(()),
            "{code}"
        );
    }
}

// ---- The development file (`dangjian development check FILE.json`) ----------------------------

/// Any date jiff can hold, the extremes included (arithmetic near them must saturate).
fn any_date() -> impl Strategy<Value = Date> {
    prop_oneof![
        1 => Just(Date::MIN),
        1 => Just(Date::MAX),
        8 => (-9999i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).expect("valid")),
        8 => (1950i16..=2030, 1i8..=12, 1i8..=31).prop_filter_map("real date", |(y, m, d)| Date::new(y, m, d).ok()),
    ]
}

fn any_count() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..200, Just(u32::MAX), any::<u32>()]
}

fn any_vote() -> impl Strategy<Value = serde_json::Value> {
    (
        any_count(),
        any_count(),
        any_count(),
        any_count(),
        any_count(),
    )
        .prop_map(|(e, p, f, a, s)| {
            serde_json::json!({
                "expected_voters": e,
                "present_voters": p,
                "in_favour": f,
                "against": a,
                "abstaining": s,
            })
        })
}

fn any_step() -> impl Strategy<Value = serde_json::Value> {
    (
        1u8..=25,
        any_date(),
        proptest::collection::vec(
            ("[张王李]{1,3}", 0usize..4, any::<bool>(), proptest::option::of(any::<i64>())),
            0..3,
        ),
        proptest::option::of(any_count()),
        proptest::option::of(any_count()),
        proptest::option::of(any_vote()),
        proptest::collection::vec(any_date(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(step, date, people, days, hours, vote, evaluations, extended)| {
            let roles = ["talker", "contact", "sponsor", "other"];
            let people: Vec<serde_json::Value> = people
                .into_iter()
                .map(|(name, role, full, id)| {
                    serde_json::json!({
                        "name": name,
                        "role": roles[role],
                        "full_member": full,
                        "member_id": id,
                    })
                })
                .collect();
            serde_json::json!({
                "step": step, "date": date.to_string(), "people": people, "documents": ["档案 1 号"],
                "training_days": days, "class_hours": hours, "vote": vote,
                "evaluations": evaluations.iter().map(Date::to_string).collect::<Vec<_>>(),
                "approval_extended": extended,
            })
        })
}

/// A development file as JSON, valid in shape, with any dates, steps, votes and decisions.
fn any_file() -> impl Strategy<Value = serde_json::Value> {
    (
        any_date(),
        proptest::collection::vec(any_step(), 0..12),
        proptest::option::of((any_date(), any_count(), proptest::option::of(any_vote()))),
        proptest::option::of((any_date(), proptest::option::of(any_vote()))),
    )
        .prop_map(|(birth, steps, extension, cancellation)| {
            let mut probation = serde_json::Map::new();
            if let Some((date, months, vote)) = extension {
                probation.insert(
                    "extension".into(),
                    serde_json::json!({"date": date.to_string(), "months": months, "vote": vote}),
                );
            }
            if let Some((date, vote)) = cancellation {
                probation.insert(
                    "cancellation".into(),
                    serde_json::json!({"date": date.to_string(), "vote": vote, "reason": "不合格"}),
                );
            }
            serde_json::json!({
                "birth_date": birth.to_string(),
                "steps": steps,
                "probation": probation,
            })
        })
}

/// Everything the CLI, the API and the dashboard do with a file that parsed.
fn judge(file: &DevelopmentFile, today: Date) {
    let _ = development::check(file, today);
    let _ = development::standing(file);
    let _ = development::next_steps(file);
    for record in &file.steps {
        let mut out = Vec::new();
        development::check_step(file, record, today, &mut out);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_text_as_a_development_file_never_panics(input in hostile_text(60)) {
        if let Ok(file) = serde_json::from_str::<DevelopmentFile>(&input) {
            judge(&file, Date::new(2026, 6, 1).expect("valid"));
        }
    }

    #[test]
    fn any_well_shaped_file_is_judged_without_panicking_and_round_trips(
        json in any_file(),
        today in any_date(),
    ) {
        let text = json.to_string();
        let file: DevelopmentFile = match serde_json::from_str(&text) {
            Ok(file) => file,
            // Step 0 or 26 and the like are refused by the parser, which is its job.
            Err(_) => return Ok(()),
        };
        judge(&file, today);
        let written = serde_json::to_string(&file).expect("serializes");
        prop_assert_eq!(serde_json::from_str::<DevelopmentFile>(&written).expect("reads back"), file);
    }

    #[test]
    fn a_damaged_file_is_refused_or_judged_never_a_panic(
        json in any_file(),
        cut in any::<prop::sample::Index>(),
        junk in hostile_text(4),
    ) {
        let text = json.to_string();
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let damaged = format!("{}{junk}{}", &text[..at], &text[at..]);
        if let Ok(file) = serde_json::from_str::<DevelopmentFile>(&damaged) {
            judge(&file, Date::new(2026, 6, 1).expect("valid"));
        }
    }
}
