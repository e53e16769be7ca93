//! The European comparison: a map, a heatmap, distributions, rankings, movement between
//! periods, country profiles and indicator rankings, for everyone. The public sees approved
//! reports only; signed-in viewers and admins may include submitted ones, labelled as such on
//! every chart and in every download.
//!
//! - `model`: filters (the view's URL) and figures; `aggregate`: the sums, pure; `palette`:
//!   a status's colour, pattern and word; `policy`: who sees what.
//! - Server only: `repo` (SQL), `service` (load, then build each figure), `charts` (ECharts
//!   options with charming), `svg` and `geo` (the server's images and the map), `downloads`
//!   (CSV and image routes), `bundle` (the charts script's files).
//! - `api` (server functions) and `pages`.

pub mod aggregate;
pub mod api;
pub mod bundle;
pub mod model;
pub mod pages;
pub mod palette;
pub mod policy;

#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod downloads;
#[cfg(feature = "ssr")]
pub mod geo;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod svg;
