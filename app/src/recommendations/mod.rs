//! The seven recommendations of the Special Network on the Impact of COVID-19 on Cancer:
//! reference data created by migrations, readable by everyone (pages and open data).

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
