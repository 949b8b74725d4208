//! Pieces shared by pages: the layout, form helpers and content pieces.

pub mod charts;
pub mod content;
pub mod form;
pub mod layout;
