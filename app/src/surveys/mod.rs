//! Member surveys: admins build a survey (sections, questions of eight kinds, conditions, texts
//! in several languages), open it, invite members with personal links or share an open link;
//! respondents answer one section per page without signing in, save and resume, review and
//! submit; admins and viewers see the results and export them; a recommendation's page shows
//! the headline results of its linked closed surveys.
//!
//! By concern: `model` (definition, conditions, answers — pure, shared with the browser),
//! `policy` (who may do what), `xlsform` (definitions in and out as XLSForm), `legacy` (past
//! responses imported from a workbook); server only: `repo` (SQL), `service` (the operations).

#[cfg(feature = "ssr")]
pub mod answering;
pub mod api;
pub mod legacy;
pub mod model;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod results;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod view;
pub mod xlsform;
