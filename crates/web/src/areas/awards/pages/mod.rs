//! The pages of 争先创优 and 效能考核.

pub mod assessment;
pub mod awards;
