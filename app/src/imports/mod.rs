//! Imports from Excel, whatever they are for: the file uploaded, read safely
//! (`crate::spreadsheet::read`), checked, and shown as a dry run to the person who uploaded
//! it (what would change, every problem by sheet, row and column); nothing is written until
//! they apply it, all or nothing, through the same services as the forms. Focal points import
//! their country's report from its template; admins import the bulk workbook of a period, a
//! survey definition from an XLSForm, and past responses into a survey.
//!
//! `model` (what the pages show), `api` and `pages` (`/imports/{id}`); server only: `repo`
//! (uploaded files between dry run and apply), `check` (each kind's reading and dry run),
//! `service` (the flow), `routes` (downloads and the plain form posts), `cli`.

pub mod api;
#[cfg(feature = "ssr")]
mod check;
#[cfg(feature = "ssr")]
pub mod cli;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
