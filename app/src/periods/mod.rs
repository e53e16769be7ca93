//! Reporting periods ("2026 H1"): when they run and when submissions open and close. Admins
//! create and edit them and may close submissions early; admins and viewers see the list; the
//! open-data API lists them publicly.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
