//! Whole-system test helpers: real instances on loopback with their own database (SQLite or a fresh PostgreSQL one).

pub mod browser;
pub mod federation_ui;
pub mod governance;
pub mod instance;
pub mod network;
pub mod page;
pub mod process;
pub mod setup;

pub use instance::{Db, TestInstance};
