//! Recomputing each branch's hash chain: the first broken link, if any.

use dangjian_domain::OrgId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::chain::ChainWalk;
use dangjian_domain::points::{ChainFields, entry_hash};
use dangjian_store::SubtreeRange;
use dangjian_store::points::ledger;
use serde::Serialize;

use crate::{Actor, App, AppResult, orgs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BrokenLink {
    pub branch_id: i64,
    pub seq: i64,
    pub entry_id: Option<i64>,
    pub problem: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    pub branches: i64,
    pub entries: i64,
    pub ok: bool,
    pub first_broken: Option<BrokenLink>,
}

/// Whether the caller may verify every chain of the installation (the points hub links to it).
pub fn may_verify_all(actor: &Actor) -> bool {
    actor.grant.permits(Action::ViewAudit, Scope::Installation)
}

/// Verifies the chains of the branches under a node (all when `None`), as an auditor may.
pub async fn verify(app: &App, actor: &Actor, node: Option<OrgId>) -> AppResult<VerifyReport> {
    let range = match node {
        Some(id) => {
            let (_, path) = orgs::load(app, id).await?;
            actor.authorize(Action::ViewAudit, Scope::Org(&path))?;
            Some(SubtreeRange::of(&path))
        }
        None => {
            actor.authorize(Action::ViewAudit, Scope::Installation)?;
            None
        }
    };
    verify_range(app, range.as_ref()).await
}

/// The check itself, for the command line (an operator with database access).
pub async fn verify_range(app: &App, range: Option<&SubtreeRange>) -> AppResult<VerifyReport> {
    let mut handle = app.store.acquire().await?;
    let heads = ledger::heads(handle.conn(), range).await?;
    let mut report = VerifyReport {
        branches: heads.len() as i64,
        entries: 0,
        ok: true,
        first_broken: None,
    };
    'branches: for (branch_id, head_seq, head_hash) in heads {
        let mut walk = ChainWalk::default();
        loop {
            let page = ledger::chain_page(handle.conn(), branch_id, walk.seq(), 1000).await?;
            if page.is_empty() {
                break;
            }
            for e in page {
                report.entries += 1;
                let checked = walk.step(e.seq, &e.prev_hash, &e.hash, || {
                    entry_hash(&ChainFields {
                        branch_id: e.branch_id,
                        seq: e.seq,
                        member_id: e.member_id,
                        item_code: &e.item_code,
                        points: e.points,
                        reason: &e.reason,
                        source_key: &e.source_key,
                        reverses_entry_id: e.reverses_entry_id,
                        proposed_by: &e.proposed_by,
                        approved_by: &e.approved_by,
                        occurred_on: &e.occurred_on,
                        recorded_at: e.recorded_at,
                        prev_hash: &e.prev_hash,
                    })
                });
                if let Err(problem) = checked {
                    report.ok = false;
                    report.first_broken = Some(BrokenLink {
                        branch_id,
                        seq: problem.seq(),
                        entry_id: Some(e.id),
                        problem: problem.message(&format!("记录（#{}）", e.id)),
                    });
                    break 'branches;
                }
            }
        }
        if let Err(problem) = walk.finish(head_seq, &head_hash) {
            report.ok = false;
            report.first_broken = Some(BrokenLink {
                branch_id,
                seq: problem.seq(),
                entry_id: None,
                problem: problem.message("记录"),
            });
            break;
        }
    }
    Ok(report)
}
