//! What a save changes in an entry, field by field: the rows of the entry's history, and the
//! table a dry run (an Excel import checked before it is applied) will show.

use serde::{Deserialize, Serialize};

use super::checks::EntryValues;
use super::view::{HistoryField, SavedValue};
use crate::indicators::model::Indicator;

/// A field of an entry whose changes are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangedField {
    Status,
    Narrative,
    Evidence,
    AsOf,
    /// The value of one indicator, named as defined when the value was entered.
    Indicator {
        id: i64,
        name: String,
    },
}

impl ChangedField {
    /// The field as the history keeps it, with the indicator's name.
    pub fn history_field(&self) -> (HistoryField, Option<&str>) {
        match self {
            Self::Status => (HistoryField::Status, None),
            Self::Narrative => (HistoryField::Narrative, None),
            Self::Evidence => (HistoryField::Evidence, None),
            Self::AsOf => (HistoryField::AsOf, None),
            Self::Indicator { name, .. } => (HistoryField::Indicator, Some(name)),
        }
    }
}

/// One field's change: its value before and after (`None`: empty). Values are raw: a status is
/// its code, evidence links one per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: ChangedField,
    pub old: Option<String>,
    pub new: Option<String>,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// The changes from an entry as stored (`before`, with its indicator values as stored) to
/// `after`, in the order the form shows the fields: status, narrative, evidence, "as of",
/// indicator values removed, then indicator values set. A value set for an indicator that has
/// no definition in `indicators` is not a change (it cannot be stored).
pub fn entry_changes(
    before: &EntryValues,
    before_values: &[SavedValue],
    after: &EntryValues,
    indicators: &[Indicator],
) -> Vec<Change> {
    let mut changes = vec![];
    let mut push = |field, old, new| changes.push(Change { field, old, new });
    if before.status != after.status {
        push(
            ChangedField::Status,
            before.status.map(|s| s.as_str().to_string()),
            after.status.map(|s| s.as_str().to_string()),
        );
    }
    if before.narrative != after.narrative {
        push(
            ChangedField::Narrative,
            non_empty(&before.narrative),
            non_empty(&after.narrative),
        );
    }
    let (old_evidence, new_evidence) = (before.evidence.join("\n"), after.evidence.join("\n"));
    if old_evidence != new_evidence {
        push(
            ChangedField::Evidence,
            non_empty(&old_evidence),
            non_empty(&new_evidence),
        );
    }
    if before.as_of != after.as_of {
        push(
            ChangedField::AsOf,
            before.as_of.clone(),
            after.as_of.clone(),
        );
    }
    for old in before_values {
        if !after
            .indicators
            .iter()
            .any(|(id, _)| *id == old.indicator_id)
        {
            push(
                ChangedField::Indicator {
                    id: old.indicator_id,
                    name: old.name.clone(),
                },
                Some(old.value.clone()),
                None,
            );
        }
    }
    for (id, value) in &after.indicators {
        let old = before_values.iter().find(|v| v.indicator_id == *id);
        if old.is_some_and(|v| v.value == *value) {
            continue;
        }
        let Some(def) = indicators.iter().find(|d| d.id == *id) else {
            continue;
        };
        push(
            ChangedField::Indicator {
                id: *id,
                name: def.name.clone(),
            },
            old.map(|v| v.value.clone()),
            Some(value.clone()),
        );
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::model::IndicatorKind;
    use crate::progress::workflow::Status;

    fn indicator(id: i64, name: &str) -> Indicator {
        Indicator {
            id,
            recommendation: 1,
            name: name.into(),
            kind: IndicatorKind::Number,
            unit: None,
            min: None,
            max: None,
            help: None,
            required: false,
            archived: false,
        }
    }

    fn saved(id: i64, name: &str, value: &str) -> SavedValue {
        SavedValue {
            indicator_id: id,
            name: name.into(),
            kind: IndicatorKind::Number,
            unit: None,
            value: value.into(),
        }
    }

    #[test]
    fn an_unchanged_entry_has_no_changes() {
        let e = EntryValues {
            recommendation: 1,
            status: Some(Status::Planned),
            narrative: "n".into(),
            evidence: vec!["https://a.example.org".into()],
            as_of: Some("2026-01-01".into()),
            indicators: vec![(1, "5".into())],
        };
        let defs = [indicator(1, "Volume")];
        assert!(entry_changes(&e, &[saved(1, "Volume", "5")], &e, &defs).is_empty());
    }

    #[test]
    fn a_new_entry_lists_every_field_it_sets() {
        let after = EntryValues {
            recommendation: 2,
            status: Some(Status::InProgress),
            narrative: "Started".into(),
            evidence: vec![
                "https://a.example.org".into(),
                "https://b.example.org".into(),
            ],
            as_of: Some("2026-06-30".into()),
            indicators: vec![(1, "12".into()), (9, "3".into())],
        };
        let changes = entry_changes(
            &EntryValues::default(),
            &[],
            &after,
            &[indicator(1, "Volume")],
        );
        assert_eq!(
            changes,
            [
                Change {
                    field: ChangedField::Status,
                    old: None,
                    new: Some("in-progress".into())
                },
                Change {
                    field: ChangedField::Narrative,
                    old: None,
                    new: Some("Started".into())
                },
                Change {
                    field: ChangedField::Evidence,
                    old: None,
                    new: Some("https://a.example.org\nhttps://b.example.org".into())
                },
                Change {
                    field: ChangedField::AsOf,
                    old: None,
                    new: Some("2026-06-30".into())
                },
                Change {
                    field: ChangedField::Indicator {
                        id: 1,
                        name: "Volume".into()
                    },
                    old: None,
                    new: Some("12".into())
                },
            ],
            "indicator 9 has no definition"
        );
    }

    #[test]
    fn removed_and_changed_values_keep_the_name_they_were_entered_under() {
        let before = EntryValues {
            indicators: vec![(1, "5".into()), (2, "yes".into())],
            narrative: "Old".into(),
            ..Default::default()
        };
        let after = EntryValues {
            indicators: vec![(2, "no".into())],
            ..Default::default()
        };
        let changes = entry_changes(
            &before,
            &[saved(1, "Old name", "5"), saved(2, "Plan", "yes")],
            &after,
            &[indicator(1, "New name"), indicator(2, "Plan adopted")],
        );
        let fields: Vec<(&ChangedField, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| (&c.field, c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert_eq!(
            fields,
            [
                (&ChangedField::Narrative, Some("Old"), None),
                (
                    &ChangedField::Indicator {
                        id: 1,
                        name: "Old name".into()
                    },
                    Some("5"),
                    None
                ),
                (
                    &ChangedField::Indicator {
                        id: 2,
                        name: "Plan adopted".into()
                    },
                    Some("yes"),
                    Some("no")
                ),
            ]
        );
    }
}
