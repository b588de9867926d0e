//! The health-check rules themselves, one small function per rule of RULES.md "Organization".

use super::*;

/// Every finding for one branch on `today`, problems and warnings mixed, in a fixed order
/// (setup, size, committee, positions, groups, term).
pub fn check_branch(facts: &BranchFacts, today: Date) -> Vec<Finding> {
    let mut findings = Vec::new();
    setup(facts, &mut findings);
    size(facts, &mut findings);
    committee(facts, &mut findings);
    vacancies(facts, &mut findings);
    groups(facts, &mut findings);
    term(facts, today, &mut findings);
    findings
}

/// Every finding for one Party group.
pub fn check_group(facts: &GroupFacts) -> Vec<Finding> {
    if facts.has_leader {
        return Vec::new();
    }
    vec![Finding::new(
        "group_without_leader",
        Severity::Problem,
        "党小组未设党小组组长".to_string(),
        RULE_GROUPS,
    )]
}

/// A branch of fewer than 3 full members should be a joint branch. Temporary branches are exempt:
/// they are set up for a task of limited duration, hold nobody's organizational relation (they do
/// not admit members, collect dues or handle transfers, RULES.md), and their members still belong
/// to, and are counted by, their own branches.
fn setup(facts: &BranchFacts, findings: &mut Vec<Finding>) {
    if !facts.is_joint && !facts.is_temporary && facts.full_members < MIN_FULL_MEMBERS_FOR_BRANCH {
        findings.push(Finding::new(
            "too_few_full_members",
            Severity::Problem,
            format!(
                "正式党员仅 {} 人，不足 3 人，应与邻近单位联合成立联合党支部",
                facts.full_members
            ),
            RULE_SETUP,
        ));
    }
    if let Some(units) = facts.units_in_joint
        && facts.is_joint
        && units > MAX_UNITS_IN_JOINT_BRANCH
    {
        findings.push(Finding::new(
            "joint_too_many_units",
            Severity::Warning,
            format!("联合党支部覆盖 {units} 个单位，一般不超过 5 个，可考虑分设"),
            RULE_JOINT_UNITS,
        ));
    }
}

/// Over 50 members: split the branch, or with approval set up a general branch (over 50) or a
/// grassroots committee (over 100). A warning, as the text says "一般".
fn size(facts: &BranchFacts, findings: &mut Vec<Finding>) {
    let total = facts.full_members + facts.probationary_members;
    if total <= MAX_BRANCH_MEMBERS {
        return;
    }
    let upgrade = if total > GRASSROOTS_COMMITTEE_ABOVE {
        "，或经上级党组织批准设立基层党委"
    } else if total > GENERAL_BRANCH_ABOVE {
        "，或经上级党组织批准设立党总支"
    } else {
        ""
    };
    findings.push(Finding::new(
        "too_many_members",
        Severity::Warning,
        format!("党员 {total} 人，超过 50 人：可拆分党支部{upgrade}"),
        RULE_SIZE,
    ));
}

fn committee(facts: &BranchFacts, findings: &mut Vec<Finding>) {
    if facts.full_members >= COMMITTEE_THRESHOLD_FULL_MEMBERS && !facts.has_committee {
        findings.push(Finding::new(
            "committee_missing",
            Severity::Problem,
            format!(
                "正式党员 {} 人（7 人以上），应当设立支部委员会",
                facts.full_members
            ),
            RULE_COMMITTEE,
        ));
    }
    let Some(seats) = facts.committee_size.filter(|_| facts.has_committee) else {
        return;
    };
    if seats < *BRANCH_COMMITTEE_SIZE.start() {
        findings.push(Finding::new(
            "committee_too_small",
            Severity::Problem,
            format!("支部委员会现有 {seats} 人，应由 3 至 5 人组成"),
            RULE_COMMITTEE,
        ));
    } else if seats > MAX_BRANCH_COMMITTEE_SIZE {
        findings.push(Finding::new(
            "committee_too_large",
            Severity::Warning,
            format!("支部委员会现有 {seats} 人，一般不超过 7 人"),
            RULE_COMMITTEE,
        ));
    }
}

/// Every branch has a secretary; a committee also has its organization, publicity and
/// discipline members. The deputy secretary is "where needed", so never reported vacant.
fn vacancies(facts: &BranchFacts, findings: &mut Vec<Finding>) {
    let vacant = |position| !facts.positions.contains(&position);
    if vacant(Position::Secretary) {
        let rule = if facts.has_committee {
            RULE_POSITIONS
        } else {
            RULE_SECRETARY
        };
        findings.push(Finding::new(
            "vacant_secretary",
            Severity::Problem,
            "书记空缺".to_string(),
            rule,
        ));
    }
    if !facts.has_committee {
        return;
    }
    for (position, code) in [
        (Position::OrganizationMember, "vacant_organization_member"),
        (Position::PublicityMember, "vacant_publicity_member"),
        (Position::DisciplineMember, "vacant_discipline_member"),
    ] {
        if vacant(position) {
            findings.push(Finding::new(
                code,
                Severity::Problem,
                format!("支部委员会{}空缺", position.label()),
                RULE_POSITIONS,
            ));
        }
    }
}

/// Once a branch has groups, a member in none of them misses group life (党章 art. 8).
fn groups(facts: &BranchFacts, findings: &mut Vec<Finding>) {
    if facts.has_groups && facts.members_without_group > 0 {
        findings.push(Finding::new(
            "members_without_group",
            Severity::Problem,
            format!("{} 名党员未编入党小组", facts.members_without_group),
            RULE_MEMBERSHIP,
        ));
    }
}

fn term(facts: &BranchFacts, today: Date, findings: &mut Vec<Finding>) {
    let Some(end) = facts.term_end else {
        return;
    };
    match term_state(end, today) {
        TermState::Current => {}
        TermState::EndingSoon { end } => findings.push(Finding::new(
            "term_ending_soon",
            Severity::Warning,
            format!("任期将于 {end} 届满，请提前做好换届准备"),
            RULE_TERM,
        )),
        TermState::Expired { end } => findings.push(Finding::new(
            "term_expired",
            Severity::Problem,
            format!("任期已于 {end} 届满，应当按期换届；如需延期须报上级党组织批准"),
            RULE_TERM,
        )),
    }
}
