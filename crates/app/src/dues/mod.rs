//! Party dues (党费): the calculation, members' dues profiles, the monthly collection sheets,
//! arrears, reports and bulk import. The rules themselves live in `dangjian_domain::dues`.

pub mod calc;
pub mod settings;

pub use calc::{CalcResult, assess};
