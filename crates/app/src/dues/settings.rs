//! The organization's dues settings: the farmers' fixed amount, set per top-level organization
//! (RULES.md "Dues": the provincial committee sets 0.20–1.00 yuan; default 0.20).

use dangjian_domain::dues::{DuesSettings, FarmerAmount, Fen};
use dangjian_domain::{OrgId, OrgPath};
use dangjian_store::{Conn, dues};

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
