//! The rulebook: items, inheritance down the tree, versions by effective date, caps, ranks.
//! Source: RULES.md, section "Points (积分管理) — default rulebook".

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Points;
use crate::activity::{Frequency, Period};
use crate::events::EventKind;
use crate::text::TextError;

/// The yearly base score every member starts from (RULES.md, Points: "Base score 100 a year").
pub const DEFAULT_BASE: Points = Points::whole(100);

/// A member whose yearly total is below this floor cannot be proposed 优秀 (RULES.md, Points:
/// "configurable floor (default 60)").
pub const EXCELLENT_FLOOR: Points = Points::whole(60);

/// Whether a yearly total (base included) allows proposing 优秀: at or above the floor.
pub fn may_be_excellent(year_total: Points, floor: Points) -> bool {
    year_total >= floor
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Basic,
    Study,
    Activity,
    Contribution,
    Deduction,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Basic,
        Category::Study,
        Category::Activity,
        Category::Contribution,
        Category::Deduction,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Category::Basic => "基础",
            Category::Study => "学习",
            Category::Activity => "活动",
            Category::Contribution => "贡献",
            Category::Deduction => "扣分",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Category::Basic => "basic",
            Category::Study => "study",
            Category::Activity => "activity",
            Category::Contribution => "contribution",
            Category::Deduction => "deduction",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.code() == code || c.label() == code)
    }
}

/// What awards an item: a domain event of another module, or a manual proposal that the branch
/// approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    Event(EventKind),
    Manual,
}

impl Trigger {
    pub fn code(self) -> &'static str {
        match self {
            Trigger::Event(kind) => kind.code(),
            Trigger::Manual => "manual",
        }
    }

    pub fn from_code(code: &str) -> Option<Trigger> {
        if code == "manual" {
            return Some(Trigger::Manual);
        }
        EventKind::from_code(code).map(Trigger::Event)
    }

    pub fn label(self) -> &'static str {
        match self {
            Trigger::Event(kind) => kind.label(),
            Trigger::Manual => "申报审批",
        }
    }
}

/// The period a cap counts over.
pub type CapPeriod = Frequency;

/// One item of a rulebook. For a manual item `points` is the default and `min..=max` the range
/// an approver may award (RULES.md: 志愿服务 +3 to +10 by approval).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleItem {
    pub code: String,
    pub name: String,
    pub category: Category,
    pub points: Points,
    pub min: Points,
    pub max: Points,
    /// The most an item may add (or, for a deduction, take) per member and cap period.
    pub cap: Option<Points>,
    pub cap_period: CapPeriod,
    pub trigger: Trigger,
    /// A lower node may switch an inherited item off.
    pub enabled: bool,
}

impl RuleItem {
    /// Checks an item as an editor submitted it.
    pub fn check(&self) -> Result<(), String> {
        if self.code.is_empty()
            || self.code.len() > 16
            || !self.code.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err("规则编号须为 1–16 位字母或数字".into());
        }
        match crate::text::name(&self.name, 60) {
            Ok(_) => {}
            Err(TextError::Empty | TextError::TooLong { .. }) => {
                return Err("请填写规则名称（60 字以内）".into());
            }
            Err(other) => return Err(format!("规则名称{other}")),
        }
        if let Some(cap) = self.cap
            && cap.0 <= 0
        {
            return Err("上限须为正数；不设上限请留空".into());
        }
        if self.min > self.max || self.points < self.min || self.points > self.max {
            return Err("分值须在最低分与最高分之间".into());
        }
        if self.trigger != Trigger::Manual && self.min != self.max {
            return Err("自动计分的规则只能有一个固定分值".into());
        }
        Ok(())
    }

    /// Whether `points` may be awarded by approval under this item.
    pub fn allows(&self, points: Points) -> bool {
        self.min <= points && points <= self.max && points != Points::ZERO
    }

    /// The key of the cap period an award on `date` counts toward.
    pub fn cap_key(&self, date: Date) -> String {
        Period::containing(date, self.cap_period).key()
    }
}

fn item(
    code: &str,
    name: &str,
    category: Category,
    (min, points, max): (i64, i64, i64),
    cap: Option<(i64, CapPeriod)>,
    trigger: Trigger,
) -> RuleItem {
    RuleItem {
        code: code.into(),
        name: name.into(),
        category,
        points: Points(points),
        min: Points(min),
        max: Points(max),
        cap: cap.map(|(c, _)| Points(c)),
        cap_period: cap.map(|(_, p)| p).unwrap_or(Frequency::Yearly),
        trigger,
        enabled: true,
    }
}

/// The default rulebook (RULES.md, Points). Learning items are manual until the learning module
/// emits its events (quiz passed, reflection published).
pub fn default_items() -> Vec<RuleItem> {
    use Category::*;
    use EventKind as E;
    use Frequency::Quarterly;
    let auto = Trigger::Event;
    vec![
        item(
            "B01",
            "参加组织生活（支部党员大会、党小组会、党课、主题党日等）",
            Basic,
            (20, 20, 20),
            None,
            auto(E::Attended),
        ),
        item(
            "B02",
            "参加谈心谈话",
            Basic,
            (20, 20, 20),
            None,
            auto(E::TalkHeld),
        ),
        item(
            "B03",
            "请假并完成补学",
            Basic,
            (0, 0, 0),
            None,
            auto(E::MakeUpStudyDone),
        ),
        item(
            "B04",
            "按时交纳党费",
            Basic,
            (10, 10, 10),
            None,
            auto(E::DuesPaidOnTime),
        ),
        item(
            "D01",
            "无故缺席组织生活",
            Deduction,
            (-50, -50, -50),
            None,
            auto(E::AbsentWithoutLeave),
        ),
        item(
            "D02",
            "欠交党费",
            Deduction,
            (-20, -20, -20),
            None,
            auto(E::DuesInArrears),
        ),
        item(
            "L01",
            "在线学习打卡、完成微课",
            Study,
            (5, 5, 5),
            Some((100, Quarterly)),
            Trigger::Manual,
        ),
        item(
            "L02",
            "知识测试合格（≥80%）",
            Study,
            (20, 20, 20),
            Some((80, Quarterly)),
            Trigger::Manual,
        ),
        item(
            "L03",
            "在宣传栏发表心得体会",
            Study,
            (20, 20, 20),
            Some((60, Quarterly)),
            Trigger::Manual,
        ),
        item(
            "A01",
            "志愿服务、党员先锋岗、攻坚任务",
            Activity,
            (30, 30, 100),
            None,
            Trigger::Manual,
        ),
        item(
            "C01",
            "受到表彰",
            Contribution,
            (100, 100, 200),
            None,
            Trigger::Manual,
        ),
        item(
            "D03",
            "警示谈话、违规违纪",
            Deduction,
            (-500, -100, -100),
            None,
            Trigger::Manual,
        ),
    ]
}

/// The items in force for a node: `layers` from the nearest node (the member's group or branch)
/// up to the root, each the items of that node's version in force. The nearest definition of a
/// code wins; the built-in default fills in codes no layer defines. Disabled items stay in the
/// result (so they shadow inherited ones) and are skipped by callers.
pub fn resolve(layers: &[Vec<RuleItem>]) -> Vec<RuleItem> {
    let mut out: Vec<RuleItem> = Vec::new();
    for layer in layers
        .iter()
        .map(Vec::as_slice)
        .chain(std::iter::once(default_items().as_slice()))
    {
        for item in layer {
            if !out.iter().any(|o| o.code == item.code) {
                out.push(item.clone());
            }
        }
    }
    out
}

/// What an award actually adds given what the item already gave in its cap period: the whole
/// amount while under the cap, then the remainder, then nothing (issue #5: "an item with a cap
/// of 10 per quarter stops awarding after 10"). Deductions are capped by magnitude.
pub fn capped_award(points: Points, used: Points, cap: Option<Points>) -> Points {
    let Some(cap) = cap else { return points };
    let (p, u) = (points.0.abs(), used.0.abs());
    let room = (cap.0 - u).max(0);
    let awarded = p.min(room);
    Points(if points.0 < 0 { -awarded } else { awarded })
}

/// A new version of a node's rules may not take effect on or before a day that already has
/// points awarded under the old rules in the node's subtree (they would change in hindsight),
/// nor on or before the node's latest version.
pub fn version_date_allowed(
    effective_from: Date,
    last_awarded_on: Option<Date>,
    latest_version_from: Option<Date>,
) -> Result<(), String> {
    if let Some(latest) = latest_version_from
        && effective_from <= latest
    {
        return Err(format!(
            "本组织已有 {latest} 起生效的规则版本，新版本的生效日期须晚于该日期"
        ));
    }
    if let Some(last) = last_awarded_on
        && effective_from <= last
    {
        return Err(format!(
            "{last} 及以前已按现行规则计分，新版本生效日期须晚于 {last}，已计的积分不会被改写"
        ));
    }
    Ok(())
}

/// Standard competition ranks of scores sorted from high to low: ties share a rank and the next
/// rank skips (100, 90, 90, 80 → 1, 2, 2, 4).
pub fn rank_with_ties(sorted_desc: &[i64]) -> Vec<i64> {
    let mut ranks = Vec::with_capacity(sorted_desc.len());
    for (i, score) in sorted_desc.iter().enumerate() {
        let rank = match (i, ranks.last()) {
            (0, _) | (_, None) => 1,
            (_, Some(&prev)) if sorted_desc[i - 1] == *score => prev,
            _ => i as i64 + 1,
        };
        ranks.push(rank);
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn a_rule_name_refuses_invisible_characters_and_line_breaks() {
        let named = |name: &str| {
            let mut rule = default_items().remove(0);
            rule.name = name.into();
            rule.check()
        };
        assert_eq!(named("按时参加组织生活"), Ok(()));
        assert_eq!(named(" "), Err("请填写规则名称（60 字以内）".into()));
        for hostile in [
            "按时\u{202E}参加",
            "按时\u{200B}",
            "\u{FEFF}参加",
            "按时\n参加",
            "a\u{0}",
        ] {
            let refused = named(hostile).expect_err(hostile);
            assert!(refused.starts_with("规则名称"), "{hostile:?}: {refused}");
        }
    }

    #[test]
    fn the_default_rulebook_follows_rules_md() {
        let items = default_items();
        let get = |c: &str| items.iter().find(|i| i.code == c).expect("item");
        assert_eq!(get("B01").points, Points::whole(2));
        assert_eq!(get("D01").points, Points::whole(-5));
        assert_eq!(get("B03").points, Points::ZERO);
        assert_eq!(get("B04").points, Points::whole(1));
        assert_eq!(get("D02").points, Points::whole(-2));
        assert_eq!(get("L01").points, Points(5));
        assert_eq!(get("L01").cap, Some(Points::whole(10)));
        assert_eq!(get("L02").cap, Some(Points::whole(8)));
        assert_eq!(get("L03").cap, Some(Points::whole(6)));
        assert_eq!(
            (get("A01").min, get("A01").max),
            (Points::whole(3), Points::whole(10))
        );
        assert_eq!(
            (get("C01").min, get("C01").max),
            (Points::whole(10), Points::whole(20))
        );
        assert_eq!(
            (get("D03").min, get("D03").max),
            (Points::whole(-50), Points::whole(-10))
        );
        assert!(
            items.iter().all(|i| i.check().is_ok()),
            "every default item passes the editor's check"
        );
        assert_eq!(DEFAULT_BASE, Points::whole(100));
    }

    #[test]
    fn the_nearest_node_overrides_an_item_and_inherits_the_rest() {
        let mut own = default_items()[0].clone();
        own.points = Points::whole(3);
        let mut above = default_items()[0].clone();
        above.points = Points::whole(4);
        let resolved = resolve(&[vec![own], vec![above.clone()]]);
        assert_eq!(
            resolved.iter().find(|i| i.code == "B01").map(|i| i.points),
            Some(Points::whole(3))
        );
        assert_eq!(resolved.len(), default_items().len());
        let resolved = resolve(&[vec![], vec![above]]);
        assert_eq!(resolved[0].points, Points::whole(4));
    }

    #[test]
    fn caps_stop_at_the_limit() {
        let cap = Some(Points::whole(10));
        assert_eq!(capped_award(Points(5), Points(95), cap), Points(5));
        assert_eq!(capped_award(Points(5), Points(100), cap), Points::ZERO);
        assert_eq!(capped_award(Points(20), Points(95), cap), Points(5));
        assert_eq!(capped_award(Points(-50), Points(-80), cap), Points(-20));
        assert_eq!(capped_award(Points(20), Points(1000), None), Points(20));
    }

    #[test]
    fn a_negative_cap_is_refused() {
        let mut i = default_items()[6].clone();
        i.cap = Some(Points(-10));
        assert!(i.check().is_err());
        i.cap = Some(Points(1));
        assert!(i.check().is_ok());
    }

    #[test]
    fn versions_cannot_rewrite_awarded_days() {
        assert!(version_date_allowed(d("2026-04-01"), Some(d("2026-03-31")), None).is_ok());
        assert!(version_date_allowed(d("2026-03-31"), Some(d("2026-03-31")), None).is_err());
        assert!(version_date_allowed(d("2026-01-01"), None, Some(d("2026-01-01"))).is_err());
        assert!(version_date_allowed(d("2026-01-02"), None, Some(d("2026-01-01"))).is_ok());
    }

    #[test]
    fn the_excellent_floor_is_inclusive() {
        assert!(may_be_excellent(Points::whole(60), EXCELLENT_FLOOR));
        assert!(!may_be_excellent(Points(599), EXCELLENT_FLOOR));
    }

    #[test]
    fn ties_share_a_rank() {
        assert_eq!(rank_with_ties(&[100, 90, 90, 80]), vec![1, 2, 2, 4]);
        assert_eq!(rank_with_ties(&[5, 5, 5]), vec![1, 1, 1]);
        assert!(rank_with_ties(&[]).is_empty());
    }

    proptest! {
        #[test]
        fn capped_awards_never_pass_the_cap(steps in proptest::collection::vec(1i64..50, 0..30), cap in 1i64..200) {
            let mut used = Points::ZERO;
            for p in steps {
                used = used + capped_award(Points(p), used, Some(Points(cap)));
                prop_assert!(used.0 <= cap);
            }
        }

        #[test]
        fn a_rank_is_one_more_than_the_scores_above(mut scores in proptest::collection::vec(-50i64..50, 0..40)) {
            scores.sort_unstable_by(|a, b| b.cmp(a));
            let ranks = rank_with_ties(&scores);
            for (s, r) in scores.iter().zip(&ranks) {
                prop_assert_eq!(*r, 1 + scores.iter().filter(|o| *o > s).count() as i64);
            }
        }
    }
}
