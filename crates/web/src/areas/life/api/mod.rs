//! Organizational life in the JSON API: activities and what they produce.

pub mod activities;
pub mod activity_outputs;
