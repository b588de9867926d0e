//! An organization's bases on one screen (党费基数一览): each member's category and base in
//! force, edited in place and saved together. The rows go through the bases import's checks
//! (`import::import_rows`), so the grid, the pre-filled template and a file apply one rule;
//! a row left as it was records nothing. Shown as a list of changes first, written on
//! confirmation in one transaction with one audit entry listing them.

use dangjian_domain::access::Action;
use dangjian_domain::dues::{DuesCategory, Fen};
use dangjian_domain::{Month, OrgId};
use dangjian_store::Conn;
use dangjian_store::dues::profile::{self, BaseRow};
use dangjian_store::dues::sheet::DuesMember;
use serde::{Deserialize, Serialize};

use super::import::{DuesImport, RowSource, import_rows};
use super::sheet_view::{month_lines, sheet_place};
use crate::members::Placement;
use crate::members::import::sheet::{Cell, SheetRow};
use crate::members::import::{Caller, ImportOutcome, RowError};
use crate::{Actor, App, AppError, AppResult, RequestContext, orgs};

/// Each active member of the month's sheet with the base in force that month, if any.
pub(crate) async fn bases_in_force(
    mut conn: Conn<'_>,
    place: &Placement,
    month: Month,
) -> AppResult<Vec<(DuesMember, Option<BaseRow>)>> {
    let mut found = Vec::new();
    for (member, _) in month_lines(conn.reborrow(), place, month).await? {
        if !matches!(member.status.as_str(), "normal" | "lost") {
            continue;
        }
        let current = profile::bases_of_member(conn.reborrow(), member.id)
            .await?
            .into_iter()
            .filter(|b| b.effective_from.as_str() <= month.to_string().as_str())
            .max_by(|a, b| (&a.effective_from, a.id).cmp(&(&b.effective_from, b.id)));
        found.push((member, current));
    }
    Ok(found)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridRow {
    pub member_id: i64,
    pub name: String,
    /// The category's name (在职, 离退休, …); empty when no base is set.
    pub category: String,
    /// The monthly base in yuan; empty for fixed-amount categories or when none is set.
    pub base: String,
    /// What the member owes a month now, in yuan; empty when no base is set.
    pub amount: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BasesGrid {
    pub org_id: i64,
    pub org_name: String,
    /// The month a change takes effect by default: this month (January for the yearly review).
    pub effective_from: String,
    pub categories: Vec<&'static str>,
    pub rows: Vec<GridRow>,
}

/// The organization's bases in force this month, one row per member.
pub async fn grid(app: &App, actor: &Actor, org_id: OrgId) -> AppResult<BasesGrid> {
    let place = sheet_place(app, actor, org_id, Action::ManageDues).await?;
    let (org, _) = orgs::load(app, org_id).await?;
    let today = app.today();
    let mut handle = app.store.acquire().await?;
    let rows = bases_in_force(handle.conn(), &place, Month::of(today))
        .await?
        .into_iter()
        .map(|(member, base)| GridRow {
            member_id: member.id,
            name: member.name,
            category: base
                .as_ref()
                .and_then(|b| DuesCategory::from_code(&b.category))
                .map(|c| c.label().to_string())
                .unwrap_or_default(),
            base: base
                .as_ref()
                .and_then(|b| b.base_fen)
                .map(|f| Fen(f).yuan())
                .unwrap_or_default(),
            amount: base.map(|b| Fen(b.amount_fen).yuan()).unwrap_or_default(),
        })
        .collect();
    Ok(BasesGrid {
        org_id: org_id.0,
        org_name: org.name,
        effective_from: Month::of(today).to_string(),
        categories: DuesCategory::ALL.map(DuesCategory::label).to_vec(),
        rows,
    })
}

/// One member's row as edited.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct GridEdit {
    pub member_id: i64,
    pub category: String,
    #[serde(default)]
    pub base: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct GridSave {
    /// `2026-01`: from when the changed bases apply.
    pub effective_from: String,
    /// Required unless the changes take effect in January (年度中途调整须说明原因).
    #[serde(default)]
    pub reason: String,
    pub rows: Vec<GridEdit>,
    /// False (the default) only answers what would change.
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridSaved {
    /// One line per member whose base changes: who, from when, before and after.
    pub changes: Vec<String>,
    /// Whether they were written.
    pub done: bool,
}

/// Checks the edited rows (every one, as an import would), and shows or with `confirm` writes
/// the changes; rows equal to the base in force change nothing. Refused rows come back as
/// `GridRefused`, naming each member and what is wrong.
pub async fn save(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    org_id: OrgId,
    input: &GridSave,
) -> AppResult<Result<GridSaved, Vec<RowError>>> {
    if input.rows.is_empty() {
        return Err(AppError::invalid("rows", "没有要保存的党员"));
    }
    if input.rows.len() > super::import::MAX_ROWS {
        return Err(AppError::invalid(
            "rows",
            format!("一次最多保存 {} 人", super::import::MAX_ROWS),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = input.rows.iter().find(|r| !seen.insert(r.member_id)) {
        return Err(AppError::invalid(
            "rows",
            format!("党员编号 {} 出现了两次", twice.member_id),
        ));
    }
    let header = ["党员编号", "党费类别", "月基数", "生效月份", "调整原因"];
    let mut rows = vec![SheetRow {
        number: 1,
        cells: header.iter().map(|h| Cell::text(*h)).collect(),
    }];
    for (i, edit) in input.rows.iter().enumerate() {
        rows.push(SheetRow {
            number: i as u32 + 2,
            cells: [
                edit.member_id.to_string(),
                edit.category.clone(),
                edit.base.clone(),
                input.effective_from.clone(),
                input.reason.clone(),
            ]
            .into_iter()
            .map(Cell::text)
            .collect(),
        });
    }
    let (outcome, changes) = import_rows(
        app,
        Caller::Actor(actor),
        DuesImport::Bases,
        org_id,
        &rows,
        ctx,
        RowSource::Grid {
            dry_run: !input.confirm,
        },
    )
    .await?;
    match outcome {
        ImportOutcome::Rejected(rejected) => Ok(Err(rejected
            .errors
            .into_iter()
            .map(|mut e| {
                // Row n of the synthetic sheet is the (n-1)th member of the grid.
                if let Some(edit) = input.rows.get((e.row as usize).saturating_sub(2)) {
                    e.value = format!("党员编号 {}：{}", edit.member_id, e.value);
                }
                e
            })
            .collect())),
        ImportOutcome::Imported(_) if changes.is_empty() && input.confirm => Err(
            AppError::Conflict("没有改动：所有党员的基数与现行一致".into()),
        ),
        ImportOutcome::Imported(_) => Ok(Ok(GridSaved {
            changes,
            done: input.confirm,
        })),
    }
}
