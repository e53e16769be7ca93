use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::list_countries,
    model::{sort_by_name, Country},
};
use crate::i18n::*;
use crate::lang::use_locale;
use crate::ui::Loaded;

/// `/countries`: the 53 Member States, EU27 first, then the rest of WHO Europe, each group in
/// the alphabetical order of the reader's language.
#[component]
pub fn CountriesPage() -> impl IntoView {
    let locale = use_locale();
    let countries = Resource::new(|| (), |_| list_countries());
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, countries.title))/>
        <h1>{td_string!(locale, countries.title)}</h1>
        <p>{td_string!(locale, countries.intro)}</p>
        <Loaded resource=countries view=groups/>
    }
}

fn groups(list: Vec<Country>) -> impl IntoView {
    let locale = use_locale();
    let (mut eu, mut other): (Vec<Country>, Vec<Country>) =
        list.into_iter().partition(|c| c.eu_member);
    sort_by_name(locale, &mut eu);
    sort_by_name(locale, &mut other);
    view! {
        <CountryGroupSection id="eu27" heading=td_string!(locale, countries.eu27) countries=eu/>
        <CountryGroupSection id="non-eu" heading=td_string!(locale, countries.other) countries=other/>
    }
}

#[component]
fn CountryGroupSection(
    id: &'static str,
    heading: &'static str,
    countries: Vec<Country>,
) -> impl IntoView {
    let locale = use_locale();
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let heading = td_string!(
        locale,
        countries.group_heading,
        group = heading,
        n = countries.len()
    )
    .to_string();
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            <ul class="country-list">
                {countries.into_iter().map(|c| view! {
                    <li>
                        <a class="country-name" href=crate::routes::country(&c.iso2)>{c.name_in(locale)}</a>
                        " "
                        <abbr class="code" title=td_string!(locale, countries.iso2_code)>{c.iso2}</abbr>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
