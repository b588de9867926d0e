//! The calculator: a category name and an income as typed, to the monthly amount with its
//! explanation. It needs no database, so the command line can run it anywhere.

use dangjian_domain::dues::{self, CalcError, DuesCategory, DuesSettings, Fen};
use serde::Serialize;

use crate::{Actor, App, AppError, AppResult};

/// The calculator's answer: the contract other tools rely on (issue #6), no more fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CalcResult {
    /// The monthly amount in fen.
    pub amount_fen: i64,
    /// The rate in ‰ of the monthly base (10 is 1%); 0 for categories paying a fixed amount.
    pub rate_permille: i64,
    /// The bracket in words, e.g. `3,000–5,000 元（含）`, or `固定金额`.
    pub bracket: String,
    /// e.g. `税后月收入 4,500.00 元，适用 3,000–5,000 元（含）档，比例 1%，月交 45.00 元`.
    pub explanation: String,
}

impl From<dues::Assessment> for CalcResult {
    fn from(a: dues::Assessment) -> Self {
        CalcResult {
            amount_fen: a.amount.0,
            rate_permille: a.rate_permille,
            bracket: a.bracket,
            explanation: a.explanation,
        }
    }
}

/// Parses the category and income as typed and computes the monthly dues. An empty income
/// counts as none (fixed-amount categories need none).
pub fn assess(
    category: &str,
    income: Option<&str>,
    settings: &DuesSettings,
) -> AppResult<dues::Assessment> {
    let category =
        DuesCategory::parse(category).map_err(|message| AppError::invalid("category", message))?;
    let income = match income.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(
            Fen::from_yuan_str(text)
                .map_err(|e| AppError::invalid("income", format!("月收入：{e}")))?,
        ),
        None => None,
    };
    dues::monthly_dues(category, income, settings).map_err(calc_error)
}

pub(crate) fn calc_error(error: CalcError) -> AppError {
    let field = match error {
        CalcError::BaseRequired(_) | CalcError::BaseTooLarge | CalcError::NegativeBase => "income",
    };
    AppError::invalid(field, error.to_string())
}

/// The calculator for a signed-in user, with the farmers' amount their top organization set.
pub async fn calculate(
    app: &App,
    actor: &Actor,
    category: &str,
    income: Option<&str>,
) -> AppResult<CalcResult> {
    let settings = super::settings::for_actor(app, actor).await?;
    Ok(assess(category, income, &settings)?.into())
}
