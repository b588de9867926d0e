//! Points (积分管理, issue #5): rulebooks, the ledger and its consumer of domain events, manual
//! proposals, the points card, leaderboards, bulletins and chain verification.
//!
//! Every entry goes through [`append`]: it takes the branch's chain head lock, computes the hash,
//! appends, and adds the points to the maintained totals, all in the caller's transaction.

pub mod assessment;
pub mod awards;
pub mod bulletin;
pub mod consume;
pub mod evaluation;
pub mod node_page;
pub mod proposals;
pub mod rulebook;
pub mod verify;
pub mod views;

use dangjian_domain::activity::Period;
use dangjian_domain::points::{ChainFields, GENESIS, entry_hash};
use dangjian_domain::{OrgId, OrgPath};
use dangjian_store::points::ledger::{self, EntryRow};
use dangjian_store::points::totals;
use dangjian_store::{Conn, Tx, members, orgs};
use jiff::civil::Date;

use crate::{AppError, AppResult};

/// Where a member sits: their branch and group, with paths.
#[derive(Debug, Clone)]
pub struct Placement {
    pub member_id: i64,
    pub name: String,
    pub status: String,
    pub branch_id: i64,
    pub branch_path: OrgPath,
    pub group_id: Option<i64>,
    /// The group's path, else the branch's: where rules are looked up and sums booked.
    pub node_path: OrgPath,
}

pub(crate) async fn placement(mut conn: Conn<'_>, member_id: i64) -> AppResult<Placement> {
    let member = members::member_by_id(conn.reborrow(), member_id)
        .await?
        .ok_or(AppError::NotFound("党员"))?;
    let path_of = |row: Option<orgs::OrgRow>| {
        row.and_then(|r| OrgPath::parse(&r.path))
            .ok_or(AppError::NotFound("组织"))
    };
    let branch_path = path_of(orgs::org_by_id(conn.reborrow(), member.branch_id).await?)?;
    let node_path = match member.group_id {
        Some(g) => path_of(orgs::org_by_id(conn.reborrow(), g).await?)?,
        None => branch_path.clone(),
    };
    Ok(Placement {
        member_id,
        name: member.name,
        status: member.status,
        branch_id: member.branch_id,
        branch_path,
        group_id: member.group_id,
        node_path,
    })
}

/// An entry to append; the ledger fills in seq and hashes.
pub(crate) struct NewEntry<'a> {
    pub placement: &'a Placement,
    pub item_code: &'a str,
    pub item_name: &'a str,
    pub rule_version_id: Option<i64>,
    pub points: i64,
    pub reason: &'a str,
    pub source_key: &'a str,
    pub reverses_entry_id: Option<i64>,
    pub proposed_by: &'a str,
    pub approved_by: &'a str,
    pub occurred_on: Date,
}

/// Appends to the member's branch chain and updates the totals; returns the entry's id.
pub(crate) async fn append(tx: &mut Tx, new: &NewEntry<'_>) -> AppResult<i64> {
    let p = new.placement;
    let (seq, prev) = ledger::lock_head(tx.conn(), p.branch_id, GENESIS).await?;
    let occurred_on = new.occurred_on.to_string();
    let recorded_at = tx.now_micros();
    let fields = ChainFields {
        branch_id: p.branch_id,
        seq: seq + 1,
        member_id: p.member_id,
        item_code: new.item_code,
        points: new.points,
        reason: new.reason,
        source_key: new.source_key,
        reverses_entry_id: new.reverses_entry_id,
        proposed_by: new.proposed_by,
        approved_by: new.approved_by,
        occurred_on: &occurred_on,
        recorded_at,
        prev_hash: &prev,
    };
    let hash = entry_hash(&fields);
    let row = EntryRow {
        id: 0,
        branch_id: p.branch_id,
        seq: seq + 1,
        member_id: p.member_id,
        org_id: p
            .node_path
            .ids()
            .last()
            .map(|OrgId(id)| *id)
            .unwrap_or(p.branch_id),
        item_code: new.item_code.into(),
        item_name: new.item_name.into(),
        rule_version_id: new.rule_version_id,
        points: new.points,
        reason: new.reason.into(),
        source_key: new.source_key.into(),
        reverses_entry_id: new.reverses_entry_id,
        proposed_by: new.proposed_by.into(),
        approved_by: new.approved_by.into(),
        occurred_on,
        recorded_at,
        prev_hash: prev,
        hash,
    };
    let id = ledger::append(tx.conn(), &row).await?;
    if new.points != 0 {
        let ancestors: Vec<i64> = p.node_path.ids().iter().map(|OrgId(id)| *id).collect();
        for key in Period::keys_of(new.occurred_on) {
            totals::bump_member(
                tx.conn(),
                p.member_id,
                p.branch_id,
                p.group_id,
                p.branch_path.as_str(),
                &key,
                new.points,
            )
            .await?;
            totals::bump_orgs(tx.conn(), &ancestors, &key, new.points).await?;
        }
    }
    Ok(id)
}

/// A period from a query (`2026-Q1`, `2026-03`, `2026`), this year when empty.
pub(crate) fn period_or_year(text: Option<&str>, today: jiff::civil::Date) -> AppResult<Period> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Period::Year(today.year())),
        Some(t) => Period::parse(t).ok_or_else(|| {
            AppError::invalid("period", "期间格式不正确，例如 2026、2026-Q1 或 2026-03")
        }),
    }
}
