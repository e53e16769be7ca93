//! Grids of marks: the heatmap and a country's timeline.

use super::{
    escape, px, text_width, truncate, wrap, Canvas, Fill, GridPicture, INK, LABEL_CHARS, MARGIN,
};
use crate::dashboard::palette::{svg_fill, Mark};

/// Least width of a grid document.
const LEAST_WIDTH: f64 = 560.0;
/// Row pitch: an 18 px cell and a 2 px white gap.
const ROW: f64 = 20.0;
/// Size of row and column labels.
const SMALL: f64 = 11.0;
/// Size of text in cells.
const CELL_TEXT: f64 = 10.0;

/// Draws a grid of marks as a standalone SVG document: one patterned cell per row and column,
/// row labels on the left, column labels on top, the legend above.
pub fn grid_svg(p: &GridPicture) -> String {
    if p.row_labels.is_empty() || p.column_labels.is_empty() {
        let mut canvas = Canvas::new(LEAST_WIDTH);
        canvas.heading(&p.title);
        canvas.no_data(&p.no_data);
        canvas.notes(&p.notes);
        return canvas.finish(&p.title, &p.description);
    }
    let longest_row = p
        .row_labels
        .iter()
        .map(|l| l.chars().count().min(LABEL_CHARS))
        .max()
        .unwrap_or(0);
    let x0 = MARGIN + (longest_row as f64 * SMALL * 0.58 + 8.0).max(40.0);
    let longest_cell_text = p
        .cell_labels
        .iter()
        .flatten()
        .flatten()
        .map(|t| text_width(t, CELL_TEXT) + 10.0)
        .fold(0.0, f64::max);
    // Wide enough for the cell text, and for column labels over three lines (up to a point).
    let longest_header = p
        .column_labels
        .iter()
        .map(|l| text_width(l, SMALL) / 3.0 + 12.0)
        .fold(0.0, f64::max)
        .min(110.0);
    let column = longest_cell_text.max(longest_header).clamp(56.0, 150.0);
    let columns = p.column_labels.len();
    let width = LEAST_WIDTH.max(x0 + column * columns as f64 + MARGIN);

    let mut canvas = Canvas::new(width);
    canvas.heading(&p.title);
    let legend: Vec<(Fill, &str)> = p
        .legend
        .iter()
        .map(|(mark, label)| (Fill::Mark(*mark), label.as_str()))
        .collect();
    canvas.legend(&legend);
    canvas.uses_marks = true;

    let header_chars = ((column - 4.0) / (SMALL * 0.58)) as usize;
    let headers: Vec<Vec<String>> = p
        .column_labels
        .iter()
        .map(|l| wrap(l, header_chars, 3))
        .collect();
    let header_lines = headers.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let top = canvas.y + 13.0 * header_lines as f64 + 6.0;
    let out = &mut canvas.body;
    for (c, (full, lines)) in p.column_labels.iter().zip(&headers).enumerate() {
        let centre = x0 + column * (c as f64 + 0.5);
        // Bottom-aligned, so short labels sit right above their column.
        let first = top - 6.0 - 13.0 * (lines.len() as f64 - 1.0) - 3.0;
        for (k, line) in lines.iter().enumerate() {
            out.push_str(&text(
                centre,
                first + 13.0 * k as f64,
                "middle",
                SMALL,
                full,
                line,
                false,
            ));
        }
    }
    let text_chars = ((column - 8.0) / (CELL_TEXT * 0.58)) as usize;
    for (r, row_label) in p.row_labels.iter().enumerate() {
        let y = top + ROW * r as f64;
        let shown = truncate(row_label, LABEL_CHARS);
        out.push_str(&text(
            x0 - 6.0,
            y + ROW / 2.0 + 3.0,
            "end",
            SMALL,
            row_label,
            &shown,
            false,
        ));
        for (c, column_label) in p.column_labels.iter().enumerate() {
            let Some(mark) = p.cells.get(r).and_then(|row| row.get(c)).copied() else {
                continue;
            };
            let words = p
                .cell_labels
                .as_ref()
                .and_then(|labels| labels.get(r))
                .and_then(|row| row.get(c))
                .filter(|t| !t.is_empty());
            let name = words.cloned().unwrap_or_else(|| legend_label(p, mark));
            let x = x0 + column * c as f64;
            out.push_str(&format!(
                r#"<rect class="rt-cell" x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"><title>{title}</title></rect>"#,
                x = px(x + 1.0),
                y = px(y + 1.0),
                w = px(column - 2.0),
                h = px(ROW - 2.0),
                fill = svg_fill(mark),
                title = escape(&format!("{row_label} — {column_label}: {name}")),
            ));
            if let Some(words) = words {
                let shown = truncate(words, text_chars);
                let centre = x + column / 2.0;
                out.push_str(&text(
                    centre,
                    y + ROW / 2.0 + 3.5,
                    "middle",
                    CELL_TEXT,
                    words,
                    &shown,
                    true,
                ));
            }
        }
    }
    canvas.y = top + ROW * p.row_labels.len() as f64 + 10.0;
    canvas.notes(&p.notes);
    canvas.finish(&p.title, &p.description)
}

/// The legend's word for `mark`, or its key when the legend leaves it out.
fn legend_label(p: &GridPicture, mark: Mark) -> String {
    p.legend
        .iter()
        .find(|(m, _)| *m == mark)
        .map_or_else(|| mark.key().to_owned(), |(_, label)| label.clone())
}

/// A label, with its full text as a hover title when cut; in a cell it gets a white halo to
/// stay legible over the pattern.
fn text(x: f64, y: f64, anchor: &str, size: f64, full: &str, shown: &str, halo: bool) -> String {
    let title = if shown == full {
        String::new()
    } else {
        format!("<title>{}</title>", escape(full))
    };
    let halo = if halo {
        r##" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##
    } else {
        ""
    };
    format!(
        r#"<text x="{x}" y="{y}" font-size="{size}" fill="{INK}" text-anchor="{anchor}"{halo}>{title}{shown}</text>"#,
        x = px(x),
        y = px(y),
        shown = escape(shown),
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_document, parse, title_of, with_class};
    use super::*;
    use crate::dashboard::palette::LEGEND;
    use crate::progress::workflow::Status;

    fn heatmap(rows: usize, columns: usize) -> GridPicture {
        GridPicture {
            title: "Status by country and recommendation".into(),
            description: "2026, all countries".into(),
            row_labels: (0..rows).map(|r| format!("Country {r}")).collect(),
            column_labels: (0..columns).map(|c| format!("R{c}")).collect(),
            cells: (0..rows)
                .map(|r| {
                    (0..columns)
                        .map(|c| LEGEND[(r + c) % LEGEND.len()])
                        .collect()
                })
                .collect(),
            legend: LEGEND
                .iter()
                .map(|m| (*m, format!("Label {}", m.key())))
                .collect(),
            notes: vec!["Approved reports only.".into()],
            ..GridPicture::default()
        }
    }

    #[test]
    fn a_grid_has_one_patterned_titled_cell_per_row_and_column() {
        let p = heatmap(53, 7);
        let svg = grid_svg(&p);
        assert_document(&svg);
        let doc = parse(&svg);
        let desc = doc.descendants().find(|n| n.has_tag_name("desc")).unwrap();
        assert_eq!(desc.text(), Some("2026, all countries"));
        let cells = with_class(&doc, "rt-cell");
        assert_eq!(cells.len(), 53 * 7);
        for (i, cell) in cells.iter().enumerate() {
            let (r, c) = (i / 7, i % 7);
            let mark = LEGEND[(r + c) % LEGEND.len()];
            assert_eq!(
                cell.attribute("fill"),
                Some(format!("url(#rt-mark-{})", mark.key()).as_str())
            );
            assert_eq!(
                title_of(*cell),
                format!("Country {r} — R{c}: Label {}", mark.key())
            );
        }
        for mark in LEGEND {
            let id = format!("rt-mark-{}", mark.key());
            assert!(doc
                .descendants()
                .any(|n| n.attribute("id") == Some(id.as_str())));
        }
    }

    #[test]
    fn cell_labels_are_written_in_cells_and_titles() {
        let mut p = heatmap(2, 3);
        p.cells[0][1] = Mark::Status(Status::InProgress);
        p.cell_labels = Some(vec![
            vec!["A".into(), "In progress".into(), "C".into()],
            vec!["D".into(), String::new(), "F".into()],
        ]);
        let svg = grid_svg(&p);
        assert_document(&svg);
        let doc = parse(&svg);
        let cells = with_class(&doc, "rt-cell");
        assert_eq!(title_of(cells[1]), "Country 0 — R1: In progress");
        // An empty cell label falls back to the legend's word.
        assert_eq!(
            title_of(cells[4]),
            format!("Country 1 — R1: Label {}", p.cells[1][1].key())
        );
        assert!(doc
            .descendants()
            .any(|n| n.has_tag_name("text") && n.text() == Some("In progress")));
    }

    #[test]
    fn grid_labels_with_markup_characters_are_escaped() {
        let mut p = heatmap(1, 1);
        p.row_labels = vec!["<&>\"'".into()];
        p.column_labels = vec!["a < b".into()];
        p.title = "<svg onload=alert(1)>".into();
        let svg = grid_svg(&p);
        assert_document(&svg);
        assert!(!svg.contains("<svg onload"));
        let doc = parse(&svg);
        assert_eq!(
            title_of(with_class(&doc, "rt-cell")[0]),
            format!("<&>\"' — a < b: Label {}", p.cells[0][0].key())
        );
    }

    #[test]
    fn a_short_row_leaves_its_missing_cells_blank() {
        let mut p = heatmap(2, 3);
        p.cells[1].truncate(1);
        let svg = grid_svg(&p);
        assert_document(&svg);
        assert_eq!(with_class(&parse(&svg), "rt-cell").len(), 4);
    }

    #[test]
    fn an_empty_grid_says_no_data() {
        for p in [heatmap(0, 7), heatmap(53, 0)] {
            let svg = grid_svg(&p);
            assert_document(&svg);
            assert!(svg.contains(">No data</text>"));
            assert!(!svg.contains("rt-cell"));
        }
    }
}
