//! Synthetic members of one branch: roster rows, positions, and their dues year. Names and ID
//! numbers follow the demo's `person` approach (surname × given name, a valid ID number completed
//! with its check character by `IdNumber::from_body`).

use dangjian_domain::dues::collection::next_streak;
use dangjian_domain::dues::{DuesCategory, Fen, MonthStatus};
use dangjian_domain::dues::{DuesSettings, monthly_dues};
use dangjian_domain::events::EventKind;
use dangjian_domain::id_number::IdNumber;
use dangjian_domain::pinyin_initials::initials;
use dangjian_domain::structure::Position;
use dangjian_store::bench::Val;
use dangjian_store::dues::sheet::MonthRow;
use jiff::ToSpan;
use jiff::civil::{Date, date};

use super::generate::Batch;
use super::points::Fact;
use super::{CREATED_AT, china_micros, months, pick};
use crate::dues::ledger::contribution;

const SURNAMES: [&str; 20] = [
    "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑",
];
const GIVEN: [&str; 24] = [
    "强", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "华", "平", "辉",
    "建国", "红梅", "志强", "秀英", "海燕", "国庆", "丽华", "文博",
];
/// Districts of Shaanxi the ID numbers come from; 9,000 birth dates × 1,000 sequence numbers each.
const REGIONS: [&str; 8] = [
    "610502", "610102", "610103", "610104", "610111", "610112", "610113", "610302",
];

/// The n-th synthetic person: name, valid ID number, phone and birth date. Unique for n < 72 million.
pub fn person(n: u64) -> (String, String, String, Date) {
    let name = format!(
        "{}{}",
        SURNAMES[(n % 20) as usize],
        GIVEN[((n / 20 + n * 7) % 24) as usize]
    );
    let birth = date(1960, 1, 1).saturating_add(((n % 9000) as i64).days());
    let sequence = (n / 9000) % 1000;
    let region = REGIONS[((n / 9_000_000) % 8) as usize];
    let body = format!("{region}{}{sequence:03}", birth.strftime("%Y%m%d"));
    let id = IdNumber::from_body(&body)
        .map(|id| id.as_str().to_string())
        .unwrap_or_default();
    (name, id, format!("13{:09}", n), birth)
}

/// One synthetic member as the activities need them.
pub struct Person {
    pub id: i64,
    pub group: Option<i64>,
    pub full: bool,
}

/// Writes a branch's members and positions into the batch; returns them in roster order.
pub fn members(batch: &mut Batch, branch: i64, groups: &[i64], count: u64) -> Vec<Person> {
    let mut people = Vec::new();
    for k in 0..count {
        let id = batch.ids.member;
        batch.ids.member += 1;
        let n = id as u64;
        let (name, id_number, phone, birth) = person(n);
        let gender = IdNumber::parse(&id_number)
            .map(|i| i.gender().code())
            .unwrap_or("male");
        let full = pick(100, &[3, n]) >= 5;
        let joined = birth.saturating_add((23 + pick(15, &[4, n]) as i64).years());
        let joined = if full {
            joined.min(date(2024, 6, 1))
        } else {
            date(2025, 9, 1)
        };
        let group = (!groups.is_empty()).then(|| groups[(k as usize) % groups.len()]);
        batch.members.push(vec![
            id.into(),
            branch.into(),
            group.into(),
            Val::Text(initials(&name)),
            name.into(),
            gender.into(),
            "01".into(),
            birth.to_string().into(),
            id_number.into(),
            phone.into(),
            "bachelor".into(),
            (if full { "full" } else { "probationary" }).into(),
            joined.to_string().into(),
            Val::from(full.then(|| joined.saturating_add(1.year()).to_string())),
            "normal".into(),
            (pick(100, &[5, n]) < 3).into(),
            CREATED_AT.into(),
            CREATED_AT.into(),
        ]);
        people.push(Person { id, group, full });
    }
    positions(batch, branch, groups, &people);
    people
}

/// The branch committee (支部条例: 7 or more full members elect one; else a secretary alone) and
/// a leader for each group. Returns nothing: the committee is the first members in roster order.
fn positions(batch: &mut Batch, branch: i64, groups: &[i64], people: &[Person]) {
    let add = |batch: &mut Batch, org: i64, member: i64, position: Position| {
        let id = batch.ids.position;
        batch.ids.position += 1;
        batch.positions.push(vec![
            id.into(),
            org.into(),
            member.into(),
            position.code().into(),
            "2024-01-01".into(),
            "election".into(),
            "2027-01-01".into(),
            CREATED_AT.into(),
        ]);
    };
    for (k, position) in committee(people).iter().enumerate() {
        add(batch, branch, people[k].id, *position);
    }
    for (g, group) in groups.iter().enumerate() {
        if let Some(p) = people.get(g) {
            add(batch, *group, p.id, Position::GroupLeader);
        }
    }
}

/// The committee positions of a branch, held by its first members.
pub fn committee(people: &[Person]) -> Vec<Position> {
    let full = people.iter().filter(|p| p.full).count();
    let mut posts = vec![Position::Secretary];
    if full >= 7 {
        posts.extend([
            Position::OrganizationMember,
            Position::PublicityMember,
            Position::DisciplineMember,
        ]);
        if people.len() >= 20 {
            posts.push(Position::DeputySecretary);
        }
    }
    posts
}

/// The member's dues category and monthly base (fen), by the assumed shares of docs/performance.md.
fn dues_profile(n: u64) -> (DuesCategory, Option<Fen>) {
    match pick(100, &[6, n]) {
        0..70 => (
            DuesCategory::Employed,
            Some(Fen((2_500 + pick(12_000, &[7, n]) as i64) * 100)),
        ),
        70..88 => (
            DuesCategory::Retired,
            Some(Fen((2_000 + pick(6_000, &[7, n]) as i64) * 100)),
        ),
        88..94 => (DuesCategory::Farmer, None),
        94..97 => (DuesCategory::Student, None),
        _ => (DuesCategory::NoFixedIncome, None),
    }
}

/// A member's dues year: the base assessed in November 2025 and twelve sheet rows. Most pay each
/// month in full; 2% never pay (their streak reaches the warning and the case), the rest miss or
/// underpay now and then; the last month is still being collected.
pub fn dues_year(batch: &mut Batch, person: &Person, branch: i64) {
    let n = person.id as u64;
    let (category, base) = dues_profile(n);
    let amount = monthly_dues(category, base, &DuesSettings::default())
        .map(|a| a.amount.0)
        .unwrap_or(20);
    let org = person.group.unwrap_or(branch);
    let base_id = batch.ids.base;
    batch.ids.base += 1;
    batch.dues_bases.push(vec![
        base_id.into(),
        person.id.into(),
        org.into(),
        "2025-11".into(),
        category.code().into(),
        Val::from(base.map(|b| b.0)),
        amount.into(),
        CREATED_AT.into(),
    ]);
    let never_pays = pick(100, &[8, n]) < 2;
    let mut streak = 0;
    for (i, (year, month)) in months().enumerate() {
        let roll = pick(100, &[9, n, i as u64]);
        let last = i == 11;
        let paid = match () {
            _ if never_pays => 0,
            _ if last && roll >= 80 => 0,
            _ if roll < 95 => amount,
            _ if roll < 97 => amount / 2,
            _ => 0,
        };
        let status = MonthStatus::from_amounts(Fen(amount), Fen(paid));
        streak = next_streak(streak, status);
        let id = batch.ids.month;
        batch.ids.month += 1;
        let row = MonthRow {
            id,
            member_id: person.id,
            branch_id: branch,
            org_id: org,
            month: format!("{year:04}-{month:02}"),
            due_fen: amount,
            paid_fen: paid,
            status: status.code().into(),
            paid_on: (paid > 0).then(|| format!("{year:04}-{month:02}-15")),
            channel: if paid > 0 {
                "线上".into()
            } else {
                String::new()
            },
            receipt_no: String::new(),
            arrears_streak: streak,
        };
        batch.add_dues(org, &row.month, contribution(&row));
        // The month's dues event (`dues::ledger::record_dues_event`): paid in full on the 15th is
        // on time; a month that ended owing is in arrears, except the last, still being collected.
        let kind = match status {
            MonthStatus::Paid => Some(EventKind::DuesPaidOnTime),
            MonthStatus::Exempt => None,
            _ if last => None,
            MonthStatus::Unpaid | MonthStatus::Partial => Some(EventKind::DuesInArrears),
        };
        if let Some(kind) = kind {
            let end = date(year, month, 1).last_of_month();
            batch.facts.push(Fact {
                member: person.id,
                group: person.group,
                kind,
                entity: "dues",
                entity_id: row.month.clone(),
                on: end,
                recorded_at: china_micros(end, 23, 0),
            });
        }
        batch.dues_months.push(vec![
            row.id.into(),
            row.member_id.into(),
            row.branch_id.into(),
            row.org_id.into(),
            row.month.into(),
            row.due_fen.into(),
            row.paid_fen.into(),
            row.status.into(),
            row.paid_on.into(),
            row.channel.into(),
            row.arrears_streak.into(),
            CREATED_AT.into(),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_people_have_valid_distinct_id_numbers() {
        let mut seen = std::collections::HashSet::new();
        for n in (0..200_000u64)
            .step_by(7)
            .chain([8_999_999, 9_000_000, 71_999_999])
        {
            let (_, id, _, _) = person(n);
            assert!(IdNumber::parse(&id).is_ok(), "{n}: {id}");
            assert!(seen.insert(id), "{n}");
        }
    }
}
