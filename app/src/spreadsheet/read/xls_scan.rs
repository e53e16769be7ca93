//! A pass over an XLS workbook stream's records (BIFF) before calamine parses it. Calamine
//! materialises every sheet when it opens the file, reserving memory from each sheet's
//! declared `Dimensions` and laying its cells out from the first to the last: a forged
//! record could make it reserve terabytes. This pass walks the records exactly as calamine
//! will (the sheets from the positions the workbook declares, nested substreams skipped) and
//! refuses the file first: password-protected (`FilePass`), damaged (records cut short,
//! sheets overlapping or outside the stream), or spanning more than the cell limit.

use super::Refusal;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILE_PASS: u16 = 0x002F;
const BOUND_SHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const MUL_RK: u16 = 0x00BD;
/// The records calamine turns into one cell each; all start with the row and the column.
const CELLS: [u16; 7] = [
    0x0203, // Number
    0x0204, // Label
    0x00D6, // RString
    0x0205, // BoolErr
    0x027E, // RK
    0x00FD, // LabelSst
    0x0006, // Formula
];

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The records from `offset`: `(type, data)`; a record cut short is a damaged file.
fn records(stream: &[u8], offset: usize) -> impl Iterator<Item = Result<(u16, &[u8]), Refusal>> {
    let mut rest = stream.get(offset..).unwrap_or_default();
    let mut failed = false;
    std::iter::from_fn(move || {
        if rest.is_empty() || failed {
            return None;
        }
        let header = u16_at(rest, 0).zip(u16_at(rest, 2));
        let Some((typ, len)) = header.filter(|&(_, len)| rest.len() >= 4 + len as usize) else {
            failed = true;
            return Some(Err(Refusal::Damaged));
        };
        let data = &rest[4..4 + len as usize];
        rest = &rest[4 + len as usize..];
        Some(Ok((typ, data)))
    })
}

/// Checks the stream; see the module documentation.
pub(super) fn scan(stream: &[u8], max_cells: u64) -> Result<(), Refusal> {
    let mut positions = vec![];
    for record in records(stream, 0) {
        let (typ, data) = record?;
        match typ {
            // Any protection, including the XOR obfuscation calamine would read as garbage.
            FILE_PASS => return Err(Refusal::Encrypted),
            BOUND_SHEET => {
                let position = u32_at(data, 0).filter(|_| data.len() >= 6);
                positions.push(position.ok_or(Refusal::Damaged)? as usize);
            }
            EOF => break,
            _ => {}
        }
    }

    let mut sorted = positions.clone();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) || sorted.last().is_some_and(|&p| p > stream.len()) {
        return Err(Refusal::Damaged);
    }

    let too_many = || Refusal::TooManyCells { limit: max_cells };
    // Sheets do not overlap in a real file; counting the bytes walked keeps a forged one
    // (every sheet pointing into the same records) from costing more than one pass.
    let mut walked = 0usize;
    let mut area = 0u64;
    for position in positions {
        let mut seen_bof = false;
        let mut depth = 0usize;
        let mut last: Option<(u32, u32)> = None;
        for record in records(stream, position) {
            let (typ, data) = record?;
            walked += 4 + data.len();
            if walked > stream.len() {
                return Err(Refusal::Damaged);
            }
            if depth > 0 {
                match typ {
                    BOF => depth += 1,
                    EOF => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell = match typ {
                BOF if seen_bof => {
                    // An embedded chart's substream: calamine skips its cells.
                    depth += 1;
                    None
                }
                BOF => {
                    seen_bof = true;
                    None
                }
                EOF => break,
                DIMENSIONS => {
                    if dimension_cells(data)? > max_cells {
                        return Err(too_many());
                    }
                    None
                }
                MUL_RK => {
                    let row = u16_at(data, 0).ok_or(Refusal::Damaged)?;
                    let first = u16_at(data, 2).ok_or(Refusal::Damaged)?;
                    let last = data
                        .len()
                        .checked_sub(2)
                        .and_then(|at| u16_at(data, at))
                        .filter(|&last| last >= first && data.len() >= 6)
                        .ok_or(Refusal::Damaged)?;
                    Some((row, last))
                }
                t if CELLS.contains(&t) => {
                    let row = u16_at(data, 0).ok_or(Refusal::Damaged)?;
                    let column = u16_at(data, 2).ok_or(Refusal::Damaged)?;
                    Some((row, column))
                }
                _ => None,
            };
            if let Some((row, column)) = cell {
                let (r, c) = last.unwrap_or((0, 0));
                last = Some((r.max(row.into()), c.max(column.into())));
            }
        }
        if let Some((row, column)) = last {
            area = area.saturating_add((u64::from(row) + 1) * (u64::from(column) + 1));
            if area > max_cells {
                return Err(too_many());
            }
        }
    }
    Ok(())
}

/// The cells calamine reserves for a `Dimensions` record, read as calamine reads it; a
/// range that ends before it starts is damaged (calamine's arithmetic would overflow).
fn dimension_cells(data: &[u8]) -> Result<u64, Refusal> {
    let damaged = || Refusal::Damaged;
    let (first_row, end_row, first_column, end_column) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0).ok_or_else(damaged)?),
            u32::from(u16_at(data, 2).ok_or_else(damaged)?),
            u32::from(u16_at(data, 4).ok_or_else(damaged)?),
            u32::from(u16_at(data, 6).ok_or_else(damaged)?),
        ),
        14 | 16 => (
            u32_at(data, 0).ok_or_else(damaged)?,
            u32_at(data, 4).ok_or_else(damaged)?,
            u32::from(u16_at(data, 8).ok_or_else(damaged)?),
            u32::from(u16_at(data, 10).ok_or_else(damaged)?),
        ),
        _ => return Err(damaged()),
    };
    // Calamine's own correction for an impossible first column.
    let first_column = if first_column > 0xFF || end_column < first_column {
        0
    } else {
        first_column
    };
    if end_row == 0 || end_column == 0 {
        return Ok(1);
    }
    let rows = (end_row - 1).checked_sub(first_row).ok_or_else(damaged)?;
    let columns = (end_column - 1)
        .checked_sub(first_column)
        .ok_or_else(damaged)?;
    Ok((u64::from(rows) + 1) * (u64::from(columns) + 1))
}
