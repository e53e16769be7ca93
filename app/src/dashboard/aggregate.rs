//! The sums behind the charts, as pure functions of plain data (tested on hand-made data with
//! known answers): status distributions, movement between periods, rankings, medians.

use std::collections::HashMap;

use super::palette::{Mark, LEGEND};
use crate::progress::workflow::Status;

/// The marks of one period: country (ISO2) × recommendation. Absent = no report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid(HashMap<(String, i64), Mark>);

impl Grid {
    /// Records the mark of a country's recommendation.
    pub fn set(&mut self, iso2: &str, recommendation: i64, mark: Mark) {
        self.0.insert((iso2.to_string(), recommendation), mark);
    }

    /// The mark of a country's recommendation ("No report" when none is visible).
    pub fn mark(&self, iso2: &str, recommendation: i64) -> Mark {
        self.0
            .get(&(iso2.to_string(), recommendation))
            .copied()
            .unwrap_or(Mark::NoReport)
    }

    /// The seven marks of a country, recommendation 1 first.
    pub fn row(&self, iso2: &str) -> [Mark; 7] {
        std::array::from_fn(|i| self.mark(iso2, i as i64 + 1))
    }

    /// Whether any country has a visible report in this period.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How many of `marks` fall in each step of the legend ([`LEGEND`]'s order).
pub fn distribution(marks: impl IntoIterator<Item = Mark>) -> [usize; LEGEND.len()] {
    let mut counts = [0; LEGEND.len()];
    for mark in marks {
        if let Some(i) = LEGEND.iter().position(|m| *m == mark) {
            counts[i] += 1;
        }
    }
    counts
}

/// How a country's status changed between two periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Same,
    Down,
    /// One of the two is not on the scale: no report, or "not applicable".
    NotComparable,
}

/// The move from `before` to `after` on the status scale.
pub fn movement(before: Mark, after: Mark) -> Move {
    let rank = |m: Mark| match m {
        Mark::Status(s) => s.rank(),
        Mark::NoReport => None,
    };
    match (rank(before), rank(after)) {
        (Some(a), Some(b)) if b > a => Move::Up,
        (Some(a), Some(b)) if b < a => Move::Down,
        (Some(_), Some(_)) => Move::Same,
        _ => Move::NotComparable,
    }
}

/// Counts of moves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moves {
    pub up: usize,
    pub same: usize,
    pub down: usize,
    pub not_comparable: usize,
}

impl Moves {
    /// The moves of pairs (before, after).
    pub fn count(pairs: impl IntoIterator<Item = (Mark, Mark)>) -> Self {
        let mut m = Self::default();
        for (before, after) in pairs {
            match movement(before, after) {
                Move::Up => m.up += 1,
                Move::Same => m.same += 1,
                Move::Down => m.down += 1,
                Move::NotComparable => m.not_comparable += 1,
            }
        }
        m
    }
}

/// A country's place in the ranking by implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    /// Shared by ties ("1, 2, 2, 4").
    pub rank: usize,
    pub iso2: String,
    pub name: String,
    /// Recommendations partially or fully implemented (0–7).
    pub implemented: usize,
    /// Of which fully implemented.
    pub fully: usize,
}

/// Recommendations partially or fully implemented, and of which fully.
pub fn implemented(row: &[Mark; 7]) -> (usize, usize) {
    let full = row
        .iter()
        .filter(|m| **m == Mark::Status(Status::FullyImplemented))
        .count();
    let partial = row
        .iter()
        .filter(|m| **m == Mark::Status(Status::PartiallyImplemented))
        .count();
    (partial + full, full)
}

/// Countries (ISO2, name in the reader's language, marks) ranked by how many recommendations
/// are partially or fully implemented, then by how many fully; ties share a rank and are listed
/// in the order given (the caller sorts by name first).
pub fn ranking(countries: Vec<(String, String, [Mark; 7])>) -> Vec<Ranked> {
    let mut rows: Vec<Ranked> = countries
        .into_iter()
        .map(|(iso2, name, row)| {
            let (implemented, fully) = implemented(&row);
            Ranked {
                rank: 0,
                iso2,
                name,
                implemented,
                fully,
            }
        })
        .collect();
    // Stable: equal scores keep the caller's (alphabetical) order.
    rows.sort_by_key(|r| std::cmp::Reverse((r.implemented, r.fully)));
    let mut previous = None;
    for (i, row) in rows.iter_mut().enumerate() {
        let score = (row.implemented, row.fully);
        row.rank = match previous {
            Some((s, r)) if s == score => r,
            _ => i + 1,
        };
        previous = Some((score, row.rank));
    }
    rows
}

/// The median, smallest and largest of some values, and how many there are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub count: usize,
}

/// The spread of the finite values; `None` when there are none.
pub fn spread(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some(Spread {
        median,
        min: v[0],
        max: v[n - 1],
        count: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: Mark = Mark::Status(Status::NotStarted);
    const PL: Mark = Mark::Status(Status::Planned);
    const IP: Mark = Mark::Status(Status::InProgress);
    const PI: Mark = Mark::Status(Status::PartiallyImplemented);
    const FI: Mark = Mark::Status(Status::FullyImplemented);
    const NA: Mark = Mark::Status(Status::NotApplicable);
    const NR: Mark = Mark::NoReport;

    #[test]
    fn the_distribution_counts_each_mark_in_legend_order() {
        assert_eq!(
            distribution([FI, FI, NR, PL, NA, FI, NS]),
            [1, 1, 0, 0, 3, 1, 1]
        );
        assert_eq!(distribution([]), [0; 7]);
    }

    #[test]
    fn moves_follow_the_scale_and_skip_what_is_not_on_it() {
        assert_eq!(movement(PL, IP), Move::Up);
        assert_eq!(movement(FI, PI), Move::Down);
        assert_eq!(movement(NS, NS), Move::Same);
        assert_eq!(movement(NR, FI), Move::NotComparable);
        assert_eq!(movement(NA, FI), Move::NotComparable);
        assert_eq!(
            Moves::count([(PL, IP), (NS, FI), (FI, PI), (IP, IP), (NR, NR)]),
            Moves {
                up: 2,
                same: 1,
                down: 1,
                not_comparable: 1
            }
        );
    }

    #[test]
    fn the_ranking_counts_partial_and_full_and_ties_share_a_rank() {
        let rows = ranking(vec![
            ("AT".into(), "Austria".into(), [FI, PI, PI, NS, NS, NS, NR]),
            ("BE".into(), "Belgium".into(), [FI, FI, PI, NS, NS, NS, NS]),
            ("CY".into(), "Cyprus".into(), [NR; 7]),
            ("DK".into(), "Denmark".into(), [PI, FI, PI, NA, NA, NA, NA]),
            ("EE".into(), "Estonia".into(), [FI, FI, FI, FI, FI, FI, FI]),
        ]);
        let got: Vec<(usize, &str, usize, usize)> = rows
            .iter()
            .map(|r| (r.rank, r.iso2.as_str(), r.implemented, r.fully))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "EE", 7, 7),
                (2, "BE", 3, 2),
                (3, "AT", 3, 1),
                (3, "DK", 3, 1),
                (5, "CY", 0, 0),
            ]
        );
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let s = spread([4.0, 1.0, 3.0, 10.0]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.count), (3.5, 1.0, 10.0, 4));
        let s = spread([5.0, f64::NAN, 2.0, 9.0]).unwrap();
        assert_eq!((s.median, s.count), (5.0, 3));
        assert_eq!(spread([]), None);
    }

    #[test]
    fn a_grid_without_a_record_reads_no_report() {
        let mut g = Grid::default();
        assert!(g.is_empty());
        g.set("FR", 2, FI);
        assert_eq!(g.row("FR"), [NR, FI, NR, NR, NR, NR, NR]);
        assert_eq!(g.mark("DE", 2), NR);
    }
}
