//! Commonhall: a cooperative's own social network — accounts, UI, API and (soon) federation and governance.

pub mod api;
pub mod cli;
pub mod config;
pub mod deadline;
pub mod domain;
pub mod drafts;
pub mod federation;
pub mod jobs;
pub mod memory;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod web;
