use serde::{Deserialize, Serialize};

use crate::lang::Locale;

/// A Member State of the WHO European Region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub iso2: String,
    /// ISO 3166-1 alpha-3, upper case.
    pub iso3: String,
    /// English short name.
    pub name: String,
    /// One of the 27 EU Member States.
    pub eu_member: bool,
}

impl Country {
    /// The country's name in the reader's language (see [`name_in`]).
    pub fn name_in(&self, locale: Locale) -> String {
        name_in(locale, &self.iso2, &self.name)
    }
}

/// A country's name in the reader's language: in English, the short name the database keeps
/// (the WHO's: "Republic of Moldova", "Bosnia and Herzegovina", where CLDR's English has
/// "Moldova" and "Bosnia & Herzegovina"); in other languages, CLDR's ("Allemagne",
/// "Moldavie"), or the English name if CLDR does not know the code.
pub fn name_in(locale: Locale, iso2: &str, english: &str) -> String {
    if locale == Locale::en {
        english.to_string()
    } else {
        crate::lang::format::country_name_or(locale, iso2, english)
    }
}

/// Countries in the alphabetical order of their names in the reader's language.
pub fn sort_by_name(locale: Locale, countries: &mut [Country]) {
    let mut named: Vec<(String, Country)> = countries
        .iter()
        .map(|c| (c.name_in(locale), c.clone()))
        .collect();
    named.sort_by(|a, b| crate::lang::format::compare(locale, &a.0, &b.0));
    for (slot, (_, c)) in countries.iter_mut().zip(named) {
        *slot = c;
    }
}

/// The groups the dashboards compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum CountryGroup {
    #[default]
    All,
    Eu27,
    NonEu,
}

impl CountryGroup {
    /// The stored form (also used in forms and URLs).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The English label (kept for callers not yet translated; see [`CountryGroup::label_in`]).
    pub fn label(self) -> &'static str {
        self.label_in(Locale::en)
    }

    /// The label in the reader's language: "EU27", "UE-27", "EU-27".
    pub fn label_in(self, locale: Locale) -> &'static str {
        use crate::i18n::*;
        match self {
            Self::All => td_string!(locale, countries.group_all),
            Self::Eu27 => td_string!(locale, countries.group_eu27),
            Self::NonEu => td_string!(locale, countries.group_non_eu),
        }
    }

    pub fn contains(self, country: &Country) -> bool {
        match self {
            Self::All => true,
            Self::Eu27 => country.eu_member,
            Self::NonEu => !country.eu_member,
        }
    }
}

/// Normalises a user-supplied alpha-2 code, or `None` if it cannot be one.
pub fn normalize_iso2(code: &str) -> Option<String> {
    let code = code.trim();
    (code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| code.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha2_codes_are_normalised_to_upper_case() {
        assert_eq!(normalize_iso2(" it "), Some("IT".into()));
        assert_eq!(normalize_iso2("ITA"), None);
        assert_eq!(normalize_iso2("1T"), None);
    }

    #[test]
    fn groups_split_eu_members_from_the_rest() {
        let it = Country {
            iso2: "IT".into(),
            iso3: "ITA".into(),
            name: "Italy".into(),
            eu_member: true,
        };
        let no = Country {
            iso2: "NO".into(),
            iso3: "NOR".into(),
            name: "Norway".into(),
            eu_member: false,
        };
        assert!(CountryGroup::Eu27.contains(&it) && !CountryGroup::Eu27.contains(&no));
        assert!(CountryGroup::NonEu.contains(&no) && !CountryGroup::NonEu.contains(&it));
        assert!(CountryGroup::All.contains(&it) && CountryGroup::All.contains(&no));
        assert_eq!("non-eu".parse::<CountryGroup>(), Ok(CountryGroup::NonEu));
    }
}
