//! The 53 Member States of the WHO European Region, with their ISO codes and whether they are
//! one of the 27 EU Member States. Reference data created by migrations, readable by everyone.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
