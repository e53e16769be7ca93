//! The ECharts options of the dashboards, built with `charming` from the same numbers as the
//! figures' tables. Status is told by pattern (`aria.decal`, one per series, matching the
//! server's SVG patterns) and by the legend's words as well as by colour. Tooltips render as
//! rich text inside the chart (`renderMode: richText`), not as HTML with inline styles, which
//! the pages' Content-Security-Policy refuses. charming 0.6 has no fields for a `map` series,
//! no per-series `decal` and no `renderMode`: those few keys are added to its JSON here.

use charming::{
    component::{Aria, Axis, Decal, DecalItem, Grid, Legend},
    datatype::DataPoint,
    element::{
        AxisLabel, AxisType, ItemStyle, LineStyle, MarkLine, MarkLineData, MarkLineVariant, Symbol,
        Tooltip, Trigger,
    },
    series::{Bar, Heatmap},
    Chart,
};
use serde_json::{json, Value};

use super::palette::{Mark, Pattern, Swatch};

pub use super::svg::Fill as Look;

/// One series of bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub look: Look,
    pub values: Vec<f64>,
    /// Series with the same stack name pile up ("EU27", "non-EU"); `None`: side by side.
    pub stack: Option<String>,
}

/// A bar chart: categories on one axis, one bar (or stack) per series.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Categories down the side (rankings of many countries).
    pub horizontal: bool,
    pub value_name: String,
    /// A marked value across the chart (the median).
    pub reference: Option<(String, f64)>,
}

/// The ECharts decal (pattern) of a swatch.
fn decal(s: Swatch) -> DecalItem {
    let ink = if s.ink == "#ffffff" {
        "rgba(255,255,255,0.75)"
    } else {
        "rgba(27,31,36,0.55)"
    };
    let lines = |rotation: f64| {
        DecalItem::new()
            .symbol(Symbol::Rect)
            .color(ink)
            .dash_array_x(vec![1, 0])
            .dash_array_y(vec![2, 5])
            .rotation(rotation)
    };
    match s.pattern {
        Pattern::Solid => DecalItem::new().symbol(Symbol::None),
        Pattern::Horizontal => lines(0.0),
        Pattern::Vertical => lines(std::f64::consts::FRAC_PI_2),
        Pattern::Diagonal => lines(std::f64::consts::FRAC_PI_4),
        Pattern::Dots => DecalItem::new()
            .symbol(Symbol::Circle)
            .symbol_size(0.5)
            .color(ink)
            .dash_array_x(6)
            .dash_array_y(6),
        Pattern::Crosshatch => DecalItem::new()
            .symbol(Symbol::Diamond)
            .symbol_size(0.7)
            .color(ink)
            .dash_array_x(6)
            .dash_array_y(6),
    }
}

fn colour_of(look: Look) -> &'static str {
    match look {
        Look::Mark(m) => m.swatch().colour,
        Look::Colour(c) => c,
    }
}

fn decal_of(look: Look) -> DecalItem {
    match look {
        Look::Mark(m) => decal(m.swatch()),
        Look::Colour(_) => DecalItem::new().symbol(Symbol::None),
    }
}

/// Patterns on, one per series in order; no animation (nothing moves for people who asked
/// their system for less motion, and the chart is complete at once).
fn aria(decals: Vec<DecalItem>) -> Aria {
    Aria::new()
        .enabled(true)
        .decal(Decal::new().show(true).decals(decals))
}

/// The option as JSON, with the keys charming lacks.
fn finish(chart: Chart, patch: impl FnOnce(&mut Value)) -> String {
    let mut value = serde_json::to_value(&chart).unwrap_or(Value::Null);
    if let Some(o) = value.as_object_mut() {
        o.insert("animation".into(), json!(false));
        o.insert(
            "textStyle".into(),
            json!({"fontFamily": "system-ui, sans-serif", "color": "#1b1f24"}),
        );
        if let Some(t) = o.get_mut("tooltip").and_then(Value::as_object_mut) {
            t.insert("renderMode".into(), json!("richText"));
        }
    }
    patch(&mut value);
    value.to_string()
}

/// A bar chart (stacked when series share a stack).
pub fn bars(b: &Bars) -> String {
    let category_axis = Axis::new()
        .type_(AxisType::Category)
        .data(b.categories.clone())
        .axis_label(AxisLabel::new().interval(0));
    let value_axis = Axis::new()
        .type_(AxisType::Value)
        .name(b.value_name.clone())
        .min_interval(1);
    let (x, y) = if b.horizontal {
        (value_axis, category_axis.inverse(true))
    } else {
        (category_axis, value_axis)
    };
    let mut chart = Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top("bottom"))
        .grid(
            Grid::new()
                .left(if b.horizontal { "22%" } else { "4%" })
                .right("4%")
                .top(24)
                .bottom(72),
        )
        .x_axis(x)
        .y_axis(y)
        .aria(aria(b.series.iter().map(|s| decal_of(s.look)).collect()));
    for (i, s) in b.series.iter().enumerate() {
        let mut bar = Bar::new()
            .name(s.label.clone())
            .item_style(
                ItemStyle::new()
                    .color(colour_of(s.look))
                    .border_color("#ffffff"),
            )
            .data(s.values.clone());
        if let Some(stack) = &s.stack {
            bar = bar.stack(stack.clone());
        }
        if i == 0 {
            if let Some((label, value)) = &b.reference {
                let mut line = MarkLineData::new().name(label.clone());
                line = if b.horizontal {
                    line.x_axis(*value)
                } else {
                    line.y_axis(*value)
                };
                bar = bar.mark_line(
                    MarkLine::new()
                        .symbol(vec![Symbol::None, Symbol::None])
                        .line_style(LineStyle::new().color("#1b1f24").width(2))
                        .data(vec![MarkLineVariant::Simple(line)]),
                );
            }
        }
        chart = chart.series(bar);
    }
    finish(chart, |_| {})
}

/// A heatmap: rows × columns of marks, one series per mark (so each has its legend entry and
/// pattern).
pub fn heatmap(
    rows: &[String],
    columns: &[String],
    cells: &[Vec<Mark>],
    legend: &[(Mark, String)],
) -> String {
    let mut chart = Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().top("bottom"))
        .grid(Grid::new().left("22%").right("4%").top(40).bottom(72))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(columns.to_vec())
                .position("top"),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(rows.to_vec())
                .inverse(true)
                .axis_label(AxisLabel::new().interval(0)),
        )
        .aria(aria(
            legend.iter().map(|(m, _)| decal(m.swatch())).collect(),
        ));
    for (mark, label) in legend {
        let mut points: Vec<Vec<DataPoint>> = Vec::new();
        for (y, row) in cells.iter().enumerate() {
            for (x, cell) in row.iter().enumerate() {
                if cell == mark {
                    points.push(vec![(x as i64).into(), (y as i64).into(), 1.into()]);
                }
            }
        }
        chart = chart.series(
            Heatmap::new()
                .name(label.clone())
                .item_style(
                    ItemStyle::new()
                        .color(mark.swatch().colour)
                        .border_color("#ffffff")
                        .border_width(1),
                )
                .data(points),
        );
    }
    finish(chart, |_| {})
}

/// The map of Europe (`europe`, registered by the page from the server's projected
/// boundaries): each country filled with its mark's colour and pattern, named in the reader's
/// language.
pub fn map(countries: &[(String, String, Mark, String)]) -> String {
    let chart = Chart::new().tooltip(Tooltip::new().trigger(Trigger::Item));
    finish(chart, |value| {
        let name_map: serde_json::Map<String, Value> = countries
            .iter()
            .map(|(iso2, name, _, _)| (iso2.clone(), json!(name)))
            .collect();
        let data: Vec<Value> = countries
            .iter()
            .map(|(_, name, mark, label)| {
                let s = mark.swatch();
                let decal = serde_json::to_value(decal(s)).unwrap_or(Value::Null);
                json!({
                    "name": name,
                    "value": label,
                    "itemStyle": { "areaColor": s.colour, "decal": decal },
                })
            })
            .collect();
        if let Some(o) = value.as_object_mut() {
            o.insert(
                "series".into(),
                json!([{
                    "type": "map",
                    "map": "europe",
                    "aspectScale": 1,
                    "left": 8,
                    "right": 8,
                    "top": 8,
                    "bottom": 8,
                    "boundingCoords": super::geo::echarts_bounding_coords(),
                    "roam": false,
                    "nameMap": name_map,
                    "label": { "show": false },
                    "itemStyle": { "borderColor": "#1b1f24", "borderWidth": 0.5 },
                    "emphasis": { "label": { "show": false }, "itemStyle": { "borderWidth": 2 } },
                    "select": { "disabled": true },
                    "data": data,
                }]),
            );
            o.insert(
                "aria".into(),
                json!({ "enabled": true, "decal": { "show": true } }),
            );
        }
    })
}
