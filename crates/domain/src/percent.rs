//! One rounding rule for every percentage the product shows (issue #14): tenths of a percent,
//! rounded half up, in integers. A share of nothing is no percentage at all: "0 of 0" is shown
//! as not applicable, never as 100 % or 0 %.

/// `part` of `whole` in tenths of a percent (93.5 % = 935), rounded half up; `None` when `whole`
/// is not positive.
pub fn tenths(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 {
        return None;
    }
    let part = i128::from(part.max(0));
    let whole = i128::from(whole);
    let rounded = (part * 2000 + whole) / (whole * 2);
    Some(i64::try_from(rounded).unwrap_or(i64::MAX))
}

/// Tenths of a percent as the pages write them: `93.5`.
pub fn text(tenths: i64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounds_half_up_in_tenths() {
        assert_eq!(tenths(1, 3), Some(333));
        assert_eq!(tenths(2, 3), Some(667));
        assert_eq!(tenths(1, 8), Some(125));
        assert_eq!(tenths(1, 16), Some(63), "6.25 % rounds up to 6.3 %");
        assert_eq!(tenths(0, 5), Some(0));
        assert_eq!(tenths(5, 5), Some(1000));
        assert_eq!(text(935), "93.5");
        assert_eq!(text(1000), "100.0");
        assert_eq!(text(3), "0.3");
    }

    #[test]
    fn nothing_to_divide_is_no_percentage() {
        assert_eq!(tenths(0, 0), None);
        assert_eq!(tenths(7, 0), None);
        assert_eq!(tenths(7, -1), None);
    }

    proptest! {
        #[test]
        fn within_half_a_tenth_of_the_exact_share(part in 0i64..10_000_000, whole in 1i64..10_000_000) {
            let shown = tenths(part, whole).expect("a share of something") as f64;
            let exact = part as f64 * 1000.0 / whole as f64;
            prop_assert!((shown - exact).abs() <= 0.5 + 1e-9);
        }
    }
}
