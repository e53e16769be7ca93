//! One question's results as the page shows them: a chart (the dashboards' charming option
//! and server SVG, made from one description), its data table (whose CSV is exactly that
//! table), a summary line, and the written answers.

use super::aggregate::{self, Tally};
use super::{QuestionResult, ResultsQuery, WrittenAnswers, WRITTEN_SHOWN};
use crate::dashboard::charts::{self, Bars, Look, Series};
use crate::dashboard::model::Figure;
use crate::dashboard::svg::{bar_svg, BarPicture, BarSeries};
use crate::i18n::*;
use crate::lang::{format, Locale};
use crate::surveys::model::answers::fmt_number;
use crate::surveys::model::{Answer, Choice, Definition, Kind, KindName, Question};
use crate::ui::{Cell, Column, ColumnKind, Table};

/// Colours of the series of a stacked bar (a matrix's scale), dark to light to dark so that
/// neighbours differ in lightness too; the table and the legend's words say the same.
const SCALE_COLOURS: [&str; 7] = [
    "#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac", "#4d4d4d",
];
/// The colour of single-series bars.
const BAR_COLOUR: &str = "#2166ac";

/// What every question of one results page shares.
pub struct Ctx<'a> {
    pub def: &'a Definition,
    /// The survey's language the texts are read in.
    pub lang: &'a str,
    pub locale: Locale,
    pub survey_id: i64,
    pub filters: &'a ResultsQuery,
    /// Responses selected by the filters.
    pub selected: usize,
}

impl Ctx<'_> {
    fn text(&self, t: &crate::surveys::model::Text) -> String {
        t.get(self.lang, &self.def.default_language).to_string()
    }

    fn percent(&self, count: usize, of: usize) -> String {
        match aggregate::whole_percent(count, of) {
            Some(p) => td_string!(self.locale, survey_results.percent, value = p).to_string(),
            None => "–".to_string(),
        }
    }
}

/// A kind in words.
pub fn kind_label(l: Locale, k: KindName) -> &'static str {
    match k {
        KindName::Single => td_string!(l, survey_results.kind_single),
        KindName::Multiple => td_string!(l, survey_results.kind_multiple),
        KindName::Likert => td_string!(l, survey_results.kind_likert),
        KindName::Number => td_string!(l, survey_results.kind_number),
        KindName::ShortText => td_string!(l, survey_results.kind_short_text),
        KindName::LongText => td_string!(l, survey_results.kind_long_text),
        KindName::Date => td_string!(l, survey_results.kind_date),
        KindName::Matrix => td_string!(l, survey_results.kind_matrix),
    }
}

/// One chart's data: categories and series (label, colour, one value per category).
struct Chart {
    categories: Vec<String>,
    series: Vec<(String, &'static str, Vec<f64>)>,
    stacked: bool,
}

/// The figure of question `code`: its chart drawn twice (ECharts option, inline SVG for
/// pages without JavaScript) and its table.
fn figure(
    ctx: &Ctx,
    code: &str,
    caption: String,
    notes: Vec<String>,
    table: Table,
    chart: Chart,
) -> Figure {
    let l = ctx.locale;
    let value_name = td_string!(l, survey_results.value_axis).to_string();
    let stack = chart.stacked.then(|| "stack".to_string());
    let option = charts::bars(&Bars {
        categories: chart.categories.clone(),
        series: chart
            .series
            .iter()
            .map(|(label, colour, values)| Series {
                label: label.clone(),
                look: Look::Colour(colour),
                values: values.clone(),
                stack: stack.clone(),
            })
            .collect(),
        horizontal: true,
        value_name: value_name.clone(),
        reference: None,
    });
    let svg = bar_svg(&BarPicture {
        title: caption.clone(),
        description: notes.join(" "),
        categories: chart.categories.clone(),
        series: chart
            .series
            .iter()
            .map(|(label, colour, values)| BarSeries {
                label: label.clone(),
                fill: Look::Colour(colour),
                values: values.clone(),
            })
            .collect(),
        stacked: chart.stacked,
        horizontal: true,
        reference: None,
        value_label: value_name,
        notes: notes.clone(),
        no_data: td_string!(l, survey_results.no_answers).to_string(),
    });
    let rows = u16::try_from(chart.categories.len()).unwrap_or(u16::MAX);
    let href = |ext: &str| {
        crate::routes::survey_figure(ctx.survey_id, code, ext, &ctx.filters.query(false))
    };
    Figure {
        name: format!("q-{code}"),
        caption,
        option: Some(option),
        uses_map: false,
        height_rem: rows.saturating_mul(2).saturating_add(10).min(60),
        inline_svg: Some(svg),
        table,
        notes,
        csv_href: href("csv"),
        image_href: href("svg"),
    }
}

/// A table of options: answer, count, percent.
fn options_table(
    ctx: &Ctx,
    caption: &str,
    labels: &[String],
    tally: &Tally,
    label_key: &'static str,
) -> Table {
    let l = ctx.locale;
    Table {
        caption: caption.to_string(),
        columns: vec![
            Column::named(
                label_key,
                td_string!(l, survey_results.col_answer),
                ColumnKind::Text,
            )
            .row_header(),
            Column::named(
                "count",
                td_string!(l, survey_results.col_count),
                ColumnKind::Number,
            ),
            Column::named(
                "percent",
                td_string!(l, survey_results.col_percent),
                ColumnKind::Number,
            ),
        ],
        rows: labels
            .iter()
            .zip(&tally.counts)
            .map(|(label, &n)| {
                vec![
                    Cell::Text(label.clone()),
                    Cell::from(n),
                    Cell::Text(ctx.percent(n, tally.answered)),
                ]
            })
            .collect(),
    }
}

fn single_chart(ctx: &Ctx, labels: &[String], counts: &[usize]) -> Chart {
    Chart {
        categories: labels.to_vec(),
        series: vec![(
            td_string!(ctx.locale, survey_results.value_axis).to_string(),
            BAR_COLOUR,
            counts.iter().map(|&n| n as f64).collect(),
        )],
        stacked: false,
    }
}

fn written(texts: &[String], q: &str) -> WrittenAnswers {
    let matching = aggregate::matching(texts, q);
    WrittenAnswers {
        total: texts.len(),
        matching: matching.len(),
        shown: matching
            .iter()
            .take(WRITTEN_SHOWN)
            .map(|s| s.to_string())
            .collect(),
    }
}

/// The results of question `q` from the answers given to it (`answers`: one per respondent
/// who answered).
pub fn question_result(ctx: &Ctx, q: &Question, answers: &[&Answer]) -> QuestionResult {
    let l = ctx.locale;
    let text = ctx.text(&q.text);
    let caption = format!("{}. {text}", q.code);
    let mut result = QuestionResult {
        code: q.code.clone(),
        text,
        kind: kind_label(l, q.kind.name()).to_string(),
        hidden: q.hidden,
        answered: answers.len(),
        summary: vec![td_string!(
            l,
            survey_results.answered_of,
            answered = format::count(l, answers.len() as i64),
            total = format::count(l, ctx.selected as i64)
        )
        .to_string()],
        figure: None,
        written: None,
    };
    let labels_of = |options: &[Choice]| {
        options
            .iter()
            .map(|o| ctx.text(&o.label))
            .collect::<Vec<_>>()
    };
    match &q.kind {
        Kind::Single { .. } | Kind::Likert { .. } => {
            let options = q.kind.options();
            let labels = labels_of(&options);
            let tally = aggregate::tally_choice(&options, answers.iter().copied());
            let table = options_table(ctx, &caption, &labels, &tally, "answer");
            let chart = single_chart(ctx, &labels, &tally.counts);
            result.figure = Some(figure(ctx, &q.code, caption, vec![], table, chart));
        }
        Kind::Multiple { choices, other } => {
            let mut labels = labels_of(choices);
            if *other {
                labels.push(td_string!(l, survey_results.other).to_string());
            }
            let (tally, texts) =
                aggregate::tally_multiple(choices, *other, answers.iter().copied());
            let table = options_table(ctx, &caption, &labels, &tally, "answer");
            let chart = single_chart(ctx, &labels, &tally.counts);
            let notes = vec![td_string!(l, survey_results.note_multiple).to_string()];
            result.figure = Some(figure(ctx, &q.code, caption, notes, table, chart));
            if *other {
                result.written = Some(written(&texts, &ctx.filters.q));
            }
        }
        Kind::Matrix { rows, scale } => {
            let tallies = aggregate::tally_matrix(rows, scale, answers.iter().copied());
            let row_labels = labels_of(rows);
            let points = labels_of(scale);
            let mut columns = vec![Column::named(
                "row",
                td_string!(l, survey_results.col_row),
                ColumnKind::Text,
            )
            .row_header()];
            for (i, p) in points.iter().enumerate() {
                columns.push(Column::named(
                    scale[i].code.clone(),
                    p.clone(),
                    ColumnKind::Number,
                ));
                columns.push(Column::named(
                    format!("{}_percent", scale[i].code),
                    td_string!(l, survey_results.col_percent_of, label = p.clone()).to_string(),
                    ColumnKind::Number,
                ));
            }
            columns.push(Column::named(
                "answered",
                td_string!(l, survey_results.col_answered),
                ColumnKind::Number,
            ));
            let table_rows = row_labels
                .iter()
                .zip(&tallies)
                .map(|(label, t)| {
                    let mut row = vec![Cell::Text(label.clone())];
                    for &n in &t.counts {
                        row.push(Cell::from(n));
                        row.push(Cell::Text(ctx.percent(n, t.answered)));
                    }
                    row.push(Cell::from(t.answered));
                    row
                })
                .collect();
            let table = Table {
                caption: caption.clone(),
                columns,
                rows: table_rows,
            };
            let chart = Chart {
                categories: row_labels,
                series: points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        (
                            p.clone(),
                            SCALE_COLOURS[i % SCALE_COLOURS.len()],
                            tallies
                                .iter()
                                .map(|t| t.counts.get(i).copied().unwrap_or(0) as f64)
                                .collect(),
                        )
                    })
                    .collect(),
                stacked: true,
            };
            result.figure = Some(figure(ctx, &q.code, caption, vec![], table, chart));
        }
        Kind::Number { .. } => {
            let values: Vec<f64> = answers
                .iter()
                .filter_map(|a| match a {
                    Answer::Number(n) => Some(*n),
                    _ => None,
                })
                .collect();
            if let Some(s) = aggregate::summarise(&values) {
                let num = |v: f64| format::number(l, &fmt_number(v));
                result.summary.push(
                    td_string!(
                        l,
                        survey_results.number_summary,
                        median = num(s.median),
                        min = num(s.min),
                        max = num(s.max),
                        count = format::count(l, s.count as i64)
                    )
                    .to_string(),
                );
            }
            let bins = aggregate::bins(&values);
            let last = bins.len().saturating_sub(1);
            let labels: Vec<String> = bins
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let (from, to) = (
                        format::number(l, &fmt_number(b.from)),
                        format::number(l, &fmt_number(b.to)),
                    );
                    if b.from == b.to {
                        from
                    } else if i == last {
                        td_string!(l, survey_results.bin_last, from = from, to = to).to_string()
                    } else {
                        td_string!(l, survey_results.bin, from = from, to = to).to_string()
                    }
                })
                .collect();
            let tally = Tally {
                answered: values.len(),
                counts: bins.iter().map(|b| b.count).collect(),
            };
            let table = options_table(ctx, &caption, &labels, &tally, "value");
            let chart = single_chart(ctx, &labels, &tally.counts);
            result.figure = Some(figure(
                ctx,
                &q.code,
                caption,
                result.summary[1..].to_vec(),
                table,
                chart,
            ));
        }
        Kind::Date => {
            let months = aggregate::months(answers.iter().filter_map(|a| match a {
                Answer::Date(d) => Some(d.as_str()),
                _ => None,
            }));
            let labels: Vec<String> = months.iter().map(|(m, _)| m.clone()).collect();
            let tally = Tally {
                answered: answers.len(),
                counts: months.iter().map(|(_, n)| *n).collect(),
            };
            let table = options_table(ctx, &caption, &labels, &tally, "month");
            let chart = single_chart(ctx, &labels, &tally.counts);
            result.figure = Some(figure(ctx, &q.code, caption, vec![], table, chart));
        }
        Kind::ShortText | Kind::LongText => {
            let texts: Vec<String> = answers
                .iter()
                .filter_map(|a| match a {
                    Answer::Text(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            result.written = Some(written(&texts, &ctx.filters.q));
        }
    }
    result
}

/// The headline of a single choice or Likert question: its most chosen answer, its count and
/// percentage of those who answered; `None` for other kinds or when nobody answered.
pub fn headline(
    def: &Definition,
    lang: &str,
    q: &Question,
    answers: &[&Answer],
) -> Option<super::Headline> {
    if !matches!(q.kind, Kind::Single { .. } | Kind::Likert { .. }) {
        return None;
    }
    let options = q.kind.options();
    let tally = aggregate::tally_choice(&options, answers.iter().copied());
    let (i, count) = tally.top()?;
    Some(super::Headline {
        question: q.text.get(lang, &def.default_language).to_string(),
        answer: options[i]
            .label
            .get(lang, &def.default_language)
            .to_string(),
        percent: aggregate::whole_percent(count, tally.answered)?,
        count,
        answered: tally.answered,
    })
}
