//! Party dues (党费): the calculation, members' dues profiles, the monthly collection sheets,
//! arrears, reports and bulk import. The rules themselves live in `dangjian_domain::dues`.

mod access;
pub mod bases_grid;
pub mod batch;
pub mod calc;
pub mod collection;
mod demo;
pub mod import;
pub(crate) mod ledger;
pub mod profile;
pub mod reports;
pub mod settings;
pub mod sheet_view;
pub mod view;

pub use access::own_member_id;
pub(crate) use demo::seed as seed_demo;

pub use calc::{CalcResult, assess};
