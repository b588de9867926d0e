//! The roster pages and its import and export.

pub mod members;
pub mod roster_io;
