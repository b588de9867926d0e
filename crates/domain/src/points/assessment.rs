//! 效能考核 (issue #5): a group's or branch's score per period as a weighted sum of components,
//! each a percentage shown beside the score, so nobody has to trust a black box.

/// The default weights (percent): organizational-life compliance, attendance, average points
/// (relative to the best compared node), dues collection. Configurable per node.
pub const DEFAULT_WEIGHTS: [i64; 4] = [30, 30, 20, 20];

/// Weights must be whole percents that add up to 100.
pub fn check_weights(w: [i64; 4]) -> Result<(), String> {
    if w.iter().any(|x| *x < 0) || w.iter().sum::<i64>() != 100 {
        return Err("各项权重须为非负整数，合计 100".into());
    }
    Ok(())
}

/// The weighted score in tenths of a point (0–1000) from components in tenths of a percent.
pub fn weighted(components: [i64; 4], weights: [i64; 4]) -> i64 {
    components
        .iter()
        .zip(weights)
        .map(|(c, w)| c * w)
        .sum::<i64>()
        / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_add_up_to_a_hundred() {
        assert!(check_weights(DEFAULT_WEIGHTS).is_ok());
        assert!(check_weights([30, 30, 20, 19]).is_err());
        assert!(check_weights([110, -10, 0, 0]).is_err());
        assert!(check_weights([100, 0, 0, 0]).is_ok());
    }

    #[test]
    fn the_score_is_the_weighted_sum() {
        assert_eq!(weighted([1000, 1000, 1000, 1000], DEFAULT_WEIGHTS), 1000);
        assert_eq!(weighted([1000, 500, 0, 0], DEFAULT_WEIGHTS), 450);
    }
}
