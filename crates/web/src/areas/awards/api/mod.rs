//! 争先创优 and 效能考核 in the JSON API.

pub mod assessment;
pub mod awards;
