//! Integration tests: each starts the real server on a random loopback port over a fresh
//! database. Tests written with `on_both_backends!` run on SQLite and, when
//! `DANGJIAN_TEST_POSTGRES_URL` is set (CI sets it), on PostgreSQL too.

mod helpers;

mod accounts;
mod activities;
mod activity_counters;
mod activity_pages;
mod activity_records;
mod assessment;
mod attendance_batch;
mod audit;
mod audit_chain;
mod auth;
mod authorization_matrix;
mod awards;
mod bad_input;
mod bench;
mod browser;
mod charts;
mod cli;
mod crash;
mod development;
mod development_browser;
mod development_cli;
mod dues;
mod evaluation;
mod exports_audited;
mod held_attendance;
mod hostile_files;
mod life_browser;
mod member_accounts;
mod members;
mod month_plan;
mod onboarding_browser;
mod openapi;
mod orgs;
mod page_walk;
mod phone;
mod pickers;
mod points;
mod points_browser;
mod points_meaning;
mod points_totals;
mod reminders;
mod roster_io;
mod roster_io_browser;
mod routes;
mod schema_parity;
mod security;
mod setup;
mod tokens;
mod transfers;
