//! Interface languages: which one a request is answered in ([`negotiate`]), the current one
//! ([`use_locale`]), and formatting for it ([`format`]).
//!
//! The texts live in `app/locales/{language}/{namespace}.json` and are compiled into the
//! `crate::i18n` module by `build.rs`; pages write `td!(locale, progress.save)`, where an
//! unknown key does not compile. Adding a language is adding its folder and its tag in
//! `build.rs`.

#[cfg(feature = "ssr")]
pub mod format;
#[cfg(feature = "ssr")]
pub mod negotiate;

/// The browser build has the same functions without the CLDR data: pages are rendered on the
/// server only, and islands get their texts as props, so none of this runs in the browser;
/// it keeps the page components compiling for both builds.
#[cfg(not(feature = "ssr"))]
pub mod format {
    use super::Locale;
    use std::cmp::Ordering;

    pub fn date(_: Locale, iso: &str) -> String {
        iso.to_string()
    }
    pub fn timestamp(_: Locale, stored: &str) -> String {
        stored.to_string()
    }
    pub fn number(_: Locale, value: &str) -> String {
        value.to_string()
    }
    pub fn count(_: Locale, n: impl Into<i64>) -> String {
        n.into().to_string()
    }
    pub fn country_name(_: Locale, _: &str) -> Option<String> {
        None
    }
    pub fn country_name_or(_: Locale, _: &str, fallback: &str) -> String {
        fallback.to_string()
    }
    pub fn compare(_: Locale, a: &str, b: &str) -> Ordering {
        a.cmp(b)
    }
}

use leptos::prelude::*;
use leptos_i18n::Locale as _;

pub use crate::i18n::Locale;

impl Locale {
    /// The language tag: `en`, `fr`, `de`.
    pub fn tag(self) -> &'static str {
        self.as_str()
    }

    /// The language with this tag (`fr`, `FR`), if the interface has it.
    pub fn from_tag(tag: &str) -> Option<Self> {
        Self::get_all()
            .iter()
            .copied()
            .find(|l| l.as_str().eq_ignore_ascii_case(tag.trim()))
    }

    /// Every interface language, the default first.
    pub fn all() -> &'static [Self] {
        Self::get_all()
    }
}

/// The language of the current request (pages and server functions); English outside one.
pub fn use_locale() -> Locale {
    if let Some(locale) = use_context::<Locale>() {
        return locale;
    }
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        if let Some(locale) = parts.extensions.get::<Locale>() {
            return *locale;
        }
    }
    Locale::default()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Every text of a language file, by its dotted key (`common.sign_in`).
    fn texts(language: &Path) -> BTreeMap<String, String> {
        fn walk(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        walk(&format!("{prefix}.{k}"), v, out);
                    }
                }
                other => {
                    out.insert(
                        prefix.to_string(),
                        other.as_str().unwrap_or_default().into(),
                    );
                }
            }
        }
        let mut out = BTreeMap::new();
        for file in std::fs::read_dir(language).expect("language folder") {
            let path = file.expect("file").path();
            let namespace = path.file_stem().unwrap().to_string_lossy().into_owned();
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            walk(&namespace, &json, &mut out);
        }
        out
    }

    /// The `{{ variables }}` a text interpolates.
    fn variables(text: &str) -> Vec<String> {
        let mut vars: Vec<String> = text
            .split("{{")
            .skip(1)
            .filter_map(|s| s.split_once("}}"))
            .map(|(v, _)| v.trim().to_string())
            .collect();
        vars.sort();
        vars
    }

    #[test]
    fn every_language_has_every_key_of_english_with_the_same_variables() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let english = texts(&root.join("en"));
        assert!(english.len() > 100, "{} keys", english.len());
        let mut languages = 0;
        for dir in std::fs::read_dir(&root).unwrap() {
            let dir = dir.unwrap().path();
            let language = texts(&dir);
            languages += 1;
            let missing: Vec<&String> = english
                .keys()
                .filter(|k| !language.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", dir.display());
            for (key, text) in &english {
                assert_eq!(
                    variables(text),
                    variables(&language[key]),
                    "{}: {key} has other variables than English",
                    dir.display()
                );
                assert!(
                    !language[key].trim().is_empty(),
                    "{}: {key} is empty",
                    dir.display()
                );
            }
        }
        assert_eq!(
            languages,
            super::Locale::all().len(),
            "a folder per language in build.rs"
        );
    }
}
