//! Server-drawn images of the dashboard's charts: what "Download image (SVG)" serves, and what
//! a page may inline where it draws a chart without JavaScript. Pure functions from plain
//! pictures (labels already translated, values already aggregated) to a complete standalone
//! SVG document; no database, no Leptos. The map is drawn elsewhere (`geo`).
//!
//! Every document has an accessible name and description (`<title>`/`<desc>`), a white
//! background, a legend in the given order, a `<title>` on every bar and cell, and uses
//! presentation attributes only (no `style` attribute or element), so it also works inline
//! under the page's Content-Security-Policy. Status fills are the palette's patterns, so status
//! is told by pattern and label as well as colour.
//!
//! Values: NaN and infinities are skipped (no bar). In stacked bars a negative value counts as
//! zero (a stack of counts has no negative part); in side-by-side bars a negative value extends
//! the value axis below zero and its bar is drawn leftwards (or downwards) from zero. A picture
//! with no categories, no series, or nothing but zeros draws its title and `no_data` instead of
//! a chart.

use super::palette::{svg_fill, svg_pattern_defs, Mark};

mod bar;
mod grid;

pub use bar::bar_svg;
pub use grid::grid_svg;

/// Dark ink of all text and axes.
const INK: &str = "#1b1f24";
/// Secondary text (tick labels, "No data").
const MUTED: &str = "#4a5560";
/// Gridlines and swatch outlines.
const RULE: &str = "#d0d7de";
/// A system sans-serif stack (single quotes: it sits inside a double-quoted attribute).
const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
/// Outer margin.
const MARGIN: f64 = 16.0;
/// Where labels longer than this are cut (with "…"); the full text stays in a `<title>`.
const LABEL_CHARS: usize = 28;

/// A fill: a status mark (its pattern from the palette) or a plain colour for series that are
/// not statuses (e.g. moved up / stayed / moved down, indicator values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// The mark's pattern, `url(#rt-mark-{key})`; the document then carries the patterns.
    Mark(Mark),
    /// A CSS colour such as `#4575b4`.
    Colour(&'static str),
}

impl Fill {
    /// The value of a `fill` attribute (escaped).
    fn paint(self) -> String {
        match self {
            Self::Mark(mark) => svg_fill(mark),
            Self::Colour(colour) => escape(colour),
        }
    }
}

/// A grid of marks: the heatmap (countries × recommendations) or a country's timeline
/// (recommendations × periods).
#[derive(Debug, Clone, PartialEq)]
pub struct GridPicture {
    /// The chart's title, drawn at the top and the document's accessible name.
    pub title: String,
    /// The document's accessible description (`<desc>`), not drawn: the image shows the title
    /// and the notes, so the title should say what, which period and which group.
    pub description: String,
    /// One per row, drawn on the left (cut after 28 characters, full text on hover).
    pub row_labels: Vec<String>,
    /// One per column, drawn on top (wrapped over up to three lines).
    pub column_labels: Vec<String>,
    /// `cells[row][column]`. A missing cell (a short row) is left blank; cells beyond the
    /// labels are ignored.
    pub cells: Vec<Vec<Mark>>,
    /// Optional short text written in each cell (`cell_labels[row][column]`), e.g. the status
    /// in words; it also becomes the cell's hover title. Without it the title uses the legend
    /// label of the cell's mark.
    pub cell_labels: Option<Vec<Vec<String>>>,
    /// The legend, in the given order (normally [`super::palette::LEGEND`] with its labels).
    pub legend: Vec<(Mark, String)>,
    /// Lines drawn under the chart (source, "includes submitted reports", …).
    pub notes: Vec<String>,
    /// What to write instead of the chart when there are no rows or columns ("No data").
    pub no_data: String,
}

impl Default for GridPicture {
    fn default() -> Self {
        Self {
            title: String::new(),
            description: String::new(),
            row_labels: Vec::new(),
            column_labels: Vec::new(),
            cells: Vec::new(),
            cell_labels: None,
            legend: Vec::new(),
            notes: Vec::new(),
            no_data: "No data".to_owned(),
        }
    }
}

/// One series of a bar chart: a legend entry and one value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// The legend label (an empty label is left out of the legend).
    pub label: String,
    pub fill: Fill,
    /// One value per category, in the categories' order; missing values count as NaN.
    pub values: Vec<f64>,
}

/// A bar chart: stacked distributions (categories = recommendations, series = statuses),
/// rankings (horizontal, one series), movement (up / same / down), indicator values with the
/// median line.
#[derive(Debug, Clone, PartialEq)]
pub struct BarPicture {
    /// The chart's title, drawn at the top and the document's accessible name.
    pub title: String,
    /// The document's accessible description (`<desc>`), not drawn: the image shows the title
    /// and the notes, so the title should say what, which period and which group.
    pub description: String,
    /// One bar (or stack, or group) per category, in this order. Horizontal: one row each,
    /// 16 px apart, labels cut after 28 characters; vertical: labels wrapped.
    pub categories: Vec<String>,
    /// Legend and stacking order.
    pub series: Vec<BarSeries>,
    /// Series stacked in one bar per category (else side by side).
    pub stacked: bool,
    /// Bars run left to right, categories top to bottom (else bottom to top, left to right).
    pub horizontal: bool,
    /// A dashed line across the value axis with its label, e.g. `("Median 42.5", 42.5)`.
    pub reference: Option<(String, f64)>,
    /// The value axis title.
    pub value_label: String,
    /// Lines drawn under the chart (source, "includes submitted reports", …).
    pub notes: Vec<String>,
    /// What to write instead of the chart when there is nothing to draw ("No data").
    pub no_data: String,
}

impl Default for BarPicture {
    fn default() -> Self {
        Self {
            title: String::new(),
            description: String::new(),
            categories: Vec::new(),
            series: Vec::new(),
            stacked: false,
            horizontal: false,
            reference: None,
            value_label: String::new(),
            notes: Vec::new(),
            no_data: "No data".to_owned(),
        }
    }
}

/// Text made safe for XML content and attribute values; control characters XML cannot carry
/// are dropped. The map's SVG (`geo`) uses it too.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A number for a label: whole numbers without decimals, others with up to two.
fn format_value(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// A coordinate, rounded to a tenth of a pixel so documents stay small and stable.
fn px(value: f64) -> String {
    format_value((value * 10.0).round() / 10.0)
}

/// Estimated width of `text` at `size` px in a sans-serif font (no font metrics on the server:
/// an average glyph is a little over half the size).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

/// `text` cut to `max` characters, ending in "…" when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out = out.trim_end().to_owned();
        out.push('…');
        out
    }
}

/// `text` broken at spaces into lines of at most `width` characters (words longer than a line
/// are cut), at most `max_lines` of them, the last ending in "…" if text was left over.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let word = truncate(word, width);
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = truncate(&format!("{last} …"), width);
            if !last.ends_with('…') {
                last.push('…');
            }
        }
    }
    lines
}

/// A value axis: from `low` to `high` in steps of `step`, all round numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ticks {
    low: f64,
    high: f64,
    step: f64,
}

impl Ticks {
    /// About five round steps (1, 2 or 5 × 10ⁿ) covering `low..=high`; zero-width or
    /// non-finite input gives 0..1.
    fn nice(low: f64, high: f64) -> Self {
        let (low, high) = if low.is_finite() && high.is_finite() && high > low {
            (low, high)
        } else if low.is_finite() && low > 0.0 {
            (0.0, low)
        } else if low.is_finite() && low < 0.0 {
            (low, 0.0)
        } else {
            (0.0, 1.0)
        };
        let raw = (high - low) / 5.0;
        let base = 10f64.powf(raw.log10().floor());
        let error = raw / base;
        let factor = if error >= 50f64.sqrt() {
            10.0
        } else if error >= 10f64.sqrt() {
            5.0
        } else if error >= 2f64.sqrt() {
            2.0
        } else {
            1.0
        };
        let step = factor * base;
        Self {
            low: (low / step).floor() * step,
            high: (high / step).ceil() * step,
            step,
        }
    }

    /// The tick values, low to high.
    fn values(self) -> Vec<f64> {
        let count = ((self.high - self.low) / self.step).round() as usize;
        (0..=count)
            .map(|i| {
                let value = self.low + i as f64 * self.step;
                // 0.1 + 0.2 style noise would show up in labels.
                (value / self.step).round() * self.step
            })
            .collect()
    }

    /// A tick's label, with as many decimals as the step needs.
    fn label(self, value: f64) -> String {
        let decimals = (-self.step.log10().floor()).max(0.0) as usize;
        let value = if value == 0.0 { 0.0 } else { value };
        format!("{value:.decimals$}")
    }

    /// Where `value` falls between `from` (at `low`) and `to` (at `high`).
    fn position(self, value: f64, from: f64, to: f64) -> f64 {
        from + (value - self.low) / (self.high - self.low) * (to - from)
    }
}

/// Element ids unique to one picture, so several documents can be inlined in one page
/// (an FNV-1a hash of the title and description).
fn id_prefix(title: &str, description: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in title.bytes().chain([0]).chain(description.bytes()) {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("rt-{hash:08x}")
}

/// A document being drawn top to bottom: `y` is where the next block starts.
struct Canvas {
    width: f64,
    y: f64,
    body: String,
    uses_marks: bool,
}

impl Canvas {
    fn new(width: f64) -> Self {
        Self {
            width,
            y: MARGIN,
            body: String::new(),
            uses_marks: false,
        }
    }

    /// Writes `text` lines at `size` px from `x`, advancing `y`.
    fn lines(&mut self, lines: &[String], size: f64, colour: &str, bold: bool) {
        let weight = if bold { r#" font-weight="bold""# } else { "" };
        for line in lines {
            self.y += size * 1.3;
            self.body.push_str(&format!(
                r#"<text x="{x}" y="{y}" font-size="{size}" fill="{colour}"{weight}>{text}</text>"#,
                x = px(MARGIN),
                y = px(self.y - size * 0.3),
                text = escape(line),
            ));
        }
    }

    /// The title, bold, over up to three lines.
    fn heading(&mut self, title: &str) {
        let chars = ((self.width - 2.0 * MARGIN) / (16.0 * 0.58)) as usize;
        self.lines(&wrap(title, chars, 3), 16.0, INK, true);
        self.y += 8.0;
    }

    /// The legend: swatches with their labels, flowing over as many lines as needed.
    fn legend(&mut self, items: &[(Fill, &str)]) {
        let items: Vec<&(Fill, &str)> = items
            .iter()
            .filter(|(_, label)| !label.is_empty())
            .collect();
        if items.is_empty() {
            return;
        }
        let (size, swatch, gap) = (12.0, 14.0, 18.0);
        let mut x = MARGIN;
        let mut top = self.y;
        for (fill, label) in items {
            let label = truncate(label, 40);
            let item = swatch + 6.0 + text_width(&label, size);
            if x > MARGIN && x + item > self.width - MARGIN {
                x = MARGIN;
                top += 20.0;
            }
            self.uses_marks |= matches!(fill, Fill::Mark(_));
            self.body.push_str(&format!(
                r#"<rect x="{x}" y="{y}" width="{swatch}" height="{swatch}" fill="{paint}" stroke="{MUTED}" stroke-width="0.5"/><text x="{tx}" y="{ty}" font-size="{size}" fill="{INK}">{text}</text>"#,
                x = px(x),
                y = px(top),
                paint = fill.paint(),
                tx = px(x + swatch + 6.0),
                ty = px(top + 11.0),
                text = escape(&label),
            ));
            x += item + gap;
        }
        self.y = top + 20.0 + 6.0;
    }

    /// The notes under the chart.
    fn notes(&mut self, notes: &[String]) {
        let chars = ((self.width - 2.0 * MARGIN) / (12.0 * 0.58)) as usize;
        for note in notes {
            self.lines(&wrap(note, chars, 6), 12.0, INK, false);
        }
    }

    /// "No data" in place of a chart.
    fn no_data(&mut self, text: &str) {
        self.y += 24.0;
        self.body.push_str(&format!(
            r#"<text x="{x}" y="{y}" font-size="14" fill="{MUTED}" text-anchor="middle">{text}</text>"#,
            x = px(self.width / 2.0),
            y = px(self.y),
            text = escape(text),
        ));
        self.y += 24.0;
    }

    /// The complete document.
    fn finish(self, title: &str, description: &str) -> String {
        let (width, height) = (self.width.ceil(), (self.y + MARGIN).ceil());
        let id = id_prefix(title, description);
        let defs = if self.uses_marks {
            format!("<defs>{}</defs>", svg_pattern_defs())
        } else {
            String::new()
        };
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-t {id}-d" font-family="{FONT}" fill="{INK}"><title id="{id}-t">{title}</title><desc id="{id}-d">{description}</desc>{defs}<rect width="{w}" height="{h}" fill="#ffffff"/>{body}</svg>"##,
            w = px(width),
            h = px(height),
            title = escape(title),
            description = escape(description),
            body = self.body,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses a document as XML (well-formedness check shared by the chart tests).
    pub(super) fn parse(svg: &str) -> roxmltree::Document<'_> {
        match roxmltree::Document::parse(svg) {
            Ok(doc) => doc,
            Err(e) => panic!("not XML ({e}): {svg}"),
        }
    }

    /// A numeric attribute of an element.
    pub(super) fn num(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
        node.attribute(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no numeric {name} on {node:?}"))
    }

    /// The elements with `class`, in document order.
    pub(super) fn with_class<'a, 'i>(
        doc: &'a roxmltree::Document<'i>,
        class: &str,
    ) -> Vec<roxmltree::Node<'a, 'i>> {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .collect()
    }

    /// The text of an element's `<title>` child.
    pub(super) fn title_of(node: roxmltree::Node<'_, '_>) -> String {
        node.children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or_default()
            .to_owned()
    }

    /// What every document must have: parses, names itself, white background, no `style`.
    pub(super) fn assert_document(svg: &str) {
        assert!(
            !svg.contains("style=") && !svg.contains("<style"),
            "style found in {svg}"
        );
        let doc = parse(svg);
        let root = doc.root_element();
        assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
        assert_eq!(root.attribute("role"), Some("img"));
        for id in root
            .attribute("aria-labelledby")
            .unwrap_or_default()
            .split(' ')
        {
            assert!(
                doc.descendants().any(|n| n.attribute("id") == Some(id)),
                "aria-labelledby points at a missing id {id}"
            );
        }
        let view_box = format!(
            "0 0 {} {}",
            root.attribute("width").unwrap_or_default(),
            root.attribute("height").unwrap_or_default()
        );
        assert_eq!(root.attribute("viewBox"), Some(view_box.as_str()));
        assert!(root
            .attribute("font-family")
            .unwrap_or_default()
            .contains("sans-serif"));
    }

    #[test]
    fn nice_ticks_from_zero_to_53_step_by_ten() {
        let ticks = Ticks::nice(0.0, 53.0);
        assert_eq!(ticks.step, 10.0);
        assert_eq!(
            ticks.values(),
            vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
        );
    }

    #[test]
    fn nice_ticks_are_round_for_small_fractional_and_negative_ranges() {
        assert_eq!(Ticks::nice(0.0, 7.0).step, 1.0);
        assert_eq!(Ticks::nice(0.0, 100.0).step, 20.0);
        let small = Ticks::nice(0.0, 0.37);
        assert_eq!(small.step, 0.1);
        assert_eq!(small.label(0.30000000000000004), "0.3");
        assert_eq!(Ticks::nice(0.0, 0.12).label(0.05), "0.05");
        let negative = Ticks::nice(-12.0, 30.0);
        assert_eq!(
            (negative.low, negative.high, negative.step),
            (-20.0, 30.0, 10.0)
        );
        assert_eq!(Ticks::nice(0.0, 0.0), Ticks::nice(0.0, 1.0));
        assert_eq!(Ticks::nice(f64::NAN, f64::NAN), Ticks::nice(0.0, 1.0));
    }

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(escape("a<b>&\"c'\u{7}\nd"), "a&lt;b&gt;&amp;&quot;c&#39; d");
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis_and_wrapped_by_words() {
        assert_eq!(
            truncate("Bosnia and Herzegovina", 28),
            "Bosnia and Herzegovina"
        );
        let cut = truncate("The former Yugoslav Republic of Macedonia", 28);
        assert_eq!(cut.chars().count(), 28);
        assert!(cut.ends_with('…'));
        assert_eq!(
            wrap("Surveillance and data systems", 14, 3),
            vec!["Surveillance", "and data", "systems"]
        );
        let lines = wrap("one two three four five six seven", 9, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
    }

    #[test]
    fn values_print_without_noise() {
        assert_eq!(format_value(3.0), "3");
        assert_eq!(format_value(42.5), "42.5");
        assert_eq!(format_value(1.0 / 3.0), "0.33");
        assert_eq!(format_value(-2.0), "-2");
    }
}
