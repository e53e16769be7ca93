//! The domain of progress reporting: the status scale, the report workflow, indicator values,
//! and the two kinds of check on an entry — *invalid* (refused even in a draft: a malformed
//! link, a number out of bounds) and *missing* (allowed in a draft, blocks submission).

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// Where a country stands on one recommendation. `NotStarted` < … < `FullyImplemented` is an
/// ordinal scale; `NotApplicable` stands outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotStarted,
    Planned,
    InProgress,
    PartiallyImplemented,
    FullyImplemented,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::NotStarted,
        Status::Planned,
        Status::InProgress,
        Status::PartiallyImplemented,
        Status::FullyImplemented,
        Status::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not-started",
            Self::Planned => "planned",
            Self::InProgress => "in-progress",
            Self::PartiallyImplemented => "partially-implemented",
            Self::FullyImplemented => "fully-implemented",
            Self::NotApplicable => "not-applicable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Not started",
            Self::Planned => "Planned",
            Self::InProgress => "In progress",
            Self::PartiallyImplemented => "Partially implemented",
            Self::FullyImplemented => "Fully implemented",
            Self::NotApplicable => "Not applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The position on the ordinal scale (0 = Not started … 4 = Fully implemented); `None`
    /// for Not applicable, which is not on the scale.
    pub fn rank(self) -> Option<u8> {
        match self {
            Self::NotStarted => Some(0),
            Self::Planned => Some(1),
            Self::InProgress => Some(2),
            Self::PartiallyImplemented => Some(3),
            Self::FullyImplemented => Some(4),
            Self::NotApplicable => None,
        }
    }

    /// A narrative is required once work is under way (In progress or beyond).
    pub fn requires_narrative(self) -> bool {
        self.rank().is_some_and(|r| r >= 2)
    }
}

/// Where a country's report for a period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportState {
    Draft,
    Submitted,
    /// Sent back to the focal point with comments; editable like a draft.
    Returned,
    /// Published; locked for focal points.
    Approved,
}

impl ReportState {
    pub const ALL: [ReportState; 4] =
        [Self::Draft, Self::Submitted, Self::Returned, Self::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Submitted => "Submitted",
            Self::Returned => "Returned for changes",
            Self::Approved => "Approved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// May the focal point edit the report?
    pub fn editable_by_focal_point(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transition {
    /// Focal point: draft or returned → submitted.
    Submit,
    /// Admin: submitted → returned, with comments.
    Return,
    /// Admin: submitted → approved.
    Approve,
    /// Admin: approved → returned, with a reason.
    Reopen,
}

impl Transition {
    /// The state a report moves to, or `None` if the step is not allowed from `from`.
    pub fn apply(self, from: ReportState) -> Option<ReportState> {
        use ReportState::*;
        match (self, from) {
            (Self::Submit, Draft | Returned) => Some(Submitted),
            (Self::Return, Submitted) => Some(Returned),
            (Self::Approve, Submitted) => Some(Approved),
            (Self::Reopen, Approved) => Some(Returned),
            _ => None,
        }
    }

    pub fn audit_action(self) -> &'static str {
        match self {
            Self::Submit => "report-submitted",
            Self::Return => "report-returned",
            Self::Approve => "report-approved",
            Self::Reopen => "report-reopened",
        }
    }
}

/// The kind of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorKind {
    /// A number with a unit and optional bounds.
    Number,
    /// 0 to 100 (bounds may narrow it).
    Percentage,
    YesNo,
    /// Short text, up to 200 characters.
    Text,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 4] = [Self::Number, Self::Percentage, Self::YesNo, Self::Text];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Percentage => "percentage",
            Self::YesNo => "yes-no",
            Self::Text => "text",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Number => "Number",
            Self::Percentage => "Percentage",
            Self::YesNo => "Yes / no",
            Self::Text => "Short text",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Longest short-text indicator value.
pub const TEXT_MAX: usize = 200;
/// Longest narrative.
pub const NARRATIVE_MAX: usize = 10_000;
/// Most evidence links per entry.
pub const LINKS_MAX: usize = 20;

/// An indicator as defined by the admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: i64,
    pub recommendation: i64,
    pub name: String,
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub help: Option<String>,
    /// Must have a value before the report is submitted.
    pub required: bool,
    /// No longer offered for new values; past values stay.
    pub archived: bool,
}

impl Indicator {
    /// Checks and normalises a value: `Ok(None)` for empty, `Ok(Some(v))` for a valid value.
    pub fn check(&self, raw: &str) -> Result<Option<String>, String> {
        Ok(self.rule().parse(raw)?.map(|value| match value {
            Value::Number(n) => fmt_number(n),
            Value::Text(t) => t,
        }))
    }

    /// The rule a value of this indicator is checked by (with the bounds a percentage implies).
    pub fn rule(&self) -> ValueRule {
        let (min, max) = match self.kind {
            IndicatorKind::Percentage => (
                Some(self.min.unwrap_or(0.0).max(0.0)),
                Some(self.max.unwrap_or(100.0).min(100.0)),
            ),
            _ => (self.min, self.max),
        };
        ValueRule {
            name: self.name.clone(),
            kind: self.kind,
            min: min.map(|m| (m, fmt_number(m))),
            max: max.map(|m| (m, fmt_number(m))),
        }
    }

    /// How a value reads, with the unit.
    pub fn display_value(&self, value: &str) -> String {
        match (self.kind, self.unit.as_deref()) {
            (IndicatorKind::Percentage, _) => format!("{value} %"),
            (IndicatorKind::Number, Some(u)) if !u.is_empty() => format!("{value} {u}"),
            _ => value.to_string(),
        }
    }
}

/// How an indicator's value is checked: its kind and bounds, each bound with its text already
/// written by the server. The report form's island checks values by it, so the browser bundle
/// needs no float formatting (and the same messages come out on both sides).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueRule {
    pub name: String,
    pub kind: IndicatorKind,
    pub min: Option<(f64, String)>,
    pub max: Option<(f64, String)>,
}

/// A valid indicator value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
}

impl ValueRule {
    /// Parses a value: `Ok(None)` for empty, or the message saying what is wrong.
    pub fn parse(&self, raw: &str) -> Result<Option<Value>, String> {
        let v = raw.trim();
        if v.is_empty() {
            return Ok(None);
        }
        match self.kind {
            IndicatorKind::Number | IndicatorKind::Percentage => {
                let n: f64 = v
                    .replace(',', ".")
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| {
                        format!("Enter a number for “{}”, like 12 or 12.5.", self.name)
                    })?;
                if let Some((_, min)) = self.min.as_ref().filter(|(m, _)| n < *m) {
                    return Err(format!("“{}” must be at least {min}.", self.name));
                }
                if let Some((_, max)) = self.max.as_ref().filter(|(m, _)| n > *m) {
                    return Err(format!("“{}” must be at most {max}.", self.name));
                }
                Ok(Some(Value::Number(n)))
            }
            IndicatorKind::YesNo => match v.to_ascii_lowercase().as_str() {
                yes_no @ ("yes" | "no") => Ok(Some(Value::Text(yes_no.to_string()))),
                _ => Err(format!("Choose yes or no for “{}”.", self.name)),
            },
            IndicatorKind::Text => {
                if v.chars().count() > TEXT_MAX {
                    Err(format!("Keep “{}” to {TEXT_MAX} characters.", self.name))
                } else {
                    Ok(Some(Value::Text(v.to_string())))
                }
            }
        }
    }
}

/// A number without a needless fraction: 12, 12.5.
pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One recommendation's entry as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInput {
    pub recommendation: i64,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub narrative: String,
    /// One URL per line.
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
}

/// One indicator value as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorInput {
    pub id: i64,
    #[serde(default)]
    pub value: String,
}

/// A checked entry, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryValues {
    pub recommendation: i64,
    pub status: Option<Status>,
    pub narrative: String,
    pub evidence: Vec<String>,
    pub as_of: Option<String>,
    /// (indicator id, value)
    pub indicators: Vec<(i64, String)>,
}

/// Field names of an entry, as the form names them (`entries[i][field]`).
pub fn field_name(index: usize, field: &str) -> String {
    format!("entries[{index}][{field}]")
}

/// Field name of an indicator value.
pub fn indicator_field_name(index: usize, indicator_index: usize) -> String {
    format!("entries[{index}][indicators][{indicator_index}][value]")
}

/// Checks one evidence link: an absolute http(s) URL.
pub fn check_link(raw: &str) -> Result<String, String> {
    let link = raw.trim();
    match web_address(link) {
        Some((scheme, host)) if (scheme == "http" || scheme == "https") && host.contains('.') => {
            Ok(link.to_string())
        }
        _ => Err(format!(
            "“{link}” is not a web address. Enter full links starting with https://, one per line."
        )),
    }
}

/// The scheme and host of an absolute URL, by the WHATWG URL standard: the `url` crate on the
/// server, the browser's own `URL` in the islands (the same standard, and no IDNA tables in
/// the wasm).
#[cfg(not(feature = "hydrate"))]
fn web_address(link: &str) -> Option<(String, String)> {
    let u = url::Url::parse(link).ok()?;
    Some((u.scheme().to_string(), u.host_str()?.to_string()))
}

#[cfg(feature = "hydrate")]
fn web_address(link: &str) -> Option<(String, String)> {
    let u = web_sys::Url::new(link).ok()?;
    let scheme = u.protocol().trim_end_matches(':').to_string();
    Some((scheme, u.hostname()))
}

/// Checks an "as of" date: a real calendar date, not in the future.
pub fn check_as_of(raw: &str, today: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if !crate::clock::is_iso_date(v) {
        Err("Enter the “as of” date as a real date, like 2026-06-30.".into())
    } else if v > today {
        // Both are `YYYY-MM-DD`, so text order is date order.
        Err("The “as of” date cannot be in the future.".into())
    } else {
        Ok(Some(v.to_string()))
    }
}

/// Checks the entries of a save: returns the stored values, or every invalid field. Entries
/// must be exactly the recommendations 1..=7 once each; indicator ids must belong to the
/// entry's recommendation.
pub fn check_entries(
    inputs: &[EntryInput],
    indicators: &[Indicator],
    today: &str,
) -> Result<Vec<EntryValues>, Vec<FieldError>> {
    let mut errors = vec![];
    let mut out = vec![];
    let mut seen = std::collections::BTreeSet::new();
    for (i, input) in inputs.iter().enumerate() {
        if !(1..=7).contains(&input.recommendation) || !seen.insert(input.recommendation) {
            errors.push(FieldError::new(
                field_name(i, "recommendation"),
                "This section is not one of the seven recommendations.",
            ));
            continue;
        }
        let status = match input.status.trim() {
            "" => None,
            s => match Status::parse(s) {
                Some(st) => Some(st),
                None => {
                    errors.push(FieldError::new(
                        field_name(i, "status"),
                        "Choose a status from the list.",
                    ));
                    None
                }
            },
        };
        let narrative = input.narrative.trim().to_string();
        if narrative.chars().count() > NARRATIVE_MAX {
            errors.push(FieldError::new(
                field_name(i, "narrative"),
                format!("Keep the narrative to {NARRATIVE_MAX} characters."),
            ));
        }
        let mut evidence = vec![];
        for line in input
            .evidence
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match check_link(line) {
                Ok(l) if !evidence.contains(&l) => evidence.push(l),
                Ok(_) => {}
                Err(e) => {
                    errors.push(FieldError::new(field_name(i, "evidence"), e));
                    break;
                }
            }
        }
        if evidence.len() > LINKS_MAX {
            errors.push(FieldError::new(
                field_name(i, "evidence"),
                format!("Give at most {LINKS_MAX} links."),
            ));
        }
        let as_of = match check_as_of(&input.as_of, today) {
            Ok(v) => v,
            Err(e) => {
                errors.push(FieldError::new(field_name(i, "as_of"), e));
                None
            }
        };
        let mut values: Vec<(i64, String)> = vec![];
        let mut seen_indicators = std::collections::BTreeSet::new();
        for (j, iv) in input.indicators.iter().enumerate() {
            let Some(ind) = indicators
                .iter()
                .find(|d| d.id == iv.id && d.recommendation == input.recommendation && !d.archived)
            else {
                errors.push(FieldError::new(
                    indicator_field_name(i, j),
                    "This indicator does not belong to this recommendation.",
                ));
                continue;
            };
            if !seen_indicators.insert(ind.id) {
                errors.push(FieldError::new(
                    indicator_field_name(i, j),
                    format!("“{}” is given twice.", ind.name),
                ));
                continue;
            }
            match ind.check(&iv.value) {
                Ok(Some(v)) => values.push((ind.id, v)),
                Ok(None) => {}
                Err(e) => errors.push(FieldError::new(indicator_field_name(i, j), e)),
            }
        }
        out.push(EntryValues {
            recommendation: input.recommendation,
            status,
            narrative,
            evidence,
            as_of,
            indicators: values,
        });
    }
    if errors.is_empty() {
        out.sort_by_key(|e| e.recommendation);
        Ok(out)
    } else {
        Err(errors)
    }
}

/// What must still be filled in before the report can be submitted; each item names the
/// field (with the entry's index in `entries`, which is ordered by recommendation).
pub fn missing(entries: &[EntryValues], indicators: &[Indicator]) -> Vec<FieldError> {
    let mut out = vec![];
    for number in 1..=7i64 {
        let index = (number - 1) as usize;
        let Some(e) = entries.iter().find(|e| e.recommendation == number) else {
            out.push(FieldError::new(
                field_name(index, "status"),
                format!("Recommendation {number}: choose a status."),
            ));
            continue;
        };
        match e.status {
            None => out.push(FieldError::new(
                field_name(index, "status"),
                format!("Recommendation {number}: choose a status."),
            )),
            Some(s) => {
                if s.requires_narrative() && e.narrative.is_empty() {
                    out.push(FieldError::new(
                        field_name(index, "narrative"),
                        format!("Recommendation {number}: describe the progress (required from “In progress” on)."),
                    ));
                }
                if s != Status::NotApplicable && e.as_of.is_none() {
                    out.push(FieldError::new(
                        field_name(index, "as_of"),
                        format!("Recommendation {number}: give the “as of” date."),
                    ));
                }
            }
        }
        if e.status != Some(Status::NotApplicable) {
            let active: Vec<&Indicator> = indicators
                .iter()
                .filter(|d| d.recommendation == number && !d.archived)
                .collect();
            for (j, ind) in active.iter().enumerate() {
                if ind.required && !e.indicators.iter().any(|(id, _)| *id == ind.id) {
                    out.push(FieldError::new(
                        indicator_field_name(index, j),
                        format!("Recommendation {number}: give a value for “{}”.", ind.name),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(kind: IndicatorKind, min: Option<f64>, max: Option<f64>) -> Indicator {
        Indicator {
            id: 1,
            recommendation: 1,
            name: "Screening volume".into(),
            kind,
            unit: Some("tests".into()),
            min,
            max,
            help: None,
            required: true,
            archived: false,
        }
    }

    #[test]
    fn copy_forward_keeps_only_values_still_measured_the_same_way() {
        let saved = |id: i64, unit: &str, value: &str| SavedValue {
            indicator_id: id,
            name: "Screening volume".into(),
            kind: "number".into(),
            unit: Some(unit.into()),
            value: value.into(),
        };
        let mut same = ind(IndicatorKind::Number, Some(0.0), Some(5000.0));
        same.id = 1;
        let mut new_unit = ind(IndicatorKind::Number, None, None);
        new_unit.id = 2;
        new_unit.unit = Some("thousand tests".into());
        let mut tightened = ind(IndicatorKind::Number, Some(0.0), Some(100.0));
        tightened.id = 3;
        let mut archived = ind(IndicatorKind::Number, None, None);
        archived.id = 4;
        archived.archived = true;
        let stored = vec![
            saved(1, "tests", "1200"),
            saved(2, "tests", "1200"),
            saved(3, "tests", "1200"),
            saved(4, "tests", "1200"),
            saved(5, "tests", "1200"),
        ];
        assert_eq!(
            carried_forward(&stored, &[same, new_unit, tightened, archived]),
            vec![(1, "1200".to_string())]
        );
    }

    fn complete(number: i64) -> EntryValues {
        EntryValues {
            recommendation: number,
            status: Some(Status::Planned),
            narrative: String::new(),
            evidence: vec![],
            as_of: Some("2026-06-30".into()),
            indicators: vec![],
        }
    }

    #[test]
    fn the_status_scale_is_ordered_and_not_applicable_is_outside_it() {
        let ranks: Vec<Option<u8>> = Status::ALL.iter().map(|s| s.rank()).collect();
        assert_eq!(ranks, [Some(0), Some(1), Some(2), Some(3), Some(4), None]);
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_narrative_is_required_from_in_progress_on() {
        assert!(!Status::NotStarted.requires_narrative());
        assert!(!Status::Planned.requires_narrative());
        assert!(Status::InProgress.requires_narrative());
        assert!(Status::PartiallyImplemented.requires_narrative());
        assert!(Status::FullyImplemented.requires_narrative());
        assert!(!Status::NotApplicable.requires_narrative());
    }

    #[test]
    fn only_the_workflow_steps_are_allowed() {
        use ReportState::*;
        use Transition::*;
        assert_eq!(Submit.apply(Draft), Some(Submitted));
        assert_eq!(Submit.apply(Returned), Some(Submitted));
        assert_eq!(Submit.apply(Submitted), None);
        assert_eq!(Submit.apply(Approved), None);
        assert_eq!(Return.apply(Submitted), Some(Returned));
        assert_eq!(Return.apply(Draft), None);
        assert_eq!(Approve.apply(Submitted), Some(Approved));
        assert_eq!(Approve.apply(Draft), None);
        assert_eq!(Approve.apply(Returned), None);
        assert_eq!(Reopen.apply(Approved), Some(Returned));
        assert_eq!(Reopen.apply(Submitted), None);
        assert!(Draft.editable_by_focal_point() && Returned.editable_by_focal_point());
        assert!(!Submitted.editable_by_focal_point() && !Approved.editable_by_focal_point());
    }

    #[test]
    fn numbers_are_checked_against_their_bounds() {
        let i = ind(IndicatorKind::Number, Some(0.0), Some(1000.0));
        assert_eq!(i.check(" 12,50 "), Ok(Some("12.5".into())));
        assert_eq!(i.check("40"), Ok(Some("40".into())));
        assert_eq!(i.check(""), Ok(None));
        assert!(i.check("-1").unwrap_err().contains("at least 0"));
        assert!(i.check("1000.5").unwrap_err().contains("at most 1000"));
        assert!(i.check("lots").unwrap_err().contains("Enter a number"));
        assert!(i.check("NaN").is_err());
        assert!(i.check("inf").is_err());
    }

    #[test]
    fn percentages_stay_within_0_and_100() {
        let i = ind(IndicatorKind::Percentage, None, None);
        assert_eq!(i.check("85"), Ok(Some("85".into())));
        assert!(i.check("101").is_err());
        assert!(i.check("-0.5").is_err());
        let narrowed = ind(IndicatorKind::Percentage, Some(50.0), Some(150.0));
        assert!(narrowed.check("40").is_err());
        assert!(narrowed.check("120").is_err(), "never above 100");
    }

    #[test]
    fn yes_no_and_text_values() {
        let yn = ind(IndicatorKind::YesNo, None, None);
        assert_eq!(yn.check("Yes"), Ok(Some("yes".into())));
        assert!(yn.check("maybe").is_err());
        let t = ind(IndicatorKind::Text, None, None);
        assert!(t.check(&"x".repeat(TEXT_MAX + 1)).is_err());
        assert_eq!(t.check(" fine "), Ok(Some("fine".into())));
    }

    #[test]
    fn evidence_links_must_be_web_addresses() {
        assert!(check_link("https://www.salute.gov.it/piano").is_ok());
        assert!(check_link("http://example.org/x").is_ok());
        assert!(check_link("www.example.org").is_err());
        assert!(check_link("javascript:alert(1)").is_err());
        assert!(check_link("ftp://example.org/file").is_err());
        assert!(check_link("https://localhost/x").is_err());
    }

    #[test]
    fn as_of_dates_are_real_and_not_in_the_future() {
        assert_eq!(
            check_as_of("2026-06-30", "2026-11-28"),
            Ok(Some("2026-06-30".into()))
        );
        assert_eq!(check_as_of("", "2026-11-28"), Ok(None));
        assert!(check_as_of("2026-12-01", "2026-11-28")
            .unwrap_err()
            .contains("future"));
        assert!(check_as_of("2026-02-30", "2026-11-28").is_err());
    }

    #[test]
    fn invalid_fields_are_named_by_their_form_field() {
        let inputs = vec![EntryInput {
            recommendation: 1,
            status: "in-progress".into(),
            evidence: "https://ok.example.org\nnot a link".into(),
            as_of: "yesterday".into(),
            indicators: vec![
                IndicatorInput {
                    id: 1,
                    value: "-5".into(),
                },
                IndicatorInput {
                    id: 99,
                    value: "1".into(),
                },
            ],
            ..Default::default()
        }];
        let errors = check_entries(
            &inputs,
            &[ind(IndicatorKind::Number, Some(0.0), None)],
            "2026-11-28",
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "entries[0][evidence]",
                "entries[0][as_of]",
                "entries[0][indicators][0][value]",
                "entries[0][indicators][1][value]"
            ]
        );
    }

    #[test]
    fn an_indicator_twice_or_archived_is_refused() {
        let twice = vec![EntryInput {
            recommendation: 1,
            indicators: vec![
                IndicatorInput {
                    id: 1,
                    value: "1".into(),
                },
                IndicatorInput {
                    id: 1,
                    value: "2".into(),
                },
            ],
            ..Default::default()
        }];
        let errors = check_entries(
            &twice,
            &[ind(IndicatorKind::Number, None, None)],
            "2026-11-28",
        )
        .unwrap_err();
        assert_eq!(errors[0].field, "entries[0][indicators][1][value]");
        let mut archived = ind(IndicatorKind::Number, None, None);
        archived.archived = true;
        let one = vec![EntryInput {
            recommendation: 1,
            indicators: vec![IndicatorInput {
                id: 1,
                value: "1".into(),
            }],
            ..Default::default()
        }];
        assert!(check_entries(&one, &[archived], "2026-11-28").is_err());
    }

    #[test]
    fn a_recommendation_twice_or_out_of_range_is_refused() {
        let e = |n| EntryInput {
            recommendation: n,
            ..Default::default()
        };
        assert!(check_entries(&[e(1), e(1)], &[], "2026-11-28").is_err());
        assert!(check_entries(&[e(8)], &[], "2026-11-28").is_err());
        let ok = check_entries(&[e(2), e(1)], &[], "2026-11-28").unwrap();
        assert_eq!(
            ok.iter().map(|e| e.recommendation).collect::<Vec<_>>(),
            [1, 2],
            "sorted"
        );
    }

    #[test]
    fn missing_lists_what_blocks_submission() {
        let all: Vec<EntryValues> = (1..=7).map(complete).collect();
        assert!(missing(&all, &[]).is_empty());

        let mut e = all.clone();
        e[2].status = None;
        e[3].status = Some(Status::InProgress);
        e[4].as_of = None;
        e[5].status = Some(Status::NotApplicable);
        e[5].as_of = None;
        let m = missing(&e, &[ind(IndicatorKind::Number, None, None)]);
        let fields: Vec<&str> = m.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "entries[0][indicators][0][value]",
                "entries[2][status]",
                "entries[3][narrative]",
                "entries[4][as_of]"
            ]
        );
        assert!(missing(&all[..6], &[])
            .iter()
            .any(|x| x.field == "entries[6][status]"));
    }
}

/// A stored indicator value with the definition it was entered under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedValue {
    pub indicator_id: i64,
    pub name: String,
    pub kind: String,
    pub unit: Option<String>,
    pub value: String,
}

/// The indicator values a report copied forward keeps: only those whose indicator is still
/// in use, still measured in the same kind and unit, and whose value passes today's bounds. A
/// value entered as "1200 tests" is not carried into an indicator now counted in thousands.
pub fn carried_forward(stored: &[SavedValue], indicators: &[Indicator]) -> Vec<(i64, String)> {
    stored
        .iter()
        .filter(|s| {
            indicators.iter().any(|d| {
                d.id == s.indicator_id
                    && !d.archived
                    && d.kind.as_str() == s.kind
                    && d.unit == s.unit
                    && d.check(&s.value).ok().flatten().is_some()
            })
        })
        .map(|s| (s.indicator_id, s.value.clone()))
        .collect()
}

/// One change to an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub at: String,
    pub by: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub version: i64,
}

/// One recommendation's entry of a report, as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub number: i64,
    pub title: String,
    pub values: EntryValues,
    pub stored_values: Vec<SavedValue>,
    pub review_comment: Option<String>,
    pub history: Vec<HistoryItem>,
}

/// A country's report for a period, with what the caller may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub country: crate::countries::model::Country,
    pub period: crate::periods::model::Period,
    pub phase: crate::periods::model::Phase,
    /// `None` until the first save.
    pub state: Option<ReportState>,
    /// 0 until the first save.
    pub version: i64,
    pub review_note: Option<String>,
    pub updated_at: Option<String>,
    pub updated_by: Option<String>,
    pub submitted_at: Option<String>,
    pub approved_at: Option<String>,
    pub copied_from: Option<String>,
    pub entries: Vec<EntryView>,
    /// Active definitions, in order, per recommendation.
    pub indicators: Vec<Indicator>,
    /// What blocks submission.
    pub missing: Vec<FieldError>,
    pub can_edit: bool,
    pub can_review: bool,
    pub can_reopen: bool,
    /// The period a copy-forward would start from, when one is possible.
    pub copy_forward_from: Option<String>,
    /// The caller's own values from a save that was refused (plain form posts only).
    pub unsaved: Option<Vec<EntryInput>>,
    /// The server's date, for checks in the browser.
    pub today: String,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveOutcome {
    pub version: i64,
    pub state: ReportState,
    /// Not empty when "submit" was asked for but the report is incomplete (it was saved).
    pub missing: Vec<FieldError>,
}

/// A reviewer's comment on one entry, as the review form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentInput {
    pub recommendation: i64,
    #[serde(default)]
    pub comment: String,
}

/// One row of the completeness board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    pub iso2: String,
    pub name: String,
    pub eu_member: bool,
    pub state: Option<ReportState>,
    pub updated_at: Option<String>,
    pub submitted_at: Option<String>,
    pub approved_at: Option<String>,
}

/// The completeness board of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub period: crate::periods::model::Period,
    pub phase: crate::periods::model::Phase,
    pub rows: Vec<BoardRow>,
    /// (state label, count), "Not started" first.
    pub counts: Vec<(String, usize)>,
    /// The period's closing date is past: opening submissions again needs a later date.
    pub closing_date_passed: bool,
}

/// A focal point's report of one country and period, for their list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReport {
    pub iso2: String,
    pub country: String,
    pub period_id: i64,
    pub period: String,
    pub phase: crate::periods::model::Phase,
    pub state: Option<ReportState>,
    pub updated_at: Option<String>,
}

/// One approved entry, as the open-data API publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedEntry {
    pub country: String,
    pub country_name: String,
    pub period: String,
    pub recommendation: i64,
    pub recommendation_title: String,
    pub status: Option<Status>,
    pub narrative: String,
    pub as_of: Option<String>,
    pub evidence: Vec<String>,
    pub indicators: Vec<PublishedValue>,
    pub approved_at: Option<String>,
}

/// An indicator value as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedValue {
    pub name: String,
    pub kind: String,
    pub unit: Option<String>,
    pub value: String,
}

/// Who may read a report in a given state: the admin and the country's focal points always;
/// viewers once it was submitted (submitted or approved); everyone once it is approved.
/// Signed-out callers are asked to sign in for anything not public.
pub fn may_read(
    user: Option<&crate::auth::model::CurrentUser>,
    iso2: &str,
    state: Option<ReportState>,
) -> Result<(), crate::error::AppError> {
    use crate::auth::model::Role;
    use crate::error::AppError;
    if state == Some(ReportState::Approved) {
        return Ok(());
    }
    let Some(user) = user else {
        return Err(AppError::Unauthorized);
    };
    match user.role {
        Role::Admin => Ok(()),
        Role::FocalPoint if user.reports_for(iso2) => Ok(()),
        Role::Viewer if state == Some(ReportState::Submitted) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;
    use crate::auth::model::{CurrentUser, Role};
    use crate::error::AppError;

    fn user(role: Role, countries: &[&str]) -> CurrentUser {
        CurrentUser {
            id: 1,
            email: "u@example.org".into(),
            display_name: "U".into(),
            role,
            countries: countries.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_focal_point_reads_only_their_own_countries_unpublished_reports() {
        let fp = user(Role::FocalPoint, &["IT"]);
        for state in [
            None,
            Some(ReportState::Draft),
            Some(ReportState::Submitted),
            Some(ReportState::Returned),
        ] {
            assert_eq!(may_read(Some(&fp), "IT", state), Ok(()));
            assert_eq!(may_read(Some(&fp), "FR", state), Err(AppError::Forbidden));
        }
        assert_eq!(
            may_read(Some(&fp), "FR", Some(ReportState::Approved)),
            Ok(())
        );
    }

    #[test]
    fn viewers_read_submitted_and_approved_reports_only() {
        let v = user(Role::Viewer, &[]);
        assert_eq!(
            may_read(Some(&v), "IT", Some(ReportState::Submitted)),
            Ok(())
        );
        assert_eq!(
            may_read(Some(&v), "IT", Some(ReportState::Approved)),
            Ok(())
        );
        assert_eq!(
            may_read(Some(&v), "IT", Some(ReportState::Draft)),
            Err(AppError::Forbidden)
        );
        assert_eq!(may_read(Some(&v), "IT", None), Err(AppError::Forbidden));
    }

    #[test]
    fn the_public_reads_approved_reports_only() {
        assert_eq!(may_read(None, "IT", Some(ReportState::Approved)), Ok(()));
        assert_eq!(
            may_read(None, "IT", Some(ReportState::Submitted)),
            Err(AppError::Unauthorized)
        );
        let m = user(Role::Member, &[]);
        assert_eq!(
            may_read(Some(&m), "IT", Some(ReportState::Submitted)),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            may_read(
                Some(&user(Role::Admin, &[])),
                "IT",
                Some(ReportState::Draft)
            ),
            Ok(())
        );
    }
}
