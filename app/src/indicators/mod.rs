//! Indicators: optional measures per recommendation ("Screening volume as % of 2019") that
//! focal points report with their status. Admins define, edit and archive them; values already
//! reported keep the definition they were entered under.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
