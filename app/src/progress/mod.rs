//! Progress reporting, the heart of the product: one report per country per period, with an
//! entry per recommendation (status on an ordinal scale, narrative, evidence links, "as of"
//! date, indicator values). Focal points fill and submit their countries' reports; admins
//! return them with comments or approve them; approved reports are published. Every change to
//! an entry is kept; a save based on an old version is refused.

pub mod api;
pub mod enhancer;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
