//! A branch's year of organizational life (支部条例 art. 19–22 defaults): a theme party day and,
//! with a committee, a committee meeting every month; a meeting of each group every month; a
//! branch assembly and a party lecture (the secretary speaking) every quarter; the organizational
//! life meeting in January. Each is held with a probability of 93–97%, so compliance pages have
//! gaps to show; attendance is 88% present, 6% on leave, 6% absent.

use dangjian_domain::activity::{ActivityKind, Attendance, Period};
use dangjian_domain::events::EventKind;
use dangjian_store::bench::Val;
use jiff::civil::date;

use super::generate::{ADMIN_ACCOUNT, Batch};
use super::people::{Person, committee};
use super::points::Fact;
use super::{CREATED_AT, china_micros, mix, months, pick};

/// One planned meeting: its node, kind, day of the month, and who should attend (roster indexes).
struct Plan {
    org: i64,
    kind: ActivityKind,
    day: i8,
    attendees: Vec<usize>,
    /// Held with this probability, in percent.
    chance: u64,
}

pub fn branch_year(batch: &mut Batch, branch: i64, groups: &[i64], people: &[Person]) {
    let everyone: Vec<usize> = (0..people.len()).collect();
    let posts = committee(people).len();
    for (i, (year, month)) in months().enumerate() {
        let mut plans = vec![Plan {
            org: branch,
            kind: ActivityKind::ThemeDay,
            day: 10,
            attendees: everyone.clone(),
            chance: 97,
        }];
        if posts > 1 {
            plans.push(Plan {
                org: branch,
                kind: ActivityKind::CommitteeMeeting,
                day: 5,
                attendees: (0..posts).collect(),
                chance: 95,
            });
        }
        for group in groups {
            plans.push(Plan {
                org: *group,
                kind: ActivityKind::GroupMeeting,
                day: 15,
                attendees: everyone
                    .iter()
                    .copied()
                    .filter(|k| people[*k].group == Some(*group))
                    .collect(),
                chance: 93,
            });
        }
        if month % 3 == 0 {
            for (kind, day) in [
                (ActivityKind::BranchAssembly, 20),
                (ActivityKind::PartyLecture, 25),
            ] {
                plans.push(Plan {
                    org: branch,
                    kind,
                    day,
                    attendees: everyone.clone(),
                    chance: 95,
                });
            }
        }
        if month == 1 {
            plans.push(Plan {
                org: branch,
                kind: ActivityKind::LifeMeeting,
                day: 18,
                attendees: everyone.clone(),
                chance: 95,
            });
        }
        for plan in plans {
            let roll = pick(100, &[10, plan.org as u64, i as u64, plan.kind as u64]);
            if roll < plan.chance {
                hold(batch, &plan, people, (year, month));
            }
        }
    }
}

fn hold(batch: &mut Batch, plan: &Plan, people: &[Person], (year, month): (i16, i8)) {
    let id = batch.ids.activity;
    batch.ids.activity += 1;
    let day = date(year, month, plan.day);
    let starts = china_micros(day, 14, 30);
    let secretary = people.first().map(|p| p.id);
    let speaker = (plan.kind == ActivityKind::PartyLecture)
        .then_some(secretary)
        .flatten();
    batch.activities.push(vec![
        id.into(),
        plan.org.into(),
        plan.kind.code().into(),
        format!("{}年{}月{}", year, month, plan.kind.label()).into(),
        starts.into(),
        (starts + 7_200_000_000).into(),
        day.to_string().into(),
        "党员活动室".into(),
        Val::from(secretary),
        Val::from(speaker),
        "minuted".into(),
        Val::Bool(false),
        ADMIN_ACCOUNT.into(),
        (starts - 3 * 86_400_000_000).into(),
        format!(
            "{:016x}{:016x}",
            mix(&[11, id as u64]),
            mix(&[12, id as u64])
        )
        .into(),
        "会议按议程进行，记录从略。".into(),
        CREATED_AT.into(),
        CREATED_AT.into(),
    ]);
    for key in Period::keys_of(day) {
        batch.add_held(plan.org, key, plan.kind.code());
    }
    let month_key = format!("{year:04}-{month:02}");
    for k in &plan.attendees {
        let member = people[*k].id;
        let (status, outcome) = match pick(100, &[13, id as u64, member as u64]) {
            0..88 => (Attendance::Present, 0),
            88..94 => (Attendance::Leave, 1),
            _ => (Attendance::Absent, 2),
        };
        let present = status == Attendance::Present;
        let kind = match outcome {
            0 => EventKind::Attended,
            1 => EventKind::OnLeave,
            _ => EventKind::AbsentWithoutLeave,
        };
        batch.facts.push(Fact {
            member,
            group: people[*k].group,
            kind,
            entity: "activity",
            entity_id: id.to_string(),
            on: day,
            recorded_at: starts + 7_200_000_000,
        });
        batch.attendees.push(vec![
            id.into(),
            member.into(),
            status.code().into(),
            Val::from(present.then_some(starts + 60_000_000)),
            (if present { "qr" } else { "" }).into(),
            (if present { "" } else { "assigned" }).into(),
        ]);
        batch.add_outcome(member, month_key.clone(), outcome);
    }
}
