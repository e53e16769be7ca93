//! How a status looks on every chart, map, heatmap and legend: a colour, a pattern and a word.
//! The colour only repeats what the pattern and the label say (WCAG 1.4.1): the scale is
//! ColorBrewer's RdYlBu (safe for the common colour-vision deficiencies), and each step has
//! its own pattern, drawn the same way in the server's SVG, in ECharts (`decal`) and in the
//! HTML heatmap (CSS).

use serde::{Deserialize, Serialize};

use crate::progress::workflow::Status;

/// What one country shows for one recommendation in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mark {
    /// A status from a report the reader may see.
    Status(Status),
    /// No report the reader may see (none, or not approved), or one without a status.
    NoReport,
}

/// The fill pattern drawn over a mark's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Plain colour.
    Solid,
    /// Crossed lines (×).
    Crosshatch,
    /// Dots.
    Dots,
    /// Horizontal lines.
    Horizontal,
    /// Diagonal lines (/).
    Diagonal,
    /// Vertical lines.
    Vertical,
}

/// How a mark is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swatch {
    /// A CSS- and id-safe name: `fully-implemented`, `no-report`.
    pub key: &'static str,
    /// The fill colour (`#rrggbb`).
    pub colour: &'static str,
    /// The pattern's ink colour over the fill.
    pub ink: &'static str,
    pub pattern: Pattern,
}

/// Every mark, in the scale's order (the legend's order): Not started … Fully implemented,
/// then Not applicable, then No report.
pub const LEGEND: [Mark; 7] = [
    Mark::Status(Status::NotStarted),
    Mark::Status(Status::Planned),
    Mark::Status(Status::InProgress),
    Mark::Status(Status::PartiallyImplemented),
    Mark::Status(Status::FullyImplemented),
    Mark::Status(Status::NotApplicable),
    Mark::NoReport,
];

impl Mark {
    /// The mark of a (visible) entry's status; `None` (no status given) reads as no report.
    pub fn of(status: Option<Status>) -> Self {
        status.map_or(Self::NoReport, Self::Status)
    }

    /// How it is drawn.
    pub fn swatch(self) -> Swatch {
        let (key, colour, ink, pattern) = match self {
            Self::Status(Status::NotStarted) => {
                ("not-started", "#d73027", "#ffffff", Pattern::Crosshatch)
            }
            Self::Status(Status::Planned) => ("planned", "#fc8d59", "#1b1f24", Pattern::Dots),
            Self::Status(Status::InProgress) => {
                ("in-progress", "#fee090", "#1b1f24", Pattern::Horizontal)
            }
            Self::Status(Status::PartiallyImplemented) => (
                "partially-implemented",
                "#91bfdb",
                "#1b1f24",
                Pattern::Diagonal,
            ),
            Self::Status(Status::FullyImplemented) => {
                ("fully-implemented", "#4575b4", "#ffffff", Pattern::Solid)
            }
            Self::Status(Status::NotApplicable) => {
                ("not-applicable", "#ffffff", "#4a5560", Pattern::Vertical)
            }
            Self::NoReport => ("no-report", "#d9d9d9", "#4a5560", Pattern::Solid),
        };
        Swatch {
            key,
            colour,
            ink,
            pattern,
        }
    }

    /// The key (`planned`, `no-report`): CSS classes, SVG pattern ids, CSV codes.
    pub fn key(self) -> &'static str {
        self.swatch().key
    }

    /// The word for it, in `locale`.
    pub fn label(self, locale: crate::lang::Locale) -> &'static str {
        use crate::i18n::*;
        match self {
            Self::Status(s) => s.label(locale),
            Self::NoReport => td_string!(locale, dashboard.no_report),
        }
    }
}

/// The SVG `<pattern>` of every mark (ids `rt-mark-{key}`), for a standalone SVG's `<defs>`.
/// Presentation attributes only (no `style`), so the SVG also works inline under the page's
/// Content-Security-Policy.
pub fn svg_pattern_defs() -> String {
    let mut out = String::new();
    for mark in LEGEND {
        let s = mark.swatch();
        let ink = s.ink;
        let marks = match s.pattern {
            Pattern::Solid => String::new(),
            Pattern::Crosshatch => {
                format!(r#"<path d="M0 0L8 8M8 0L0 8" stroke="{ink}" stroke-width="1.2"/>"#)
            }
            Pattern::Dots => format!(r#"<circle cx="4" cy="4" r="1.4" fill="{ink}"/>"#),
            Pattern::Horizontal => {
                format!(r#"<path d="M0 4H8" stroke="{ink}" stroke-width="1.2"/>"#)
            }
            Pattern::Diagonal => format!(
                r#"<path d="M-2 2L2 -2M0 8L8 0M6 10L10 6" stroke="{ink}" stroke-width="1.2"/>"#
            ),
            Pattern::Vertical => format!(r#"<path d="M4 0V8" stroke="{ink}" stroke-width="1.2"/>"#),
        };
        out.push_str(&format!(
            r#"<pattern id="rt-mark-{key}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{colour}"/>{marks}</pattern>"#,
            key = s.key,
            colour = s.colour,
        ));
    }
    out
}

/// The fill of a mark in an SVG that carries [`svg_pattern_defs`].
pub fn svg_fill(mark: Mark) -> String {
    format!("url(#rt-mark-{})", mark.key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mark_has_its_own_key_colour_and_pattern_pair() {
        let swatches: Vec<Swatch> = LEGEND.iter().map(|m| m.swatch()).collect();
        for (i, a) in swatches.iter().enumerate() {
            for b in &swatches[i + 1..] {
                assert_ne!(a.key, b.key);
                assert!(
                    (a.colour, a.pattern) != (b.colour, b.pattern),
                    "{} and {} look alike",
                    a.key,
                    b.key
                );
            }
        }
    }

    #[test]
    fn the_legend_follows_the_status_scale() {
        let ranks: Vec<u8> = LEGEND
            .iter()
            .filter_map(|m| match m {
                Mark::Status(s) => s.rank(),
                Mark::NoReport => None,
            })
            .collect();
        assert_eq!(ranks, vec![0, 1, 2, 3, 4]);
    }
}
