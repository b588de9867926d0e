//! `dangjian dues calc`: the dues calculator at the console. It needs no database, so anyone can
//! check a secretary's spreadsheet with it. Contract (issue #6): the first line of standard output
//! is the amount in yuan with two decimals and nothing else; bad input exits with 2.

use dangjian_app::dues::assess;
use dangjian_domain::dues::{DuesSettings, FarmerAmount, Fen};

use crate::Failure;

pub fn calc(category: &str, income: Option<&str>, farmer: Option<&str>) -> Result<(), Failure> {
    let mut settings = DuesSettings::default();
    if let Some(farmer) = farmer {
        let fen = Fen::from_yuan_str(farmer)
            .map_err(|e| Failure::input(format!("农民党员固定金额：{e}")))?;
        settings.farmer_amount = FarmerAmount::new(fen).map_err(Failure::input)?;
    }
    let assessment =
        assess(category, income, &settings).map_err(|e| Failure::input(e.to_string()))?;
    println!("{}", assessment.amount.yuan());
    println!("{}", assessment.explanation);
    Ok(())
}
