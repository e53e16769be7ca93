//! The names of the report form's fields, built and read in one place: the form renders them,
//! the server function's input (`EntryInput`, read by serde under the same names) and its
//! checks name refusals by them, and the browser's checks read them back.

use std::fmt;

/// A field of an entry that holds one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum EntryField {
    Recommendation,
    Status,
    Narrative,
    Evidence,
    AsOf,
}

/// The two fields of an indicator value: which indicator, and the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum IndicatorField {
    Id,
    Value,
}

/// What a field name points at inside one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Entry(EntryField),
    /// The `index`-th indicator shown in the entry.
    Indicator {
        index: usize,
        field: IndicatorField,
    },
}

/// The name of a field of the report form: `entries[i][status]`,
/// `entries[i][indicators][j][value]`; `entry` is the entry's position in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldName {
    pub entry: usize,
    pub part: Part,
}

impl FieldName {
    /// A one-value field of entry `entry`.
    pub fn entry(entry: usize, field: EntryField) -> Self {
        Self {
            entry,
            part: Part::Entry(field),
        }
    }

    /// The value field of the `index`-th indicator of entry `entry`.
    pub fn indicator_value(entry: usize, index: usize) -> Self {
        Self::indicator(entry, index, IndicatorField::Value)
    }

    /// The hidden id field of the `index`-th indicator of entry `entry`.
    pub fn indicator_id(entry: usize, index: usize) -> Self {
        Self::indicator(entry, index, IndicatorField::Id)
    }

    fn indicator(entry: usize, index: usize, field: IndicatorField) -> Self {
        Self {
            entry,
            part: Part::Indicator { index, field },
        }
    }

    /// Reads a name the form rendered; `None` for any other name.
    pub fn parse(name: &str) -> Option<Self> {
        let rest = name.strip_prefix("entries[")?;
        let (entry, rest) = rest.split_once(']')?;
        let entry = entry.parse().ok()?;
        let inner = rest.strip_prefix('[')?.strip_suffix(']')?;
        let parts: Vec<&str> = inner.split("][").collect();
        let part = match parts.as_slice() {
            [field] => Part::Entry(field.parse().ok()?),
            ["indicators", index, field] => Part::Indicator {
                index: index.parse().ok()?,
                field: field.parse().ok()?,
            },
            _ => return None,
        };
        Some(Self { entry, part })
    }
}

impl fmt::Display for FieldName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            Part::Entry(field) => {
                let field: &str = field.into();
                write!(f, "entries[{}][{field}]", self.entry)
            }
            Part::Indicator { index, field } => {
                let field: &str = field.into();
                write!(f, "entries[{}][indicators][{index}][{field}]", self.entry)
            }
        }
    }
}

/// A field of the review form's comment on one entry, read by serde into `CommentInput`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum CommentField {
    Recommendation,
    Comment,
}

/// The name of a review form field: `comments[i][comment]`, `comments[i][recommendation]`.
pub fn comment_field(index: usize, field: CommentField) -> String {
    let field: &str = field.into();
    format!("comments[{index}][{field}]")
}

impl From<FieldName> for String {
    fn from(name: FieldName) -> Self {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_ones_the_form_posts() {
        assert_eq!(
            FieldName::entry(3, EntryField::AsOf).to_string(),
            "entries[3][as_of]"
        );
        assert_eq!(
            FieldName::indicator_value(0, 2).to_string(),
            "entries[0][indicators][2][value]"
        );
        assert_eq!(
            FieldName::indicator_id(1, 0).to_string(),
            "entries[1][indicators][0][id]"
        );
    }

    #[test]
    fn review_comment_names_are_the_ones_the_review_form_posts() {
        assert_eq!(
            comment_field(2, CommentField::Comment),
            "comments[2][comment]"
        );
        assert_eq!(
            comment_field(0, CommentField::Recommendation),
            "comments[0][recommendation]"
        );
    }

    #[test]
    fn every_name_reads_back_as_itself() {
        let names = [
            FieldName::entry(0, EntryField::Recommendation),
            FieldName::entry(6, EntryField::Status),
            FieldName::entry(2, EntryField::Narrative),
            FieldName::entry(4, EntryField::Evidence),
            FieldName::entry(5, EntryField::AsOf),
            FieldName::indicator_value(3, 1),
            FieldName::indicator_id(3, 1),
        ];
        for name in names {
            assert_eq!(FieldName::parse(&name.to_string()), Some(name));
        }
        for other in [
            "email",
            "entries[x][status]",
            "entries[1][colour]",
            "entries[1][indicators][0][unit]",
            "comments[0][comment]",
        ] {
            assert_eq!(FieldName::parse(other), None, "{other}");
        }
    }

    #[test]
    fn the_names_match_the_fields_of_an_entry_input() {
        let input =
            serde_json::to_value(super::super::checks::EntryInput::default()).unwrap_or_default();
        for field in [
            EntryField::Recommendation,
            EntryField::Status,
            EntryField::Narrative,
            EntryField::Evidence,
            EntryField::AsOf,
        ] {
            let name: &str = field.into();
            assert!(input.get(name).is_some(), "{name}");
        }
        assert!(input.get("indicators").is_some());
    }
}
