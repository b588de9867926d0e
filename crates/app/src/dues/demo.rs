//! Demo dues data: bases for one branch's members from January, and this month's sheet opened,
//! so the demo shows a sheet to record on and a committee summary to read. No payments, so no
//! dues events: the points ledger's demo starts clean.

use dangjian_domain::Month;
use dangjian_domain::OrgPath;
use dangjian_domain::dues::DuesSettings;
use dangjian_store::dues::sheet;
use dangjian_store::{Tx, orgs};

use super::collection::open_in;
use super::profile::apply_base;
use crate::members::Placement;
use crate::{AppError, AppResult};

pub(crate) async fn seed(tx: &mut Tx, branch_id: i64) -> AppResult<()> {
    let row = orgs::org_by_id(tx.conn(), branch_id)
        .await?
        .ok_or(AppError::NotFound("组织"))?;
    let path = OrgPath::parse(&row.path).ok_or(AppError::NotFound("组织"))?;
    let january =
        Month::new(crate::clock::day_of(tx).year(), 1).ok_or(AppError::NotFound("月份"))?;
    let members = sheet::dues_members_of(tx.conn(), branch_id, None).await?;
    for (i, member) in members.iter().enumerate() {
        let (category, income) = [
            ("在职", "4500"),
            ("在职", "6200.50"),
            ("离退休", "3800"),
            ("在职", "2900"),
            ("在职", "11000"),
        ][i % 5];
        let assessment = super::assess(category, Some(income), &DuesSettings::default())?;
        apply_base(tx, None, member, january, &assessment, "演示数据").await?;
    }
    let place = Placement {
        branch_id,
        group_id: None,
        path,
    };
    open_in(tx, &place, Month::of(crate::clock::day_of(tx))).await?;
    Ok(())
}
