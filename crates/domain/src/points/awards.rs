//! 争先创优 (awards): the four honours, and the public notice (公示) during which members may
//! object. Issue #5: "a public notice period (公示) with a start and end date during which members
//! can file objections, then the final list recorded in profiles".

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Honour {
    ExcellentMember,
    ExcellentGroup,
    ExcellentGroupLeader,
    ExcellentPartyWorker,
}

impl Honour {
    pub const ALL: [Honour; 4] = [
        Honour::ExcellentMember,
        Honour::ExcellentGroup,
        Honour::ExcellentGroupLeader,
        Honour::ExcellentPartyWorker,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Honour::ExcellentMember => "优秀共产党员",
            Honour::ExcellentGroup => "优秀党小组",
            Honour::ExcellentGroupLeader => "优秀党小组长",
            Honour::ExcellentPartyWorker => "优秀党务工作者",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Honour::ExcellentMember => "excellent_member",
            Honour::ExcellentGroup => "excellent_group",
            Honour::ExcellentGroupLeader => "excellent_group_leader",
            Honour::ExcellentPartyWorker => "excellent_party_worker",
        }
    }

    pub fn parse(text: &str) -> Option<Honour> {
        Honour::ALL
            .into_iter()
            .find(|h| h.code() == text.trim() || h.label() == text.trim())
    }

    /// 优秀党小组 honours a group; the others a member.
    pub fn is_for_group(self) -> bool {
        self == Honour::ExcellentGroup
    }
}

/// The notice period must not end before it starts.
pub fn check_notice(from: Date, to: Date) -> Result<(), String> {
    if to < from {
        return Err("公示结束日期不能早于开始日期".into());
    }
    Ok(())
}

/// Objections are accepted from the first to the last day of the notice, inclusive.
pub fn objection_window(today: Date, from: Date, to: Date) -> Result<(), String> {
    if today < from {
        return Err(format!("公示自 {from} 开始，届时才能提出异议"));
    }
    if today > to {
        return Err(format!("公示已于 {to} 结束，不能再提出异议"));
    }
    Ok(())
}

/// The final list is recorded only after the notice has ended.
pub fn may_finalize(today: Date, to: Date) -> Result<(), String> {
    if today <= to {
        return Err(format!("公示至 {to} 结束，结束后才能确定最终名单"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn objections_only_during_the_notice() {
        let (from, to) = (d("2026-06-01"), d("2026-06-07"));
        assert!(objection_window(d("2026-05-31"), from, to).is_err());
        assert!(objection_window(from, from, to).is_ok());
        assert!(objection_window(to, from, to).is_ok());
        assert!(objection_window(d("2026-06-08"), from, to).is_err());
    }

    #[test]
    fn the_list_is_final_the_day_after_the_notice() {
        assert!(may_finalize(d("2026-06-07"), d("2026-06-07")).is_err());
        assert!(may_finalize(d("2026-06-08"), d("2026-06-07")).is_ok());
        assert!(check_notice(d("2026-06-07"), d("2026-06-06")).is_err());
        assert!(check_notice(d("2026-06-07"), d("2026-06-07")).is_ok());
    }

    #[test]
    fn honours_read_codes_and_labels() {
        for h in Honour::ALL {
            assert_eq!(Honour::parse(h.code()), Some(h));
            assert_eq!(Honour::parse(h.label()), Some(h));
        }
        assert!(Honour::ExcellentGroup.is_for_group());
    }
}
