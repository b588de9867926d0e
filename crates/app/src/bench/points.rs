//! The points ledger of a synthetic branch: the automatic entries the ledger's consumer would book
//! for the year's facts (attendance, absence without leave, dues paid on time, months ended
//! owing), under the default rulebook, each with its event's source key, chained per branch with
//! the ledger's own hash (`domain::points::entry_hash`), and the maintained totals computed from
//! the same entries (`Period::keys_of`, the member's row and every ancestor of the node, as
//! `points::append` does). No domain events are written: the entries stand for their booking, and
//! the UNIQUE source keys mean a replay of such events would award nothing twice.

use std::collections::HashMap;

use dangjian_domain::activity::Period;
use dangjian_domain::events::{EventKind, source_key};
use dangjian_domain::points::{
    ChainFields, GENESIS, Points, RuleItem, Trigger, capped_award, default_items, entry_hash,
};
use dangjian_store::bench::{Rows, Val};
use jiff::civil::Date;

use super::generate::Batch;

/// A fact the ledger books: who, what, where the fact lives (`activity`/`dues` and its id), when.
pub struct Fact {
    pub member: i64,
    pub group: Option<i64>,
    pub kind: EventKind,
    pub entity: &'static str,
    pub entity_id: String,
    pub on: Date,
    pub recorded_at: i64,
}

/// The default rulebook's automatic items, by the event that triggers them.
pub struct AutoItems(HashMap<EventKind, RuleItem>);

impl AutoItems {
    pub fn new() -> AutoItems {
        AutoItems(
            default_items()
                .into_iter()
                .filter(|i| i.enabled && i.points != Points::ZERO)
                .filter_map(|i| match i.trigger {
                    Trigger::Event(kind) => Some((kind, i)),
                    Trigger::Manual => None,
                })
                .collect(),
        )
    }
}

pub fn entries_table() -> Rows {
    Rows::new(
        "points_entries",
        &[
            "id",
            "branch_id",
            "seq",
            "member_id",
            "org_id",
            "item_code",
            "item_name",
            "rule_version_id",
            "points",
            "reason",
            "source_key",
            "reverses_entry_id",
            "proposed_by",
            "approved_by",
            "occurred_on",
            "recorded_at",
            "prev_hash",
            "hash",
        ],
    )
}

/// Books a branch's facts in the order they happened: one chain, its head, and the totals.
pub fn book_branch(batch: &mut Batch, branch: i64, mut facts: Vec<Fact>, items: &AutoItems) {
    facts.sort_by(|a, b| {
        (a.on, a.recorded_at, a.member, a.kind.code()).cmp(&(
            b.on,
            b.recorded_at,
            b.member,
            b.kind.code(),
        ))
    });
    let branch_path = batch.tree.nodes[(branch - 1) as usize].path.clone();
    let mut used: HashMap<(i64, String, String), i64> = HashMap::new();
    let mut prev = GENESIS.to_string();
    let mut seq = 0;
    for fact in facts {
        let Some(item) = items.0.get(&fact.kind) else {
            continue;
        };
        let cap_key = item.cap_key(fact.on);
        let used = used
            .entry((fact.member, item.code.clone(), cap_key))
            .or_default();
        let awarded = capped_award(item.points, Points(*used), item.cap).0;
        *used += awarded;
        let reason = if awarded == item.points.0 {
            format!("{}（{}）", item.name, fact.kind.label())
        } else {
            let period = Period::containing(fact.on, item.cap_period);
            format!("{}（已达{}上限）", item.name, period.label())
        };
        let key = source_key(fact.entity, &fact.entity_id, fact.member, fact.kind);
        let occurred_on = fact.on.to_string();
        seq += 1;
        let hash = entry_hash(&ChainFields {
            branch_id: branch,
            seq,
            member_id: fact.member,
            item_code: &item.code,
            points: awarded,
            reason: &reason,
            source_key: &key,
            reverses_entry_id: None,
            proposed_by: "",
            approved_by: "系统",
            occurred_on: &occurred_on,
            recorded_at: fact.recorded_at,
            prev_hash: &prev,
        });
        let id = batch.ids.entry;
        batch.ids.entry += 1;
        let node = fact.group.unwrap_or(branch);
        batch.points_entries.push(vec![
            id.into(),
            branch.into(),
            seq.into(),
            fact.member.into(),
            node.into(),
            item.code.clone().into(),
            item.name.clone().into(),
            Val::NullInt,
            awarded.into(),
            reason.into(),
            key.into(),
            Val::NullInt,
            "".into(),
            "系统".into(),
            occurred_on.into(),
            fact.recorded_at.into(),
            std::mem::take(&mut prev).into(),
            hash.clone().into(),
        ]);
        prev = hash;
        if awarded != 0 {
            for period in Period::keys_of(fact.on) {
                let member = batch
                    .points_members
                    .entry((fact.member, branch, period.clone()))
                    .or_insert_with(|| (fact.group, branch_path.clone(), 0));
                member.2 += awarded;
                batch.add_points(node, period, awarded);
            }
        }
    }
    if seq > 0 {
        batch
            .chain_heads
            .push(vec![branch.into(), seq.into(), prev.into()]);
    }
}
