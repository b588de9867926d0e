//! The calculation against the regulation's table: every bracket, both sides of every boundary,
//! each category, and rounding half up to the fen.

use super::*;
use proptest::prelude::*;

fn yuan(text: &str) -> Fen {
    Fen::from_yuan_str(text).expect("valid amount")
}

fn dues(category: DuesCategory, base: &str) -> Assessment {
    monthly_dues(category, Some(yuan(base)), &DuesSettings::default()).expect("computes")
}

#[test]
fn the_issue_example_explains_itself() {
    let a = dues(DuesCategory::Employed, "4500");
    assert_eq!(a.amount, Fen(4500));
    assert_eq!(a.rate_permille, 10);
    assert_eq!(a.bracket, "3,000–5,000 元（含）");
    assert_eq!(
        a.explanation,
        "税后月收入 4,500.00 元，适用 3,000–5,000 元（含）档，比例 1%，月交 45.00 元"
    );
}

#[test]
fn employed_boundaries_belong_to_the_lower_bracket() {
    // (base, rate ‰, amount in yuan) on each side of 3000, 5000 and 10000.
    let cases = [
        ("0", 5, "0.00"),
        ("2999.99", 5, "15.00"),
        ("3000", 5, "15.00"),
        ("3000.01", 10, "30.00"),
        ("4999.99", 10, "50.00"),
        ("5000", 10, "50.00"),
        ("5000.01", 15, "75.00"),
        ("9999.99", 15, "150.00"),
        ("10000", 15, "150.00"),
        ("10000.01", 20, "200.00"),
        ("10000000", 20, "200000.00"),
    ];
    for category in [DuesCategory::Employed, DuesCategory::Other] {
        for (base, rate, amount) in cases {
            let a = dues(category, base);
            assert_eq!(a.rate_permille, rate, "{} {base}", category.label());
            assert_eq!(a.amount.yuan(), amount, "{} {base}", category.label());
        }
    }
}

#[test]
fn retired_boundary_is_five_thousand_included() {
    for (base, rate, amount) in [
        ("4999.99", 5, "25.00"),
        ("5000", 5, "25.00"),
        ("5000.01", 10, "50.00"),
        ("12000", 10, "120.00"),
    ] {
        let a = dues(DuesCategory::Retired, base);
        assert_eq!(
            (a.rate_permille, a.amount.yuan().as_str()),
            (rate, amount),
            "{base}"
        );
    }
    assert!(
        dues(DuesCategory::Retired, "6000")
            .explanation
            .starts_with("月离退休费 6,000.00 元，适用 5,000 元以上档")
    );
}

#[test]
fn the_whole_base_is_charged_not_only_the_part_above_the_threshold() {
    // Progressive like income tax would be 3000×0.5% + 1500×1% = 30; the regulation says 45.
    assert_eq!(dues(DuesCategory::Employed, "4500").amount, Fen(4500));
    assert_eq!(dues(DuesCategory::Employed, "20000").amount, Fen(40_000));
}

#[test]
fn rounding_is_half_up_to_the_fen() {
    // 0.5% of 1.00 yuan is half a fen: up. 0.5% of 0.99 yuan is 0.495 fen: down.
    assert_eq!(dues(DuesCategory::Employed, "1").amount, Fen(1));
    assert_eq!(dues(DuesCategory::Employed, "0.99").amount, Fen(0));
    // 1% of 3000.50 = 30.005 → 30.01; 1% of 3000.49 = 30.0049 → 30.00.
    assert_eq!(
        dues(DuesCategory::Employed, "3000.50").amount.yuan(),
        "30.01"
    );
    assert_eq!(
        dues(DuesCategory::Employed, "3000.49").amount.yuan(),
        "30.00"
    );
    // 1.5% of 5001 = 75.015 → 75.02; of 5000.99 = 75.01485 → 75.01.
    assert_eq!(dues(DuesCategory::Employed, "5001").amount.yuan(), "75.02");
    assert_eq!(
        dues(DuesCategory::Employed, "5000.99").amount.yuan(),
        "75.01"
    );
    // 2% of 10000.25 = 200.005 → 200.01.
    assert_eq!(
        dues(DuesCategory::Employed, "10000.25").amount.yuan(),
        "200.01"
    );
}

#[test]
fn fixed_categories_pay_their_fixed_amount_whatever_the_income() {
    for category in [DuesCategory::Student, DuesCategory::NoFixedIncome] {
        for base in [None, Some(Fen(0)), Some(Fen(900_000))] {
            let a = monthly_dues(category, base, &DuesSettings::default()).expect("fixed");
            assert_eq!(a.amount, Fen(20));
            assert_eq!(a.rate_permille, 0);
            assert_eq!(a.bracket, "固定金额");
        }
    }
    let farmer = monthly_dues(DuesCategory::Farmer, None, &DuesSettings::default()).expect("fixed");
    assert_eq!(
        farmer.amount,
        Fen(20),
        "farmers pay 0.20 unless the province sets more"
    );
    assert_eq!(
        farmer.explanation,
        "农民党员按固定金额交纳党费，月交 0.20 元"
    );
}

#[test]
fn the_farmers_amount_is_configurable_between_twenty_fen_and_one_yuan() {
    assert!(FarmerAmount::new(Fen(19)).is_err());
    assert!(FarmerAmount::new(Fen(20)).is_ok());
    assert!(FarmerAmount::new(Fen(100)).is_ok());
    let refused = FarmerAmount::new(Fen(101)).expect_err("over one yuan");
    assert!(refused.contains("0.20 至 1.00 元"), "{refused}");
    let settings = DuesSettings {
        farmer_amount: FarmerAmount::new(Fen(50)).expect("valid"),
    };
    let a = monthly_dues(DuesCategory::Farmer, Some(Fen(800_000)), &settings).expect("fixed");
    assert_eq!(a.amount, Fen(50));
}

#[test]
fn bracket_categories_need_a_base_within_bounds() {
    let settings = DuesSettings::default();
    assert_eq!(
        monthly_dues(DuesCategory::Employed, None, &settings),
        Err(CalcError::BaseRequired("在职"))
    );
    assert_eq!(
        monthly_dues(DuesCategory::Retired, Some(Fen(-1)), &settings),
        Err(CalcError::NegativeBase)
    );
    assert_eq!(
        monthly_dues(DuesCategory::Other, Some(Fen(MAX_AMOUNT.0 + 1)), &settings),
        Err(CalcError::BaseTooLarge)
    );
}

#[test]
fn rates_print_as_percent() {
    assert_eq!(rate_percent(5), "0.5%");
    assert_eq!(rate_percent(10), "1%");
    assert_eq!(rate_percent(15), "1.5%");
    assert_eq!(rate_percent(20), "2%");
}

/// The rate the regulation's table gives, written out independently of the bracket constants.
fn table_rate(category: DuesCategory, base: i64) -> i64 {
    match category {
        DuesCategory::Retired if base <= 500_000 => 5,
        DuesCategory::Retired => 10,
        _ if base <= 300_000 => 5,
        _ if base <= 500_000 => 10,
        _ if base <= 1_000_000 => 15,
        _ => 20,
    }
}

fn bracket_category() -> impl Strategy<Value = DuesCategory> {
    prop_oneof![
        Just(DuesCategory::Employed),
        Just(DuesCategory::Retired),
        Just(DuesCategory::Other)
    ]
}

proptest! {
    #[test]
    fn the_amount_is_the_bracket_share_rounded_half_up(
        category in bracket_category(),
        base in 0i64..=MAX_AMOUNT.0,
    ) {
        let a = monthly_dues(category, Some(Fen(base)), &DuesSettings::default()).expect("in range");
        let rate = table_rate(category, base);
        prop_assert_eq!(a.rate_permille, rate);
        // amount·1000 is within half a fen of base·rate, and an exact half goes up.
        let diff = a.amount.0 * 1000 - base * rate;
        prop_assert!(-500 < diff && diff <= 500, "{base} → {diff}");
    }

    #[test]
    fn around_every_boundary_the_lower_side_keeps_the_lower_rate(
        offset in 0i64..=5_000,
        category in bracket_category(),
    ) {
        let bounds: &[i64] = if category == DuesCategory::Retired { &[500_000] } else { &[300_000, 500_000, 1_000_000] };
        for &bound in bounds {
            let below = monthly_dues(category, Some(Fen(bound - offset)), &DuesSettings::default()).expect("ok");
            let above = monthly_dues(category, Some(Fen(bound + 1 + offset)), &DuesSettings::default()).expect("ok");
            prop_assert!(below.rate_permille < above.rate_permille, "{bound} ± {offset}");
            prop_assert_eq!(below.rate_permille, table_rate(category, bound));
        }
    }

    #[test]
    fn more_income_never_means_less_dues(
        category in bracket_category(),
        base in 0i64..MAX_AMOUNT.0,
        step in 1i64..100_000,
    ) {
        let higher = (base + step).min(MAX_AMOUNT.0);
        let settings = DuesSettings::default();
        let low = monthly_dues(category, Some(Fen(base)), &settings).expect("ok").amount;
        let high = monthly_dues(category, Some(Fen(higher)), &settings).expect("ok").amount;
        prop_assert!(low <= high);
    }

    #[test]
    fn fixed_amounts_do_not_depend_on_income(base in 0i64..=MAX_AMOUNT.0, farmer in 20i64..=100) {
        let settings = DuesSettings { farmer_amount: FarmerAmount::new(Fen(farmer)).expect("valid") };
        prop_assert_eq!(monthly_dues(DuesCategory::Farmer, Some(Fen(base)), &settings).expect("ok").amount, Fen(farmer));
        prop_assert_eq!(monthly_dues(DuesCategory::Student, Some(Fen(base)), &settings).expect("ok").amount, SMALL_FIXED);
        prop_assert_eq!(monthly_dues(DuesCategory::NoFixedIncome, Some(Fen(base)), &settings).expect("ok").amount, SMALL_FIXED);
    }
}
