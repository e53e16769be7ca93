//! What a file is, by its first bytes and its parts, and whether its container is safe to
//! hand to a parser: a zip is listed and unpacked into a counting sink; an OLE file is
//! listed and its XLS records pre-scanned.

use std::io::{self, Cursor, Read as _, Write};

use zip::ZipArchive;

use super::{xls_scan, Limits, Refusal, RATIO_FLOOR};

/// A file that passed the container checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `merged_cells`: whether a worksheet part mentions merged cells at all (when none does,
    /// the reader skips calamine's second pass over each sheet that looks for them).
    Xlsx {
        merged_cells: bool,
    },
    Ods,
    Xls,
}

/// What a worksheet's merged areas are written with (`<mergeCell ref=…>`, with or without a
/// namespace prefix); a text cell saying it inline only costs a needless pass.
const MERGE_TAG: &[u8] = b"mergeCell";

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
/// The parts whose content decides the kind are kept while counted, up to this size.
const KEEP_AT_MOST: usize = 1024 * 1024;

/// The kind of `bytes`, once its container is known to be safe to parse.
pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<Kind, Refusal> {
    if bytes.starts_with(ZIP_MAGIC) {
        check_zip(bytes, limits)
    } else if bytes.starts_with(OLE_MAGIC) {
        check_ole(bytes, limits)
    } else {
        Err(Refusal::NotSpreadsheet)
    }
}

/// Refuses a part that unpacks to more than `max_ratio` times its packed size.
fn check_ratio(part: &str, unpacked: u64, packed: u64, limits: &Limits) -> Result<(), Refusal> {
    if unpacked > RATIO_FLOOR && unpacked / packed.max(1) > limits.max_ratio {
        return Err(Refusal::Ratio {
            // The name comes from the file: enough of it to find the part, no more.
            part: part.chars().take(80).collect(),
            limit: limits.max_ratio,
        });
    }
    Ok(())
}

/// Counts what is written to it, keeping the first [`KEEP_AT_MOST`] bytes when asked, and
/// looking for [`MERGE_TAG`] when asked (across the chunks' seams too).
struct Sink {
    count: u64,
    kept: Option<Vec<u8>>,
    /// `Some(seam)` while looking: the last bytes of the previous chunk.
    looking: Option<Vec<u8>>,
    found: bool,
}

impl Sink {
    fn new(keep: bool, look: bool) -> Self {
        Self {
            count: 0,
            kept: keep.then(Vec::new),
            looking: look.then(Vec::new),
            found: false,
        }
    }

    fn look(&mut self, buf: &[u8]) {
        let Some(seam) = &mut self.looking else {
            return;
        };
        let head = &buf[..buf.len().min(MERGE_TAG.len() - 1)];
        seam.extend_from_slice(head);
        if memchr::memmem::find(seam, MERGE_TAG).is_some()
            || memchr::memmem::find(buf, MERGE_TAG).is_some()
        {
            self.found = true;
            self.looking = None;
            return;
        }
        // The last bytes seen, for the next seam (a short chunk is already all in `seam`).
        let keep = MERGE_TAG.len() - 1;
        if buf.len() >= keep {
            seam.clear();
            seam.extend_from_slice(&buf[buf.len() - keep..]);
        } else {
            seam.drain(..seam.len().saturating_sub(keep));
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.count = self.count.saturating_add(buf.len() as u64);
        if let Some(kept) = &mut self.kept {
            let room = KEEP_AT_MOST.saturating_sub(kept.len());
            kept.extend_from_slice(&buf[..buf.len().min(room)]);
        }
        self.look(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether `bytes` is an XLSX by its list of parts alone, after the checks of that list
/// (encryption, declared sizes and ratios), without unpacking anything: enough to hand it to
/// calamine's streaming reader, since the `zip` crate stops every part at its declared size.
/// [`check`] still has to unpack it (forged sizes, checksums, merged areas).
pub(super) fn listed_xlsx(bytes: &[u8], limits: &Limits) -> Result<bool, Refusal> {
    if !bytes.starts_with(ZIP_MAGIC) {
        return Ok(false);
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    let names = list(&mut archive, limits)?;
    Ok(names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("xl/workbook.xml")))
}

/// The parts' names, after their declared sizes: cheap, and they refuse an honest bomb
/// without unpacking it.
fn list(archive: &mut ZipArchive<Cursor<&[u8]>>, limits: &Limits) -> Result<Vec<String>, Refusal> {
    let mut names = Vec::with_capacity(archive.len());
    let mut declared: u64 = 0;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(|_| Refusal::Damaged)?;
        if part.encrypted() {
            return Err(Refusal::Encrypted);
        }
        let name = part.name().map_err(|_| Refusal::Damaged)?.into_owned();
        declared = declared.saturating_add(part.size());
        if declared > limits.max_uncompressed_bytes {
            return Err(Refusal::Unpacked {
                limit: limits.max_uncompressed_bytes,
            });
        }
        check_ratio(&name, part.size(), part.compressed_size(), limits)?;
        names.push(name);
    }
    Ok(names)
}

fn check_zip(bytes: &[u8], limits: &Limits) -> Result<Kind, Refusal> {
    // A truncated zip has no central directory at its end: the archive does not open.
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    let names = list(&mut archive, limits)?;

    // Then the actual sizes: a forged header can declare little and hold much, so every part
    // is unpacked (and its checksum verified) into a sink that stops one byte past what is
    // left of the limit.
    let mut left = limits.max_uncompressed_bytes;
    let mut mimetype = None;
    let mut manifest = None;
    let mut merged_cells = false;
    for (index, name) in names.iter().enumerate() {
        let mut part = archive.by_index(index).map_err(|_| Refusal::Damaged)?;
        let declared = part.size();
        let packed = part.compressed_size();
        let keep = name == "mimetype" || name == "META-INF/manifest.xml";
        let look = !merged_cells && is_worksheet_part(name);
        let mut sink = Sink::new(keep, look);
        io::copy(&mut (&mut part).take(left.saturating_add(1)), &mut sink)
            .map_err(|_| Refusal::Damaged)?;
        if sink.count > left {
            return Err(Refusal::Unpacked {
                limit: limits.max_uncompressed_bytes,
            });
        }
        left -= sink.count;
        merged_cells |= sink.found;
        check_ratio(name, sink.count, packed, limits)?;
        if sink.count != declared {
            return Err(Refusal::Damaged);
        }
        match name.as_str() {
            "mimetype" => mimetype = sink.kept,
            "META-INF/manifest.xml" => manifest = sink.kept,
            _ => {}
        }
    }

    let has = |wanted: &str| names.iter().any(|n| n.eq_ignore_ascii_case(wanted));
    if has("xl/workbook.xml") {
        return Ok(Kind::Xlsx { merged_cells });
    }
    if has("xl/workbook.bin") {
        return Err(Refusal::Xlsb);
    }
    let is_ods = match &mimetype {
        Some(m) => m.trim_ascii() == ODS_MIMETYPE,
        None => has("content.xml"),
    };
    if !is_ods {
        return Err(Refusal::ZipWithoutWorkbook);
    }
    // A password-protected ODS keeps its parts encrypted and says so in its manifest.
    if manifest.is_some_and(|m| contains(&m, b"encryption-data")) {
        return Err(Refusal::Encrypted);
    }
    Ok(Kind::Ods)
}

/// An XLSX worksheet part (`xl/worksheets/sheet1.xml`; any case, any folder a workbook's
/// relationships could point to is still under `worksheets`).
fn is_worksheet_part(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("worksheets/") && lower.ends_with(".xml")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn check_ole(bytes: &[u8], limits: &Limits) -> Result<Kind, Refusal> {
    let ole = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    // Excel saves a password-protected XLSX as an OLE file holding the encrypted zip.
    if ole.is_stream("/EncryptionInfo") || ole.is_stream("/EncryptedPackage") {
        return Err(Refusal::Encrypted);
    }
    // Calamine looks for the same two names, in this order (BIFF8, then BIFF5).
    let Some(name) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| ole.is_stream(n))
    else {
        // A Word document or another OLE file.
        return Err(Refusal::NotSpreadsheet);
    };
    let mut ole = ole;
    let mut stream = Vec::new();
    ole.open_stream(name)
        .map_err(|_| Refusal::Damaged)?
        .take(limits.max_file_bytes as u64 + 1)
        .read_to_end(&mut stream)
        .map_err(|_| Refusal::Damaged)?;
    xls_scan::scan(&stream, limits.max_cells)?;
    Ok(Kind::Xls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(chunks: &[&[u8]]) -> bool {
        let mut sink = Sink::new(false, true);
        for c in chunks {
            sink.write_all(c).unwrap();
        }
        sink.found
    }

    #[test]
    fn merged_cells_are_found_in_a_chunk_and_across_a_seam() {
        assert!(found(&[
            b"<sheetData/><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/>"
        ]));
        assert!(found(&[b"</sheetData><x:mer", b"geCells>"]));
        assert!(found(&[b"<m", b"e", b"rgeCell ref=\"A1:B2\"/>"]));
        assert!(!found(&[
            b"<sheetData><row r=\"1\"/></sheetData>",
            b"<pageMargins/>"
        ]));
        assert!(!found(&[b"merge", b"Cel"]));
    }

    #[test]
    fn only_worksheet_parts_are_searched() {
        assert!(is_worksheet_part("xl/worksheets/sheet1.xml"));
        assert!(is_worksheet_part("xl/Worksheets/Sheet2.XML"));
        assert!(!is_worksheet_part("xl/sharedStrings.xml"));
        assert!(!is_worksheet_part("xl/worksheets/_rels/sheet1.xml.rels"));
    }
}
