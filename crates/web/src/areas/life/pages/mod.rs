//! The pages of organizational life: activities, compliance and the calendar, attachments.

pub mod activities;
pub mod life;
pub mod life_files;
