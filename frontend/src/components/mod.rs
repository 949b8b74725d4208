//! Pieces shared by pages: the layout and form helpers.

pub mod form;
pub mod layout;
