//! Formatting for a language, from CLDR data (ICU4X, compiled in): dates, numbers, country
//! names and their order. English is British English (day first), as the EU institutions
//! write it.

use std::cmp::Ordering;
use std::sync::OnceLock;

use icu_calendar::{Date, Iso};
use icu_collator::{options::CollatorOptions, Collator, CollatorBorrowed};
use icu_datetime::{fieldsets::YMD, DateTimeFormatter};
use icu_decimal::{input::Decimal, DecimalFormatter};
use icu_experimental::displaynames::{multi::RegionDisplayNames, DisplayNamesOptions};
use icu_locale_core::{subtags::Region, Locale as IcuLocale};

use super::Locale;

/// The formatters of one language, built once.
struct Formatters {
    date: DateTimeFormatter<YMD>,
    decimal: DecimalFormatter,
    regions: RegionDisplayNames,
    collator: CollatorBorrowed<'static>,
}

fn icu_locale(locale: Locale) -> IcuLocale {
    let tag = match locale.tag() {
        "en" => "en-GB",
        other => other,
    };
    tag.parse()
        .expect("interface language tags are valid BCP 47")
}

fn formatters(locale: Locale) -> &'static Formatters {
    static ALL: OnceLock<Vec<Formatters>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        Locale::all()
            .iter()
            .map(|&l| {
                let icu = icu_locale(l);
                Formatters {
                    date: DateTimeFormatter::try_new((&icu).into(), YMD::long())
                        .expect("compiled CLDR data has dates for the interface languages"),
                    decimal: DecimalFormatter::try_new((&icu).into(), Default::default())
                        .expect("compiled CLDR data has numbers for the interface languages"),
                    regions: RegionDisplayNames::try_new(
                        (&icu).into(),
                        DisplayNamesOptions::default(),
                    )
                    .expect("compiled CLDR data has region names for the interface languages"),
                    collator: Collator::try_new((&icu).into(), CollatorOptions::default())
                        .expect("compiled CLDR data has collation for the interface languages"),
                }
            })
            .collect()
    });
    let index = Locale::all().iter().position(|&l| l == locale).unwrap_or(0);
    &all[index]
}

/// `2026-11-29` as "29 November 2026", "29 novembre 2026", "29. November 2026". Anything that
/// is not an ISO date is returned as it is.
pub fn date(locale: Locale, iso: &str) -> String {
    match Date::try_from_str(iso.get(..10).unwrap_or(iso), Iso) {
        Ok(d) => formatters(locale).date.format(&d).to_string(),
        Err(_) => iso.to_string(),
    }
}

/// A stored timestamp (`2026-11-29 10:42:07` or RFC 3339, UTC) as the date for the language
/// and the time to the minute: "29 novembre 2026, 10:42 UTC".
pub fn timestamp(locale: Locale, stored: &str) -> String {
    let time = stored
        .get(11..16)
        .filter(|t| t.as_bytes().get(2) == Some(&b':'));
    match time {
        Some(time) => format!("{}, {time} UTC", date(locale, stored)),
        None => date(locale, stored),
    }
}

/// A decimal number written with a point (`1234.5`, as stored) for the language: "1,234.5",
/// "1 234,5", "1.234,5". Anything that is not a number is returned as it is.
pub fn number(locale: Locale, value: &str) -> String {
    match value.trim().parse::<Decimal>() {
        Ok(n) => formatters(locale).decimal.format(&n).to_string(),
        Err(_) => value.to_string(),
    }
}

/// A count for the language ("1,234").
pub fn count(locale: Locale, n: impl Into<i64>) -> String {
    formatters(locale)
        .decimal
        .format(&Decimal::from(n.into()))
        .to_string()
}

/// A country's name in the language (CLDR), from its ISO 3166 alpha-2 code.
pub fn country_name(locale: Locale, iso2: &str) -> Option<String> {
    let region: Region = iso2.parse().ok()?;
    formatters(locale).regions.of(region).map(str::to_string)
}

/// A country's name in the language, or `fallback` (the English name the database keeps)
/// when CLDR does not know the code.
pub fn country_name_or(locale: Locale, iso2: &str, fallback: &str) -> String {
    country_name(locale, iso2).unwrap_or_else(|| fallback.to_string())
}

/// Compares two texts in the language's alphabetical order ("Égypte" between "Allemagne" and
/// "France").
pub fn compare(locale: Locale, a: &str, b: &str) -> Ordering {
    formatters(locale).collator.compare(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_for_the_language() {
        assert_eq!(date(Locale::en, "2026-11-29"), "29 November 2026");
        assert_eq!(date(Locale::fr, "2026-11-29"), "29 novembre 2026");
        assert_eq!(date(Locale::de, "2026-11-29"), "29. November 2026");
        assert_eq!(date(Locale::fr, "not a date"), "not a date");
        assert_eq!(
            timestamp(Locale::de, "2026-06-30 08:05:59"),
            "30. Juni 2026, 08:05 UTC"
        );
    }

    #[test]
    fn numbers_are_written_for_the_language() {
        assert_eq!(number(Locale::en, "1234.5"), "1,234.5");
        assert_eq!(number(Locale::fr, "1234.5"), "1\u{202f}234,5");
        assert_eq!(number(Locale::de, "1234.5"), "1.234,5");
        assert_eq!(count(Locale::de, 53), "53");
        assert_eq!(number(Locale::de, "n/a"), "n/a");
    }

    #[test]
    fn country_names_come_from_cldr_and_sort_for_the_language() {
        assert_eq!(country_name(Locale::fr, "DE").as_deref(), Some("Allemagne"));
        assert_eq!(
            country_name(Locale::de, "DE").as_deref(),
            Some("Deutschland")
        );
        let mut names = vec!["Espagne", "Égypte", "Allemagne"];
        names.sort_by(|a, b| compare(Locale::fr, a, b));
        assert_eq!(names, ["Allemagne", "Égypte", "Espagne"]);
    }
}
