use serde::{Deserialize, Serialize};

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

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All WHO Europe",
            Self::Eu27 => "EU27",
            Self::NonEu => "Non-EU",
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
