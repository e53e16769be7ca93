//! The dashboards' operations (server only): load what the caller may see, then build each
//! figure — caption, table, ECharts option and server-drawn image — from the same numbers.
//! Pages and downloads call the same builders, so a CSV is exactly its table and an image
//! exactly its chart.

use std::collections::HashMap;

use super::aggregate::{self, Grid, Moves};
use super::charts::{self, Bars, Series};
use super::geo::{MapCountry, MapPicture};
use super::model::{DashboardView, Figure, Filters, IndicatorChoice, PeriodChoice};
use super::palette::{Mark, LEGEND};
use super::svg::{BarPicture, BarSeries, Fill, GridPicture};
use super::{policy, repo};
use crate::caller::CurrentUser;
use crate::countries::model::{Country, CountryGroup};
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::indicators::model::{Indicator, IndicatorKind};
use crate::lang::{format, Locale};
use crate::periods::model::Period;
use crate::progress::workflow::{ReportState, Status};
use crate::recommendations::model::Recommendation;
use crate::ui::{Cell, Column, ColumnKind, Table};

/// Which dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `/dashboard`: map, heatmap, distribution, ranking.
    Overview,
    /// `/dashboard/movement`: movement since the previous period, statuses over time.
    Movement,
    /// `/dashboard/indicators`: one numeric indicator, countries ranked.
    Indicators,
    /// `/countries/{iso2}`: one country's timeline and indicators.
    Country(String),
}

/// A figure's image, drawn on the server.
pub enum Picture {
    Map(MapPicture),
    Grid(GridPicture),
    Bars(BarPicture),
    /// A table without a chart.
    None,
}

impl Picture {
    /// The image as a standalone SVG document, if the figure has one.
    pub fn svg(&self) -> Option<String> {
        match self {
            Self::Map(p) => Some(super::geo::render_svg(p)),
            Self::Grid(p) => Some(super::svg::grid_svg(p)),
            Self::Bars(p) => Some(super::svg::bar_svg(p)),
            Self::None => None,
        }
    }
}

/// A dashboard page: what the page shows, and each figure's image (in the same order).
pub struct Built {
    pub view: DashboardView,
    pub pictures: Vec<Picture>,
}

/// Everything the caller may see, loaded once per request.
struct Data {
    locale: Locale,
    filters: Filters,
    /// In the alphabetical order of the reader's language.
    countries: Vec<Country>,
    names: HashMap<String, String>,
    /// Oldest first.
    periods: Vec<Period>,
    grids: HashMap<i64, Grid>,
    recommendations: Vec<Recommendation>,
    indicators: Vec<Indicator>,
    /// The period shown.
    period: Option<Period>,
    /// The report states the caller sees (`policy::visible_states`).
    states: &'static [ReportState],
}

impl Data {
    fn name(&self, iso2: &str) -> String {
        self.names
            .get(iso2)
            .cloned()
            .unwrap_or_else(|| iso2.to_string())
    }

    fn grid(&self, period: Option<&Period>) -> Grid {
        period
            .and_then(|p| self.grids.get(&p.id))
            .cloned()
            .unwrap_or_default()
    }

    fn in_group(&self) -> Vec<&Country> {
        self.countries
            .iter()
            .filter(|c| self.filters.group.contains(c))
            .collect()
    }

    fn period_name(&self) -> String {
        self.period
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_else(|| td_string!(self.locale, dashboard.no_period).to_string())
    }

    fn group_label(&self) -> &'static str {
        self.filters.group.label_in(self.locale)
    }

    fn recommendation_title(&self, number: i64) -> String {
        self.recommendations
            .iter()
            .find(|r| r.number == number)
            .map(|r| crate::recommendations::pages::title(self.locale, r))
            .unwrap_or_default()
    }

    fn short(&self, number: i64) -> String {
        td_string!(self.locale, dashboard.rec_short, n = number).to_string()
    }

    /// Lines under every caption.
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.filters.include_submitted {
            notes.push(td_string!(self.locale, dashboard.note_submitted).to_string());
        } else {
            notes.push(td_string!(self.locale, dashboard.note_approved).to_string());
        }
        notes
    }

    fn legend(&self) -> Vec<(Mark, String)> {
        LEGEND
            .iter()
            .map(|m| (*m, m.label(self.locale).to_string()))
            .collect()
    }

    fn mark_cell(&self, mark: Mark) -> Cell {
        Cell::Mark {
            key: mark.key().to_string(),
            label: mark.label(self.locale).to_string(),
        }
    }

    fn country_cell(&self, iso2: &str) -> Cell {
        Cell::Link {
            text: self.name(iso2),
            href: self.filters.href(&crate::routes::country(iso2)),
        }
    }
}

/// Loads what `caller` may see for `filters` (refusing "include submitted" to those who may
/// not) and resolves the period: the one asked for, else the newest with a visible report, else
/// the newest.
async fn load(
    db: &Db,
    caller: Option<&CurrentUser>,
    mut filters: Filters,
    locale: Locale,
) -> Result<Data, AppError> {
    let states = policy::visible_states(caller, filters.include_submitted)?;
    let mut c = db.conn().await?;
    let mut countries = crate::countries::repo::list(&mut c).await?;
    crate::countries::model::sort_by_name(locale, &mut countries);
    let mut periods = crate::periods::repo::list(&mut c).await?;
    periods.reverse();
    let records = repo::statuses(&mut c, states).await?;
    let recommendations = crate::recommendations::repo::list(&mut c).await?;
    let indicators: Vec<Indicator> = crate::indicators::repo::list(&mut c)
        .await?
        .into_iter()
        .filter(|i| matches!(i.kind, IndicatorKind::Number | IndicatorKind::Percentage))
        .collect();
    let mut grids: HashMap<i64, Grid> = HashMap::new();
    for r in records {
        grids
            .entry(r.period_id)
            .or_default()
            .set(&r.iso2, r.recommendation, Mark::of(r.status));
    }
    let period = match filters.period {
        Some(id) => Some(
            periods
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => periods
            .iter()
            .rev()
            .find(|p| grids.contains_key(&p.id))
            .or(periods.last())
            .cloned(),
    };
    filters.period = period.as_ref().map(|p| p.id);
    if filters.indicator.is_none() {
        filters.indicator = indicators.first().map(|i| i.id);
    }
    let names = countries
        .iter()
        .map(|c| (c.iso2.clone(), c.name_in(locale)))
        .collect();
    Ok(Data {
        locale,
        filters,
        countries,
        names,
        periods,
        grids,
        recommendations,
        indicators,
        period,
        states,
    })
}

/// Builds a dashboard page for `caller`.
pub async fn page(
    db: &Db,
    caller: Option<&CurrentUser>,
    page: &Page,
    filters: Filters,
    locale: Locale,
) -> Result<Built, AppError> {
    let data = load(db, caller, filters, locale).await?;
    let mut built: Vec<(Figure, Picture)> = Vec::new();
    match page {
        Page::Overview => {
            built.push(map(&data));
            built.push(heatmap(&data));
            built.push(distribution(&data));
            built.push(ranking(&data));
        }
        Page::Movement => {
            built.push(movement(&data));
            built.push(over_time(&data));
        }
        Page::Indicators => {
            if let Some(f) = indicator_ranking(db, &data).await? {
                built.push(f);
            }
        }
        Page::Country(iso2) => {
            if !data.countries.iter().any(|c| &c.iso2 == iso2) {
                return Err(AppError::NotFound);
            }
            built.push(timeline(&data, iso2));
            built.push(indicator_profile(db, &data, iso2).await?);
        }
    }
    let may_include_submitted = policy::may_include_submitted(caller);
    let (figures, pictures) = built.into_iter().unzip();
    Ok(Built {
        view: DashboardView {
            periods: data
                .periods
                .iter()
                .rev()
                .map(|p| PeriodChoice {
                    id: p.id,
                    name: p.name.clone(),
                })
                .collect(),
            indicators: data
                .indicators
                .iter()
                .map(|i| IndicatorChoice {
                    id: i.id,
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                })
                .collect(),
            may_include_submitted,
            period_name: data.period.as_ref().map(|p| p.name.clone()),
            filters: data.filters,
            figures,
        },
        pictures,
    })
}

/// A figure's name and its download links.
fn figure(data: &Data, name: &str, caption: String, table: Table, notes: Vec<String>) -> Figure {
    let download = |ext: &str| {
        let mut f = data.filters.clone();
        // The link keeps the view's period even when the page chose it.
        f.period = data.period.as_ref().map(|p| p.id);
        let query = f.query();
        let sep = if query.is_empty() { "" } else { "?" };
        format!(
            "{}/{name}.{ext}{sep}{query}",
            crate::routes::DASHBOARD_DOWNLOADS
        )
    };
    Figure {
        name: name.to_string(),
        caption,
        option: None,
        uses_map: false,
        height_rem: 24,
        inline_svg: None,
        table,
        notes,
        csv_href: download("csv"),
        image_href: download("svg"),
    }
}

/// A bar chart as the figure's two drawings take it: the ECharts option and the server's SVG
/// are made from this one description, so they cannot disagree.
struct BarChart {
    categories: Vec<String>,
    /// Label, look and one value per category, in legend order.
    series: Vec<(String, Fill, Vec<f64>)>,
    stacked: bool,
    horizontal: bool,
    value_name: String,
    /// A marked value (the median).
    reference: Option<(String, f64)>,
}

/// Adds a bar chart to figure `f`: its option, and its image from the figure's caption and notes.
fn with_bars(l: Locale, mut f: Figure, chart: BarChart) -> (Figure, Picture) {
    let picture = BarPicture {
        title: f.caption.clone(),
        description: f.notes.join(" "),
        categories: chart.categories.clone(),
        series: chart
            .series
            .iter()
            .map(|(label, fill, values)| BarSeries {
                label: label.clone(),
                fill: *fill,
                values: values.clone(),
            })
            .collect(),
        stacked: chart.stacked,
        horizontal: chart.horizontal,
        reference: chart.reference.clone(),
        value_label: chart.value_name.clone(),
        notes: f.notes.clone(),
        no_data: td_string!(l, dashboard.no_data).to_string(),
    };
    let stack = chart.stacked.then(|| "stack".to_string());
    f.option = Some(charts::bars(&Bars {
        categories: chart.categories,
        series: chart
            .series
            .into_iter()
            .map(|(label, look, values)| Series {
                label,
                look,
                values,
                stack: stack.clone(),
            })
            .collect(),
        horizontal: chart.horizontal,
        value_name: chart.value_name,
        reference: chart.reference,
    }));
    (f, Picture::Bars(picture))
}

/// Adds a grid of marks (rows × columns) to figure `f`: its option and its image.
fn with_grid(
    data: &Data,
    mut f: Figure,
    rows: Vec<String>,
    columns: Vec<String>,
    cells: Vec<Vec<Mark>>,
) -> (Figure, Picture) {
    let legend = data.legend();
    f.option = Some(charts::heatmap(&rows, &columns, &cells, &legend));
    let picture = GridPicture {
        title: f.caption.clone(),
        description: f.notes.join(" "),
        row_labels: rows,
        column_labels: columns,
        cells,
        cell_labels: None,
        legend,
        notes: f.notes.clone(),
        no_data: td_string!(data.locale, dashboard.no_data).to_string(),
    };
    (f, Picture::Grid(picture))
}

fn map(data: &Data) -> (Figure, Picture) {
    let l = data.locale;
    let n = data.filters.recommendation;
    let grid = data.grid(data.period.as_ref());
    let caption = td_string!(
        l,
        dashboard.caption_map,
        n = n,
        title = data.recommendation_title(n),
        period = data.period_name()
    )
    .to_string();
    let mut notes = data.notes();
    notes.push(td_string!(l, dashboard.note_map_all).to_string());
    notes.push(td_string!(l, dashboard.note_boundaries).to_string());
    let marks: Vec<(String, String, Mark, String)> = data
        .countries
        .iter()
        .map(|c| {
            let m = grid.mark(&c.iso2, n);
            (
                c.iso2.clone(),
                data.name(&c.iso2),
                m,
                m.label(l).to_string(),
            )
        })
        .collect();
    let table = Table {
        caption: caption.clone(),
        columns: vec![
            Column::named(
                "country",
                td_string!(l, dashboard.col_country),
                ColumnKind::Text,
            )
            .row_header(),
            Column::named(
                "status",
                td_string!(l, dashboard.col_status),
                ColumnKind::Text,
            ),
        ],
        rows: marks
            .iter()
            .map(|(iso2, _, m, _)| vec![data.country_cell(iso2), data.mark_cell(*m)])
            .collect(),
    };
    let picture = MapPicture {
        title: caption.clone(),
        description: notes.join(" "),
        countries: marks
            .iter()
            .map(|(iso2, name, mark, label)| MapCountry {
                iso2: iso2.clone(),
                name: name.clone(),
                mark: *mark,
                label: label.clone(),
            })
            .collect(),
        legend: data.legend(),
        notes: notes.clone(),
    };
    let mut f = figure(data, "map", caption, table, notes);
    f.option = Some(charts::map(&marks));
    f.uses_map = true;
    f.height_rem = 34;
    f.inline_svg = Some(super::geo::render_inline_svg(&picture));
    (f, Picture::Map(picture))
}

fn heatmap(data: &Data) -> (Figure, Picture) {
    let l = data.locale;
    let grid = data.grid(data.period.as_ref());
    let countries = data.in_group();
    let caption = td_string!(
        l,
        dashboard.caption_heatmap,
        period = data.period_name(),
        group = data.group_label()
    )
    .to_string();
    let columns: Vec<String> = (1..=7).map(|n| data.short(n)).collect();
    let rows: Vec<String> = countries.iter().map(|c| data.name(&c.iso2)).collect();
    let cells: Vec<Vec<Mark>> = countries
        .iter()
        .map(|c| grid.row(&c.iso2).to_vec())
        .collect();
    let mut table_columns = vec![Column::named(
        "country",
        td_string!(l, dashboard.col_country),
        ColumnKind::Text,
    )
    .row_header()];
    table_columns.extend((1..=7).map(|n| {
        Column::named(
            format!("recommendation_{n}"),
            data.short(n),
            ColumnKind::Text,
        )
    }));
    let table = Table {
        caption: caption.clone(),
        columns: table_columns,
        rows: countries
            .iter()
            .zip(&cells)
            .map(|(c, marks)| {
                let mut row = vec![data.country_cell(&c.iso2)];
                row.extend(marks.iter().map(|m| data.mark_cell(*m)));
                row
            })
            .collect(),
    };
    let mut f = figure(data, "heatmap", caption, table, data.notes());
    f.height_rem = (8 + rows.len() as u16 * 2 / 3).max(16);
    with_grid(data, f, rows, columns, cells)
}

/// The groups a comparison shows side by side: EU27 and non-EU, or the one filtered.
fn groups(filters: &Filters) -> Vec<CountryGroup> {
    match filters.group {
        CountryGroup::All => vec![CountryGroup::Eu27, CountryGroup::NonEu],
        g => vec![g],
    }
}

/// The columns of a distribution table after its leading ones: one per mark, then the total.
fn mark_columns(l: Locale) -> Vec<Column> {
    let mut columns: Vec<Column> = LEGEND
        .iter()
        .map(|m| Column::named(m.key().replace('-', "_"), m.label(l), ColumnKind::Number))
        .collect();
    columns.push(Column::named(
        "countries",
        td_string!(l, dashboard.col_countries),
        ColumnKind::Number,
    ));
    columns
}

/// One series per mark (legend order) of distributions, one distribution per category.
fn status_series(l: Locale, rows: &[[usize; 7]]) -> Vec<(String, Fill, Vec<f64>)> {
    LEGEND
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let values = rows.iter().map(|r| r[i] as f64).collect();
            (m.label(l).to_string(), Fill::Mark(*m), values)
        })
        .collect()
}

fn distribution(data: &Data) -> (Figure, Picture) {
    let l = data.locale;
    let grid = data.grid(data.period.as_ref());
    let groups = groups(&data.filters);
    let caption = if groups.len() > 1 {
        td_string!(
            l,
            dashboard.caption_distribution_both,
            period = data.period_name()
        )
        .to_string()
    } else {
        td_string!(
            l,
            dashboard.caption_distribution,
            period = data.period_name(),
            group = data.group_label()
        )
        .to_string()
    };
    let mut categories = Vec::new();
    let mut counts: Vec<[usize; 7]> = Vec::new();
    let mut rows = Vec::new();
    for n in 1..=7 {
        for g in &groups {
            let members: Vec<&Country> = data.countries.iter().filter(|c| g.contains(c)).collect();
            let dist = aggregate::distribution(members.iter().map(|c| grid.mark(&c.iso2, n)));
            categories.push(format!("{} — {}", data.short(n), g.label_in(l)));
            let mut row: Vec<Cell> = vec![data.short(n).into(), g.label_in(l).into()];
            row.extend(dist.iter().map(|v| Cell::from(*v)));
            row.push(members.len().into());
            rows.push(row);
            counts.push(dist);
        }
    }
    let mut columns = vec![
        Column::named(
            "recommendation",
            td_string!(l, dashboard.col_recommendation),
            ColumnKind::Text,
        )
        .row_header(),
        Column::named(
            "group",
            td_string!(l, dashboard.col_group),
            ColumnKind::Text,
        ),
    ];
    columns.extend(mark_columns(l));
    let table = Table {
        caption: caption.clone(),
        columns,
        rows,
    };
    let mut f = figure(data, "distribution", caption, table, data.notes());
    f.height_rem = (8 + categories.len() as u16 * 3 / 2).max(18);
    with_bars(
        l,
        f,
        BarChart {
            categories,
            series: status_series(l, &counts),
            stacked: true,
            horizontal: true,
            value_name: td_string!(l, dashboard.col_countries).to_string(),
            reference: None,
        },
    )
}

fn ranking(data: &Data) -> (Figure, Picture) {
    let l = data.locale;
    let grid = data.grid(data.period.as_ref());
    let caption = td_string!(
        l,
        dashboard.caption_ranking,
        period = data.period_name(),
        group = data.group_label()
    )
    .to_string();
    let ranked = aggregate::ranking(
        data.in_group()
            .iter()
            .map(|c| (c.iso2.clone(), data.name(&c.iso2), grid.row(&c.iso2)))
            .collect(),
    );
    let table = Table {
        caption: caption.clone(),
        columns: vec![
            Column::named(
                "rank",
                td_string!(l, dashboard.col_rank),
                ColumnKind::Number,
            ),
            Column::named(
                "country",
                td_string!(l, dashboard.col_country),
                ColumnKind::Text,
            )
            .row_header(),
            Column::named(
                "implemented",
                td_string!(l, dashboard.col_implemented),
                ColumnKind::Number,
            ),
            Column::named(
                "fully_implemented",
                td_string!(l, dashboard.col_fully),
                ColumnKind::Number,
            ),
        ],
        rows: ranked
            .iter()
            .map(|r| {
                vec![
                    r.rank.into(),
                    data.country_cell(&r.iso2),
                    r.implemented.into(),
                    r.fully.into(),
                ]
            })
            .collect(),
    };
    let categories: Vec<String> = ranked.iter().map(|r| r.name.clone()).collect();
    let full = Mark::Status(Status::FullyImplemented);
    let partial = Mark::Status(Status::PartiallyImplemented);
    let fully: Vec<f64> = ranked.iter().map(|r| r.fully as f64).collect();
    let partly: Vec<f64> = ranked
        .iter()
        .map(|r| (r.implemented - r.fully) as f64)
        .collect();
    let mut f = figure(data, "ranking", caption, table, data.notes());
    f.height_rem = (8 + categories.len() as u16 * 2 / 3).max(16);
    with_bars(
        l,
        f,
        BarChart {
            categories,
            series: vec![
                (full.label(l).to_string(), Fill::Mark(full), fully),
                (partial.label(l).to_string(), Fill::Mark(partial), partly),
            ],
            stacked: true,
            horizontal: true,
            value_name: td_string!(l, dashboard.value_recommendations).to_string(),
            reference: None,
        },
    )
}

/// A kind of move: its label, its colour, and how many of it.
type MoveKind = (&'static str, &'static str, fn(&Moves) -> usize);

const UP: &str = "#1a6b3c";
const SAME: &str = "#8a8f94";
const DOWN: &str = "#a4161a";

fn movement(data: &Data) -> (Figure, Picture) {
    let l = data.locale;
    let previous = data.period.as_ref().and_then(|p| {
        let i = data.periods.iter().position(|q| q.id == p.id)?;
        i.checked_sub(1).map(|j| &data.periods[j])
    });
    let before = data.grid(previous);
    let after = data.grid(data.period.as_ref());
    let from = previous
        .map(|p| p.name.clone())
        .unwrap_or_else(|| td_string!(l, dashboard.no_previous_period).to_string());
    let caption = td_string!(
        l,
        dashboard.caption_movement,
        from = from,
        to = data.period_name(),
        group = data.group_label()
    )
    .to_string();
    let countries = data.in_group();
    let moves: Vec<Moves> = (1..=7)
        .map(|n| {
            if previous.is_none() {
                return Moves {
                    not_comparable: countries.len(),
                    ..Moves::default()
                };
            }
            Moves::count(
                countries
                    .iter()
                    .map(|c| (before.mark(&c.iso2, n), after.mark(&c.iso2, n))),
            )
        })
        .collect();
    let table = Table {
        caption: caption.clone(),
        columns: vec![
            Column::named(
                "recommendation",
                td_string!(l, dashboard.col_recommendation),
                ColumnKind::Text,
            )
            .row_header(),
            Column::named(
                "moved_up",
                td_string!(l, dashboard.col_moved_up),
                ColumnKind::Number,
            ),
            Column::named(
                "stayed",
                td_string!(l, dashboard.col_stayed),
                ColumnKind::Number,
            ),
            Column::named(
                "moved_down",
                td_string!(l, dashboard.col_moved_down),
                ColumnKind::Number,
            ),
            Column::named(
                "not_comparable",
                td_string!(l, dashboard.col_not_comparable),
                ColumnKind::Number,
            ),
        ],
        rows: moves
            .iter()
            .enumerate()
            .map(|(i, m)| {
                vec![
                    data.short(i as i64 + 1).into(),
                    m.up.into(),
                    m.same.into(),
                    m.down.into(),
                    m.not_comparable.into(),
                ]
            })
            .collect(),
    };
    let mut notes = data.notes();
    notes.push(td_string!(l, dashboard.note_movement).to_string());
    if previous.is_none() {
        notes.push(td_string!(l, dashboard.note_no_previous).to_string());
    }
    let categories: Vec<String> = (1..=7).map(|n| data.short(n)).collect();
    let kinds: [MoveKind; 3] = [
        (td_string!(l, dashboard.col_moved_up), UP, |m| m.up),
        (td_string!(l, dashboard.col_stayed), SAME, |m| m.same),
        (td_string!(l, dashboard.col_moved_down), DOWN, |m| m.down),
    ];
    let series = kinds
        .iter()
        .map(|(label, colour, get)| {
            let values = moves.iter().map(|m| get(m) as f64).collect();
            (label.to_string(), Fill::Colour(colour), values)
        })
        .collect();
    let f = figure(data, "movement", caption, table, notes);
    with_bars(
        l,
        f,
        BarChart {
            categories,
            series,
            stacked: true,
            horizontal: true,
            value_name: td_string!(l, dashboard.col_countries).to_string(),
            reference: None,
        },
    )
}

fn over_time(data: &Data) -> (Figure, Picture) {
    let l = data.locale;
    let n = data.filters.recommendation;
    let caption = td_string!(
        l,
        dashboard.caption_over_time,
        n = n,
        title = data.recommendation_title(n),
        group = data.group_label()
    )
    .to_string();
    let countries = data.in_group();
    let counts: Vec<[usize; 7]> = data
        .periods
        .iter()
        .map(|p| {
            let g = data.grid(Some(p));
            aggregate::distribution(countries.iter().map(|c| g.mark(&c.iso2, n)))
        })
        .collect();
    let categories: Vec<String> = data.periods.iter().map(|p| p.name.clone()).collect();
    let mut columns = vec![Column::named(
        "period",
        td_string!(l, dashboard.col_period),
        ColumnKind::Text,
    )
    .row_header()];
    columns.extend(mark_columns(l));
    let table = Table {
        caption: caption.clone(),
        columns,
        rows: categories
            .iter()
            .zip(&counts)
            .map(|(p, dist)| {
                let mut row: Vec<Cell> = vec![p.clone().into()];
                row.extend(dist.iter().map(|v| Cell::from(*v)));
                row.push(countries.len().into());
                row
            })
            .collect(),
    };
    let f = figure(data, "over-time", caption, table, data.notes());
    with_bars(
        l,
        f,
        BarChart {
            categories,
            series: status_series(l, &counts),
            stacked: true,
            horizontal: false,
            value_name: td_string!(l, dashboard.col_countries).to_string(),
            reference: None,
        },
    )
}

/// The values of one period for the caller, by indicator then country.
async fn values(db: &Db, data: &Data) -> Result<HashMap<i64, Vec<(String, f64)>>, AppError> {
    let Some(period) = &data.period else {
        return Ok(HashMap::new());
    };
    let mut out: HashMap<i64, Vec<(String, f64)>> = HashMap::new();
    for v in repo::values(&mut *db.conn().await?, period.id, data.states).await? {
        if let Ok(x) = v.value.trim().parse::<f64>() {
            if x.is_finite() {
                out.entry(v.indicator_id)
                    .or_default()
                    .push((v.country_iso2, x));
            }
        }
    }
    Ok(out)
}

fn number(l: Locale, x: f64) -> String {
    format::number(l, &crate::indicators::model::fmt_number(x))
}

async fn indicator_ranking(db: &Db, data: &Data) -> Result<Option<(Figure, Picture)>, AppError> {
    let l = data.locale;
    let Some(indicator) = data
        .filters
        .indicator
        .and_then(|id| data.indicators.iter().find(|i| i.id == id))
    else {
        return if data.filters.indicator.is_some() && !data.indicators.is_empty() {
            Err(AppError::NotFound)
        } else {
            Ok(None)
        };
    };
    let all = values(db, data).await?;
    let group: Vec<&str> = data.in_group().iter().map(|c| c.iso2.as_str()).collect();
    let mut rows: Vec<(String, f64)> = all
        .get(&indicator.id)
        .map(|v| {
            v.iter()
                .filter(|(iso2, _)| group.contains(&iso2.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    rows.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| format::compare(l, &data.name(&a.0), &data.name(&b.0)))
    });
    let spread = aggregate::spread(rows.iter().map(|r| r.1));
    let unit = indicator.unit.clone().unwrap_or_default();
    let caption = td_string!(
        l,
        dashboard.caption_indicator,
        indicator = indicator.name.clone(),
        period = data.period_name(),
        group = data.group_label()
    )
    .to_string();
    let value_label = if unit.is_empty() {
        td_string!(l, dashboard.col_value).to_string()
    } else {
        format!("{} ({unit})", td_string!(l, dashboard.col_value))
    };
    let table = Table {
        caption: caption.clone(),
        columns: vec![
            Column::named(
                "country",
                td_string!(l, dashboard.col_country),
                ColumnKind::Text,
            )
            .row_header(),
            Column::named("value", value_label.clone(), ColumnKind::Number),
        ],
        rows: rows
            .iter()
            .map(|(iso2, x)| vec![data.country_cell(iso2), Cell::Text(number(l, *x))])
            .collect(),
    };
    let mut notes = data.notes();
    if let Some(s) = spread {
        notes.push(
            td_string!(
                l,
                dashboard.note_spread,
                median = number(l, s.median),
                min = number(l, s.min),
                max = number(l, s.max),
                n = s.count
            )
            .to_string(),
        );
    }
    let categories: Vec<String> = rows.iter().map(|r| data.name(&r.0)).collect();
    let series_values: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let reference = spread.map(|s| {
        (
            td_string!(l, dashboard.median_line, median = number(l, s.median)).to_string(),
            s.median,
        )
    });
    let mut f = figure(data, "indicator", caption, table, notes);
    f.height_rem = (8 + categories.len() as u16 * 2 / 3).max(16);
    Ok(Some(with_bars(
        l,
        f,
        BarChart {
            categories,
            series: vec![(
                indicator.name.clone(),
                Fill::Colour("#0b4f8a"),
                series_values,
            )],
            stacked: false,
            horizontal: true,
            value_name: value_label,
            reference,
        },
    )))
}

fn timeline(data: &Data, iso2: &str) -> (Figure, Picture) {
    let l = data.locale;
    let caption = td_string!(l, dashboard.caption_timeline, country = data.name(iso2)).to_string();
    let rows: Vec<String> = (1..=7).map(|n| data.short(n)).collect();
    let columns: Vec<String> = data.periods.iter().map(|p| p.name.clone()).collect();
    let cells: Vec<Vec<Mark>> = (1..=7)
        .map(|n| {
            data.periods
                .iter()
                .map(|p| data.grid(Some(p)).mark(iso2, n))
                .collect()
        })
        .collect();
    let mut table_columns = vec![Column::named(
        "recommendation",
        td_string!(l, dashboard.col_recommendation),
        ColumnKind::Text,
    )
    .row_header()];
    table_columns.extend(
        columns
            .iter()
            .map(|p| Column::named(p.clone(), p.clone(), ColumnKind::Text)),
    );
    let table = Table {
        caption: caption.clone(),
        columns: table_columns,
        rows: cells
            .iter()
            .enumerate()
            .map(|(i, marks)| {
                let mut row: Vec<Cell> = vec![data.short(i as i64 + 1).into()];
                row.extend(marks.iter().map(|m| data.mark_cell(*m)));
                row
            })
            .collect(),
    };
    let mut f = figure(data, "timeline", caption, table, data.notes());
    f.csv_href = with_country(&f.csv_href, iso2);
    f.image_href = with_country(&f.image_href, iso2);
    f.height_rem = 20;
    with_grid(data, f, rows, columns, cells)
}

fn with_country(href: &str, iso2: &str) -> String {
    let sep = if href.contains('?') { '&' } else { '?' };
    format!("{href}{sep}country={iso2}")
}

async fn indicator_profile(
    db: &Db,
    data: &Data,
    iso2: &str,
) -> Result<(Figure, Picture), AppError> {
    let l = data.locale;
    let all = values(db, data).await?;
    let caption = td_string!(
        l,
        dashboard.caption_indicator_profile,
        country = data.name(iso2),
        period = data.period_name()
    )
    .to_string();
    let num = |x: Option<f64>| x.map(|x| number(l, x)).unwrap_or_default();
    let rows: Vec<Vec<Cell>> = data
        .indicators
        .iter()
        .filter_map(|i| {
            let values = all.get(&i.id)?;
            let own = values.iter().find(|(c, _)| c == iso2).map(|v| v.1);
            let s = aggregate::spread(values.iter().map(|v| v.1))?;
            let unit = i.unit.clone().unwrap_or_default();
            Some(vec![
                Cell::Text(i.name.clone()),
                Cell::Text(unit),
                Cell::Text(num(own)),
                Cell::Text(num(Some(s.median))),
                Cell::Text(num(Some(s.min))),
                Cell::Text(num(Some(s.max))),
                s.count.into(),
            ])
        })
        .collect();
    let table = Table {
        caption: caption.clone(),
        columns: vec![
            Column::named(
                "indicator",
                td_string!(l, dashboard.col_indicator),
                ColumnKind::Text,
            )
            .row_header(),
            Column::named("unit", td_string!(l, dashboard.col_unit), ColumnKind::Text),
            Column::named(
                "value",
                td_string!(l, dashboard.col_value),
                ColumnKind::Number,
            ),
            Column::named(
                "european_median",
                td_string!(l, dashboard.col_median),
                ColumnKind::Number,
            ),
            Column::named(
                "lowest",
                td_string!(l, dashboard.col_min),
                ColumnKind::Number,
            ),
            Column::named(
                "highest",
                td_string!(l, dashboard.col_max),
                ColumnKind::Number,
            ),
            Column::named(
                "countries",
                td_string!(l, dashboard.col_countries),
                ColumnKind::Number,
            ),
        ],
        rows,
    };
    let mut f = figure(data, "indicator-values", caption, table, data.notes());
    f.csv_href = with_country(&f.csv_href, iso2);
    f.image_href = String::new();
    Ok((f, Picture::None))
}

/// A country's profile for `caller`: the period's seven statuses with their texts, then the
/// figures of [`Page::Country`].
pub async fn profile(
    db: &Db,
    caller: Option<&CurrentUser>,
    iso2: &str,
    filters: Filters,
    locale: Locale,
) -> Result<super::model::ProfileView, AppError> {
    let include_submitted = filters.include_submitted;
    let country = crate::countries::repo::get(&mut *db.conn().await?, iso2).await?;
    let built = page(
        db,
        caller,
        &Page::Country(iso2.to_string()),
        filters,
        locale,
    )
    .await?;
    let states = policy::visible_states(caller, include_submitted)?;
    let entries = match built.view.filters.period {
        Some(period) => repo::entries(&mut *db.conn().await?, iso2, period, states).await?,
        None => Vec::new(),
    };
    let recommendations = crate::recommendations::repo::list(&mut *db.conn().await?).await?;
    let entries = recommendations
        .iter()
        .map(|r| {
            let e = entries.iter().find(|e| e.recommendation == r.number);
            let mark = e.map_or(Mark::NoReport, |e| Mark::of(e.status));
            super::model::ProfileEntry {
                number: r.number,
                title: crate::recommendations::pages::title(locale, r),
                mark_key: mark.key().to_string(),
                mark_label: mark.label(locale).to_string(),
                narrative: e.map(|e| e.narrative.clone()).unwrap_or_default(),
                evidence: e.map(|e| e.evidence.clone()).unwrap_or_default(),
                as_of: e.and_then(|e| e.as_of.as_deref().map(|d| format::date(locale, d))),
                submitted: e.is_some_and(|e| e.submitted),
            }
        })
        .collect();
    Ok(super::model::ProfileView {
        iso2: country.iso2.clone(),
        name: country.name_in(locale),
        eu_member: country.eu_member,
        entries,
        view: built.view,
    })
}
