//! Survey definitions in and out as XLSForm, the spreadsheet form language of ODK and
//! KoboToolbox (admins only). In: [`import::from_workbook`] reads a workbook's `survey`,
//! `choices` and `settings` sheets into a definition, or refuses it with every problem
//! named by sheet, row and column (whatever surveys cannot express — repeats, calculations,
//! locations, media, choice filters, external lists… — is a problem, and nothing is
//! imported); [`service::import_xlsform`] stores it as a draft survey. Out:
//! [`export::to_xlsx`] writes a survey in the same dialect (downloaded from
//! `/admin/surveys/{id}/xlsform.xlsx`), so that exporting then importing gives the same
//! survey.
//!
//! By concern: `dialect` (sheet and column names, languages), `expr` (`relevant` and
//! `constraint` expressions), `import` and `rows` (reading), `export` (writing), `msg` (the
//! importer's sentences); server only: `service`.

pub mod dialect;
pub mod export;
pub mod expr;
pub mod import;
mod msg;
mod rows;
#[cfg(feature = "ssr")]
pub mod service;

pub use import::{from_workbook, Imported};

#[cfg(test)]
mod tests;
