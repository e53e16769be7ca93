//! One worksheet of an XLSX streamed row by row, for importers that check and write rows as
//! they come (a 50,000-row archive then never sits whole in memory, and reading, checking
//! and writing run at the same time on different cores).
//!
//! The file goes through the same checks as [`super::read`] (size, kind, zip bomb, cells
//! capped, formulas: the saved value with a notice, refused without one), with the same
//! messages; the rows are the ones the grid would hold. What cannot be streamed —
//! XLS and ODS (calamine lays them out whole when it opens them) and a workbook with merged
//! areas (calamine finds them in a second pass over the sheet, after its rows) — is
//! [`Streamed::Unsupported`]: read it with [`super::read`].

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Reader, Xlsx};

use super::container::{self, Kind};
use super::convert::cell_from_ref;
use super::{is_hidden, is_worksheet, Budget, Formulas, Limits, Refusal};
use crate::lang::Locale;
use crate::spreadsheet::grid::{Cell, Place, Problem};

/// A worksheet as listed before its rows are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    pub name: String,
    pub hidden: bool,
}

/// Rows as they are handed over: `(row number from 1, cells from column A)`, rows with no
/// value left out.
pub type Rows = Vec<(u32, Vec<Cell>)>;

/// Rows handed over at a time.
pub const CHUNK: usize = 500;

/// How a stream ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Streamed {
    /// Every row of the sheet picked was handed over (or the receiver stopped taking them);
    /// `notices` are the formula cells whose saved value was used; `merged` the sheet's merged
    /// areas (as [`crate::spreadsheet::grid::Sheet::merged`]).
    Done {
        notices: Vec<Problem>,
        merged: Vec<(u32, u32, u32, u32)>,
    },
    /// The picker found no sheet to read.
    NoSheet,
    /// Not an XLSX: read the file whole with [`super::read`].
    Unsupported,
}

/// Streams the worksheet `pick` chooses among the workbook's worksheets to `deliver`, in
/// chunks of [`CHUNK`] rows in the sheet's order; `deliver` returns `false` to stop (its
/// receiver is gone). `Err` holds the reasons the file is refused, as [`super::read`] words
/// them; rows handed over before a refusal must then be dropped by the receiver.
///
/// The container's own checks (every part unpacked: forged sizes, checksums) run on a thread
/// of their own while the rows stream, once the list of parts passed (encryption, declared
/// sizes and ratios): the `zip` crate stops every part at its declared size, so calamine
/// never unpacks more than that list allowed.
pub fn stream(
    bytes: &[u8],
    limits: &Limits,
    locale: Locale,
    pick: impl FnOnce(&[SheetInfo]) -> Option<usize>,
    mut deliver: impl FnMut(Rows) -> bool,
) -> Result<Streamed, Vec<Problem>> {
    let mut formulas = Formulas::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        stream_checked(bytes, limits, pick, &mut deliver, &mut formulas)
    }))
    .unwrap_or_else(|_| {
        tracing::warn!("a spreadsheet parser panicked on an uploaded file; refused as damaged");
        Err(Refusal::Damaged)
    });
    match outcome {
        Ok(Streamed::Done { merged, .. }) => {
            let (notices, problems) = formulas.into_problems(locale);
            if problems.is_empty() {
                Ok(Streamed::Done { notices, merged })
            } else {
                Err(problems)
            }
        }
        Ok(other) => Ok(other),
        Err(refusal) => Err(vec![Problem::file(refusal.message(locale))]),
    }
}

fn stream_checked(
    bytes: &[u8],
    limits: &Limits,
    pick: impl FnOnce(&[SheetInfo]) -> Option<usize>,
    deliver: &mut dyn FnMut(Rows) -> bool,
    formulas: &mut Formulas,
) -> Result<Streamed, Refusal> {
    if bytes.len() > limits.max_file_bytes {
        return Err(Refusal::TooBig {
            size: bytes.len(),
            limit: limits.max_file_bytes,
        });
    }
    if !container::listed_xlsx(bytes, limits)? {
        return Ok(Streamed::Unsupported);
    }
    std::thread::scope(|scope| {
        let checking = scope.spawn(|| container::check(bytes, limits));
        let streamed = stream_sheet(bytes, limits, pick, deliver, formulas);
        // The container's refusal first: it says what is wrong with the file as a whole.
        let kind = checking.join().unwrap_or_else(|_| {
            tracing::warn!("the zip checks panicked on an uploaded file; refused as damaged");
            Err(Refusal::Damaged)
        })?;
        let (mut book, name) = match streamed? {
            Some(opened) => opened,
            None => return Ok(Streamed::NoSheet),
        };
        let merged = match kind {
            Kind::Xlsx { merged_cells: true } => super::merged_areas(
                &book
                    .merge_cells_by_sheet_name(&name)
                    .map_err(|_| Refusal::Damaged)?,
            ),
            Kind::Xlsx { .. } => Vec::new(),
            // The list of parts said XLSX; the parts themselves say otherwise.
            Kind::Ods | Kind::Xls => return Err(Refusal::Damaged),
        };
        Ok(Streamed::Done {
            notices: vec![],
            merged,
        })
    })
}

/// A workbook opened by calamine over the uploaded bytes.
type Opened<'b> = Xlsx<Cursor<&'b [u8]>>;

/// Streams the rows of the sheet picked (with the workbook, for a second pass, and the sheet's
/// name); `None` when none is.
fn stream_sheet<'b>(
    bytes: &'b [u8],
    limits: &Limits,
    pick: impl FnOnce(&[SheetInfo]) -> Option<usize>,
    deliver: &mut dyn FnMut(Rows) -> bool,
    formulas: &mut Formulas,
) -> Result<Option<(Opened<'b>, String)>, Refusal> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    let sheets: Vec<SheetInfo> = book
        .sheets_metadata()
        .iter()
        .filter(|m| is_worksheet(m))
        .map(|m| SheetInfo {
            name: m.name.clone(),
            hidden: is_hidden(m),
        })
        .collect();
    let Some(name) = pick(&sheets)
        .and_then(|i| sheets.get(i))
        .map(|s| s.name.clone())
    else {
        return Ok(None);
    };
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|_| Refusal::Damaged)?;
    // The same two bounds as the grid: cells held, and the area from A1 they span.
    let mut stored = Budget::new(limits.max_cells);
    let mut columns: u32 = 0;
    let mut chunk: Rows = Vec::with_capacity(CHUNK);
    let mut current: Option<(u32, Vec<Cell>)> = None;
    let mut open = true;
    while let Some(record) = cells
        .next_cell_with_formula_metadata()
        .map_err(|_| Refusal::Damaged)?
    {
        let (row, column) = record.pos;
        let cell = cell_from_ref(record.value);
        let is_formula = record.formula.is_some();
        if cell == Cell::Empty && !is_formula {
            continue;
        }
        stored.take(1)?;
        let number = row.saturating_add(1);
        columns = columns.max(column.saturating_add(1));
        if u64::from(number) * u64::from(columns) > limits.max_cells {
            return Err(Refusal::TooManyCells {
                limit: limits.max_cells,
            });
        }
        if is_formula {
            formulas.note(
                Place::cell(&name, number, column),
                cell.text().map(|t| t.into_owned()),
            );
        }
        match &mut current {
            Some((r, _)) if *r == number => {}
            Some((r, _)) if *r > number => {
                // Excel writes rows in order, as the format requires: rows out of order
                // are a damaged file (the grid refuses them too).
                return Err(Refusal::Damaged);
            }
            _ => {
                if let Some(done) = current.take() {
                    chunk.push(done);
                    if chunk.len() == CHUNK && open {
                        open = deliver(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
                    }
                    if !open {
                        // Nobody takes the rows any more: stop reading.
                        drop(cells);
                        return Ok(Some((book, name)));
                    }
                }
                // As wide as the rows so far: most rows are.
                current = Some((number, Vec::with_capacity(columns as usize)));
            }
        }
        if let Some((_, values)) = &mut current {
            let at = column as usize;
            if values.len() <= at {
                values.resize(at + 1, Cell::Empty);
            }
            values[at] = cell;
        }
    }
    chunk.extend(current);
    if !chunk.is_empty() && open {
        deliver(chunk);
    }
    drop(cells);
    Ok(Some((book, name)))
}
