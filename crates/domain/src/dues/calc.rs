//! The monthly dues amount (党费规定, 二「党费的交纳」: 交纳党费的比例). Dues are a share of the
//! whole monthly base chosen by the bracket the base falls in — not progressive like income tax —
//! rounded half up to the fen; some categories pay a fixed sum instead.

use serde::Serialize;

use super::category::DuesCategory;
use super::money::{Fen, MAX_AMOUNT};

/// 学生, 下岗失业, 依靠抚恤或救济生活, 领取最低生活保障金: 0.20 yuan a month (党费规定).
pub const SMALL_FIXED: Fen = Fen(20);
/// Farmers pay 0.20 to 1.00 yuan a month, the provincial committee decides (党费规定).
pub const FARMER_MIN: Fen = Fen(20);
pub const FARMER_MAX: Fen = Fen(100);

/// One bracket: bases up to and including `up_to` (yuan×100; `None`: no upper end) pay
/// `rate_permille`‰ of the whole base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bracket {
    pub up_to: Option<Fen>,
    pub rate_permille: i64,
    pub label: &'static str,
}

/// 在职 and 其他: ≤3000 0.5%, 3000–5000 1%, 5000–10000 1.5%, >10000 2% (党费规定; each upper
/// bound belongs to the lower bracket: "3000 元以下（含 3000 元）").
pub const EMPLOYED: [Bracket; 4] = [
    Bracket {
        up_to: Some(Fen(300_000)),
        rate_permille: 5,
        label: "3,000 元（含）以下",
    },
    Bracket {
        up_to: Some(Fen(500_000)),
        rate_permille: 10,
        label: "3,000–5,000 元（含）",
    },
    Bracket {
        up_to: Some(Fen(1_000_000)),
        rate_permille: 15,
        label: "5,000–10,000 元（含）",
    },
    Bracket {
        up_to: None,
        rate_permille: 20,
        label: "10,000 元以上",
    },
];

/// 离退休: ≤5000 0.5%, >5000 1% (党费规定).
pub const RETIRED: [Bracket; 2] = [
    Bracket {
        up_to: Some(Fen(500_000)),
        rate_permille: 5,
        label: "5,000 元（含）以下",
    },
    Bracket {
        up_to: None,
        rate_permille: 10,
        label: "5,000 元以上",
    },
];

/// The farmers' fixed amount, valid by construction: 0.20 to 1.00 yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FarmerAmount(Fen);

impl FarmerAmount {
    pub fn new(amount: Fen) -> Result<FarmerAmount, String> {
        if (FARMER_MIN..=FARMER_MAX).contains(&amount) {
            Ok(FarmerAmount(amount))
        } else {
            Err(format!(
                "农民党员每月交纳党费的固定金额应在 0.20 至 1.00 元之间，收到 {} 元",
                amount.yuan()
            ))
        }
    }

    pub fn amount(self) -> Fen {
        self.0
    }
}

impl Default for FarmerAmount {
    /// The default until a provincial committee sets its own (RULES.md: default 0.20).
    fn default() -> Self {
        FarmerAmount(FARMER_MIN)
    }
}

/// The settings an organization may change; everything else is fixed by the regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DuesSettings {
    pub farmer_amount: FarmerAmount,
}

/// A computed monthly amount and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub category: DuesCategory,
    /// The monthly base used; `None` for fixed-amount categories.
    pub base: Option<Fen>,
    pub amount: Fen,
    /// ‰ of the base; 0 for a fixed amount.
    pub rate_permille: i64,
    /// The bracket in words, e.g. `3,000–5,000 元（含）`, or `固定金额`.
    pub bracket: String,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalcError {
    #[error("{0}类别按月收入计算党费，请填写月收入")]
    BaseRequired(&'static str),
    #[error("金额超过 10,000,000 元，请核对")]
    BaseTooLarge,
    #[error("金额不能为负数")]
    NegativeBase,
}

/// The bracket table of a category that pays a share of its base.
pub fn brackets(category: DuesCategory) -> Option<&'static [Bracket]> {
    match category {
        DuesCategory::Employed | DuesCategory::Other => Some(&EMPLOYED),
        DuesCategory::Retired => Some(&RETIRED),
        DuesCategory::Farmer | DuesCategory::Student | DuesCategory::NoFixedIncome => None,
    }
}

/// The bracket a base falls in: the first whose upper bound (inclusive) it does not exceed.
pub fn bracket_for(table: &'static [Bracket], base: Fen) -> &'static Bracket {
    table
        .iter()
        .find(|b| b.up_to.is_none_or(|up| base <= up))
        .unwrap_or(&table[table.len() - 1])
}

/// `base × rate`, rounded half up to the fen. Integer only: (base·‰ + 500) / 1000.
pub fn share(base: Fen, rate_permille: i64) -> Fen {
    Fen((base.0 * rate_permille + 500) / 1000)
}

/// `1%`, `0.5%`, `1.5%`.
pub fn rate_percent(rate_permille: i64) -> String {
    if rate_permille % 10 == 0 {
        format!("{}%", rate_permille / 10)
    } else {
        format!("{}.{}%", rate_permille / 10, rate_permille % 10)
    }
}

/// The monthly dues of a member of `category` with monthly `base` (ignored for fixed amounts).
pub fn monthly_dues(
    category: DuesCategory,
    base: Option<Fen>,
    settings: &DuesSettings,
) -> Result<Assessment, CalcError> {
    let Some(table) = brackets(category) else {
        let amount = match category {
            DuesCategory::Farmer => settings.farmer_amount.amount(),
            _ => SMALL_FIXED,
        };
        return Ok(Assessment {
            category,
            base: None,
            amount,
            rate_permille: 0,
            bracket: "固定金额".into(),
            explanation: format!(
                "{}党员按固定金额交纳党费，月交 {} 元",
                category.label(),
                amount.yuan()
            ),
        });
    };
    let base = base.ok_or(CalcError::BaseRequired(category.label()))?;
    if base.0 < 0 {
        return Err(CalcError::NegativeBase);
    }
    if base > MAX_AMOUNT {
        return Err(CalcError::BaseTooLarge);
    }
    let bracket = bracket_for(table, base);
    let amount = share(base, bracket.rate_permille);
    Ok(Assessment {
        category,
        base: Some(base),
        amount,
        rate_permille: bracket.rate_permille,
        bracket: bracket.label.to_string(),
        explanation: format!(
            "{} {} 元，适用 {}档，比例 {}，月交 {} 元",
            category.base_label(),
            base.yuan_grouped(),
            bracket.label,
            rate_percent(bracket.rate_permille),
            amount.yuan()
        ),
    })
}
