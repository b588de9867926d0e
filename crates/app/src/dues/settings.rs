//! The organization's dues settings: the farmers' fixed amount, set per top-level organization
//! (RULES.md "Dues": the provincial committee sets 0.20–1.00 yuan; default 0.20).

use dangjian_domain::dues::{DuesSettings, FarmerAmount, Fen};
use dangjian_domain::{OrgId, OrgPath};
use dangjian_store::{Conn, dues};

use crate::audit::{AuditAction, AuditEntity};
use crate::{Actor, App, AppResult};

/// The settings of the tree `path` belongs to.
pub async fn for_path(conn: Conn<'_>, path: &OrgPath) -> AppResult<DuesSettings> {
    let Some(top) = path.ids().first().copied() else {
        return Ok(DuesSettings::default());
    };
    Ok(for_top(conn, top).await?)
}

async fn for_top(conn: Conn<'_>, top: OrgId) -> Result<DuesSettings, dangjian_store::StoreError> {
    let farmer_amount = dues::farmer_amount(conn, top.0)
        .await?
        .and_then(|fen| FarmerAmount::new(Fen(fen)).ok())
        .unwrap_or_default();
    Ok(DuesSettings { farmer_amount })
}

/// The settings of the actor's own tree (the installation's defaults for a system administrator).
pub async fn for_actor(app: &App, actor: &Actor) -> AppResult<DuesSettings> {
    match &actor.grant.org {
        Some(path) => {
            let mut handle = app.store.acquire().await?;
            for_path(handle.conn(), path).await
        }
        None => Ok(DuesSettings::default()),
    }
}

/// The farmers' amount as a node's summary page offers it for change: only at a top-level
/// organization (the provincial committee decides) and only to a caller who manages it.
pub async fn editable_farmer_amount(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
) -> AppResult<Option<String>> {
    let path = crate::orgs::path_of(app, org_id).await?;
    let may_change = path.depth() == 1
        && actor.grant.permits(
            dangjian_domain::access::Action::ManageDues,
            dangjian_domain::Scope::Org(&path),
        );
    if !may_change {
        return Ok(None);
    }
    let mut handle = app.store.acquire().await?;
    let settings = for_path(handle.conn(), &path).await?;
    Ok(Some(settings.farmer_amount.amount().yuan()))
}

/// Sets the farmers' fixed monthly amount for a top-level organization's whole tree (RULES.md:
/// the provincial committee decides, 0.20–1.00 yuan). Amounts already on sheets stay as they are.
pub async fn set_farmer_amount(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    amount: &str,
    ctx: &crate::RequestContext,
) -> AppResult<DuesSettings> {
    let path = crate::orgs::path_of(app, org_id).await?;
    actor.authorize(
        dangjian_domain::access::Action::ManageDues,
        dangjian_domain::Scope::Org(&path),
    )?;
    if path.depth() != 1 {
        return Err(crate::AppError::invalid(
            "org_id",
            "农民党员交纳党费的固定金额由省级党委确定，请在最上级党组织设置",
        ));
    }
    let fen = Fen::from_yuan_str(amount)
        .map_err(|e| crate::AppError::invalid("farmer_amount", e.to_string()))?;
    let farmer_amount =
        FarmerAmount::new(fen).map_err(|m| crate::AppError::invalid("farmer_amount", m))?;
    let mut tx = app.begin().await?;
    dues::set_farmer_amount(tx.conn(), org_id.0, fen.0, app.now_micros()).await?;
    let entry = crate::audit::Entry::new(
        AuditAction::DuesSettingsChanged,
        AuditEntity::Org,
        org_id.0,
        format!("设置农民党员每月交纳党费固定金额为 {} 元", fen.yuan()),
    )
    .org(Some(org_id));
    crate::audit::record(&mut tx, crate::audit::Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(DuesSettings { farmer_amount })
}
