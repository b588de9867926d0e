//! Writing and browsing the audit log.

use dangjian_domain::AuditId;
use dangjian_domain::OrgId;
use dangjian_domain::access::Action;
pub use dangjian_domain::audit::{AuditAction, AuditEntity, action_label, entity_label};
use dangjian_store::audit::{self, AuditFilter, AuditRow, NewAuditEntry};
use dangjian_store::{StoreError, Tx};

use crate::{Actor, App, AppResult, Page, PageParams, RequestContext};

/// One audit entry as a use case describes it; the actor, time and origin are filled in.
pub struct Entry {
    pub action: AuditAction,
    pub entity_type: AuditEntity,
    pub entity_id: Option<String>,
    pub org_id: Option<OrgId>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Entry {
    pub fn new(
        action: AuditAction,
        entity_type: AuditEntity,
        entity_id: impl ToString,
        summary: impl Into<String>,
    ) -> Self {
        Entry {
            action,
            entity_type,
            entity_id: Some(entity_id.to_string()),
            org_id: None,
            summary: summary.into(),
            before: None,
            after: None,
        }
    }

    pub fn org(mut self, org_id: Option<OrgId>) -> Self {
        self.org_id = org_id;
        self
    }

    pub fn change(mut self, before: Option<String>, after: Option<String>) -> Self {
        self.before = before;
        self.after = after;
        self
    }
}

/// Who did it, when no signed-in actor exists (a failed login, the command line, the setup page).
pub struct Who<'a> {
    pub account_id: Option<i64>,
    pub name: &'a str,
}

impl<'a> From<&'a Actor> for Who<'a> {
    fn from(actor: &'a Actor) -> Self {
        Who {
            account_id: Some(actor.account_id.0),
            name: &actor.name,
        }
    }
}

/// Appends an entry inside the caller's transaction, so the write and its record commit together.
pub async fn record(
    tx: &mut Tx,
    who: Who<'_>,
    ctx: &RequestContext,
    entry: Entry,
) -> Result<i64, StoreError> {
    let new = NewAuditEntry {
        at: tx.now_micros(),
        actor_account_id: who.account_id,
        actor_name: who.name.to_string(),
        action: entry.action.code().to_string(),
        entity_type: entry.entity_type.code().to_string(),
        entity_id: entry.entity_id,
        org_id: entry.org_id.map(|o| o.0),
        summary: entry.summary,
        before_state: entry.before,
        after_state: entry.after,
        client_ip: ctx.client_ip.clone(),
        request_id: ctx.request_id.clone(),
    };
    audit::insert_entry(tx.conn(), &new).await
}

/// Records an entry in a transaction of its own, for reads worth a record (exports) and work that
/// writes in several transactions of its own (booking points).
pub async fn record_alone(
    app: &App,
    who: Who<'_>,
    ctx: &RequestContext,
    entry: Entry,
) -> AppResult<AuditId> {
    let mut tx = app.begin().await?;
    let id = record(&mut tx, who, ctx, entry).await?;
    tx.commit().await?;
    Ok(AuditId(id))
}

/// Records that `actor` exported `what` (a workbook's name) of the organization `org`
/// (issue #15: every spreadsheet leaving the system leaves a row behind).
pub async fn exported(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org: OrgId,
    what: &str,
) -> AppResult<()> {
    let entry = Entry::new(
        AuditAction::Exported,
        AuditEntity::Org,
        org.0,
        format!("导出《{what}》"),
    )
    .org(Some(org));
    record_alone(app, Who::from(actor), ctx, entry).await?;
    Ok(())
}

/// An audit entry as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    /// China time, `2026-11-23 16:05`.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub at: String,
    pub actor_account_id: Option<i64>,
    pub actor_name: String,
    /// The operation's code, for programs; `action_label` is what people read.
    pub action: String,
    /// 操作, e.g. 登录失败; a code this version does not know reads as 其他操作.
    pub action_label: String,
    /// The object kind's code, for programs; `entity_label` is what people read.
    pub entity_type: String,
    /// 对象类型, e.g. 账号; an unknown kind reads as 其他对象.
    pub entity_label: String,
    pub entity_id: Option<String>,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub client_ip: String,
    pub request_id: String,
}

impl AuditEntryView {
    fn from_row(row: AuditRow) -> AuditEntryView {
        AuditEntryView {
            id: row.id,
            at: dangjian_domain::time::display_minute(dangjian_domain::time::from_micros(row.at)),
            actor_account_id: row.actor_account_id,
            actor_name: row.actor_name,
            action_label: action_label(&row.action).to_string(),
            action: row.action,
            entity_label: entity_label(&row.entity_type).to_string(),
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            org_id: row.org_id,
            org_name: row.org_name,
            summary: row.summary,
            before: row.before_state,
            after: row.after_state,
            client_ip: row.client_ip,
            request_id: row.request_id,
        }
    }
}

/// What the browse page filters by, as the user typed it.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// China civil dates, inclusive.
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
}

/// The audit entries the actor may see: the whole log for a system administrator, otherwise the
/// entries about the actor's subtree.
pub async fn browse(
    app: &App,
    actor: &Actor,
    query: &AuditQuery,
    page: PageParams,
) -> AppResult<Page<AuditEntryView>> {
    let scope = actor.reach(Action::ViewAudit)?;
    let day_start = |date: jiff::civil::Date| {
        date.to_zoned(dangjian_domain::time::china())
            .ok()
            .map(|z| dangjian_domain::time::to_micros(z.timestamp()))
    };
    let filter = AuditFilter {
        scope,
        actor: query.actor.clone(),
        entity_type: query.entity_type.clone(),
        entity_id: query.entity_id.clone(),
        from: query.from.and_then(day_start),
        to: query.to.and_then(|d| d.tomorrow().ok()).and_then(day_start),
    };
    let mut handle = app.store.acquire().await?;
    let (rows, total) = audit::entries(handle.conn(), &filter, page.request()).await?;
    Ok(page.wrap(
        rows.into_iter().map(AuditEntryView::from_row).collect(),
        total,
    ))
}

/// An object kind the log holds, for the browse page's filter.
#[derive(Debug, Clone)]
pub struct EntityTypeOption {
    pub code: String,
    pub label: &'static str,
}

pub async fn entity_types(app: &App, actor: &Actor) -> AppResult<Vec<EntityTypeOption>> {
    actor.reach(Action::ViewAudit)?;
    let mut handle = app.store.acquire().await?;
    let codes = audit::entity_types(handle.conn()).await?;
    Ok(codes
        .into_iter()
        .map(|code| EntityTypeOption {
            label: entity_label(&code),
            code,
        })
        .collect())
}

/// Where the audit chain first breaks.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditBrokenLink {
    /// The link's place in the chain (1 for the first entry chained).
    pub seq: i64,
    /// The audit entry at fault, when one is (a missing tail has none).
    pub audit_id: Option<i64>,
    /// What is wrong, in Chinese.
    pub problem: String,
}

/// The audit chain recomputed: how many entries were checked and the first broken link.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditVerifyReport {
    pub entries: i64,
    pub ok: bool,
    pub first_broken: Option<AuditBrokenLink>,
}

/// Whether the caller may verify the whole chain (the audit page links to it).
pub fn may_verify(actor: &Actor) -> bool {
    actor.grant.permits(
        Action::ViewAudit,
        dangjian_domain::access::Scope::Installation,
    )
}

/// Verifies the whole audit log's chain: a system administrator's check (the chain spans every
/// organization's entries).
pub async fn verify(app: &App, actor: &Actor) -> AppResult<AuditVerifyReport> {
    actor.authorize(
        Action::ViewAudit,
        dangjian_domain::access::Scope::Installation,
    )?;
    verify_chain(app).await
}

/// The check itself, for the command line (an operator with database access).
pub async fn verify_chain(app: &App) -> AppResult<AuditVerifyReport> {
    use dangjian_domain::chain::ChainWalk;
    let mut handle = app.store.acquire().await?;
    let (head_seq, head_hash) = audit::chain_head(handle.conn()).await?;
    let mut walk = ChainWalk::default();
    let broken = |problem: dangjian_domain::chain::LinkProblem, audit_id: Option<i64>| {
        let record = audit_id.map_or("记录".to_string(), |id| format!("审计记录（#{id}）"));
        Some(AuditBrokenLink {
            seq: problem.seq(),
            audit_id,
            problem: problem.message(&record),
        })
    };
    let mut first_broken = None;
    'walk: loop {
        let page = audit::chain_page(handle.conn(), walk.seq(), 1000).await?;
        if page.is_empty() {
            break;
        }
        for link in page {
            let checked = walk.step(link.seq, &link.prev_hash, &link.hash, || {
                audit::link_hash_of(&link.entry, link.seq, &link.prev_hash)
            });
            if let Err(problem) = checked {
                first_broken = broken(problem, Some(link.entry.id));
                break 'walk;
            }
        }
    }
    if first_broken.is_none()
        && let Err(problem) = walk.finish(head_seq, &head_hash)
    {
        first_broken = broken(problem, None);
    }
    if first_broken.is_none()
        && let Some(id) = audit::first_unlinked(handle.conn()).await?
    {
        first_broken = Some(AuditBrokenLink {
            seq: walk.seq() + 1,
            audit_id: Some(id),
            problem: format!("审计记录（#{id}）不在链中，不是由本系统写入的"),
        });
    }
    Ok(AuditVerifyReport {
        entries: walk.links(),
        ok: first_broken.is_none(),
        first_broken,
    })
}
