//! The roster and its import and export in the JSON API.

pub mod members;
pub mod roster_io;
