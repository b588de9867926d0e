//! Dues categories (党费规定: 交纳党费的比例 and the fixed amounts), with the Chinese names the
//! issue and the CLI/API contract use.

use serde::{Deserialize, Serialize};

/// Which part of the dues regulation applies to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuesCategory {
    /// 在职: wage earners, by after-tax fixed monthly salary (税后工资收入).
    Employed,
    /// 离退休: the monthly pension actually received (离退休费/养老金总额).
    Retired,
    /// 农民: a fixed amount of 0.20–1.00 yuan a month set by the provincial committee.
    Farmer,
    /// 学生: 0.20 yuan a month.
    Student,
    /// 下岗失业/无固定收入 (also 依靠抚恤或救济生活, 领取最低生活保障金): 0.20 yuan a month.
    NoFixedIncome,
    /// 其他: other income earners (e.g. self-employed), after-tax monthly income as the employed.
    Other,
}

impl DuesCategory {
    pub const ALL: [DuesCategory; 6] = [
        DuesCategory::Employed,
        DuesCategory::Retired,
        DuesCategory::Farmer,
        DuesCategory::Student,
        DuesCategory::NoFixedIncome,
        DuesCategory::Other,
    ];

    /// The Chinese name, as typed on the command line and shown everywhere.
    pub fn label(self) -> &'static str {
        match self {
            DuesCategory::Employed => "在职",
            DuesCategory::Retired => "离退休",
            DuesCategory::Farmer => "农民",
            DuesCategory::Student => "学生",
            DuesCategory::NoFixedIncome => "下岗失业/无固定收入",
            DuesCategory::Other => "其他",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DuesCategory::Employed => "employed",
            DuesCategory::Retired => "retired",
            DuesCategory::Farmer => "farmer",
            DuesCategory::Student => "student",
            DuesCategory::NoFixedIncome => "no_fixed_income",
            DuesCategory::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<DuesCategory> {
        DuesCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Reads a Chinese name (or the code). The regulation's longer wordings for the 0.20-yuan
    /// group are accepted too, since secretaries copy them from the document.
    pub fn parse(input: &str) -> Result<DuesCategory, String> {
        let text = input.trim();
        if let Some(found) = DuesCategory::ALL
            .into_iter()
            .find(|c| c.label() == text || c.code() == text)
        {
            return Ok(found);
        }
        match text {
            "下岗失业" | "无固定收入" | "依靠抚恤或救济生活" | "领取最低生活保障金" => {
                Ok(DuesCategory::NoFixedIncome)
            }
            "" => Err("请选择党费类别".into()),
            other => Err(format!(
                "未知的党费类别「{other}」，应为：{}",
                DuesCategory::ALL.map(DuesCategory::label).join("、")
            )),
        }
    }

    /// Whether the amount is a fixed sum rather than a share of a monthly base.
    pub fn is_fixed(self) -> bool {
        matches!(
            self,
            DuesCategory::Farmer | DuesCategory::Student | DuesCategory::NoFixedIncome
        )
    }

    /// What the monthly base is called in the explanation.
    pub fn base_label(self) -> &'static str {
        match self {
            DuesCategory::Retired => "月离退休费",
            _ => "税后月收入",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_and_codes_round_trip() {
        for category in DuesCategory::ALL {
            assert_eq!(DuesCategory::parse(category.label()), Ok(category));
            assert_eq!(DuesCategory::from_code(category.code()), Some(category));
        }
        assert_eq!(
            DuesCategory::parse("领取最低生活保障金"),
            Ok(DuesCategory::NoFixedIncome)
        );
    }

    #[test]
    fn an_unknown_category_lists_the_known_ones() {
        let message = DuesCategory::parse("公务员").expect_err("unknown");
        assert!(
            message.contains("公务员") && message.contains("离退休"),
            "{message}"
        );
        assert_eq!(DuesCategory::parse(" "), Err("请选择党费类别".into()));
    }
}
