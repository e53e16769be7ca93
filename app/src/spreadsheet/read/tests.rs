//! The reader against a corpus of files made here: good ones in each format, and bad ones
//! (not spreadsheets, cut, corrupted, bombs, encrypted, huge), each refused with its message.

use std::io::{Cursor, Write};

use rust_xlsxwriter::{ExcelDateTime, Format as XlsxFormat, Formula};
use time::macros::date;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::*;
use crate::spreadsheet::grid::Cell;

fn en() -> Locale {
    Locale::en
}

fn xlsx(build: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    build(&mut book);
    book.save_to_buffer().expect("xlsx written")
}

/// The one message of a refused file.
fn refusal(bytes: &[u8], limits: &Limits) -> String {
    let problems = read(bytes, limits, en()).expect_err("refused");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].place, None);
    problems[0].message.clone()
}

fn text(t: &str) -> Cell {
    Cell::Text(t.into())
}

/// The report workbook of the round trip: texts, numbers, dates, a formula, a merged area,
/// a sheet whose data starts at C3, and a hidden sheet.
fn report_xlsx() -> Vec<u8> {
    xlsx(|book| {
        let sheet = book.add_worksheet();
        sheet.set_name("Report").expect("name");
        for (column, header) in ["Country", "Value", "As of", "Typed date", "Total"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, column as u16, *header).expect("cell");
        }
        sheet.write_string(1, 0, "Malta").expect("cell");
        sheet.write_number(1, 1, 12.5).expect("cell");
        let day = ExcelDateTime::from_ymd(2026, 3, 1).expect("date");
        let date_format = XlsxFormat::new().set_num_format("yyyy-mm-dd");
        sheet
            .write_datetime_with_format(1, 2, &day, &date_format)
            .expect("cell");
        sheet.write_string(1, 3, "2026-03-01").expect("cell");
        sheet
            .write_formula(1, 4, Formula::new("=B2*2").set_result("25"))
            .expect("cell");
        sheet
            .write_formula(2, 4, Formula::new("=1/0").set_result("#DIV/0!"))
            .expect("cell");
        sheet
            .merge_range(4, 0, 4, 2, "merged", &XlsxFormat::new())
            .expect("merge");

        let offset = book.add_worksheet();
        offset.set_name("Offset").expect("name");
        offset.write_string(2, 2, "late start").expect("cell");

        let lists = book.add_worksheet();
        lists.set_name("Lists").expect("name");
        lists.write_string(0, 0, "on track").expect("cell");
        lists.set_hidden(true);
    })
}

#[test]
fn a_workbook_written_by_a_spreadsheet_library_reads_back_cell_by_cell() {
    let read = read(&report_xlsx(), &Limits::default(), en()).expect("read");
    let book = &read.workbook;
    assert_eq!(book.format, Format::Xlsx);
    let names: Vec<_> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Report", "Offset", "Lists"]);

    let report = book.sheet("report").expect("sheet");
    assert!(!report.hidden);
    assert_eq!(report.cell(1, 0), &text("Country"));
    assert_eq!(report.cell(2, 0), &text("Malta"));
    assert_eq!(report.cell(2, 1), &Cell::Number(12.5));
    assert_eq!(report.cell(2, 2), &Cell::Date(date!(2026 - 03 - 01)));
    // A date typed as text stays text: importers parse it.
    assert_eq!(report.cell(2, 3), &text("2026-03-01"));
    // Formulas give the value they last computed, and say so.
    assert_eq!(report.cell(2, 4), &Cell::Number(25.0));
    assert_eq!(report.cell(3, 4), &Cell::Error("#DIV/0!".into()));
    assert_eq!(
        report.formulas.iter().copied().collect::<Vec<_>>(),
        [(2, 4), (3, 4)]
    );
    assert_eq!(report.merged, [(5, 0, 5, 2)]);
    assert_eq!(report.cell(5, 0), &text("merged"));
    // Rows are rectangular, from A1.
    assert!(report.rows.iter().all(|r| r.len() == 5));

    let offset = book.sheet("Offset").expect("sheet");
    assert_eq!(offset.rows.len(), 3);
    assert_eq!(offset.rows[0], [Cell::Empty, Cell::Empty, Cell::Empty]);
    assert_eq!(offset.cell(3, 2), &text("late start"));

    assert!(book.sheet("Lists").expect("sheet").hidden);

    assert_eq!(
        read.notices,
        [
            Problem::at(
                Place::cell("Report", 2, 4),
                "holds a formula; its last computed value (25) is used, not the formula."
            ),
            Problem::at(
                Place::cell("Report", 3, 4),
                "holds a formula; its last computed value (#DIV/0!) is used, not the formula."
            ),
        ]
    );
}

#[test]
fn formula_notices_list_twenty_cells_then_the_count_of_the_others() {
    let bytes = xlsx(|book| {
        let sheet = book.add_worksheet();
        for row in 0..25 {
            sheet
                .write_formula(row, 0, Formula::new("=1+1").set_result("2"))
                .expect("cell");
        }
    });
    let read = read(&bytes, &Limits::default(), en()).expect("read");
    assert_eq!(read.notices.len(), 21);
    assert_eq!(read.notices[19].place, Some(Place::cell("Sheet1", 20, 0)));
    assert_eq!(read.notices[20].place, None);
    assert!(read.notices[20].message.contains("and 5 more"));
}

#[test]
fn a_formula_without_a_saved_result_is_refused_at_its_cell() {
    let bytes = xlsx(|book| {
        let sheet = book.add_worksheet();
        sheet.set_formula_result_default("");
        sheet.write_string(0, 0, "Total").expect("cell");
        sheet.write_formula(1, 1, "=SUM(A1:A9)").expect("cell");
    });
    let problems = read(&bytes, &Limits::default(), en()).expect_err("refused");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].place, Some(Place::cell("Sheet1", 2, 1)));
    assert!(problems[0].message.contains("result is not saved"));
}

#[test]
fn files_that_are_not_spreadsheets_are_named_so() {
    let limits = Limits::default();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";
    let pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    let csv = b"country,value\nMalta,12.5\n";
    for bytes in [&png[..], &pdf[..], &csv[..], b""] {
        let message = refusal(bytes, &limits);
        assert!(message.contains("not a spreadsheet"), "{message}");
        assert!(message.contains(".xlsx, .xls or .ods"), "{message}");
    }

    let docx = zip_of(&[("word/document.xml", b"<w:document/>")]);
    let message = refusal(&docx, &limits);
    assert!(
        message.contains("a zip file without a workbook"),
        "{message}"
    );

    let xlsb = zip_of(&[("xl/workbook.bin", b"\x83\x01\x00")]);
    assert!(refusal(&xlsb, &limits).contains(".xlsb"));
}

#[test]
fn a_file_over_the_size_limit_is_refused_with_both_sizes() {
    let bytes = vec![0u8; 11 * 1024 * 1024];
    assert_eq!(
        refusal(&bytes, &Limits::default()),
        "The file is 11 MB; the limit is 10 MB. Remove what the import does not need \
         (other sheets, pictures) or split it into several files."
    );
}

#[test]
fn a_file_cut_short_is_damaged() {
    let bytes = report_xlsx();
    let message = refusal(&bytes[..bytes.len() / 2], &Limits::default());
    assert!(
        message.contains("damaged or incomplete (truncated?)"),
        "{message}"
    );
}

#[test]
fn bytes_flipped_inside_the_compressed_data_are_damaged() {
    let mut bytes = report_xlsx();
    let (start, len) = {
        let mut archive = ZipArchive::new(Cursor::new(&bytes)).expect("zip");
        let part = archive
            .by_name("xl/worksheets/sheet1.xml")
            .expect("sheet part");
        let header = part.header_start() as usize;
        (header, part.compressed_size() as usize)
    };
    // The data follows the local header (30 bytes), the name and the extra field.
    let name_len = u16::from_le_bytes([bytes[start + 26], bytes[start + 27]]) as usize;
    let extra_len = u16::from_le_bytes([bytes[start + 28], bytes[start + 29]]) as usize;
    let data = start + 30 + name_len + extra_len;
    for b in &mut bytes[data + len / 2..data + len / 2 + 8] {
        *b ^= 0x5A;
    }
    let message = refusal(&bytes, &Limits::default());
    assert!(message.contains("damaged"), "{message}");
}

/// A zip of deflated parts.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        let stored = *name == "mimetype";
        let options = SimpleFileOptions::default().compression_method(if stored {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        });
        zip.start_file(*name, options).expect("part");
        zip.write_all(data).expect("written");
    }
    zip.finish().expect("zip").into_inner()
}

/// A zip whose `xl/workbook.xml` is `size` zero bytes, written in chunks.
fn zeros_zip(size: usize) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("xl/workbook.xml", options).expect("part");
    let chunk = vec![0u8; 64 * 1024];
    for _ in 0..size / chunk.len() {
        zip.write_all(&chunk).expect("written");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size_and_by_its_ratio() {
    let bomb = zeros_zip(2 * 1024 * 1024);
    let small = Limits {
        max_uncompressed_bytes: 1024 * 1024,
        max_ratio: u64::MAX,
        ..Limits::default()
    };
    let message = refusal(&bomb, &small);
    assert!(
        message.contains("more than 1 MB of data once unpacked"),
        "{message}"
    );

    // 2 MiB of zeros deflate about a thousand times.
    let message = refusal(&bomb, &Limits::default());
    assert!(
        message.contains("xl/workbook.xml") && message.contains("more than 200 times"),
        "{message}"
    );
}

/// Rewrites the uncompressed size the headers declare for `name`.
fn forge_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        // The name follows the fixed part of a local (30 bytes) or central (46) header.
        let (name_at, size_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (30, 22),
            b"PK\x01\x02" => (46, 24),
            _ => continue,
        };
        if zip.get(at + name_at..at + name_at + name.len()) == Some(name.as_bytes()) {
            zip[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local and central headers patched");
}

#[test]
fn a_forged_header_declaring_a_small_size_is_caught_while_unpacking() {
    let mut bomb = zeros_zip(2 * 1024 * 1024);
    forge_size(&mut bomb, "xl/workbook.xml", 1000);
    let limits = Limits {
        max_uncompressed_bytes: 1024 * 1024,
        ..Limits::default()
    };
    // The zip crate stops a part at its declared size, so the lie shows as damage before
    // the reader's own cap (kept in case it did not) is reached.
    let message = refusal(&bomb, &limits);
    assert!(message.contains("damaged"), "{message}");
    let message = refusal(
        &bomb,
        &Limits {
            max_ratio: u64::MAX,
            ..Limits::default()
        },
    );
    assert!(message.contains("damaged"), "{message}");
}

#[test]
fn sheets_spanning_more_cells_than_the_limit_are_refused_before_their_rows_exist() {
    let dense = xlsx(|book| {
        let sheet = book.add_worksheet();
        for row in 0..10 {
            sheet.write_number(row, 0, 1.0).expect("cell");
            sheet.write_number(row, 1, 2.0).expect("cell");
        }
    });
    let limits = |max_cells| Limits {
        max_cells,
        ..Limits::default()
    };
    assert!(read(&dense, &limits(20), en()).is_ok());
    let message = refusal(&dense, &limits(19));
    assert!(message.contains("more than 19 cells"), "{message}");

    // Two cells far apart span the area between them from A1.
    let sparse = xlsx(|book| {
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "a").expect("cell");
        sheet.write_string(999, 25, "z").expect("cell");
    });
    let message = refusal(&sparse, &limits(10_000));
    assert!(message.contains("more than 10,000 cells"), "{message}");
}

const ODS_MIMETYPE_TEXT: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;

fn ods_content(tables: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2">
<office:automatic-styles>
<style:style style:name="ta_hidden" style:family="table"><style:table-properties table:display="false"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    )
    .into_bytes()
}

/// An ODS as LibreOffice lays it out: the mimetype stored first, then the content and the
/// manifest. (Like LibreOffice, nothing may stand between the cells of a row: calamine
/// refuses even white space there.)
fn ods(tables: &str) -> Vec<u8> {
    zip_of(&[
        ("mimetype", ODS_MIMETYPE_TEXT),
        ("content.xml", &ods_content(tables)),
        ("META-INF/manifest.xml", MANIFEST),
    ])
}

const ODS_TABLES: &str = r#"
<table:table table:name="Data">
 <table:table-column table:number-columns-repeated="3"/>
 <table:table-row><table:table-cell office:value-type="string"><text:p>Country</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Value</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>As of</text:p></table:table-cell></table:table-row>
 <table:table-row><table:table-cell office:value-type="string"><text:p>Malta &amp; Gozo</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="12.5"><text:p>12.5</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2026-03-01"><text:p>01/03/2026</text:p></table:table-cell></table:table-row>
 <table:table-row><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1" office:value-type="string"><text:p>merged</text:p></table:table-cell><table:covered-table-cell/><table:table-cell table:formula="of:=[.B2]*2" office:value-type="float" office:value="25"><text:p>25</text:p></table:table-cell></table:table-row>
 <table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table>
<table:table table:name="Lists" table:style-name="ta_hidden">
 <table:table-row><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell></table:table-row>
</table:table>
"#;

#[test]
fn an_ods_written_by_hand_reads_like_an_xlsx() {
    let read = read(&ods(ODS_TABLES), &Limits::default(), en()).expect("read");
    let book = &read.workbook;
    assert_eq!(book.format, Format::Ods);
    let data = book.sheet("Data").expect("sheet");
    assert!(!data.hidden);
    assert_eq!(data.cell(1, 2), &text("As of"));
    assert_eq!(data.cell(2, 0), &text("Malta & Gozo"));
    assert_eq!(data.cell(2, 1), &Cell::Number(12.5));
    assert_eq!(data.cell(2, 2), &Cell::Date(date!(2026 - 03 - 01)));
    assert_eq!(data.cell(3, 2), &Cell::Number(25.0));
    assert_eq!(data.formulas.iter().copied().collect::<Vec<_>>(), [(3, 2)]);
    assert_eq!(data.merged, [(3, 0, 3, 1)]);
    // The empty rows LibreOffice repeats to the end of the sheet take no room.
    assert_eq!(data.rows.len(), 3);
    let lists = book.sheet("Lists").expect("sheet");
    assert!(lists.hidden);
    assert_eq!(lists.cell(1, 0), &Cell::Bool(true));
    assert_eq!(read.notices.len(), 1);
    assert_eq!(read.notices[0].place, Some(Place::cell("Data", 3, 2)));
}

#[test]
fn an_ods_repeating_a_value_over_millions_of_cells_is_refused_before_calamine_lays_it_out() {
    let huge = r#"<table:table table:name="Huge">
 <table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>
</table:table>"#;
    let message = refusal(&ods(huge), &Limits::default());
    assert!(message.contains("more than 5,000,000 cells"), "{message}");
}

#[test]
fn password_protected_files_are_refused_with_the_way_to_remove_the_password() {
    // Excel keeps an encrypted XLSX inside an OLE file.
    let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("ole");
    ole.create_stream("/EncryptionInfo")
        .expect("stream")
        .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
        .expect("written");
    ole.create_stream("/EncryptedPackage")
        .expect("stream")
        .write_all(&[0; 600])
        .expect("written");
    ole.flush().expect("flushed");
    let bytes = ole.into_inner().into_inner();
    let message = refusal(&bytes, &Limits::default());
    assert!(message.contains("protected by a password"), "{message}");
    assert!(
        message.contains("File > Info > Protect Workbook"),
        "{message}"
    );

    // An ODS says so in its manifest.
    let manifest =
        br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">
  <manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>
 </manifest:file-entry>
</manifest:manifest>"#;
    let bytes = zip_of(&[
        ("mimetype", ODS_MIMETYPE_TEXT),
        ("content.xml", b"\x01\x02\x03"),
        ("META-INF/manifest.xml", manifest),
    ]);
    assert!(refusal(&bytes, &Limits::default()).contains("protected by a password"));

    // An XLS says so in its first records.
    let bytes = xls(
        &[XlsSheet::default()],
        &[record(0x002F, &[1, 0, 1, 0, 1, 0])],
    );
    assert!(refusal(&bytes, &Limits::default()).contains("protected by a password"));

    let fr = read(&bytes, &Limits::default(), Locale::fr).expect_err("refused");
    assert!(fr[0].message.contains("mot de passe"), "{}", fr[0].message);
}

/// A BIFF record.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

fn bof(kind: u16) -> Vec<u8> {
    let mut data = 0x0600u16.to_le_bytes().to_vec();
    data.extend(kind.to_le_bytes());
    data.extend([0; 12]);
    record(0x0809, &data)
}

/// One sheet of a hand-made XLS: its name, whether hidden, and its records between BOF and
/// EOF.
#[derive(Default)]
struct XlsSheet {
    name: &'static str,
    hidden: bool,
    records: Vec<Vec<u8>>,
}

/// A cell record: row, column, format 0, then `rest`.
fn cell_record(typ: u16, row: u16, column: u16, rest: &[u8]) -> Vec<u8> {
    let mut data: Vec<u8> = [row, column, 0]
        .iter()
        .flat_map(|n| n.to_le_bytes())
        .collect();
    data.extend(rest);
    record(typ, &data)
}

fn label(row: u16, column: u16, s: &str) -> Vec<u8> {
    let mut rest = (s.len() as u16).to_le_bytes().to_vec();
    rest.push(0);
    rest.extend(s.as_bytes());
    cell_record(0x0204, row, column, &rest)
}

fn number(row: u16, column: u16, n: f64) -> Vec<u8> {
    cell_record(0x0203, row, column, &n.to_le_bytes())
}

/// A formula `=42` whose saved value is `value`.
fn formula(row: u16, column: u16, value: f64) -> Vec<u8> {
    let mut rest = value.to_le_bytes().to_vec();
    rest.extend([0, 0, 0, 0, 0, 0]);
    rest.extend(3u16.to_le_bytes());
    rest.extend([0x1E, 42, 0]);
    cell_record(0x0006, row, column, &rest)
}

fn dimensions(rows: u32, columns: u16) -> Vec<u8> {
    let mut data = 0u32.to_le_bytes().to_vec();
    data.extend(rows.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend(columns.to_le_bytes());
    data.extend([0, 0]);
    record(0x0200, &data)
}

/// A BIFF8 workbook in an OLE file, as calamine reads it: the globals (with `globals`
/// records first), then each sheet at the position its BoundSheet8 record gives.
fn xls(sheets: &[XlsSheet], globals: &[Vec<u8>]) -> Vec<u8> {
    let bound = |position: u32, sheet: &XlsSheet| {
        let mut data = position.to_le_bytes().to_vec();
        data.extend([u8::from(sheet.hidden), 0, sheet.name.len() as u8, 0]);
        data.extend(sheet.name.as_bytes());
        record(0x0085, &data)
    };
    let globals_len = bof(0x0005).len()
        + globals.iter().map(Vec::len).sum::<usize>()
        + sheets.iter().map(|s| bound(0, s).len()).sum::<usize>()
        + record(0x000A, &[]).len();
    let mut bodies = vec![];
    let mut positions = vec![];
    let mut at = globals_len;
    for sheet in sheets {
        let mut body = bof(0x0010);
        for r in &sheet.records {
            body.extend(r);
        }
        body.extend(record(0x000A, &[]));
        positions.push(at as u32);
        at += body.len();
        bodies.push(body);
    }
    let mut stream = bof(0x0005);
    for r in globals {
        stream.extend(r);
    }
    for (sheet, position) in sheets.iter().zip(&positions) {
        stream.extend(bound(*position, sheet));
    }
    stream.extend(record(0x000A, &[]));
    assert_eq!(stream.len(), globals_len);
    for body in bodies {
        stream.extend(body);
    }
    // Past the 4 KB of the mini stream, as real workbooks are.
    stream.resize(stream.len().max(5000), 0);
    let mut ole = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .expect("ole");
    ole.create_stream("/Workbook")
        .expect("stream")
        .write_all(&stream)
        .expect("written");
    ole.flush().expect("flushed");
    ole.into_inner().into_inner()
}

#[test]
fn a_small_xls_reads_its_cells_formulas_merged_areas_and_hidden_sheets() {
    let data = XlsSheet {
        name: "Data",
        hidden: false,
        records: vec![
            dimensions(3, 3),
            label(0, 0, "Country"),
            number(1, 1, 12.5),
            formula(1, 2, 42.0),
            // MergeCells: one area, A3:B3.
            record(0x00E5, &[1, 0, 2, 0, 2, 0, 0, 0, 1, 0]),
        ],
    };
    let lists = XlsSheet {
        name: "Lists",
        hidden: true,
        records: vec![label(0, 0, "on track")],
    };
    let read = read(&xls(&[data, lists], &[]), &Limits::default(), en()).expect("read");
    let book = &read.workbook;
    assert_eq!(book.format, Format::Xls);
    let data = book.sheet("Data").expect("sheet");
    assert_eq!(data.cell(1, 0), &text("Country"));
    assert_eq!(data.cell(2, 1), &Cell::Number(12.5));
    assert_eq!(data.cell(2, 2), &Cell::Number(42.0));
    assert_eq!(data.formulas.iter().copied().collect::<Vec<_>>(), [(2, 2)]);
    assert_eq!(data.merged, [(3, 0, 3, 1)]);
    assert!(!data.hidden);
    assert!(book.sheet("Lists").expect("sheet").hidden);
    assert_eq!(read.notices.len(), 1);
}

#[test]
fn a_forged_xls_is_refused_before_calamine_reserves_memory_for_it() {
    let limits = Limits::default();
    // Dimensions declaring four billion rows.
    let forged = XlsSheet {
        name: "Data",
        records: vec![dimensions(u32::MAX, 200)],
        ..Default::default()
    };
    let message = refusal(&xls(&[forged], &[]), &limits);
    assert!(message.contains("more than 5,000,000 cells"), "{message}");

    // Two cells far apart.
    let sparse = XlsSheet {
        name: "Data",
        records: vec![number(0, 0, 1.0), number(60_000, 200, 1.0)],
        ..Default::default()
    };
    let message = refusal(&xls(&[sparse], &[]), &limits);
    assert!(message.contains("cells"), "{message}");

    // A sheet said to start past the end of the stream.
    let bound = record(0x0085, &[0xFF, 0xFF, 0xFF, 0x00, 0, 0, 1, 0, b'X']);
    let message = refusal(&xls(&[], &[bound]), &limits);
    assert!(message.contains("damaged"), "{message}");

    // An OLE file without a workbook: a Word document, say.
    let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("ole");
    ole.create_stream("/WordDocument")
        .expect("stream")
        .write_all(&[0; 600])
        .expect("written");
    ole.flush().expect("flushed");
    let message = refusal(&ole.into_inner().into_inner(), &limits);
    assert!(message.contains("not a spreadsheet"), "{message}");
}

#[test]
fn merged_areas_inside_the_data_rows_are_named() {
    let sheet = Sheet {
        name: "Report".into(),
        merged: vec![(4, 1, 4, 3), (1, 0, 1, 4), (2, 0, 3, 0)],
        ..Default::default()
    };
    let problems = merged_problems(&sheet, 3, en());
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].place, Some(Place::cell("Report", 2, 0)));
    assert!(problems[0]
        .message
        .starts_with("cells A2:A3 are merged; unmerge them"));
    assert_eq!(problems[1].place, Some(Place::cell("Report", 4, 1)));
    assert!(problems[1].message.starts_with("cells B4:D4 are merged"));
}

#[test]
fn an_xls_written_by_a_real_writer_reads_its_dates_merged_areas_and_hidden_sheets() {
    // Written by xlwt (scripts/make-xls-fixture.py): shared strings, formats, a date.
    let bytes = include_bytes!("../../../tests/fixtures/report.xls");
    let read = read(bytes, &Limits::default(), en()).expect("read");
    let book = &read.workbook;
    assert_eq!(book.format, Format::Xls);
    let report = book.sheet("Report").expect("sheet");
    assert_eq!(report.cell(1, 3), &text("Typed date"));
    assert_eq!(report.cell(2, 0), &text("Malta & Gozo"));
    assert_eq!(report.cell(2, 1), &Cell::Number(12.5));
    assert_eq!(report.cell(2, 2), &Cell::Date(date!(2026 - 03 - 01)));
    assert_eq!(report.cell(2, 3), &text("2026-03-01"));
    assert_eq!(report.merged, [(5, 0, 5, 2)]);
    assert!(!report.hidden);
    assert!(book.sheet("Lists").expect("sheet").hidden);
    assert!(read.notices.is_empty());
}

#[test]
fn an_xls_formula_saved_without_its_result_is_refused_at_its_cell() {
    // What xlwt writes for every formula: an empty text result, never computed.
    let mut unsaved = formula(1, 4, 0.0);
    unsaved[4 + 6..4 + 14].copy_from_slice(&0xFFFF_0000_0000_0003u64.to_le_bytes());
    let sheet = XlsSheet {
        name: "Report",
        records: vec![label(0, 0, "Total"), unsaved],
        ..Default::default()
    };
    let problems = read(&xls(&[sheet], &[]), &Limits::default(), en()).expect_err("refused");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].place, Some(Place::cell("Report", 2, 4)));
    assert!(problems[0].message.contains("result is not saved"));
}

/// Every row `stream` hands over, in order, for the sheet named `name`.
fn streamed(bytes: &[u8], limits: &Limits, name: &str) -> (Result<Streamed, Vec<Problem>>, Rows) {
    let mut rows = Vec::new();
    let outcome = stream(
        bytes,
        limits,
        en(),
        |sheets| sheets.iter().position(|s| s.name == name),
        |chunk| {
            rows.extend(chunk);
            true
        },
    );
    (outcome, rows)
}

#[test]
fn a_streamed_sheet_gives_the_grids_rows_notices_and_merged_areas() {
    let bytes = report_xlsx();
    let read = read(&bytes, &Limits::default(), en()).expect("read");
    for sheet in &read.workbook.sheets {
        let (outcome, rows) = streamed(&bytes, &Limits::default(), &sheet.name);
        let Ok(Streamed::Done { notices, merged }) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(merged, sheet.merged, "{}", sheet.name);
        // The grid's rows with a value, each as wide as its last value.
        let expected: Rows = sheet
            .rows
            .iter()
            .enumerate()
            .filter(|(_, cells)| cells.iter().any(|c| *c != Cell::Empty))
            .map(|(r, cells)| {
                let width = cells.iter().rposition(|c| *c != Cell::Empty).unwrap() + 1;
                (r as u32 + 1, cells[..width].to_vec())
            })
            .collect();
        assert_eq!(rows, expected, "{}", sheet.name);
        if sheet.name == "Report" {
            assert_eq!(notices, read.notices);
        }
    }
    // More rows than a chunk: handed over in chunks, in order; the receiver can stop it.
    let many = xlsx(|book| {
        let sheet = book.add_worksheet();
        for r in 0..(CHUNK as u32 * 2 + 3) {
            sheet.write_number(r, 1, f64::from(r)).expect("cell");
        }
    });
    let mut chunks = vec![];
    let outcome = stream(
        &many,
        &Limits::default(),
        en(),
        |_| Some(0),
        |chunk| {
            chunks.push(chunk.len());
            chunks.len() < 2
        },
    );
    assert!(matches!(outcome, Ok(Streamed::Done { .. })), "{outcome:?}");
    assert_eq!(chunks, [CHUNK, CHUNK]);
    let (_, rows) = streamed(&many, &Limits::default(), "Sheet1");
    assert_eq!(rows.len(), CHUNK * 2 + 3);
    assert!(rows.iter().enumerate().all(
        |(i, (r, cells))| *r == i as u32 + 1 && cells == &[Cell::Empty, Cell::Number(i as f64)]
    ));
}

#[test]
fn a_streamed_file_is_refused_as_the_whole_reader_refuses_it() {
    // No sheet picked, a formula without a value, too many cells, a damaged zip.
    let (outcome, _) = streamed(&report_xlsx(), &Limits::default(), "Missing");
    assert_eq!(outcome, Ok(Streamed::NoSheet));
    let unsaved = xlsx(|book| {
        let sheet = book.add_worksheet();
        sheet.set_formula_result_default("");
        sheet.write_formula(0, 0, "=1+1").expect("cell");
    });
    let whole = read(&unsaved, &Limits::default(), en()).expect_err("refused");
    let (outcome, _) = streamed(&unsaved, &Limits::default(), "Sheet1");
    assert_eq!(outcome, Err(whole));
    let limits = Limits {
        max_cells: 10,
        ..Limits::default()
    };
    let wide = xlsx(|book| {
        let sheet = book.add_worksheet();
        sheet.write_number(3, 3, 1.0).expect("cell");
    });
    let (outcome, _) = streamed(&wide, &limits, "Sheet1");
    assert_eq!(outcome, Err(vec![Problem::file(refusal(&wide, &limits))]));
    let mut cut = report_xlsx();
    cut.truncate(cut.len() / 2);
    let (outcome, rows) = streamed(&cut, &Limits::default(), "Report");
    assert_eq!(
        outcome,
        Err(vec![Problem::file(refusal(&cut, &Limits::default()))])
    );
    assert!(rows.is_empty());
    // Not an XLSX: read it whole.
    let (outcome, _) = streamed(
        &ods("<table:table table:name=\"T\"/>"),
        &Limits::default(),
        "T",
    );
    assert_eq!(outcome, Ok(Streamed::Unsupported));
}
