//! The demo data set as plain values, before anything is written: periods, indicators and, per
//! country and period, a report's outcome, dates and entries. Pure: the same seed, countries
//! and day give the same plan, so it is tested here without a database.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::indicators::model::{fmt_number, Indicator, IndicatorKind};
use crate::progress::checks::{EntryInput, IndicatorInput};
use crate::progress::workflow::Status;

/// The seed of the data set: change it and every status and value changes.
pub const SEED: u64 = 11;

/// Half-years in the data set, the newest last.
pub const PERIODS: usize = 4;

/// Every narrative starts with this, so no one mistakes the data for real reports.
pub const NARRATIVE_PREFIX: &str = "Demo — synthetic data, not a real report.";

/// Evidence links point below this address (reserved for examples, RFC 2606).
pub const EVIDENCE_BASE: &str = "https://example.org/demo";

/// A reporting period of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodPlan {
    /// "2026 H1".
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    /// Submissions open the day after the half-year ends, for six months.
    pub opens_on: Date,
    pub closes_on: Date,
}

/// Where a country's report for a period ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    NoReport,
    Draft,
    Submitted,
    Approved,
}

/// One entry of a report: what the focal point's form would send.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryPlan {
    pub recommendation: i64,
    pub status: Status,
    pub narrative: String,
    pub evidence: Vec<String>,
    pub as_of: Date,
    /// (index into [`indicators`], value)
    pub values: Vec<(usize, f64)>,
}

impl EntryPlan {
    /// The entry as the report form sends it, with the stored ids of the indicators.
    pub fn input(&self, indicator_ids: &[i64]) -> EntryInput {
        EntryInput {
            recommendation: self.recommendation,
            status: self.status.as_str().to_string(),
            narrative: self.narrative.clone(),
            evidence: self.evidence.join("\n"),
            as_of: iso_date(self.as_of),
            indicators: self
                .values
                .iter()
                .map(|(i, v)| IndicatorInput {
                    id: indicator_ids[*i],
                    value: fmt_number(*v),
                })
                .collect(),
        }
    }
}

/// A country's report for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportPlan {
    pub iso2: String,
    /// Index into the plan's periods.
    pub period: usize,
    pub outcome: Outcome,
    pub entries: Vec<EntryPlan>,
    /// Started (and copied forward), then saved a day later.
    pub created: OffsetDateTime,
    pub saved: OffsetDateTime,
    pub submitted: Option<OffsetDateTime>,
    pub approved: Option<OffsetDateTime>,
}

/// The whole data set.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub periods: Vec<PeriodPlan>,
    /// Reports by period, then country; `NoReport` outcomes are left out.
    pub reports: Vec<ReportPlan>,
}

/// A country as the plan needs it.
#[derive(Debug, Clone)]
pub struct CountryName {
    pub iso2: String,
    pub name: String,
}

/// The demo indicators (id 0 until stored), each measuring one recommendation, with the
/// bounds its values keep to.
pub fn indicators() -> Vec<Indicator> {
    let help = Some("Demo indicator: every value is synthetic.".to_string());
    let ind = |recommendation, name: &str, kind, unit: Option<&str>, min, max| Indicator {
        id: 0,
        recommendation,
        name: name.to_string(),
        kind,
        unit: unit.map(str::to_string),
        min: Some(min),
        max: Some(max),
        help: help.clone(),
        required: false,
        archived: false,
    };
    vec![
        ind(
            1,
            "Cancer screening volume compared with 2019",
            IndicatorKind::Number,
            Some("% of 2019"),
            0.0,
            150.0,
        ),
        ind(
            3,
            "Essential cancer medicines in shortage",
            IndicatorKind::Number,
            Some("medicines"),
            0.0,
            60.0,
        ),
        ind(
            4,
            "Medical oncologists per 100 000 population",
            IndicatorKind::Number,
            Some("per 100 000 population"),
            0.0,
            15.0,
        ),
        ind(
            6,
            "Cancer registry completeness",
            IndicatorKind::Percentage,
            None,
            0.0,
            100.0,
        ),
    ]
}

/// The four half-years before the one `today` falls in, oldest first. The newest takes
/// submissions during the current half-year (so it is open today); the older ones closed.
pub fn periods(today: Date) -> Vec<PeriodPlan> {
    let current = half_year_of(today);
    (1..=PERIODS as i32)
        .rev()
        .map(|back| {
            let (year, half) = shift(current, -back);
            let (starts_on, ends_on) = bounds(year, half);
            let (_, closes_on) = bounds_of(shift((year, half), 1));
            PeriodPlan {
                name: format!("{year} H{half}"),
                starts_on,
                ends_on,
                opens_on: ends_on + Duration::days(1),
                closes_on,
            }
        })
        .collect()
}

fn half_year_of(d: Date) -> (i32, u8) {
    (d.year(), if u8::from(d.month()) <= 6 { 1 } else { 2 })
}

fn shift((year, half): (i32, u8), by: i32) -> (i32, u8) {
    let index = year * 2 + i32::from(half) - 1 + by;
    (index.div_euclid(2), (index.rem_euclid(2) + 1) as u8)
}

fn bounds_of((year, half): (i32, u8)) -> (Date, Date) {
    bounds(year, half)
}

fn bounds(year: i32, half: u8) -> (Date, Date) {
    let date = |m, d| Date::from_calendar_date(year, m, d).unwrap_or(Date::MIN);
    if half == 1 {
        (date(Month::January, 1), date(Month::June, 30))
    } else {
        (date(Month::July, 1), date(Month::December, 31))
    }
}

/// `YYYY-MM-DD`, as the database stores dates.
pub fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The data set for `countries` as of `now`, from `seed`.
pub fn plan(countries: &[CountryName], now: OffsetDateTime, seed: u64) -> Plan {
    let mut rng = StdRng::seed_from_u64(seed);
    let periods = periods(now.date());
    let mut countries: Vec<&CountryName> = countries.iter().collect();
    countries.sort_by(|a, b| a.iso2.cmp(&b.iso2));

    // Per country: how well resourced its system is (0..1), which drives where it starts, its
    // indicator levels, and which recommendations do not apply to it.
    let capacity: Vec<f64> = countries.iter().map(|_| rng.gen()).collect();
    let not_applicable: Vec<[bool; 7]> = countries
        .iter()
        .map(|_| std::array::from_fn(|_| rng.gen_bool(0.02)))
        .collect();
    let mut ranks: Vec<[u8; 7]> = capacity
        .iter()
        .map(|c| std::array::from_fn(|_| start_rank(*c, &mut rng)))
        .collect();

    // The newest period: a few countries have not started, some are drafting, some wait for
    // review; the rest are approved.
    let mut order: Vec<usize> = (0..countries.len()).collect();
    shuffle(&mut order, &mut rng);
    let mut newest = vec![Outcome::Approved; countries.len()];
    for (k, &i) in order.iter().enumerate() {
        newest[i] = match k {
            0..4 => Outcome::NoReport,
            4..10 => Outcome::Draft,
            10..17 => Outcome::Submitted,
            _ => Outcome::Approved,
        };
    }

    let mut reports = vec![];
    for (p, period) in periods.iter().enumerate() {
        let last = p + 1 == periods.len();
        let latest = now - Duration::hours(1);
        for (i, country) in countries.iter().enumerate() {
            if p > 0 {
                for rank in ranks[i].iter_mut() {
                    *rank = step(*rank, &mut rng);
                }
            }
            let outcome = if last { newest[i] } else { Outcome::Approved };
            if outcome == Outcome::NoReport {
                continue;
            }
            let entries = (0..7)
                .map(|r| {
                    let status = if not_applicable[i][r] {
                        Status::NotApplicable
                    } else {
                        STATUSES[usize::from(ranks[i][r])]
                    };
                    entry(country, period, r as i64 + 1, status, capacity[i], &mut rng)
                })
                .collect();
            // Started within the first two months of the window, saved a day later; submitted
            // within three weeks, approved within two more. Never later than an hour ago.
            let window_start = at(period.opens_on, &mut rng);
            let created = (window_start + Duration::days(rng.gen_range(0..60))).min(latest);
            let saved = (created + Duration::days(1)).min(latest);
            let submitted = (saved + Duration::days(rng.gen_range(1..21))).min(latest);
            let approved = (submitted + Duration::days(rng.gen_range(1..14))).min(latest);
            reports.push(ReportPlan {
                iso2: country.iso2.clone(),
                period: p,
                outcome,
                entries,
                created,
                saved,
                submitted: matches!(outcome, Outcome::Submitted | Outcome::Approved)
                    .then_some(submitted),
                approved: (outcome == Outcome::Approved).then_some(approved),
            });
        }
    }
    Plan { periods, reports }
}

const STATUSES: [Status; 5] = [
    Status::NotStarted,
    Status::Planned,
    Status::InProgress,
    Status::PartiallyImplemented,
    Status::FullyImplemented,
];

/// Where a country starts on the scale: low for most, higher with more capacity.
fn start_rank(capacity: f64, rng: &mut StdRng) -> u8 {
    ((capacity * 2.0 + rng.gen::<f64>() * 1.8) as u8).min(4)
}

/// One period later: mostly the same or one step up, sometimes two, occasionally one down.
pub fn step(rank: u8, rng: &mut StdRng) -> u8 {
    let u: f64 = rng.gen();
    let next = if u < 0.08 {
        i16::from(rank) - 1
    } else if u < 0.55 {
        i16::from(rank)
    } else if u < 0.95 {
        i16::from(rank) + 1
    } else {
        i16::from(rank) + 2
    };
    next.clamp(0, 4) as u8
}

/// Fisher–Yates with the plan's own generator (so the plan does not depend on how a library
/// shuffles).
fn shuffle(items: &mut [usize], rng: &mut StdRng) {
    for i in (1..items.len()).rev() {
        let j = rng.gen_range(0..=i);
        items.swap(i, j);
    }
}

/// A time on `day` during office hours, UTC.
fn at(day: Date, rng: &mut StdRng) -> OffsetDateTime {
    let time = Time::from_hms(
        rng.gen_range(8..18),
        rng.gen_range(0..60),
        rng.gen_range(0..60),
    )
    .unwrap_or(Time::MIDNIGHT);
    PrimitiveDateTime::new(day, time).assume_utc()
}

fn entry(
    country: &CountryName,
    period: &PeriodPlan,
    recommendation: i64,
    status: Status,
    capacity: f64,
    rng: &mut StdRng,
) -> EntryPlan {
    let what = match status {
        Status::NotStarted => "no measures have been adopted yet.",
        Status::Planned => "a national plan has been drafted and is waiting for funding.",
        Status::InProgress => "implementation has started in some regions.",
        Status::PartiallyImplemented => "most measures are in place; an evaluation is under way.",
        Status::FullyImplemented => "all measures are in place and monitored every year.",
        Status::NotApplicable => "this recommendation does not apply to the national system.",
    };
    let narrative = format!(
        "{NARRATIVE_PREFIX} {} ({}), recommendation {recommendation}: {what}",
        country.name, period.name
    );
    let evidence = if status.rank().is_some_and(|r| r >= 1) {
        vec![format!(
            "{EVIDENCE_BASE}/{}/{}/recommendation-{recommendation}",
            country.iso2.to_ascii_lowercase(),
            period.name.to_ascii_lowercase().replace(' ', "-"),
        )]
    } else {
        vec![]
    };
    let span = (period.ends_on - period.starts_on).whole_days();
    let as_of = period.ends_on - Duration::days(rng.gen_range(0..span.clamp(1, 60)));
    let values = match status.rank() {
        Some(rank) => indicators()
            .iter()
            .enumerate()
            .filter(|(_, ind)| ind.recommendation == recommendation)
            .map(|(i, ind)| (i, value(ind, rank, capacity, rng)))
            .collect(),
        None => vec![],
    };
    EntryPlan {
        recommendation,
        status,
        narrative,
        evidence,
        as_of,
        values,
    }
}

/// A plausible value of an indicator for a country at a given rank, within its bounds.
fn value(ind: &Indicator, rank: u8, capacity: f64, rng: &mut StdRng) -> f64 {
    let r = f64::from(rank);
    let noise: f64 = rng.gen_range(-1.0..1.0);
    let (v, decimals) = match ind.recommendation {
        // Screening back towards (and past) the 2019 volume as the backlog is addressed.
        1 => (55.0 + 10.0 * r + 20.0 * capacity + 5.0 * noise, 0),
        // Fewer shortages as monitoring and joint procurement take hold.
        3 => (28.0 - 5.0 * r - 10.0 * capacity + 3.0 * noise, 0),
        // The workforce grows slowly, from a level set by the country's system.
        4 => (1.5 + 6.0 * capacity + 0.3 * r + 0.2 * noise, 1),
        // Registries fill in as data collection is embedded.
        _ => (50.0 + 8.0 * r + 10.0 * capacity + 3.0 * noise, 1),
    };
    let scale = 10f64.powi(decimals);
    let v = (v * scale).round() / scale;
    v.clamp(ind.min.unwrap_or(f64::MIN), ind.max.unwrap_or(f64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn countries() -> Vec<CountryName> {
        (0..53)
            .map(|i| CountryName {
                iso2: format!("{}{}", (b'A' + i / 26) as char, (b'A' + i % 26) as char),
                name: format!("Country {i}"),
            })
            .collect()
    }

    const NOW: OffsetDateTime = datetime!(2026-11-29 10:00 UTC);

    #[test]
    fn four_consecutive_half_years_the_newest_open_today() {
        let p = periods(NOW.date());
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["2024 H2", "2025 H1", "2025 H2", "2026 H1"]);
        assert_eq!(iso_date(p[3].starts_on), "2026-01-01");
        assert_eq!(iso_date(p[3].ends_on), "2026-06-30");
        assert_eq!(iso_date(p[3].opens_on), "2026-07-01");
        assert_eq!(iso_date(p[3].closes_on), "2026-12-31");
        assert_eq!(iso_date(p[0].closes_on), "2025-06-30");
        for w in p.windows(2) {
            assert!(w[0].closes_on < w[1].opens_on, "windows never overlap");
        }
        let january = periods(Date::from_calendar_date(2027, Month::January, 1).unwrap());
        assert_eq!(january[3].name, "2026 H2");
        assert_eq!(iso_date(january[3].opens_on), "2027-01-01");
    }

    #[test]
    fn the_same_seed_gives_the_same_data_set_and_another_seed_another() {
        let a = plan(&countries(), NOW, SEED);
        assert_eq!(a, plan(&countries(), NOW, SEED));
        assert_ne!(a.reports, plan(&countries(), NOW, SEED + 1).reports);
    }

    #[test]
    fn older_periods_are_all_approved_and_the_newest_is_mixed() {
        let p = plan(&countries(), NOW, SEED);
        for period in 0..3 {
            let reports: Vec<&ReportPlan> =
                p.reports.iter().filter(|r| r.period == period).collect();
            assert_eq!(reports.len(), 53);
            assert!(reports.iter().all(|r| r.outcome == Outcome::Approved));
        }
        let newest: Vec<Outcome> = p
            .reports
            .iter()
            .filter(|r| r.period == 3)
            .map(|r| r.outcome)
            .collect();
        let count = |o| newest.iter().filter(|n| **n == o).count();
        assert_eq!(newest.len(), 49, "four countries have no report");
        assert_eq!(count(Outcome::Draft), 6);
        assert_eq!(count(Outcome::Submitted), 7);
        assert_eq!(count(Outcome::Approved), 36);
    }

    #[test]
    fn statuses_mostly_stay_or_move_up_and_sometimes_move_down() {
        let p = plan(&countries(), NOW, SEED);
        let (mut up, mut same, mut down) = (0, 0, 0);
        for r in p.reports.iter().filter(|r| r.period > 0) {
            let before = p
                .reports
                .iter()
                .find(|b| b.period == r.period - 1 && b.iso2 == r.iso2)
                .unwrap();
            for (e, b) in r.entries.iter().zip(&before.entries) {
                match (e.status.rank(), b.status.rank()) {
                    (Some(x), Some(y)) if x > y => up += 1,
                    (Some(x), Some(y)) if x < y => down += 1,
                    (Some(_), Some(_)) => same += 1,
                    (x, y) => assert_eq!(x, y, "not applicable stays so"),
                }
            }
        }
        assert!(up > down * 3, "up {up}, down {down}");
        assert!(same > down * 3, "same {same}, down {down}");
        assert!(down > 0);
        let na = p
            .reports
            .iter()
            .flat_map(|r| &r.entries)
            .filter(|e| e.status == Status::NotApplicable)
            .count();
        assert!(na > 0 && na < 100, "a few not applicable: {na}");
    }

    #[test]
    fn entries_pass_the_report_forms_checks_and_stay_inside_their_period() {
        let p = plan(&countries(), NOW, SEED);
        let mut defs = indicators();
        for (i, d) in defs.iter_mut().enumerate() {
            d.id = i as i64 + 1;
        }
        let ids: Vec<i64> = defs.iter().map(|d| d.id).collect();
        let today = iso_date(NOW.date());
        for r in &p.reports {
            let period = &p.periods[r.period];
            let inputs: Vec<EntryInput> = r.entries.iter().map(|e| e.input(&ids)).collect();
            let checked = crate::progress::checks::check_entries(
                &inputs,
                &defs,
                &today,
                crate::lang::Locale::en,
            )
            .unwrap_or_else(|e| panic!("{} {}: {e:?}", r.iso2, period.name));
            assert_eq!(checked.len(), 7);
            for e in &r.entries {
                assert!(e.narrative.starts_with("Demo — "), "{}", e.narrative);
                assert!(period.starts_on <= e.as_of && e.as_of <= period.ends_on);
                assert!(e
                    .evidence
                    .iter()
                    .all(|l| l.starts_with("https://example.org/demo/")));
            }
            assert!(r.created.date() >= period.opens_on);
            assert!(r.created <= r.saved && r.saved < NOW);
            if let (Some(s), Some(a)) = (r.submitted, r.approved) {
                assert!(r.saved <= s && s <= a && a < NOW);
            }
            if r.period < 3 {
                assert!(r.approved.unwrap().date() <= period.closes_on);
            }
        }
        let values: usize = p
            .reports
            .iter()
            .flat_map(|r| &r.entries)
            .map(|e| e.values.len())
            .sum();
        assert!(values > 600, "indicator values: {values}");
    }
}
