//! Whole-system test helpers: real instances on loopback with their own database (SQLite or a fresh PostgreSQL one).

pub mod browser;
pub mod federation_ui;
pub mod instance;
pub mod network;
pub mod page;
pub mod process;

pub use instance::{Db, TestInstance};
