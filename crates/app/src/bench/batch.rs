//! One batch of the generator: the rows of a few branches and the counters of the nodes it owns,
//! computed with the product's own rules (`Period::keys_of` for the periods a held activity counts
//! in, `dues::ledger::contribution` for what a sheet row adds to its nodes' totals).

use std::collections::BTreeMap;

use dangjian_domain::OrgKind;
use dangjian_store::bench::Rows;
use dangjian_store::dues::totals::Totals;

use super::tree::Tree;

/// Next ids of each table; rows carry explicit ids so that references need no round trip.
#[derive(Debug, Clone)]
pub struct Ids {
    pub member: i64,
    pub position: i64,
    pub activity: i64,
    pub base: i64,
    pub month: i64,
    pub entry: i64,
}

type CounterKey = (i64, String, &'static str);
/// A member's row of `points_member_totals`: group, branch path, points.
type MemberPoints = (Option<i64>, String, i64);

/// The rows of one batch, and the counters of the nodes it owns.
pub struct Batch<'t> {
    pub tree: &'t Tree,
    pub ids: Ids,
    pub members: Rows,
    pub positions: Rows,
    pub activities: Rows,
    pub attendees: Rows,
    pub dues_bases: Rows,
    pub dues_months: Rows,
    pub life_months: BTreeMap<(i64, String), [i64; 3]>,
    /// Held activities per (node, period, kind), and done-nodes per the same key.
    pub held: BTreeMap<CounterKey, (i64, i64)>,
    pub dues: BTreeMap<(i64, String), Totals>,
    pub points_entries: Rows,
    pub chain_heads: Rows,
    /// A member's points per (member, branch, period), with their group and branch path.
    pub points_members: BTreeMap<(i64, i64, String), MemberPoints>,
    /// A node's points per period (the entry's node and every ancestor).
    pub points_orgs: BTreeMap<(i64, String), i64>,
    /// The current branch's facts for the points ledger, booked when the branch is complete.
    pub facts: Vec<super::points::Fact>,
}

impl<'t> Batch<'t> {
    pub fn new(tree: &'t Tree, ids: Ids) -> Batch<'t> {
        Batch {
            tree,
            ids,
            members: Rows::new(
                "members",
                &[
                    "id",
                    "branch_id",
                    "group_id",
                    "name_initials",
                    "name",
                    "gender",
                    "ethnicity",
                    "birth_date",
                    "id_number",
                    "phone",
                    "education",
                    "category",
                    "joined_on",
                    "full_member_on",
                    "status",
                    "is_leading_cadre",
                    "created_at",
                    "updated_at",
                ],
            ),
            positions: Rows::new(
                "positions",
                &[
                    "id",
                    "org_id",
                    "member_id",
                    "position",
                    "started_on",
                    "obtained_by",
                    "term_ends_on",
                    "created_at",
                ],
            ),
            activities: Rows::new(
                "activities",
                &[
                    "id",
                    "org_id",
                    "kind",
                    "topic",
                    "starts_at",
                    "ends_at",
                    "held_on",
                    "place",
                    "host_member_id",
                    "speaker_member_id",
                    "status",
                    "needs_approval",
                    "created_by",
                    "published_at",
                    "checkin_secret",
                    "minutes",
                    "created_at",
                    "updated_at",
                ],
            ),
            attendees: Rows::new(
                "activity_attendees",
                &[
                    "activity_id",
                    "member_id",
                    "status",
                    "checked_in_at",
                    "check_in_method",
                    "make_up",
                ],
            ),
            dues_bases: Rows::new(
                "dues_bases",
                &[
                    "id",
                    "member_id",
                    "org_id",
                    "effective_from",
                    "category",
                    "base_fen",
                    "amount_fen",
                    "created_at",
                ],
            ),
            dues_months: Rows::new(
                "dues_months",
                &[
                    "id",
                    "member_id",
                    "branch_id",
                    "org_id",
                    "month",
                    "due_fen",
                    "paid_fen",
                    "status",
                    "paid_on",
                    "channel",
                    "arrears_streak",
                    "updated_at",
                ],
            ),
            life_months: BTreeMap::new(),
            held: BTreeMap::new(),
            dues: BTreeMap::new(),
            points_entries: super::points::entries_table(),
            chain_heads: Rows::new("points_chain_heads", &["branch_id", "seq", "head_hash"]),
            points_members: BTreeMap::new(),
            points_orgs: BTreeMap::new(),
            facts: Vec::new(),
        }
    }

    fn lineage(&self, org: i64) -> &[i64] {
        &self.tree.nodes[(org - 1) as usize].lineage
    }

    /// A sheet row's contribution to its node and every ancestor (as `dues::ledger` adds it).
    pub fn add_dues(&mut self, org: i64, month: &str, delta: Totals) {
        for node in self.lineage(org).to_vec() {
            let entry = self.dues.entry((node, month.to_string())).or_default();
            *entry = entry.plus(delta);
        }
    }

    /// An entry's points in a period, added to its node and every ancestor (as `points::append`).
    pub fn add_points(&mut self, org: i64, period: String, points: i64) {
        for node in self.lineage(org).to_vec() {
            *self.points_orgs.entry((node, period.clone())).or_default() += points;
        }
    }

    /// A held activity's month, quarter and year (as `activities::attendance::count_held` does).
    pub fn add_held(&mut self, org: i64, period: String, kind: &'static str) {
        self.held.entry((org, period, kind)).or_default().0 += 1;
    }

    /// One attendance outcome in the member's month: attended, excused or absent (index 0–2).
    pub fn add_outcome(&mut self, member: i64, month: String, outcome: usize) {
        self.life_months.entry((member, month)).or_default()[outcome] += 1;
    }

    /// Rolls each held key up to the node and its ancestors as a done-node.
    pub fn roll_up(&mut self) {
        let owners: Vec<CounterKey> = self
            .held
            .iter()
            .filter(|(_, (held, _))| *held > 0)
            .map(|(k, _)| k.clone())
            .collect();
        for (org, period, kind) in owners {
            for node in self.lineage(org).to_vec() {
                self.held.entry((node, period.clone(), kind)).or_default().1 += 1;
            }
        }
    }

    /// Moves the committees' counters (which later batches add to) into the running totals.
    pub fn take_committees(&mut self, into: &mut Batch<'_>) {
        let is_committee = |tree: &Tree, org: i64| {
            matches!(
                tree.nodes[(org - 1) as usize].kind,
                OrgKind::Committee | OrgKind::GeneralBranch
            )
        };
        let held = std::mem::take(&mut self.held);
        for (key, (h, d)) in held {
            if is_committee(self.tree, key.0) {
                let entry = into.held.entry(key).or_default();
                entry.0 += h;
                entry.1 += d;
            } else {
                self.held.insert(key, (h, d));
            }
        }
        let dues = std::mem::take(&mut self.dues);
        for (key, totals) in dues {
            if is_committee(self.tree, key.0) {
                let entry = into.dues.entry(key).or_default();
                *entry = entry.plus(totals);
            } else {
                self.dues.insert(key, totals);
            }
        }
        let points = std::mem::take(&mut self.points_orgs);
        for (key, sum) in points {
            if is_committee(self.tree, key.0) {
                *into.points_orgs.entry(key).or_default() += sum;
            } else {
                self.points_orgs.insert(key, sum);
            }
        }
    }

    /// Every table's rows of the batch, counters included.
    pub fn tables(&self) -> Vec<Rows> {
        let mut counters = Rows::new(
            "activity_counters",
            &["org_id", "period", "kind", "held", "nodes_done"],
        );
        for ((org, period, kind), (held, done)) in &self.held {
            counters.push(vec![
                (*org).into(),
                period.clone().into(),
                (*kind).into(),
                (*held).into(),
                (*done).into(),
            ]);
        }
        let mut totals = Rows::new(
            "dues_totals",
            &[
                "org_id",
                "month",
                "members",
                "due_fen",
                "collected_fen",
                "settled",
                "partial",
                "warned",
                "flagged",
            ],
        );
        for ((org, month), t) in &self.dues {
            totals.push(vec![
                (*org).into(),
                month.clone().into(),
                t.members.into(),
                t.due_fen.into(),
                t.collected_fen.into(),
                t.settled.into(),
                t.partial.into(),
                t.warned.into(),
                t.flagged.into(),
            ]);
        }
        let mut life = Rows::new(
            "member_life_months",
            &["member_id", "month", "attended", "excused", "absent"],
        );
        for ((member, month), [a, e, x]) in &self.life_months {
            life.push(vec![
                (*member).into(),
                month.clone().into(),
                (*a).into(),
                (*e).into(),
                (*x).into(),
            ]);
        }
        let mut member_points = Rows::new(
            "points_member_totals",
            &[
                "member_id",
                "branch_id",
                "period",
                "group_id",
                "branch_path",
                "points",
            ],
        );
        for ((member, branch, period), (group, path, points)) in &self.points_members {
            member_points.push(vec![
                (*member).into(),
                (*branch).into(),
                period.clone().into(),
                (*group).into(),
                path.clone().into(),
                (*points).into(),
            ]);
        }
        let mut org_points = Rows::new("points_org_totals", &["org_id", "period", "points"]);
        for ((org, period), points) in &self.points_orgs {
            org_points.push(vec![(*org).into(), period.clone().into(), (*points).into()]);
        }
        vec![
            self.members.clone(),
            self.positions.clone(),
            self.dues_bases.clone(),
            self.dues_months.clone(),
            self.activities.clone(),
            self.attendees.clone(),
            counters,
            totals,
            life,
            self.points_entries.clone(),
            self.chain_heads.clone(),
            member_points,
            org_points,
        ]
    }
}
