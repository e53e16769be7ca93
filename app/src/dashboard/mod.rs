//! The European comparison: a map, a heatmap, distributions, rankings, movement between
//! periods, country profiles and indicator rankings, for everyone. The public sees approved
//! reports only; signed-in viewers and admins may include submitted ones, labelled as such on
//! every chart and in every download.

#[cfg(feature = "ssr")]
pub mod geo;
pub mod palette;
