//! The XLSForm dialect both directions share: sheet and column names, how a column names its
//! language (`label::Français (fr)`), and yes/no cells.

use crate::surveys::model::definition::{is_language_code, language_name, KNOWN_LANGUAGES};

pub const SURVEY: &str = "survey";
pub const CHOICES: &str = "choices";
pub const SETTINGS: &str = "settings";

/// The survey sheet's columns read or written (texts also as `label::Language (code)`).
pub const TYPE: &str = "type";
pub const NAME: &str = "name";
pub const LABEL: &str = "label";
pub const HINT: &str = "hint";
pub const REQUIRED: &str = "required";
pub const RELEVANT: &str = "relevant";
pub const CONSTRAINT: &str = "constraint";
pub const APPEARANCE: &str = "appearance";
pub const CHOICE_FILTER: &str = "choice_filter";
/// Not standard XLSForm: a question the survey's admins hid (it keeps its answers but is no
/// longer asked). Other tools ignore the column.
pub const HIDDEN: &str = "hidden";
/// The choices sheet's list column.
pub const LIST_NAME: &str = "list_name";
/// The settings sheet's columns.
pub const FORM_TITLE: &str = "form_title";
pub const FORM_ID: &str = "form_id";
pub const DEFAULT_LANGUAGE: &str = "default_language";
pub const VERSION: &str = "version";

/// Languages XLSForm files often name in English, beyond the builder's own names.
const ENGLISH_NAMES: [(&str, &str); 12] = [
    ("english", "en"),
    ("french", "fr"),
    ("german", "de"),
    ("italian", "it"),
    ("spanish", "es"),
    ("polish", "pl"),
    ("portuguese", "pt"),
    ("dutch", "nl"),
    ("swedish", "sv"),
    ("danish", "da"),
    ("greek", "el"),
    ("romanian", "ro"),
];

/// A language as XLSForm writes it: `Français (fr)`.
pub fn language_spec(code: &str) -> String {
    format!("{} ({code})", language_name(code))
}

/// A text column in a language: `label::Français (fr)`.
pub fn language_header(prefix: &str, code: &str) -> String {
    format!("{prefix}::{}", language_spec(code))
}

/// The language code of `Français (fr)`, `fr`, `French` or `Français`.
pub fn language_code(spec: &str) -> Option<String> {
    let spec = spec.trim();
    let candidate = match (spec.rfind('('), spec.strip_suffix(')')) {
        (Some(open), Some(inner)) => inner.get(open + 1..).unwrap_or_default().trim(),
        _ => spec,
    };
    // `EN` and `pt-BR` alike: the first part in lower case, the rest as written.
    let normal = match candidate.split_once('-') {
        Some((first, rest)) => format!("{}-{rest}", first.to_ascii_lowercase()),
        None => candidate.to_ascii_lowercase(),
    };
    if is_language_code(&normal) {
        return Some(normal);
    }
    let lower = spec.to_lowercase();
    KNOWN_LANGUAGES
        .iter()
        .find(|(_, name)| name.to_lowercase() == lower)
        .map(|(code, _)| code.to_string())
        .or_else(|| {
            ENGLISH_NAMES
                .iter()
                .find(|(name, _)| *name == lower)
                .map(|(_, code)| code.to_string())
        })
}

/// A header split into its column and, for `column::Language`, the language part.
pub fn split_header(header: &str) -> (String, Option<&str>) {
    match header.split_once("::") {
        Some((base, lang)) => (base.trim().to_ascii_lowercase(), Some(lang.trim())),
        None => (header.trim().to_ascii_lowercase(), None),
    }
}

/// `yes`, `true`, `1`, `true()` (any case) → true; `no`, `false`, `0`, `false()` or blank →
/// false; anything else → `None`.
pub fn yes_no(value: Option<&str>) -> Option<bool> {
    let Some(v) = value else {
        return Some(false);
    };
    match v.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "false" | "0" | "false()" => Some(false),
        "yes" | "true" | "1" | "true()" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_by_code_or_name() {
        assert_eq!(language_code("Français (fr)").as_deref(), Some("fr"));
        assert_eq!(language_code("English (EN)").as_deref(), Some("en"));
        assert_eq!(language_code("Português (pt-BR)").as_deref(), Some("pt-BR"));
        assert_eq!(language_code("de").as_deref(), Some("de"));
        assert_eq!(language_code("French").as_deref(), Some("fr"));
        assert_eq!(language_code("Deutsch").as_deref(), Some("de"));
        assert_eq!(language_code("Klingon"), None);
        assert_eq!(language_header("label", "fr"), "label::Français (fr)");
        assert_eq!(
            language_code(&language_spec("pt-BR")).as_deref(),
            Some("pt-BR")
        );
    }

    #[test]
    fn headers_split_into_column_and_language() {
        assert_eq!(
            split_header("Label::English (en)"),
            ("label".into(), Some("English (en)"))
        );
        assert_eq!(split_header(" hint "), ("hint".into(), None));
    }

    #[test]
    fn yes_and_no_are_read_as_xlsform_writes_them() {
        assert_eq!(yes_no(Some("yes")), Some(true));
        assert_eq!(yes_no(Some("TRUE")), Some(true));
        assert_eq!(yes_no(Some("true()")), Some(true));
        assert_eq!(yes_no(Some("No")), Some(false));
        assert_eq!(yes_no(None), Some(false));
        assert_eq!(yes_no(Some("maybe")), None);
    }
}
