//! Progress reporting, the heart of the product: one report per country per period, with an
//! entry per recommendation (status on an ordinal scale, narrative, evidence links, "as of"
//! date, indicator values). Focal points fill and submit their countries' reports; admins
//! return them with comments or approve them; approved reports are published. Every change to
//! an entry is kept; a save based on an old version is refused.
//!
//! By concern: `workflow` (status scale, report states, steps), `checks` (entry validation),
//! `missing` (what blocks submission), `fields` (form field names), `diff` (what a save changes), `policy` (who
//! may read or change what), `view` (what pages show), `open_data` (what is published);
//! server only: `service` (the operations), `board` (where reports stand), `repo` (SQL);
//! `api` (server functions), `pages`, and the form's island `enhancer`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod board;
pub mod checks;
pub mod diff;
pub mod enhancer;
pub mod fields;
pub mod missing;
pub mod open_data;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod template;
pub mod view;
pub mod workflow;
