//! Bar charts: horizontal or vertical, stacked or side by side, with an optional reference line.

use super::{
    escape, format_value, px, text_width, truncate, wrap, BarPicture, BarSeries, Canvas, Fill,
    Ticks, INK, LABEL_CHARS, MARGIN, MUTED, RULE,
};

/// Width of a horizontal chart (rows grow with the categories instead).
const HORIZONTAL_WIDTH: f64 = 760.0;
/// Least width of a vertical chart (it widens with the categories).
const VERTICAL_WIDTH: f64 = 640.0;
/// Height of a vertical chart's plot.
const PLOT_HEIGHT: f64 = 260.0;
/// Size of category and tick labels.
const SMALL: f64 = 11.0;

/// One drawn bar or stack segment, in value space.
struct Segment<'a> {
    series: &'a BarSeries,
    /// Position within the category's band: the series' index side by side, 0 when stacked.
    slot: usize,
    from: f64,
    to: f64,
    value: f64,
}

/// Draws a bar chart as a standalone SVG document (see the module's notes on values).
pub fn bar_svg(p: &BarPicture) -> String {
    let segments: Vec<Vec<Segment>> = (0..p.categories.len()).map(|i| segments(p, i)).collect();
    let drawn = segments.iter().flatten().any(|s| s.to != s.from);
    if !drawn {
        let mut canvas = Canvas::new(VERTICAL_WIDTH);
        canvas.heading(&p.title);
        canvas.no_data(&p.no_data);
        canvas.notes(&p.notes);
        return canvas.finish(&p.title, &p.description);
    }
    let (mut low, mut high) = segments
        .iter()
        .flatten()
        .fold((0.0f64, 0.0f64), |(lo, hi), s| (lo.min(s.to), hi.max(s.to)));
    if let Some((_, value)) = p.reference.as_ref().filter(|(_, v)| v.is_finite()) {
        low = low.min(*value);
        high = high.max(*value);
    }
    let ticks = Ticks::nice(low, high);
    if p.horizontal {
        horizontal(p, &segments, ticks)
    } else {
        vertical(p, &segments, ticks)
    }
}

/// The bars of category `i`: stacked segments end to end from zero (negatives as zero), or
/// one bar per series from zero. NaN and infinite values are left out.
fn segments(p: &BarPicture, i: usize) -> Vec<Segment<'_>> {
    let mut end = 0.0;
    p.series
        .iter()
        .enumerate()
        .filter_map(|(slot, series)| {
            let value = series.values.get(i).copied().filter(|v| v.is_finite())?;
            if p.stacked {
                let from = end;
                end += value.max(0.0);
                Some(Segment {
                    series,
                    slot: 0,
                    from,
                    to: end,
                    value,
                })
            } else {
                Some(Segment {
                    series,
                    slot,
                    from: 0.0,
                    to: value,
                    value,
                })
            }
        })
        .collect()
}

/// How many bars sit side by side in a category's band.
fn slots(p: &BarPicture) -> usize {
    if p.stacked {
        1
    } else {
        p.series.len().max(1)
    }
}

/// The legend entries of the series, in their order.
fn legend(p: &BarPicture) -> Vec<(Fill, &str)> {
    p.series
        .iter()
        .map(|s| (s.fill, s.label.as_str()))
        .collect()
}

/// A bar with its hover title ("Category — Series: value").
fn bar(x: f64, y: f64, width: f64, height: f64, category: &str, segment: &Segment) -> String {
    let name = if segment.series.label.is_empty() {
        category.to_owned()
    } else {
        format!("{category} — {}", segment.series.label)
    };
    // A thin outline keeps white and light patterns (not applicable) apart from the page.
    let outline = match segment.series.fill {
        Fill::Mark(_) => format!(r#" stroke="{MUTED}" stroke-width="0.5""#),
        Fill::Colour(_) => String::new(),
    };
    format!(
        r#"<rect class="rt-bar" x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"{outline}><title>{title}</title></rect>"#,
        x = px(x),
        y = px(y),
        w = px(width),
        h = px(height),
        fill = segment.series.fill.paint(),
        title = escape(&format!("{name}: {}", format_value(segment.value))),
    )
}

/// A value written on or beside a bar; inside a bar it gets a white halo to stay legible over
/// patterns.
fn value_text(x: f64, y: f64, anchor: &str, value: f64, halo: bool) -> String {
    let halo = if halo {
        r##" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##
    } else {
        ""
    };
    format!(
        r#"<text x="{x}" y="{y}" font-size="10" fill="{INK}" text-anchor="{anchor}"{halo}>{text}</text>"#,
        x = px(x),
        y = px(y),
        text = format_value(value),
    )
}

/// A label, with its full text as a hover title when cut.
fn label(x: f64, y: f64, anchor: &str, full: &str, shown: &str) -> String {
    let title = if shown == full {
        String::new()
    } else {
        format!("<title>{}</title>", escape(full))
    };
    format!(
        r#"<text x="{x}" y="{y}" font-size="{SMALL}" fill="{INK}" text-anchor="{anchor}">{title}{text}</text>"#,
        x = px(x),
        y = px(y),
        text = escape(shown),
    )
}

/// The dashed reference line from (x1, y1) to (x2, y2).
fn reference_line(x1: f64, y1: f64, x2: f64, y2: f64, text: &str) -> String {
    format!(
        r#"<line class="rt-ref" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4"><title>{title}</title></line>"#,
        x1 = px(x1),
        y1 = px(y1),
        x2 = px(x2),
        y2 = px(y2),
        title = escape(text),
    )
}

/// Categories top to bottom, 16 px a row (more when series sit side by side).
fn horizontal(p: &BarPicture, segments: &[Vec<Segment>], ticks: Ticks) -> String {
    let slots = slots(p);
    let (thickness, band) = if slots == 1 {
        (11.0, 16.0)
    } else {
        (10.0, 10.0 * slots as f64 + 6.0)
    };
    let longest = p
        .categories
        .iter()
        .map(|c| c.chars().count().min(LABEL_CHARS))
        .max()
        .unwrap_or(0);
    let x0 = MARGIN + (longest as f64 * SMALL * 0.58 + 8.0).max(40.0);
    let x1 = HORIZONTAL_WIDTH - MARGIN - if p.stacked { 12.0 } else { 40.0 };
    let x = |v: f64| ticks.position(v, x0, x1);

    let mut canvas = Canvas::new(HORIZONTAL_WIDTH);
    canvas.heading(&p.title);
    canvas.legend(&legend(p));
    canvas.uses_marks |= p.series.iter().any(|s| matches!(s.fill, Fill::Mark(_)));
    if p.reference.is_some() {
        canvas.y += 18.0;
    }
    let top = canvas.y;
    let bottom = top + band * p.categories.len() as f64;
    let out = &mut canvas.body;

    for tick in ticks.values() {
        let (tx, colour) = (x(tick), if tick == 0.0 { MUTED } else { RULE });
        out.push_str(&format!(
            r#"<line class="rt-tick" x1="{tx}" y1="{top}" x2="{tx}" y2="{bottom}" stroke="{colour}" stroke-width="1"/><text x="{tx}" y="{ty}" font-size="{SMALL}" fill="{MUTED}" text-anchor="middle">{text}</text>"#,
            tx = px(tx),
            top = px(top),
            bottom = px(bottom),
            ty = px(bottom + 14.0),
            text = ticks.label(tick),
        ));
    }
    for (i, (category, bars)) in p.categories.iter().zip(segments).enumerate() {
        let band_top = top + band * i as f64;
        let shown = truncate(category, LABEL_CHARS);
        out.push_str(&label(
            x0 - 6.0,
            band_top + band / 2.0 + 4.0,
            "end",
            category,
            &shown,
        ));
        let first = band_top + (band - thickness * slots as f64) / 2.0;
        for s in bars {
            let y = first + thickness * s.slot as f64;
            let (left, right) = (x(s.from.min(s.to)), x(s.from.max(s.to)));
            let height = if slots == 1 {
                thickness
            } else {
                thickness - 1.0
            };
            out.push_str(&bar(left, y, right - left, height, category, s));
            let text = format_value(s.value);
            let baseline = y + height / 2.0 + 3.5;
            if !p.stacked {
                let (tx, anchor) = if s.to < 0.0 {
                    (left - 3.0, "end")
                } else {
                    (right + 3.0, "start")
                };
                out.push_str(&value_text(tx, baseline, anchor, s.value, false));
            } else if right - left >= text_width(&text, 10.0) + 6.0 {
                out.push_str(&value_text(
                    (left + right) / 2.0,
                    baseline,
                    "middle",
                    s.value,
                    true,
                ));
            }
        }
    }
    if let Some((text, value)) = p.reference.as_ref().filter(|(_, v)| v.is_finite()) {
        let rx = x(*value);
        out.push_str(&reference_line(rx, top - 4.0, rx, bottom, text));
        let anchor = if rx + text_width(text, SMALL) / 2.0 > HORIZONTAL_WIDTH - MARGIN {
            "end"
        } else if rx - text_width(text, SMALL) / 2.0 < MARGIN {
            "start"
        } else {
            "middle"
        };
        out.push_str(&label(rx, top - 8.0, anchor, text, text));
    }
    canvas.y = bottom + 20.0;
    if !p.value_label.is_empty() {
        canvas.y += 16.0;
        canvas.body.push_str(&format!(
            r#"<text x="{x}" y="{y}" font-size="12" fill="{INK}" text-anchor="middle">{text}</text>"#,
            x = px((x0 + x1) / 2.0),
            y = px(canvas.y),
            text = escape(&p.value_label),
        ));
    }
    canvas.y += 8.0;
    canvas.notes(&p.notes);
    canvas.finish(&p.title, &p.description)
}

/// Categories left to right, labels wrapped under their bars.
fn vertical(p: &BarPicture, segments: &[Vec<Segment>], ticks: Ticks) -> String {
    let slots = slots(p);
    let n = p.categories.len() as f64;
    let axis = ticks
        .values()
        .iter()
        .map(|t| text_width(&ticks.label(*t), SMALL))
        .fold(0.0, f64::max);
    let left = MARGIN + axis + 8.0;
    let least_band = if slots == 1 {
        56.0
    } else {
        18.0 * slots as f64 + 20.0
    };
    // The reference line's label sits right of the plot, clear of the bars.
    let reference = p
        .reference
        .as_ref()
        .filter(|(_, v)| v.is_finite())
        .map(|(text, value)| (truncate(text, 24), *value));
    let label_room = reference
        .as_ref()
        .map_or(0.0, |(text, _)| text_width(text, SMALL) + 8.0);
    let width = VERTICAL_WIDTH.max(left + least_band * n + label_room + MARGIN);
    let right = width - MARGIN - label_room;
    let band = (right - left) / n;
    let thickness = if slots == 1 {
        (band * 0.64).min(40.0)
    } else {
        ((band * 0.8) / slots as f64).min(28.0)
    };

    let mut canvas = Canvas::new(width);
    canvas.heading(&p.title);
    canvas.legend(&legend(p));
    canvas.uses_marks |= p.series.iter().any(|s| matches!(s.fill, Fill::Mark(_)));
    if !p.value_label.is_empty() {
        canvas.lines(&[truncate(&p.value_label, 80)], 12.0, INK, false);
    }
    let top = canvas.y + 12.0;
    let bottom = top + PLOT_HEIGHT;
    // Below a negative bar at the axis' end sits its value.
    let labels_top = bottom + if ticks.low < 0.0 { 26.0 } else { 14.0 };
    let y = |v: f64| ticks.position(v, bottom, top);
    let out = &mut canvas.body;

    for tick in ticks.values() {
        let (ty, colour) = (y(tick), if tick == 0.0 { MUTED } else { RULE });
        out.push_str(&format!(
            r#"<line class="rt-tick" x1="{left}" y1="{ty}" x2="{right}" y2="{ty}" stroke="{colour}" stroke-width="1"/><text x="{tx}" y="{label_y}" font-size="{SMALL}" fill="{MUTED}" text-anchor="end">{text}</text>"#,
            left = px(left),
            right = px(right),
            ty = px(ty),
            tx = px(left - 6.0),
            label_y = px(ty + 4.0),
            text = ticks.label(tick),
        ));
    }
    let chars = ((band - 4.0) / (SMALL * 0.58)) as usize;
    let mut label_lines = 1;
    for (i, (category, bars)) in p.categories.iter().zip(segments).enumerate() {
        let centre = left + band * (i as f64 + 0.5);
        let lines = wrap(category, chars, 3);
        label_lines = label_lines.max(lines.len());
        for (k, line) in lines.iter().enumerate() {
            out.push_str(&label(
                centre,
                labels_top + 13.0 * k as f64,
                "middle",
                category,
                line,
            ));
        }
        let first = centre - thickness * slots as f64 / 2.0;
        for s in bars {
            let x = first + thickness * s.slot as f64;
            let (upper, lower) = (y(s.from.max(s.to)), y(s.from.min(s.to)));
            let w = if slots == 1 {
                thickness
            } else {
                thickness - 2.0
            };
            out.push_str(&bar(x, upper, w, lower - upper, category, s));
            let text = format_value(s.value);
            if !p.stacked {
                let ty = if s.to < 0.0 {
                    lower + 11.0
                } else {
                    upper - 3.0
                };
                out.push_str(&value_text(x + w / 2.0, ty, "middle", s.value, false));
            } else if lower - upper >= 13.0 && w >= text_width(&text, 10.0) + 4.0 {
                let ty = (upper + lower) / 2.0 + 3.5;
                out.push_str(&value_text(x + w / 2.0, ty, "middle", s.value, true));
            }
        }
    }
    if let Some((text, value)) = reference {
        let ry = y(value);
        out.push_str(&reference_line(left, ry, right, ry, &text));
        out.push_str(&label(right + 4.0, ry + 4.0, "start", &text, &text));
    }
    canvas.y = labels_top + 13.0 * label_lines as f64 + 6.0;
    canvas.notes(&p.notes);
    canvas.finish(&p.title, &p.description)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_document, num, parse, title_of, with_class};
    use super::*;
    use crate::dashboard::palette::{Mark, LEGEND};
    use crate::progress::workflow::Status;

    fn picture(categories: &[&str], series: Vec<BarSeries>) -> BarPicture {
        BarPicture {
            title: "Title".into(),
            description: "Description".into(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            series,
            value_label: "Countries".into(),
            ..BarPicture::default()
        }
    }

    fn series(label: &str, fill: Fill, values: &[f64]) -> BarSeries {
        BarSeries {
            label: label.into(),
            fill,
            values: values.to_vec(),
        }
    }

    #[test]
    fn bars_are_proportional_to_their_values() {
        for horizontal in [true, false] {
            let mut p = picture(
                &["R1"],
                vec![
                    series("Up", Fill::Colour("#4575b4"), &[1.0]),
                    series("Down", Fill::Colour("#d73027"), &[3.0]),
                ],
            );
            p.horizontal = horizontal;
            let svg = bar_svg(&p);
            assert_document(&svg);
            let doc = parse(&svg);
            let length = if horizontal { "width" } else { "height" };
            let bars: Vec<f64> = with_class(&doc, "rt-bar")
                .iter()
                .map(|b| num(*b, length))
                .collect();
            assert_eq!(bars.len(), 2);
            assert!((bars[1] / bars[0] - 3.0).abs() < 0.02, "{bars:?}");
        }
    }

    #[test]
    fn stacked_segments_add_up_to_the_category_total() {
        let values = [
            [3.0, 10.0, 5.0, 20.0, 15.0, 0.0, 0.0],
            [1.0, 2.0, 2.0, 1.0, 1.0, 0.0, 46.0],
        ];
        for horizontal in [true, false] {
            let mut p = picture(
                &["R1", "R2"],
                LEGEND
                    .iter()
                    .enumerate()
                    .map(|(k, m)| series(m.key(), Fill::Mark(*m), &[values[0][k], values[1][k]]))
                    .collect(),
            );
            p.stacked = true;
            p.horizontal = horizontal;
            let svg = bar_svg(&p);
            assert_document(&svg);
            assert!(svg.contains("<defs><pattern id=\"rt-mark-"));
            let doc = parse(&svg);
            let (length, start) = if horizontal {
                ("width", "x")
            } else {
                ("height", "y")
            };
            let bars = with_class(&doc, "rt-bar");
            // R1's 53 countries and R2's 53 reach the same end; R1's first segment is 3 long.
            let per_unit = num(bars[0], length) / 3.0;
            for category in ["R1", "R2"] {
                let mine: Vec<_> = bars
                    .iter()
                    .filter(|b| title_of(**b).starts_with(category))
                    .collect();
                let total: f64 = mine.iter().map(|b| num(**b, length)).sum();
                assert!((total / per_unit - 53.0).abs() < 0.1, "{category}: {total}");
                // Segments touch end to end.
                let mut ends: Vec<(f64, f64)> = mine
                    .iter()
                    .map(|b| (num(**b, start), num(**b, start) + num(**b, length)))
                    .collect();
                ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
                for pair in ends.windows(2) {
                    assert!((pair[0].1 - pair[1].0).abs() < 0.15, "{ends:?}");
                }
            }
        }
    }

    #[test]
    fn the_reference_line_sits_at_the_median() {
        let values = [10.0, 42.5, 80.0, 20.0, 60.0];
        let mut p = picture(
            &["AT", "BE", "CY", "DE", "EE"],
            vec![series("Value", Fill::Colour("#4575b4"), &values)],
        );
        p.horizontal = true;
        p.reference = Some(("Median 42.5".into(), 42.5));
        let svg = bar_svg(&p);
        assert_document(&svg);
        let doc = parse(&svg);
        let reference = with_class(&doc, "rt-ref")[0];
        assert_eq!(title_of(reference), "Median 42.5");
        assert_eq!(num(reference, "x1"), num(reference, "x2"));
        let bars = with_class(&doc, "rt-bar");
        let zero = num(bars[0], "x");
        let median_bar = bars
            .iter()
            .find(|b| title_of(**b) == "BE — Value: 42.5")
            .unwrap();
        let expected = zero + num(*median_bar, "width");
        assert!((num(reference, "x1") - expected).abs() < 0.15, "{svg}");
    }

    #[test]
    fn a_horizontal_ranking_of_53_countries_gives_each_a_16_px_row() {
        let names: Vec<String> = (0..53)
            .map(|i| format!("Country number {i} with a very long name"))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let values: Vec<f64> = (0..53).map(|i| (i % 8) as f64).collect();
        let mut p = picture(
            &names,
            vec![series("Implemented", Fill::Colour("#4575b4"), &values)],
        );
        p.horizontal = true;
        let svg = bar_svg(&p);
        assert_document(&svg);
        let doc = parse(&svg);
        let bars = with_class(&doc, "rt-bar");
        // Zero-valued bars are drawn with no width but are still there (and titled).
        assert_eq!(bars.len(), 53);
        assert!((num(bars[1], "y") - num(bars[0], "y") - 16.0).abs() < 0.01);
        assert!(num(doc.root_element(), "height") > 53.0 * 16.0);
        assert!(svg.contains(">Country number 0 with a ver…</text>"));
    }

    #[test]
    fn text_with_markup_characters_is_escaped() {
        let mut p = picture(
            &["<script>&\"'"],
            vec![series("A & B", Fill::Colour("#4575b4"), &[2.0])],
        );
        p.title = "Title <&>\"".into();
        p.notes = vec!["Note <b>".into()];
        let svg = bar_svg(&p);
        assert_document(&svg);
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        let doc = parse(&svg);
        assert!(doc.descendants().any(|n| n.text() == Some("Title <&>\"")));
        let bars = with_class(&doc, "rt-bar");
        assert_eq!(title_of(bars[0]), "<script>&\"' — A & B: 2");
    }

    #[test]
    fn empty_or_all_zero_input_says_no_data() {
        let empty = picture(&[], vec![]);
        let zeros = picture(
            &["R1", "R2"],
            vec![series("x", Fill::Colour("#000"), &[0.0, 0.0])],
        );
        let nan = picture(
            &["R1"],
            vec![series("x", Fill::Colour("#000"), &[f64::NAN])],
        );
        let mut stacked_negative =
            picture(&["R1"], vec![series("x", Fill::Colour("#000"), &[-4.0])]);
        stacked_negative.stacked = true;
        for p in [empty, zeros, nan, stacked_negative] {
            let svg = bar_svg(&p);
            assert_document(&svg);
            assert!(svg.contains(">No data</text>"), "{svg}");
            assert!(!svg.contains("rt-bar") && !svg.contains("NaN") && !svg.contains("inf"));
        }
    }

    #[test]
    fn negative_values_extend_the_axis_and_nan_is_skipped() {
        let mut p = picture(
            &["AT", "BE", "CY"],
            vec![series(
                "Change",
                Fill::Colour("#4575b4"),
                &[-5.0, f64::NAN, 15.0],
            )],
        );
        p.horizontal = true;
        let svg = bar_svg(&p);
        assert_document(&svg);
        let doc = parse(&svg);
        let bars = with_class(&doc, "rt-bar");
        assert_eq!(bars.len(), 2);
        let (negative, positive) = (bars[0], bars[1]);
        // The negative bar ends where the positive one starts (zero), a third as long.
        assert!((num(negative, "x") + num(negative, "width") - num(positive, "x")).abs() < 0.15);
        assert!((num(positive, "width") / num(negative, "width") - 3.0).abs() < 0.05);
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn the_legend_follows_the_series_order_with_pattern_swatches() {
        let p = picture(
            &["R1"],
            LEGEND
                .iter()
                .map(|m| series(&format!("label {}", m.key()), Fill::Mark(*m), &[1.0]))
                .collect(),
        );
        let svg = bar_svg(&p);
        let positions: Vec<usize> = LEGEND
            .iter()
            .map(|m| svg.find(&format!(">label {}</text>", m.key())).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
        assert!(svg.contains(&format!(
            "fill=\"url(#rt-mark-{})\" stroke",
            Mark::Status(Status::Planned).key()
        )));
    }
}
