//! The server-rendered map: one SVG for pages without JavaScript and for "Download image".
//! Presentation attributes only (no `style`), so it also works inline under the page's
//! Content-Security-Policy.

use crate::dashboard::svg::escape;
use std::fmt::Write;

use super::{context_paths, shapes, MARKER_RADIUS, VIEW_BOX};
use crate::dashboard::palette::{self, Mark};

/// What the map shows: a title and description (for the image and for screen readers), each
/// country's mark, the legend's words and notes under it.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPicture {
    /// Drawn on top and given as the SVG's `<title>`.
    pub title: String,
    /// The SVG's `<desc>`: what the map shows, in words.
    pub description: String,
    /// The countries' marks; a Member State not listed is drawn as [`Mark::NoReport`].
    pub countries: Vec<MapCountry>,
    /// The legend: each mark with its word, in the order given (normally
    /// [`palette::LEGEND`]'s).
    pub legend: Vec<(Mark, String)>,
    /// Lines under the legend (the period, who sees what, the boundaries' source).
    pub notes: Vec<String>,
}

/// One country on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapCountry {
    /// ISO 3166-1 alpha-2 code.
    pub iso2: String,
    /// Its name, in the reader's language.
    pub name: String,
    pub mark: Mark,
    /// The mark's word (the status), shown in the country's tooltip: "Name: Label".
    pub label: String,
}

const WIDTH: f64 = VIEW_BOX.2;
const PAD: f64 = 12.0;
const TITLE_SIZE: f64 = 20.0;
const TEXT_SIZE: f64 = 14.0;
const NOTE_SIZE: f64 = 12.0;
const LEGEND_COLUMNS: usize = 4;
const INK: &str = "#1b1f24";
const MUTED: &str = "#4a5560";
const SEA: &str = "#f4f8fb";
const CONTEXT_LAND: &str = "#eeeeee";
const CONTEXT_EDGE: &str = "#c4c4c4";
const BORDER: &str = "#3d4650";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

/// The map as a standalone SVG document (with its XML declaration and a size): the
/// "Download image" file.
pub fn render_svg(picture: &MapPicture) -> String {
    render(picture, true)
}

/// The same map for inlining in an HTML page: no XML declaration, no fixed size (it takes its
/// container's width). Its ids (`rt-map-title`, `rt-map-desc`, `rt-mark-*`) assume one map per
/// page.
pub fn render_inline_svg(picture: &MapPicture) -> String {
    render(picture, false)
}

fn render(picture: &MapPicture, standalone: bool) -> String {
    let title_lines = wrap(&picture.title, TITLE_SIZE);
    let note_lines: Vec<String> = picture
        .notes
        .iter()
        .flat_map(|n| wrap(n, NOTE_SIZE))
        .collect();
    let legend_rows = picture.legend.len().div_ceil(LEGEND_COLUMNS);

    let map_top = PAD + title_lines.len() as f64 * TITLE_SIZE * 1.3 + PAD / 2.0;
    let legend_top = map_top + VIEW_BOX.3 + PAD;
    let notes_top = legend_top + legend_rows as f64 * TEXT_SIZE * 1.7 + PAD / 2.0;
    let height = (notes_top + note_lines.len() as f64 * NOTE_SIZE * 1.4 + PAD).round();

    let mut out = String::with_capacity(256 * 1024);
    if standalone {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let size = if standalone {
        format!(r#" width="{WIDTH}" height="{height}""#)
    } else {
        String::new()
    };
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"{size} role="img" aria-labelledby="rt-map-title rt-map-desc" font-family="{font}">"#,
        font = escape(FONT),
    );
    let _ = write!(
        out,
        r#"<title id="rt-map-title">{}</title><desc id="rt-map-desc">{}</desc>"#,
        escape(&picture.title),
        escape(&picture.description)
    );
    let _ = write!(out, "<defs>{}</defs>", palette::svg_pattern_defs());
    let _ = write!(
        out,
        r##"<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>"##
    );

    for (i, line) in title_lines.iter().enumerate() {
        let y = PAD + TITLE_SIZE * (1.0 + 1.3 * i as f64) - 4.0;
        let _ = write!(
            out,
            r#"<text x="{PAD}" y="{y}" font-size="{TITLE_SIZE}" font-weight="600" fill="{INK}">{}</text>"#,
            escape(line)
        );
    }

    map(&mut out, picture, map_top);
    legend(&mut out, &picture.legend, legend_top);

    for (i, line) in note_lines.iter().enumerate() {
        let y = notes_top + NOTE_SIZE * (1.0 + 1.4 * i as f64);
        let _ = write!(
            out,
            r#"<text x="{PAD}" y="{y}" font-size="{NOTE_SIZE}" fill="{MUTED}">{}</text>"#,
            escape(line)
        );
    }
    out.push_str("</svg>");
    out
}

/// The map itself: a nested `<svg>` on [`VIEW_BOX`], which clips what lies outside.
fn map(out: &mut String, picture: &MapPicture, top: f64) {
    let (x, y, w, h) = VIEW_BOX;
    let _ = write!(
        out,
        r#"<svg x="0" y="{top}" width="{w}" height="{h}" viewBox="{x} {y} {w} {h}"><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{SEA}"/>"#
    );
    let _ = write!(
        out,
        r#"<g fill="{CONTEXT_LAND}" stroke="{CONTEXT_EDGE}" stroke-width="0.5" stroke-linejoin="round" aria-hidden="true">"#
    );
    for d in context_paths() {
        let _ = write!(out, r#"<path d="{d}"/>"#);
    }
    out.push_str("</g>");

    let no_report = picture
        .legend
        .iter()
        .find(|(m, _)| *m == Mark::NoReport)
        .map_or(String::new(), |(_, l)| l.clone());
    let entries: Vec<(&super::Shape, Mark, String)> = shapes()
        .iter()
        .map(
            |s| match picture.countries.iter().find(|c| c.iso2 == s.iso2) {
                Some(c) => (s, c.mark, tooltip(&c.name, &c.label)),
                None => (s, Mark::NoReport, tooltip(&s.iso2, &no_report)),
            },
        )
        .collect();

    let _ = write!(
        out,
        r#"<g stroke="{BORDER}" stroke-width="0.6" stroke-linejoin="round">"#
    );
    for (shape, mark, title) in &entries {
        let _ = write!(
            out,
            r#"<path d="{}" fill="{}" fill-rule="evenodd"><title>{}</title></path>"#,
            shape.path,
            palette::svg_fill(*mark),
            escape(title)
        );
    }
    // Microstates on top, as circles big enough to see and point at.
    for (shape, mark, title) in &entries {
        if let Some((cx, cy)) = shape.marker {
            let _ = write!(
                out,
                r#"<circle cx="{cx}" cy="{cy}" r="{MARKER_RADIUS}" fill="{}" stroke="{INK}" stroke-width="1.2"><title>{}</title></circle>"#,
                palette::svg_fill(*mark),
                escape(title)
            );
        }
    }
    let _ = write!(
        out,
        r#"</g><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="{CONTEXT_EDGE}"/></svg>"#
    );
}

fn legend(out: &mut String, items: &[(Mark, String)], top: f64) {
    let column = (WIDTH - 2.0 * PAD) / LEGEND_COLUMNS as f64;
    for (i, (mark, label)) in items.iter().enumerate() {
        let x = PAD + column * (i % LEGEND_COLUMNS) as f64;
        let y = top + TEXT_SIZE * 1.7 * (i / LEGEND_COLUMNS) as f64;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{y}" width="24" height="16" fill="{}" stroke="{MUTED}" stroke-width="0.8"/><text x="{tx}" y="{ty}" font-size="{TEXT_SIZE}" fill="{INK}">{}</text>"#,
            palette::svg_fill(*mark),
            escape(label),
            tx = x + 30.0,
            ty = y + 13.0,
        );
    }
}

fn tooltip(name: &str, label: &str) -> String {
    if label.is_empty() {
        name.to_owned()
    } else {
        format!("{name}: {label}")
    }
}

/// Breaks text into lines that fit the image's width, guessing a character as 0.55 em wide
/// (SVG text does not wrap by itself).
fn wrap(text: &str, font_size: f64) -> Vec<String> {
    let max = ((WIDTH - 2.0 * PAD) / (font_size * 0.55)) as usize;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
