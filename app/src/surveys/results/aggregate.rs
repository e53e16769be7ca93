//! The sums behind the results: counts per answer, percentages, medians, bins, months,
//! response rates, searches in written answers. Pure functions over answers already loaded;
//! no database, no translations.

use std::collections::BTreeMap;

use crate::surveys::model::answers::OTHER;
use crate::surveys::model::{Answer, Choice};

/// How many respondents answered a question, and how many chose each option (in the
/// options' order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub answered: usize,
    pub counts: Vec<usize>,
}

impl Tally {
    /// The most chosen option (the first of equals) and its count; `None` when nobody answered.
    pub fn top(&self) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (i, &n) in self.counts.iter().enumerate() {
            if n > 0 && best.is_none_or(|(_, b)| n > b) {
                best = Some((i, n));
            }
        }
        best
    }
}

/// Counts of a single choice or Likert question: each answer is one option's code. Codes
/// no longer among the options (impossible once answered, but stored data is not trusted)
/// count as answered, under no option.
pub fn tally_choice<'a>(
    options: &[Choice],
    answers: impl IntoIterator<Item = &'a Answer>,
) -> Tally {
    let mut t = Tally {
        answered: 0,
        counts: vec![0; options.len()],
    };
    for a in answers {
        if let Answer::Choice(code) = a {
            t.answered += 1;
            if let Some(i) = options.iter().position(|o| &o.code == code) {
                t.counts[i] += 1;
            }
        }
    }
    t
}

/// Counts of a multiple choice question: each option (then "Other", when offered) and the
/// "Other" texts in the order given. Percentages of a multiple choice are of respondents
/// (`answered`), so they may add up to more than 100.
pub fn tally_multiple<'a>(
    options: &[Choice],
    other: bool,
    answers: impl IntoIterator<Item = &'a Answer>,
) -> (Tally, Vec<String>) {
    let slots = options.len() + usize::from(other);
    let mut t = Tally {
        answered: 0,
        counts: vec![0; slots],
    };
    let mut texts = Vec::new();
    for a in answers {
        if let Answer::Choices { codes, other: text } = a {
            t.answered += 1;
            for code in codes {
                if let Some(i) = options.iter().position(|o| &o.code == code) {
                    t.counts[i] += 1;
                } else if other && code == OTHER {
                    t.counts[options.len()] += 1;
                }
            }
            if let Some(text) = text.as_ref().filter(|t| !t.trim().is_empty()) {
                texts.push(text.clone());
            }
        }
    }
    (t, texts)
}

/// Counts of a matrix: one tally per row over the scale.
pub fn tally_matrix<'a>(
    rows: &[Choice],
    scale: &[Choice],
    answers: impl IntoIterator<Item = &'a Answer>,
) -> Vec<Tally> {
    let mut out = vec![
        Tally {
            answered: 0,
            counts: vec![0; scale.len()]
        };
        rows.len()
    ];
    for a in answers {
        if let Answer::Matrix(given) = a {
            for (r, row) in rows.iter().enumerate() {
                if let Some(point) = given.get(&row.code) {
                    out[r].answered += 1;
                    if let Some(i) = scale.iter().position(|s| &s.code == point) {
                        out[r].counts[i] += 1;
                    }
                }
            }
        }
    }
    out
}

/// `count` of `of` in percent; `None` of nobody.
pub fn percent(count: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| count as f64 * 100.0 / of as f64)
}

/// A percentage rounded to a whole number for people ("62").
pub fn whole_percent(count: usize, of: usize) -> Option<i64> {
    percent(count, of).map(|p| p.round() as i64)
}

/// The median of `values` (the mean of the two middle ones for an even count); `None` when
/// empty. Non-finite values are ignored.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

/// Count, least, greatest and median of the numbers given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberSummary {
    pub count: usize,
    pub min: f64,
    pub max: f64,
    pub median: f64,
}

/// The summary of `values`; `None` when there are none.
pub fn summarise(values: &[f64]) -> Option<NumberSummary> {
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let median = median(&finite)?;
    Some(NumberSummary {
        count: finite.len(),
        min: finite.iter().copied().fold(f64::INFINITY, f64::min),
        max: finite.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        median,
    })
}

/// One bar of a distribution: values from `from` up to (not including) `to`; the last bin
/// includes its upper end. For whole numbers one value per bin gives `from == to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: usize,
}

/// The most bins a distribution is drawn with.
const MAX_BINS: usize = 12;

/// A round step (1, 2 or 5 × 10ⁿ) giving at most [`MAX_BINS`] bins over `span`.
fn nice_step(span: f64) -> f64 {
    let raw = span / (MAX_BINS as f64 - 2.0);
    let base = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|f| f * base)
        .find(|s| ((span / s).floor() as usize) < MAX_BINS)
        .unwrap_or(10.0 * base)
}

/// The distribution of `values`: whole numbers spanning at most [`MAX_BINS`] values get one
/// bin each; otherwise bins of a round width from a round start. Empty for no values.
pub fn bins(values: &[f64]) -> Vec<Bin> {
    let Some(s) = summarise(values) else {
        return Vec::new();
    };
    let finite = values.iter().copied().filter(|x| x.is_finite());
    let whole = values.iter().all(|v| !v.is_finite() || v.fract() == 0.0);
    if whole && s.max - s.min < MAX_BINS as f64 {
        let n = (s.max - s.min) as usize + 1;
        let mut out: Vec<Bin> = (0..n)
            .map(|i| Bin {
                from: s.min + i as f64,
                to: s.min + i as f64,
                count: 0,
            })
            .collect();
        for v in finite {
            out[(v - s.min) as usize].count += 1;
        }
        return out;
    }
    let step = nice_step(s.max - s.min);
    let start = (s.min / step).floor() * step;
    let n = (((s.max - start) / step).floor() as usize + 1).min(MAX_BINS + 1);
    let mut out: Vec<Bin> = (0..n)
        .map(|i| Bin {
            from: start + i as f64 * step,
            to: start + (i + 1) as f64 * step,
            count: 0,
        })
        .collect();
    for v in finite {
        let i = (((v - start) / step).floor() as usize).min(n - 1);
        out[i].count += 1;
    }
    // A last bin holding nothing (the maximum fell on a boundary of the one before) is dropped.
    while out.len() > 1 && out.last().is_some_and(|b| b.count == 0) {
        out.pop();
    }
    out
}

/// Dates (`YYYY-MM-DD`) counted per month (`YYYY-MM`), in order.
pub fn months<'a>(dates: impl IntoIterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for d in dates {
        if let Some(m) = d.get(..7) {
            *by.entry(m.to_string()).or_default() += 1;
        }
    }
    by.into_iter().collect()
}

/// The written answers containing `q` (any case); all of them for an empty `q`.
pub fn matching<'a>(texts: &'a [String], q: &str) -> Vec<&'a str> {
    let q = q.trim().to_lowercase();
    texts
        .iter()
        .map(String::as_str)
        .filter(|t| q.is_empty() || t.to_lowercase().contains(&q))
        .collect()
}

/// Invited and answered in one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rate {
    /// The group's key (a country code, a member type; empty when not known).
    pub key: String,
    pub invited: usize,
    pub answered: usize,
}

/// Invitations counted per group, groups in key order (unknown last).
pub fn rates_by<I>(invitations: I) -> Vec<Rate>
where
    I: IntoIterator<Item = (Option<String>, bool)>,
{
    let mut by: BTreeMap<(bool, String), Rate> = BTreeMap::new();
    for (key, answered) in invitations {
        let key = key.unwrap_or_default();
        let r = by
            .entry((key.is_empty(), key.clone()))
            .or_insert_with(|| Rate {
                key,
                ..Rate::default()
            });
        r.invited += 1;
        r.answered += usize::from(answered);
    }
    by.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::Text;

    fn options(codes: &[&str]) -> Vec<Choice> {
        codes
            .iter()
            .map(|c| Choice {
                code: c.to_string(),
                label: Text::new("en", *c),
            })
            .collect()
    }

    #[test]
    fn single_choices_are_counted_per_option_in_the_definitions_order() {
        let answers = [
            Answer::Choice("no".into()),
            Answer::Choice("yes".into()),
            Answer::Choice("no".into()),
            Answer::Text("ignored: not a choice".into()),
        ];
        let t = tally_choice(&options(&["yes", "no", "unsure"]), &answers);
        assert_eq!(
            t,
            Tally {
                answered: 3,
                counts: vec![1, 2, 0]
            }
        );
        assert_eq!(t.top(), Some((1, 2)));
        assert_eq!(whole_percent(2, 3), Some(67));
        assert_eq!(Tally::default().top(), None);
    }

    #[test]
    fn the_first_of_equally_chosen_options_is_the_headline() {
        let t = Tally {
            answered: 4,
            counts: vec![0, 2, 2],
        };
        assert_eq!(t.top(), Some((1, 2)));
    }

    #[test]
    fn multiple_choices_count_respondents_and_keep_the_other_texts() {
        let answers = [
            Answer::Choices {
                codes: vec!["a".into(), "b".into()],
                other: None,
            },
            Answer::Choices {
                codes: vec!["a".into(), OTHER.into()],
                other: Some("Radiotherapy".into()),
            },
        ];
        let (t, texts) = tally_multiple(&options(&["a", "b", "c"]), true, &answers);
        assert_eq!(
            t,
            Tally {
                answered: 2,
                counts: vec![2, 1, 0, 1]
            }
        );
        assert_eq!(texts, vec!["Radiotherapy"]);
        assert_eq!(percent(t.counts[0], t.answered), Some(100.0));
    }

    #[test]
    fn a_matrix_is_counted_row_by_row() {
        let a = Answer::Matrix(BTreeMap::from([
            ("r1".into(), "hi".into()),
            ("r2".into(), "lo".into()),
        ]));
        let b = Answer::Matrix(BTreeMap::from([("r1".into(), "hi".into())]));
        let t = tally_matrix(&options(&["r1", "r2"]), &options(&["lo", "hi"]), [&a, &b]);
        assert_eq!(
            t[0],
            Tally {
                answered: 2,
                counts: vec![0, 2]
            }
        );
        assert_eq!(
            t[1],
            Tally {
                answered: 1,
                counts: vec![1, 0]
            }
        );
    }

    #[test]
    fn percentages_of_nobody_are_none() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(whole_percent(1, 8), Some(13));
    }

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 7.0]), Some(7.0));
        let s = summarise(&[10.0, -2.0, 4.5]).unwrap();
        assert_eq!((s.count, s.min, s.max, s.median), (3, -2.0, 10.0, 4.5));
    }

    #[test]
    fn few_whole_numbers_get_one_bin_each() {
        let b = bins(&[1.0, 3.0, 3.0, 5.0]);
        assert_eq!(b.len(), 5);
        assert_eq!(
            b.iter().map(|b| b.count).collect::<Vec<_>>(),
            vec![1, 0, 2, 0, 1]
        );
        assert_eq!((b[0].from, b[0].to), (1.0, 1.0));
    }

    #[test]
    fn wide_ranges_get_round_bins_that_hold_every_value() {
        let values: Vec<f64> = (0..=100).map(f64::from).collect();
        let b = bins(&values);
        assert!(b.len() <= MAX_BINS + 1, "{b:?}");
        assert_eq!(b.iter().map(|b| b.count).sum::<usize>(), 101);
        assert_eq!(b[0].from, 0.0);
        assert_eq!(b[1].from - b[0].from, 10.0);
        let decimals = bins(&[0.15, 0.2, 0.95]);
        assert_eq!(decimals.iter().map(|b| b.count).sum::<usize>(), 3);
        assert!(
            decimals[0].from <= 0.15 && decimals.last().unwrap().to >= 0.95,
            "{decimals:?}"
        );
        assert!(bins(&[]).is_empty());
        assert_eq!(bins(&[7.5, 7.5])[0].count, 2);
    }

    #[test]
    fn dates_are_counted_per_month_in_order() {
        assert_eq!(
            months(["2026-03-02", "2025-12-31", "2026-03-30"]),
            vec![("2025-12".to_string(), 1), ("2026-03".to_string(), 2)]
        );
    }

    #[test]
    fn the_search_in_written_answers_ignores_case() {
        let texts = vec![
            "Waiting lists are long".to_string(),
            "Staff shortage".to_string(),
        ];
        assert_eq!(
            matching(&texts, "  waiting "),
            vec!["Waiting lists are long"]
        );
        assert_eq!(matching(&texts, "").len(), 2);
    }

    #[test]
    fn response_rates_are_counted_per_group_with_the_unknown_last() {
        let r = rates_by([
            (Some("IT".to_string()), true),
            (None, false),
            (Some("DE".to_string()), false),
            (Some("IT".to_string()), false),
        ]);
        assert_eq!(
            r,
            vec![
                Rate {
                    key: "DE".into(),
                    invited: 1,
                    answered: 0
                },
                Rate {
                    key: "IT".into(),
                    invited: 2,
                    answered: 1
                },
                Rate {
                    key: "".into(),
                    invited: 1,
                    answered: 0
                },
            ]
        );
    }
}
