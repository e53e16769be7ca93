//! The European comparison: a map, a heatmap, distributions, rankings, movement between
//! periods, country profiles and indicator rankings, for everyone. The public sees approved
//! reports only; signed-in viewers and admins may include submitted ones, labelled as such on
//! every chart and in every download.

pub mod bundle;
pub mod palette;
pub mod model;
pub mod aggregate;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod downloads;
#[cfg(feature = "ssr")]
pub mod service;
