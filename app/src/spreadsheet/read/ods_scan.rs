//! A pass over an ODS's `content.xml` before calamine parses it. Calamine reads every sheet
//! when it opens the file, and ODS compresses repetition into attributes
//! (`number-rows-repeated`, `number-columns-repeated`): a few bytes can ask for millions of
//! cells. This pass counts, as calamine will lay them out, the cells it holds while parsing
//! and the area each sheet spans from A1, and refuses the file over the cell limit. It also
//! collects the merged areas (`number-columns-spanned`, `number-rows-spanned`), which
//! calamine does not report for ODS.

use std::io::{BufReader, Cursor, Read as _};

use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::{Limits, Refusal};

/// Calamine's own caps on an ODS sheet.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// The attributes that make calamine hold a cell (a value, a type, a formula).
const VALUED: [&str; 8] = [
    "office:value-type",
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "table:formula",
    "calcext:value-type",
];

/// A merged area: first row, first column, last row, last column (rows from 1).
type Area = (u32, u32, u32, u32);

/// What the pass found: the merged areas of each sheet, by name, in the grid's numbering.
#[derive(Debug, Default)]
pub(super) struct Scan {
    merged: Vec<(String, Vec<Area>)>,
}

impl Scan {
    /// The merged areas of the sheet named `name`.
    pub(super) fn merged(&self, name: &str) -> Vec<Area> {
        self.merged
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }
}

struct Table {
    name: String,
    next_row: u64,
    last: Option<(u64, u64)>,
    merged: Vec<Area>,
}

struct Row {
    first: u64,
    repeats: u64,
    column: u64,
    /// One past the last column holding a value.
    end: u64,
}

/// Counts against the cell limit.
struct Count {
    limit: u64,
    parsed: u64,
    area: u64,
}

impl Count {
    fn check(&self) -> Result<(), Refusal> {
        if self.parsed > self.limit || self.area > self.limit {
            Err(Refusal::TooManyCells { limit: self.limit })
        } else {
            Ok(())
        }
    }
}

fn number(e: &BytesStart<'_>, key: &str, default: u64) -> Result<u64, Refusal> {
    match e.try_get_attribute(key).map_err(|_| Refusal::Damaged)? {
        Some(a) => a.value.trim().parse().map_err(|_| Refusal::Damaged),
        None => Ok(default),
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Scans `content.xml` of the ODS in `bytes` (whose sizes [`super::container`] checked).
pub(super) fn scan(bytes: &[u8], limits: &Limits) -> Result<Scan, Refusal> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    let content = archive
        .by_name("content.xml")
        .map_err(|_| Refusal::Damaged)?;
    let mut xml =
        quick_xml::Reader::from_reader(BufReader::new(content.take(limits.max_uncompressed_bytes)));
    xml.config_mut().check_end_names = false;

    let mut scan = Scan::default();
    let mut count = Count {
        limit: limits.max_cells,
        parsed: 0,
        area: 0,
    };
    let mut table: Option<Table> = None;
    // Tables inside cells: calamine skips them with their cell.
    let mut nested = 0u32;
    let mut row: Option<Row> = None;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let (element, empty) = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.name().0 {
                    "table:table" if nested > 0 => nested -= 1,
                    "table:table" => {
                        if let Some(t) = table.take() {
                            finish_table(t, &mut scan, &mut count)?;
                        }
                    }
                    "table:table-row" if nested == 0 => {
                        if let (Some(r), Some(t)) = (row.take(), table.as_mut()) {
                            finish_row(r, t, &mut count)?;
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Ok(Event::Eof) => break,
            Ok(_) => continue,
            Err(_) => return Err(Refusal::Damaged),
        };
        match element.name().0 {
            "table:table" if table.is_some() => nested += u32::from(!empty),
            "table:table" => {
                // Calamine reads only the tables that have a name.
                let name = element
                    .try_get_attribute("table:name")
                    .map_err(|_| Refusal::Damaged)?
                    // Unescaped as calamine unescapes it, so that the names match.
                    .map(|a| unescape(&a.value).map(|v| v.into_owned()))
                    .transpose()
                    .map_err(|_| Refusal::Damaged)?;
                if let Some(name) = name {
                    let t = Table {
                        name,
                        next_row: 0,
                        last: None,
                        merged: vec![],
                    };
                    if empty {
                        finish_table(t, &mut scan, &mut count)?;
                    } else {
                        table = Some(t);
                    }
                }
            }
            "table:table-row" if nested == 0 => {
                let Some(t) = table.as_mut() else { continue };
                let repeats = number(&element, "table:number-rows-repeated", 1)?
                    .min(MAX_ROWS.saturating_sub(t.next_row));
                let r = Row {
                    first: t.next_row,
                    repeats,
                    column: 0,
                    end: 0,
                };
                t.next_row += repeats;
                if empty {
                    finish_row(r, t, &mut count)?;
                } else {
                    row = Some(r);
                }
            }
            name @ ("table:table-cell" | "table:covered-table-cell") if nested == 0 => {
                let (Some(r), Some(t)) = (row.as_mut(), table.as_mut()) else {
                    continue;
                };
                let repeats = number(&element, "table:number-columns-repeated", 1)?
                    .min(MAX_COLUMNS.saturating_sub(r.column));
                let mut valued = false;
                for attribute in element.attributes() {
                    let attribute = attribute.map_err(|_| Refusal::Damaged)?;
                    valued |= VALUED.contains(&attribute.key.0);
                }
                if name == "table:table-cell" {
                    let columns = number(&element, "table:number-columns-spanned", 1)?;
                    let rows = number(&element, "table:number-rows-spanned", 1)?;
                    if columns > 1 || rows > 1 {
                        t.merged.push((
                            clamp(r.first + 1),
                            clamp(r.column),
                            clamp(r.first.saturating_add(rows.max(1))),
                            clamp(r.column.saturating_add(columns.max(1) - 1)),
                        ));
                        // Kept in the sheet: counted like a cell.
                        count.parsed += 1;
                    }
                }
                r.column += repeats;
                if valued {
                    r.end = r.column;
                }
            }
            _ => {}
        }
    }
    Ok(scan)
}

fn finish_row(row: Row, table: &mut Table, count: &mut Count) -> Result<(), Refusal> {
    // Calamine holds each row element once, up to its last value, whatever its repeats.
    count.parsed = count.parsed.saturating_add(row.end.min(MAX_COLUMNS));
    if row.end > 0 && row.repeats > 0 {
        let last_row = row.first + row.repeats - 1;
        let (r, c) = table.last.unwrap_or((0, 0));
        table.last = Some((r.max(last_row), c.max(row.end - 1)));
    }
    count.check()
}

fn finish_table(table: Table, scan: &mut Scan, count: &mut Count) -> Result<(), Refusal> {
    if let Some((row, column)) = table.last {
        count.area = count
            .area
            .saturating_add((row + 1).saturating_mul(column + 1));
    }
    scan.merged.push((table.name, table.merged));
    count.check()
}
