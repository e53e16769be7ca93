//! The dashboard pages: `/dashboard` (map, heatmap, distribution, ranking),
//! `/dashboard/movement`, `/dashboard/indicators` and `/countries/{iso2}`. Server-rendered;
//! filters are a GET form, so every view is a URL. Each figure carries its chart's ECharts
//! option (drawn by the charts script when JavaScript runs), its data table (open without
//! JavaScript, folded once the chart is drawn), its CSV and its image.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

use super::api::{country_profile, dashboard};
use super::bundle::ChartsScript;
use super::model::{DashboardView, Figure, ProfileView};
use super::palette::LEGEND;
use crate::countries::model::CountryGroup;
use crate::i18n::*;
use crate::lang::{use_locale, Locale};
use crate::routes;
use crate::ui::{DataTable, Loaded, SelectField};

/// Which dashboard a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Board {
    Overview,
    Movement,
    Indicators,
}

impl Board {
    fn key(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Movement => "movement",
            Self::Indicators => "indicators",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::Overview => routes::DASHBOARD,
            Self::Movement => routes::DASHBOARD_MOVEMENT,
            Self::Indicators => routes::DASHBOARD_INDICATORS,
        }
    }

    fn title(self, l: Locale) -> &'static str {
        match self {
            Self::Overview => td_string!(l, dashboard.title_overview),
            Self::Movement => td_string!(l, dashboard.title_movement),
            Self::Indicators => td_string!(l, dashboard.title_indicators),
        }
    }

    fn intro(self, l: Locale) -> &'static str {
        match self {
            Self::Overview => td_string!(l, dashboard.intro_overview),
            Self::Movement => td_string!(l, dashboard.intro_movement),
            Self::Indicators => td_string!(l, dashboard.intro_indicators),
        }
    }
}

/// `/dashboard`.
#[component]
pub fn OverviewPage() -> impl IntoView {
    view! { <BoardPage board=Board::Overview/> }
}

/// `/dashboard/movement`.
#[component]
pub fn MovementPage() -> impl IntoView {
    view! { <BoardPage board=Board::Movement/> }
}

/// `/dashboard/indicators`.
#[component]
pub fn IndicatorsPage() -> impl IntoView {
    view! { <BoardPage board=Board::Indicators/> }
}

#[component]
fn BoardPage(board: Board) -> impl IntoView {
    let location = use_location();
    let view = Resource::new(
        move || location.search.get(),
        move |query| dashboard(board.key().to_string(), query),
    );
    view! { <Loaded resource=view view=move |v| board_view(board, v)/> }
}

fn board_view(board: Board, v: DashboardView) -> impl IntoView {
    let l = use_locale();
    let title = board.title(l);
    let has_charts = v.figures.iter().any(|f| f.option.is_some());
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <h1>{title}</h1>
        <p class="lead">{board.intro(l)}</p>
        <BoardNav current=board view=v.clone()/>
        <Filters board view=v.clone()/>
        {if v.period_name.is_none() {
            view! { <p class="notice">{td_string!(l, dashboard.no_periods)}</p> }.into_any()
        } else if board == Board::Indicators && v.indicators.is_empty() {
            view! { <p class="notice">{td_string!(l, dashboard.no_indicators)}</p> }.into_any()
        } else {
            view! {
                <Legend/>
                {v.figures.into_iter().map(|f| view! { <FigureView figure=f/> }).collect_view()}
            }.into_any()
        }}
        {has_charts.then(|| view! { <ChartsScript/> })}
    }
}

/// Links between the three dashboards, keeping the filters.
#[component]
fn BoardNav(current: Board, view: DashboardView) -> impl IntoView {
    let l = use_locale();
    let mut filters = view.filters.clone();
    filters.indicator = None;
    view! {
        <nav class="board-nav" aria-label=td_string!(l, dashboard.nav_label)>
            <ul>
                {[Board::Overview, Board::Movement, Board::Indicators].into_iter().map(|b| {
                    let aria_current = (b == current).then_some("page");
                    view! { <li><a href=filters.href(b.path()) aria-current=aria_current>{b.title(l)}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// The filter form: a GET form, so the view it shows is a URL.
#[component]
fn Filters(board: Board, view: DashboardView) -> impl IntoView {
    let l = use_locale();
    let f = view.filters.clone();
    let periods: Vec<(String, String)> = view
        .periods
        .iter()
        .map(|p| (p.id.to_string(), p.name.clone()))
        .collect();
    let recommendations: Vec<(String, String)> = (1..=7)
        .map(|n| {
            (
                n.to_string(),
                td_string!(l, dashboard.rec_short, n = n).to_string(),
            )
        })
        .collect();
    let groups: Vec<(String, String)> =
        [CountryGroup::All, CountryGroup::Eu27, CountryGroup::NonEu]
            .into_iter()
            .map(|g| (g.as_str().to_string(), g.label_in(l).to_string()))
            .collect();
    let indicators: Vec<(String, String)> = view
        .indicators
        .iter()
        .map(|i| {
            let label = match &i.unit {
                Some(u) if !u.is_empty() => format!("{} ({u})", i.name),
                _ => i.name.clone(),
            };
            (i.id.to_string(), label)
        })
        .collect();
    view! {
        <form method="get" action=board.path() class="inline-form filters" aria-label=td_string!(l, dashboard.filters_label)>
            {(!periods.is_empty()).then(|| view! {
                <SelectField name="period" id="filter-period" label=td_string!(l, dashboard.filter_period)
                    options=periods.clone() selected=f.period.map(|p| p.to_string()).unwrap_or_default()/>
            })}
            {(board != Board::Indicators).then(|| view! {
                <SelectField name="recommendation" id="filter-recommendation" label=td_string!(l, dashboard.filter_recommendation)
                    options=recommendations.clone() selected=f.recommendation.to_string()/>
            })}
            {(board == Board::Indicators && !indicators.is_empty()).then(|| view! {
                <SelectField name="indicator" id="filter-indicator" label=td_string!(l, dashboard.filter_indicator)
                    options=indicators.clone() selected=f.indicator.map(|i| i.to_string()).unwrap_or_default()/>
            })}
            <SelectField name="group" id="filter-group" label=td_string!(l, dashboard.filter_group)
                options=groups selected=f.group.as_str().to_string()/>
            {view.may_include_submitted.then(|| view! {
                <div class="field checkbox-field">
                    <input type="checkbox" id="filter-submitted" name="submitted" value="1" checked=f.include_submitted/>
                    <label for="filter-submitted">{td_string!(l, dashboard.filter_submitted)}</label>
                </div>
            })}
            <button type="submit">{td_string!(l, dashboard.apply)}</button>
        </form>
    }
}

/// The status legend, in the scale's order: a swatch (colour and pattern) and the word.
#[component]
fn Legend() -> impl IntoView {
    let l = use_locale();
    view! {
        <div class="legend">
            <h2 class="legend-heading" id="legend-heading">{td_string!(l, dashboard.legend)}</h2>
            <ul aria-labelledby="legend-heading">
                {LEGEND.iter().map(|m| view! {
                    <li><span class=format!("swatch mark-{}", m.key()) aria-hidden="true"></span>{m.label(l)}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// One figure: caption, chart, data table, downloads.
#[component]
pub fn FigureView(figure: Figure) -> impl IntoView {
    let l = use_locale();
    let id = format!("chart-{}", figure.name);
    let caption_id = format!("{id}-caption");
    let option_id = format!("{id}-option");
    // `<` never closes the script early: JSON allows `\u003c` for it.
    let option = figure.option.as_ref().map(|o| o.replace('<', "\\u003c"));
    let needs_js = figure.inline_svg.is_none().then_some("");
    let map_name = figure.uses_map.then_some("europe");
    let map_url = figure.uses_map.then_some(routes::MAP_GEOJSON);
    let height = format!("chart-canvas h-{}", height_step(figure.height_rem));
    view! {
        <figure class="chart" id=id.clone() aria-labelledby=caption_id.clone()>
            <figcaption id=caption_id.clone()>
                <span class="chart-caption">{figure.caption.clone()}</span>
                {figure.notes.iter().map(|n| view! { <span class="chart-note">{n.clone()}</span> }).collect_view()}
            </figcaption>
            {option.map(|option| view! {
                <div class=height data-chart=option_id.clone() data-map-name=map_name data-map-url=map_url
                    data-needs-js=needs_js aria-hidden="true" inner_html=figure.inline_svg.clone().unwrap_or_default()></div>
                <script type="application/json" id=option_id.clone() inner_html=option></script>
            })}
            <details class="chart-data" open>
                <summary>{td_string!(l, dashboard.data_table)}</summary>
                <DataTable table=figure.table.clone()/>
            </details>
            <p class="chart-downloads">
                <a href=figure.csv_href.clone() download="">{td_string!(l, dashboard.download_csv)}</a>
                {(!figure.image_href.is_empty()).then(|| view! {
                    <a href=figure.image_href.clone() download="">{td_string!(l, dashboard.download_image)}</a>
                })}
            </p>
        </figure>
    }
}

/// The chart heights the stylesheet has (`.h-24`): pages may not set a style attribute (CSP).
const HEIGHTS: [u16; 10] = [16, 18, 20, 24, 28, 34, 40, 44, 52, 60];

/// The smallest height step that holds `rem`.
fn height_step(rem: u16) -> u16 {
    HEIGHTS.iter().copied().find(|h| *h >= rem).unwrap_or(60)
}

/// `/countries/{iso2}`: a country's profile.
#[component]
pub fn CountryProfilePage() -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let profile = Resource::new(
        move || {
            (
                params.read().get("iso2").unwrap_or_default(),
                location.search.get(),
            )
        },
        |(iso2, query)| country_profile(iso2, query),
    );
    view! { <Loaded resource=profile view=profile_view/> }
}

fn profile_view(p: ProfileView) -> impl IntoView {
    let l = use_locale();
    let v = p.view.clone();
    let period = v
        .period_name
        .clone()
        .unwrap_or_else(|| td_string!(l, dashboard.no_period).to_string());
    let has_charts = v.figures.iter().any(|f| f.option.is_some());
    let group = if p.eu_member {
        CountryGroup::Eu27
    } else {
        CountryGroup::NonEu
    };
    let periods: Vec<(String, String)> = v
        .periods
        .iter()
        .map(|q| (q.id.to_string(), q.name.clone()))
        .collect();
    let action = routes::country(&p.iso2);
    view! {
        <Title text=format!("{} — Recovery Tracker", p.name)/>
        <p class="eyebrow">{group.label_in(l)}</p>
        <h1>{p.name.clone()}</h1>
        <p><a href=v.filters.href(routes::DASHBOARD)>{td_string!(l, dashboard.back_to_overview)}</a></p>
        <form method="get" action=action class="inline-form filters" aria-label=td_string!(l, dashboard.filters_label)>
            {(!periods.is_empty()).then(|| view! {
                <SelectField name="period" id="filter-period" label=td_string!(l, dashboard.filter_period)
                    options=periods.clone() selected=v.filters.period.map(|p| p.to_string()).unwrap_or_default()/>
            })}
            {v.may_include_submitted.then(|| view! {
                <div class="field checkbox-field">
                    <input type="checkbox" id="filter-submitted" name="submitted" value="1" checked=v.filters.include_submitted/>
                    <label for="filter-submitted">{td_string!(l, dashboard.filter_submitted)}</label>
                </div>
            })}
            <button type="submit">{td_string!(l, dashboard.apply)}</button>
        </form>
        {v.period_name.is_none().then(|| view! { <p class="notice">{td_string!(l, dashboard.no_periods)}</p> })}
        {
            view! {
                <section aria-labelledby="statuses-heading">
                    <h2 id="statuses-heading">{td_string!(l, dashboard.profile_statuses, period = period.clone())}</h2>
                    <ol class="profile-entries">
                        {p.entries.into_iter().map(|e| view! {
                            <li>
                                <h3>{format!("{}. {}", e.number, e.title)}</h3>
                                <p>
                                    <span class=format!("badge mark mark-{}", e.mark_key)>{e.mark_label.clone()}</span>
                                    {e.submitted.then(|| view! { " " <span class="badge badge-submitted">{td_string!(l, dashboard.submitted_badge)}</span> })}
                                    {e.as_of.clone().map(|d| view! { " " <span class="hint">{td_string!(l, dashboard.as_of, date = d)}</span> })}
                                </p>
                                {(!e.narrative.is_empty()).then(|| view! { <p class="narrative">{e.narrative.clone()}</p> })}
                                {(!e.evidence.is_empty()).then(|| view! {
                                    <p class="evidence-heading">{td_string!(l, dashboard.evidence)}</p>
                                    <ul class="evidence">
                                        {e.evidence.iter().map(|u| view! { <li><a href=u.clone() rel="noopener noreferrer">{u.clone()}</a></li> }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
                {v.period_name.is_some().then(|| view! {
                    <Legend/>
                    {v.figures.into_iter().map(|f| view! { <FigureView figure=f/> }).collect_view()}
                })}
            }
        }
        {has_charts.then(|| view! { <ChartsScript/> })}
    }
}
