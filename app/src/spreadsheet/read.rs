//! Reading an uploaded spreadsheet safely: [`read`] takes the bytes of a file and gives a
//! [`Workbook`] of plain cells, or the reasons it is refused, each a sentence in the reader's
//! language (never a parser's error text, never a panic).
//!
//! In order, before any spreadsheet parser runs:
//! 1. the size against [`Limits::max_file_bytes`];
//! 2. the kind, by content and not by name: a zip with `xl/workbook.xml` is XLSX, one whose
//!    `mimetype` is the OpenDocument spreadsheet's (or that has `content.xml`) is ODS; an OLE
//!    file holding `EncryptionInfo`/`EncryptedPackage` is a password-protected XLSX (refused),
//!    one holding a `Workbook` stream is XLS; anything else is not a spreadsheet;
//! 3. a zip is listed (declared sizes, per part and in total, and compression ratios) and
//!    then every part is unpacked into a counting sink capped at the limit, because a forged
//!    header can lie about sizes (the `zip` crate also stops a part at its declared size: a
//!    lie then shows as damage); a bad checksum or a cut file is "damaged";
//! 4. the cells: an XLS's records and an ODS's `content.xml` are pre-scanned for the area
//!    their sheets span (calamine materialises both formats whole when it opens them, so
//!    this is the only moment to refuse); an XLSX is streamed cell by cell and refused as
//!    soon as it passes [`Limits::max_cells`]. Areas count from cell A1, as the grid holds
//!    them.
//!
//! [`stream`] reads one worksheet of an XLSX row by row instead (importers that check and
//! write rows as they come): the same checks and messages, the container's unpacking on a
//! thread of its own while the rows stream (the list of parts is checked first, and the `zip`
//! crate keeps every part to its declared size). Rows must come in order, as the format
//! requires and spreadsheets write them: both readers refuse a file whose rows go back.
//!
//! Decisions:
//! - **Formulas**: the value the spreadsheet last computed (saved in the file) is used, and
//!   every formula cell gives a notice (20 listed, then "and N more") so that the person
//!   knows. A formula with no saved value (files written by programs rather than by a
//!   spreadsheet, or a formula whose result is empty) is refused at its cell: its value is
//!   unknown, and reading it as empty would silently lose data. Recomputing formulas is not
//!   done (no formula engine; it would also let a file compute on the server).
//! - **Dates**: a number with a date format is a [`Cell::Date`] (or [`Cell::DateTime`] when it
//!   has a time of day); a time of day alone (a serial below 1) or a duration is text
//!   `HH:MM:SS`. A date typed as text stays [`Cell::Text`]: importers parse it.
//! - **Merged cells** are listed in [`Sheet::merged`] (XLSX, XLS, ODS); importers decide what
//!   they mean, and [`merged_problems`] names those inside the data rows.
//! - **Hidden sheets** are flagged ([`Sheet::hidden`]). **Hidden rows and columns** are read
//!   like any other: calamine does not expose them, and importers read what is in the file.
//! - Chart, dialog and macro sheets are left out: they hold no cells.

mod container;
mod convert;
mod ods_scan;
mod stream;
mod xls_scan;

pub use stream::{stream, Rows, SheetInfo, Streamed, CHUNK};

use std::collections::BTreeSet;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{
    Data, Dimensions, Ods, OdsError, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx,
};

use super::grid::{column_letters, Format, Place, Problem, Sheet, Workbook};
use crate::i18n::*;
use crate::lang::Locale;
use container::Kind;
use convert::{cell_from_data, cell_from_ref, SheetBuilder};

/// How much of a file is read before it is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The size of the uploaded file.
    pub max_file_bytes: usize,
    /// The parts of a zip (XLSX, ODS) unpacked, in all.
    pub max_uncompressed_bytes: u64,
    /// Unpacked size over packed size, per part; only for parts over 1 MiB unpacked (small
    /// parts of repeated XML legitimately pack very well).
    pub max_ratio: u64,
    /// Cells over all sheets, each sheet counted from A1 to its last used row and column.
    pub max_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 10 * 1024 * 1024,
            max_uncompressed_bytes: 256 * 1024 * 1024,
            max_ratio: 200,
            max_cells: 5_000_000,
        }
    }
}

/// A file read: its workbook, and what the person should know about how it was read (cells
/// whose formula was replaced by its saved value).
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub workbook: Workbook,
    pub notices: Vec<Problem>,
}

/// Formula notices and problems listed one by one before "and N more".
const LISTED: usize = 20;

/// Parts of a zip above this size (unpacked) must respect [`Limits::max_ratio`].
const RATIO_FLOOR: u64 = 1024 * 1024;

/// Why a file is refused, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    TooBig { size: usize, limit: usize },
    NotSpreadsheet,
    ZipWithoutWorkbook,
    Xlsb,
    Encrypted,
    Damaged,
    Unpacked { limit: u64 },
    Ratio { part: String, limit: u64 },
    TooManyCells { limit: u64 },
}

impl Refusal {
    fn message(&self, locale: Locale) -> String {
        match self {
            Refusal::TooBig { size, limit } => td_string!(
                locale,
                spreadsheet.too_big,
                size = megabytes(locale, *size as u64),
                limit = megabytes(locale, *limit as u64)
            )
            .to_string(),
            Refusal::NotSpreadsheet => td_string!(locale, spreadsheet.not_spreadsheet).to_string(),
            Refusal::ZipWithoutWorkbook => {
                td_string!(locale, spreadsheet.zip_without_workbook).to_string()
            }
            Refusal::Xlsb => td_string!(locale, spreadsheet.xlsb).to_string(),
            Refusal::Encrypted => td_string!(locale, spreadsheet.encrypted).to_string(),
            Refusal::Damaged => td_string!(locale, spreadsheet.damaged).to_string(),
            Refusal::Unpacked { limit } => td_string!(
                locale,
                spreadsheet.unpacked_too_large,
                limit = megabytes(locale, *limit)
            )
            .to_string(),
            Refusal::Ratio { part, limit } => td_string!(
                locale,
                spreadsheet.ratio,
                part = part,
                ratio =
                    crate::lang::format::count(locale, i64::try_from(*limit).unwrap_or(i64::MAX))
            )
            .to_string(),
            Refusal::TooManyCells { limit } => td_string!(
                locale,
                spreadsheet.too_many_cells,
                limit =
                    crate::lang::format::count(locale, i64::try_from(*limit).unwrap_or(i64::MAX))
            )
            .to_string(),
        }
    }
}

/// `10485760` as "10" (MB, one decimal when not whole) in the language's digits.
fn megabytes(locale: Locale, bytes: u64) -> String {
    let tenths = (bytes as f64 / (1024.0 * 1024.0) * 10.0).round() / 10.0;
    crate::lang::format::number(locale, &super::grid::number_text(tenths))
}

/// Reads an uploaded spreadsheet (XLSX, XLS or ODS, recognised by content) into a
/// [`Workbook`], after the checks of the module documentation. `Err` holds the reasons it is
/// refused: one for the file as a whole, or one per formula cell without a saved value.
pub fn read(bytes: &[u8], limits: &Limits, locale: Locale) -> Result<Read, Vec<Problem>> {
    // Calamine is not written to be fed hostile files; a panic deep in a parser is a damaged
    // file to the person, not a failed request (the release profile unwinds).
    let outcome =
        catch_unwind(AssertUnwindSafe(|| read_checked(bytes, limits))).unwrap_or_else(|_| {
            tracing::warn!("a spreadsheet parser panicked on an uploaded file; refused as damaged");
            Err(Refusal::Damaged)
        });
    match outcome {
        Ok((workbook, formulas)) => {
            let (notices, problems) = formulas.into_problems(locale);
            if problems.is_empty() {
                Ok(Read { workbook, notices })
            } else {
                Err(problems)
            }
        }
        Err(refusal) => Err(vec![Problem::file(refusal.message(locale))]),
    }
}

fn read_checked(bytes: &[u8], limits: &Limits) -> Result<(Workbook, Formulas), Refusal> {
    if bytes.len() > limits.max_file_bytes {
        return Err(Refusal::TooBig {
            size: bytes.len(),
            limit: limits.max_file_bytes,
        });
    }
    let mut formulas = Formulas::default();
    let workbook = match container::check(bytes, limits)? {
        Kind::Xlsx { merged_cells } => read_xlsx(bytes, limits, merged_cells, &mut formulas)?,
        Kind::Ods => {
            let scan = ods_scan::scan(bytes, limits)?;
            read_ods(bytes, scan, limits, &mut formulas)?
        }
        Kind::Xls => read_xls(bytes, limits, &mut formulas)?,
    };
    Ok((workbook, formulas))
}

/// The cells counted so far against [`Limits::max_cells`].
struct Budget {
    limit: u64,
    used: u64,
}

impl Budget {
    fn new(limit: u64) -> Self {
        Self { limit, used: 0 }
    }

    fn take(&mut self, cells: u64) -> Result<(), Refusal> {
        self.used = self.used.saturating_add(cells);
        if self.used > self.limit {
            Err(Refusal::TooManyCells { limit: self.limit })
        } else {
            Ok(())
        }
    }
}

fn is_worksheet(meta: &calamine::Sheet) -> bool {
    meta.typ == SheetType::WorkSheet
}

fn is_hidden(meta: &calamine::Sheet) -> bool {
    meta.visible != SheetVisible::Visible
}

/// Merged areas from calamine's 0-based dimensions to the grid's numbering (rows from 1),
/// corners put in order in case a file writes them backwards.
fn merged_areas(dims: &[Dimensions]) -> Vec<(u32, u32, u32, u32)> {
    dims.iter()
        .map(|d| {
            let (r1, r2) = (d.start.0.min(d.end.0), d.start.0.max(d.end.0));
            let (c1, c2) = (d.start.1.min(d.end.1), d.start.1.max(d.end.1));
            (r1.saturating_add(1), c1, r2.saturating_add(1), c2)
        })
        .collect()
}

/// `merged_cells`: whether any worksheet part mentions merged areas (calamine reads a sheet's
/// whole XML a second time to find them, so only then).
fn read_xlsx(
    bytes: &[u8],
    limits: &Limits,
    merged_cells: bool,
    formulas: &mut Formulas,
) -> Result<Workbook, Refusal> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    let metas = book.sheets_metadata().to_vec();
    // Two budgets: the cells held while a sheet streams in, and the area the grids will
    // take; both bounded by `max_cells`.
    let mut stored = Budget::new(limits.max_cells);
    let mut area = Budget::new(limits.max_cells);
    let mut sheets = vec![];
    for meta in metas.iter().filter(|m| is_worksheet(m)) {
        let mut builder = SheetBuilder::default();
        let mut formula_cells = BTreeSet::new();
        {
            let mut cells = book
                .worksheet_cells_reader(&meta.name)
                .map_err(|_| Refusal::Damaged)?;
            let mut last_row = 0;
            while let Some(record) = cells
                .next_cell_with_formula_metadata()
                .map_err(|_| Refusal::Damaged)?
            {
                let (row, column) = record.pos;
                // Rows in order, as the format requires and Excel writes them (the streamed
                // reader relies on it: both refuse a file that breaks it).
                if row < last_row {
                    return Err(Refusal::Damaged);
                }
                last_row = row;
                let cell = cell_from_ref(record.value);
                let is_formula = record.formula.is_some();
                if cell == super::grid::Cell::Empty && !is_formula {
                    // Formatted but empty: not data, and not worth an area.
                    continue;
                }
                stored.take(1)?;
                if is_formula {
                    formula_cells.insert((row.saturating_add(1), column));
                }
                builder.push(row, column, cell);
            }
        }
        area.take(builder.area())?;
        let merged = if merged_cells {
            book.merge_cells_by_sheet_name(&meta.name)
                .map_err(|_| Refusal::Damaged)?
        } else {
            Vec::new()
        };
        let sheet = Sheet {
            name: meta.name.clone(),
            rows: builder.into_rows(),
            formulas: formula_cells,
            merged: merged_areas(&merged),
            hidden: is_hidden(meta),
        };
        formulas.collect(&sheet);
        sheets.push(sheet);
    }
    Ok(Workbook {
        format: Format::Xlsx,
        sheets,
    })
}

/// A sheet from calamine's value and formula ranges (XLS and ODS, whose parsers materialise
/// them when the file is opened, after the pre-scans bounded their size).
fn sheet_from_ranges(
    meta: &calamine::Sheet,
    values: &calamine::Range<Data>,
    formula_texts: &calamine::Range<String>,
    merged: Vec<(u32, u32, u32, u32)>,
    area: &mut Budget,
) -> Result<Sheet, Refusal> {
    let mut builder = SheetBuilder::default();
    let (row0, column0) = values.start().unwrap_or((0, 0));
    for (r, c, data) in values.used_cells() {
        builder.push(
            row0.saturating_add(r as u32),
            column0.saturating_add(c as u32),
            cell_from_data(data),
        );
    }
    let mut formula_cells = BTreeSet::new();
    let (frow0, fcolumn0) = formula_texts.start().unwrap_or((0, 0));
    for (r, c, text) in formula_texts.used_cells() {
        if !text.is_empty() {
            let (row, column) = (
                frow0.saturating_add(r as u32),
                fcolumn0.saturating_add(c as u32),
            );
            formula_cells.insert((row.saturating_add(1), column));
            // A formula without a value still needs its cell in the grid.
            builder.touch(row, column);
        }
    }
    // The pre-scan bounded these already; counting again costs nothing and keeps the grid
    // bounded should calamine ever lay out more than the scan foresaw.
    area.take(builder.area())?;
    Ok(Sheet {
        name: meta.name.clone(),
        rows: builder.into_rows(),
        formulas: formula_cells,
        merged,
        hidden: is_hidden(meta),
    })
}

fn read_ods(
    bytes: &[u8],
    scan: ods_scan::Scan,
    limits: &Limits,
    formulas: &mut Formulas,
) -> Result<Workbook, Refusal> {
    let mut book: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        OdsError::Password => Refusal::Encrypted,
        _ => Refusal::Damaged,
    })?;
    // Calamine does not report an ODS's merged areas; the pre-scan found them.
    read_opened(&mut book, Format::Ods, limits, formulas, |_, name| {
        Ok(scan.merged(name))
    })
}

fn read_xls(bytes: &[u8], limits: &Limits, formulas: &mut Formulas) -> Result<Workbook, Refusal> {
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsError::Password => Refusal::Encrypted,
        _ => Refusal::Damaged,
    })?;
    read_opened(&mut book, Format::Xls, limits, formulas, |book, name| {
        book.merge_cells_by_sheet_name(name)
            .map(|m| merged_areas(&m))
            .map_err(|_| Refusal::Damaged)
    })
}

/// The worksheets of a workbook calamine laid out when it opened it (XLS, ODS), with their
/// merged areas from `merged`.
fn read_opened<R, RS>(
    book: &mut R,
    format: Format,
    limits: &Limits,
    formulas: &mut Formulas,
    mut merged: impl FnMut(&mut R, &str) -> Result<Vec<(u32, u32, u32, u32)>, Refusal>,
) -> Result<Workbook, Refusal>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
{
    let mut area = Budget::new(limits.max_cells);
    let metas = book.sheets_metadata().to_vec();
    let mut sheets = vec![];
    for meta in metas.iter().filter(|m| is_worksheet(m)) {
        let values = book
            .worksheet_range(&meta.name)
            .map_err(|_| Refusal::Damaged)?;
        let texts = book
            .worksheet_formula(&meta.name)
            .map_err(|_| Refusal::Damaged)?;
        let merged = merged(book, &meta.name)?;
        let sheet = sheet_from_ranges(meta, &values, &texts, merged, &mut area)?;
        formulas.collect(&sheet);
        sheets.push(sheet);
    }
    Ok(Workbook { format, sheets })
}

/// Formula cells met while reading: those with a saved value (notices) and those without
/// (problems), in sheet order then row and column.
#[derive(Default)]
struct Formulas {
    with_value: Vec<(Place, String)>,
    with_value_count: usize,
    without_value: Vec<Place>,
    without_value_count: usize,
}

impl Formulas {
    fn collect(&mut self, sheet: &Sheet) {
        for &(row, column) in &sheet.formulas {
            self.note(
                sheet.place(row, column),
                sheet.cell(row, column).text().map(|v| v.into_owned()),
            );
        }
    }

    /// A formula cell at `place`, with its saved value as text if it has one.
    fn note(&mut self, place: Place, value: Option<String>) {
        match value {
            Some(value) => {
                self.with_value_count += 1;
                if self.with_value.len() < LISTED {
                    self.with_value.push((place, value));
                }
            }
            None => {
                self.without_value_count += 1;
                if self.without_value.len() < LISTED {
                    self.without_value.push(place);
                }
            }
        }
    }

    /// `(notices, problems)`.
    fn into_problems(self, locale: Locale) -> (Vec<Problem>, Vec<Problem>) {
        let mut notices: Vec<Problem> = self
            .with_value
            .into_iter()
            .map(|(place, value)| {
                Problem::at(
                    place,
                    td_string!(locale, spreadsheet.formula_value, value = value).to_string(),
                )
            })
            .collect();
        let more = self.with_value_count.saturating_sub(LISTED);
        if more > 0 {
            notices.push(Problem::file(
                td_string!(
                    locale,
                    spreadsheet.formulas_more,
                    count = crate::lang::format::count(locale, more as i64)
                )
                .to_string(),
            ));
        }
        let mut problems: Vec<Problem> = self
            .without_value
            .into_iter()
            .map(|place| {
                Problem::at(
                    place,
                    td_string!(locale, spreadsheet.formula_without_value).to_string(),
                )
            })
            .collect();
        let more = self.without_value_count.saturating_sub(LISTED);
        if more > 0 {
            problems.push(Problem::file(
                td_string!(
                    locale,
                    spreadsheet.formulas_without_value_more,
                    count = crate::lang::format::count(locale, more as i64)
                )
                .to_string(),
            ));
        }
        (notices, problems)
    }
}

/// `B4:D4` for a merged area (rows from 1, columns from 0).
fn area_name((r1, c1, r2, c2): (u32, u32, u32, u32)) -> String {
    format!("{}{r1}:{}{r2}", column_letters(c1), column_letters(c2))
}

/// A problem for each merged area of `sheet` that reaches into the data rows (from
/// `first_data_row`, numbered from 1), at its first cell: a merged area there hides which
/// row or column a value belongs to. Areas above (titles, headers) are left to the importer.
pub fn merged_problems(sheet: &Sheet, first_data_row: u32, locale: Locale) -> Vec<Problem> {
    let mut areas: Vec<_> = sheet
        .merged
        .iter()
        .copied()
        .filter(|&(_, _, last_row, _)| last_row >= first_data_row)
        .collect();
    areas.sort_unstable();
    areas
        .into_iter()
        .map(|area| {
            Problem::at(
                sheet.place(area.0, area.1),
                td_string!(locale, spreadsheet.merged, cells = area_name(area)).to_string(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
