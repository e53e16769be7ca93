use leptos::prelude::*;
use leptos_meta::Title;

use super::{api::list_countries, model::Country};
use crate::ui::Loaded;

/// `/countries`: the 53 Member States, EU27 first, then the rest of WHO Europe.
#[component]
pub fn CountriesPage() -> impl IntoView {
    let countries = Resource::new(|| (), |_| list_countries());
    view! {
        <Title text="Countries — Recovery Tracker"/>
        <h1>"Countries"</h1>
        <p>"The 53 Member States of the WHO European Region, of which 27 are EU Member States."</p>
        <Loaded resource=countries view=groups/>
    }
}

fn groups(list: Vec<Country>) -> impl IntoView {
    let (eu, other): (Vec<Country>, Vec<Country>) = list.into_iter().partition(|c| c.eu_member);
    view! {
        <CountryGroupSection id="eu27" heading="EU27" countries=eu/>
        <CountryGroupSection id="non-eu" heading="Other WHO Europe Member States" countries=other/>
    }
}

#[component]
fn CountryGroupSection(
    id: &'static str,
    heading: &'static str,
    countries: Vec<Country>,
) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=heading_id>{format!("{heading} ({})", countries.len())}</h2>
            <ul class="country-list">
                {countries.into_iter().map(|c| view! {
                    <li>
                        <span class="country-name">{c.name}</span>
                        " "
                        <abbr class="code" title="ISO 3166-1 alpha-2 code">{c.iso2}</abbr>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
