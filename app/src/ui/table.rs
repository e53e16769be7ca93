//! One model of a table: columns (a machine key, a label for people, a kind) and rows of
//! cells. Rendered as an HTML table (`DataTable`: caption, `<th scope>`) and, on the server, as
//! CSV (`Table::to_csv`, with the keys as the header): what a page shows and what it offers
//! for download are the same rows by construction. XLSX and chart data will read it too.

use std::borrow::Cow;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How a column's values read: numbers align right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnKind {
    Text,
    Number,
}

/// A column of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// The CSV header (stable: scripts read it).
    pub key: Cow<'static, str>,
    /// The HTML header.
    pub label: Cow<'static, str>,
    pub kind: ColumnKind,
    /// Its cells name their row (`<th scope="row">`).
    pub row_header: bool,
}

impl Column {
    /// A text column.
    pub const fn text(key: &'static str, label: &'static str) -> Self {
        Self {
            key: Cow::Borrowed(key),
            label: Cow::Borrowed(label),
            kind: ColumnKind::Text,
            row_header: false,
        }
    }

    /// A number column.
    pub const fn number(key: &'static str, label: &'static str) -> Self {
        Self {
            key: Cow::Borrowed(key),
            label: Cow::Borrowed(label),
            kind: ColumnKind::Number,
            row_header: false,
        }
    }

    /// A column whose header is made at run time (a period's name, a translated text).
    pub fn named(
        key: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        kind: ColumnKind,
    ) -> Self {
        Self {
            key: key.into(),
            label: label.into(),
            kind,
            row_header: false,
        }
    }

    /// This column names the rows.
    pub fn row_header(mut self) -> Self {
        self.row_header = true;
        self
    }
}

/// One cell: what it shows, and what CSV writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Number(i64),
    /// A status (or "No report") written as its word, on its colour and pattern
    /// (`mark mark-{key}`): the heatmap without JavaScript.
    Mark {
        key: String,
        label: String,
    },
    /// A link (a country's profile): the text, and where it goes (CSV writes the text).
    Link {
        text: String,
        href: String,
    },
}

impl Cell {
    /// The cell as text (CSV).
    pub fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Number(n) => n.to_string(),
            Self::Mark { label, .. } => label.clone(),
            Self::Link { text, .. } => text.clone(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Self::Text(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Self::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// A table: a caption, its columns, and rows of one cell per column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as CSV: the column keys, then one line per row. Text that a spreadsheet would
    /// read as a formula is neutralised (`crate::spreadsheet::neutralise`).
    #[cfg(feature = "ssr")]
    pub fn to_csv(&self) -> Result<Vec<u8>, crate::error::AppError> {
        use crate::error::AppError;
        let failed = |e: csv::Error| {
            tracing::error!(error = %e, "csv writing failed");
            AppError::Internal
        };
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record(self.columns.iter().map(|c| c.key.as_ref()))
            .map_err(failed)?;
        for row in &self.rows {
            writer
                .write_record(row.iter().map(|cell| match cell {
                    Cell::Number(n) => n.to_string(),
                    other => crate::spreadsheet::neutralise_field(&other.text()).into_owned(),
                }))
                .map_err(failed)?;
        }
        writer
            .into_inner()
            .map_err(|e| failed(e.into_error().into()))
    }
}

/// A [`Table`] as HTML.
#[component]
pub fn DataTable(table: Table) -> impl IntoView {
    let columns = table.columns.clone();
    view! {
        <div class="table-wrap"><table>
            <caption>{table.caption}</caption>
            <thead><tr>
                {table.columns.iter().map(|c| view! { <th scope="col" class=class_of(c.kind, None)>{c.label.to_string()}</th> }).collect_view()}
            </tr></thead>
            <tbody>
                {table.rows.into_iter().map(|row| view! { <tr>
                    {row.into_iter().zip(columns.iter()).map(|(cell, c)| {
                        let class = class_of(c.kind, Some(&cell));
                        let content = match cell {
                            Cell::Link { text, href } => view! { <a href=href>{text}</a> }.into_any(),
                            other => other.text().into_any(),
                        };
                        if c.row_header {
                            view! { <th scope="row" class=class>{content}</th> }.into_any()
                        } else {
                            view! { <td class=class>{content}</td> }.into_any()
                        }
                    }).collect_view()}
                </tr> }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// A cell's classes: numbers align right; a status mark shows its colour and pattern.
fn class_of(kind: ColumnKind, cell: Option<&Cell>) -> Option<String> {
    match cell {
        Some(Cell::Mark { key, .. }) => Some(format!("mark mark-{key}")),
        _ => (kind == ColumnKind::Number).then(|| "num".to_string()),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            caption: "Reports by state".into(),
            columns: vec![
                Column::text("state", "State").row_header(),
                Column::number("countries", "Countries"),
            ],
            rows: vec![
                vec!["Not started".into(), 51usize.into()],
                vec!["Draft, \"early\"".into(), 2usize.into()],
            ],
        }
    }

    #[test]
    fn the_csv_has_the_keys_then_one_line_per_row() {
        let csv = String::from_utf8(table().to_csv().unwrap()).unwrap();
        assert_eq!(
            csv,
            "state,countries\nNot started,51\n\"Draft, \"\"early\"\"\",2\n"
        );
    }

    #[test]
    fn an_empty_table_still_has_its_header() {
        let mut t = table();
        t.rows.clear();
        assert_eq!(t.to_csv().unwrap(), b"state,countries\n");
    }
}
