//! Spreadsheets in and out. Out: every text cell of a CSV or XLSX export passes through
//! [`neutralise`] (formula injection). In: [`read`] opens an uploaded file (XLSX, XLS, ODS)
//! only after checking it is what it claims and not a zip bomb, and turns it into a [`grid`]
//! of plain cells; importers read the grid by header ([`grid::Columns`]) and name every
//! problem by sheet, row and column ([`grid::Place`]).

pub mod grid;
mod neutral;
#[cfg(feature = "ssr")]
pub mod read;

pub use neutral::{neutralise, neutralise_field, unneutralise};
