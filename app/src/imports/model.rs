//! What the import pages show: the dry run of an uploaded file (what would change, every
//! problem by sheet, row and column), and where an import stands. Shared by server and browser.

use serde::{Deserialize, Serialize};

use crate::spreadsheet::grid::Problem;

/// The largest file accepted, in MB (the server refuses more).
pub const MAX_FILE_MB: usize = 10;

/// What an import is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum ImportKind {
    /// One country's report for a period, from its template (focal points).
    Progress,
    /// Every country's report for a period, from the secretariat's workbook (admins).
    Bulk,
    /// A survey definition from an XLSForm (admins).
    Xlsform,
    /// Past responses of a survey (admins).
    Responses,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum ImportState {
    /// Read and checked: the dry run is shown, nothing written.
    Checked,
    /// Being written (long imports).
    Applying,
    Applied,
    Discarded,
    /// Applying was refused or failed; nothing was written.
    Failed,
}

impl ImportState {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One field's change, as the dry run shows it (labels and values in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The changes to one thing (a recommendation's entry; a country's report; a survey
/// section), under a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeGroup {
    pub title: String,
    pub lines: Vec<ChangeLine>,
}

/// The dry run of an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Preview {
    /// What the file would change, in order. Empty with no problems: "no changes".
    pub groups: Vec<ChangeGroup>,
    /// What stops the import: nothing can be applied while there is one.
    pub problems: Vec<Problem>,
    /// What the reader should know that does not stop it (a formula's computed value used).
    pub notices: Vec<Problem>,
    /// Someone changed the record since the file was downloaded: what they changed.
    pub conflict: Vec<String>,
    /// A one-line summary ("3 changes in 2 recommendations", "214 responses").
    pub summary: String,
    /// How many records applying writes (responses; questions of a new survey), for the
    /// apply button of the imports that are not field changes.
    #[serde(default)]
    pub records: usize,
}

impl Preview {
    /// Something to apply, and no problem or conflict to stop it.
    pub fn can_apply(&self) -> bool {
        self.problems.is_empty() && self.conflict.is_empty() && !self.groups.is_empty()
    }

    /// How many field changes in all.
    pub fn change_count(&self) -> usize {
        self.groups.iter().map(|g| g.lines.len()).sum()
    }
}

/// An import as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub kind: ImportKind,
    pub state: ImportState,
    /// What it writes to, in words ("France — 2026 first half").
    pub target: String,
    pub file_name: String,
    pub created_at: String,
    pub preview: Preview,
    /// Rows written so far, out of `total` (while applying).
    pub done: i64,
    pub total: i64,
    /// What applying did, or why it failed.
    pub outcome: Option<String>,
    /// Where to go back to (the report, the survey).
    pub back: String,
    /// What applying created, to open it (an XLSForm's new survey).
    pub created: Option<String>,
}

impl ImportView {
    /// Applying is offered: checked, and nothing stops it.
    pub fn can_apply(&self) -> bool {
        self.state == ImportState::Checked && self.preview.can_apply()
    }
}
